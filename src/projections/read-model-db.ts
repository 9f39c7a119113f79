import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Position } from '../event-store/event-store.port';

/**
 * The read models' SQLite file. Separate from the events: it can always be
 * rebuilt from the log, so it trades the last fsync (synchronous=NORMAL) for speed.
 */
export function openReadModelDb(file: string): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (
    projection TEXT PRIMARY KEY,
    commit_position TEXT NOT NULL,
    prepare_position TEXT NOT NULL
  ) STRICT`);
  return db;
}

export function readCheckpoint(db: Database.Database, projection: string): Position | undefined {
  const row = db
    .prepare<[string], { commit_position: string; prepare_position: string }>(
      'SELECT commit_position, prepare_position FROM checkpoints WHERE projection = ?',
    )
    .get(projection);
  return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) } : undefined;
}

export function checkpointWriter(db: Database.Database): (projection: string, position: Position) => void {
  const upsert = db.prepare<[string, string, string]>(
    `INSERT INTO checkpoints (projection, commit_position, prepare_position) VALUES (?, ?, ?)
     ON CONFLICT (projection) DO UPDATE SET commit_position = excluded.commit_position, prepare_position = excluded.prepare_position`,
  );
  return (projection, position) => upsert.run(projection, position.commit.toString(), position.prepare.toString());
}
