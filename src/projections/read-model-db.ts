import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Position } from '../event-store/event-store.port';
import type { Projection } from './projection';
import { startThread } from '../shared/threads';
import type { CheckpointRequest } from './read-model-checkpoints';

/**
 * The read models' SQLite file. Separate from the events: it can always be
 * rebuilt from the log, so it trades the last fsync (synchronous=NORMAL) for speed.
 * Beside the read models it keeps each projection's checkpoint and, written in
 * the same transactions, what the projection could not apply: a stop, the
 * streams it quarantined, and the events an operator chose to skip.
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
  ) STRICT;
  CREATE TABLE IF NOT EXISTS projection_versions (
    projection TEXT PRIMARY KEY,
    version INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS projection_stops (
    projection TEXT PRIMARY KEY,
    failure TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS quarantines (
    projection TEXT NOT NULL,
    stream TEXT NOT NULL,
    failure TEXT NOT NULL,
    skipped_since INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (projection, stream)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS skipped_events (
    projection TEXT NOT NULL,
    stream TEXT NOT NULL,
    revision INTEGER NOT NULL,
    skip TEXT NOT NULL,
    PRIMARY KEY (projection, stream, revision)
  ) STRICT`);
  return db;
}

/** How often the read models' WAL is copied into their file, off the event loop. */
const CHECKPOINT_EVERY_MS = 1_000;

/**
 * Moves the WAL checkpoints of a long-lived connection to the file into a
 * thread (read-model-checkpoints.ts), every second; should the thread fail,
 * the connection checkpoints on its commits again, as SQLite does by default.
 * `stop` ends the thread (the connection's close checkpoints what is left).
 */
export function checkpointInThread(db: Database.Database, file: string): { stop(): Promise<void> } {
  db.pragma('wal_autocheckpoint = 0');
  const thread = startThread(__filename, 'read-model-checkpoints', { file });
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  const send = (request: CheckpointRequest) => thread.postMessage(request);
  const timer = setInterval(() => send('checkpoint'), CHECKPOINT_EVERY_MS);
  let stopping = false;
  thread.once('exit', () => {
    clearInterval(timer);
    if (!stopping && db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  thread.on('error', () => undefined);
  // Neither keeps the process alive: stopping is the owner's part.
  thread.unref();
  timer.unref();
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      send('close');
      await exited;
    },
  };
}

/**
 * Makes the file hold this version of the projection: when it holds another
 * (or one from before versions were recorded), the projection's tables, its
 * checkpoint, stop and quarantines are dropped, so that it is rebuilt from the
 * start of the log; the operators' skips stay. True when it was dropped.
 */
export function adoptVersion(db: Database.Database, projection: Pick<Projection, 'name' | 'version' | 'tables'>): boolean {
  const stored = db
    .prepare<[string], { version: number }>('SELECT version FROM projection_versions WHERE projection = ?')
    .get(projection.name);
  if (stored?.version === projection.version) return false;
  const hasCheckpoint = readCheckpoint(db, projection.name) !== undefined;
  db.transaction(() => {
    for (const table of projection.tables) db.exec(`DROP TABLE IF EXISTS ${table}`);
    for (const table of ['checkpoints', 'projection_stops', 'quarantines'])
      db.prepare(`DELETE FROM ${table} WHERE projection = ?`).run(projection.name);
    db.prepare('INSERT OR REPLACE INTO projection_versions (projection, version) VALUES (?, ?)').run(projection.name, projection.version);
  })();
  return hasCheckpoint;
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

/** An event a projection could not apply, or why its subscription ended. */
export interface ProjectionFailure {
  readonly message: string;
  /** When it failed (ISO 8601). */
  readonly at: string;
  readonly position?: string;
  readonly stream?: string;
  readonly revision?: number;
  readonly eventType?: string;
}

/** The failure of one event: everything about where it is. */
export type EventFailure = Required<ProjectionFailure>;

/** A stream a projection no longer applies: the event it failed on, and how many of its later events it passed over. */
export interface Quarantine {
  readonly stream: string;
  readonly failure: EventFailure;
  readonly skippedSince: number;
}

/** The audit record of an event an operator chose to leave out of a projection. */
export interface SkippedEvent {
  readonly projection: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
  readonly eventType?: string;
  /** The failure that quarantined the stream. */
  readonly message: string;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** Stops, quarantines and skips, as the runner, the rebuild, the skip command and the reads see them. */
export class ProjectionLedger {
  private readonly statements;
  /** Per projection, every stream it has a quarantine or a skip for (and perhaps a few more): loaded once, kept by this ledger. */
  private readonly recorded = new Map<string, Set<string>>();

  constructor(db: Database.Database) {
    this.statements = {
      stop: db.prepare<[string], { failure: string }>('SELECT failure FROM projection_stops WHERE projection = ?'),
      recordStop: db.prepare<[string, string]>('INSERT OR REPLACE INTO projection_stops (projection, failure) VALUES (?, ?)'),
      quarantine: db.prepare<[string, string], { stream: string; failure: string; skipped_since: number }>(
        'SELECT stream, failure, skipped_since FROM quarantines WHERE projection = ? AND stream = ?',
      ),
      quarantines: db.prepare<[string], { stream: string; failure: string; skipped_since: number }>(
        'SELECT stream, failure, skipped_since FROM quarantines WHERE projection = ? ORDER BY stream',
      ),
      recordQuarantine: db.prepare<[string, string, string]>('INSERT INTO quarantines (projection, stream, failure) VALUES (?, ?, ?)'),
      countSkipped: db.prepare<[string, string]>(
        'UPDATE quarantines SET skipped_since = skipped_since + 1 WHERE projection = ? AND stream = ?',
      ),
      lift: db.prepare<[string, string]>('DELETE FROM quarantines WHERE projection = ? AND stream = ?'),
      isSkipped: db.prepare<[string, string, number], { revision: number }>(
        'SELECT revision FROM skipped_events WHERE projection = ? AND stream = ? AND revision = ?',
      ),
      skipped: db.prepare<[string], { skip: string }>('SELECT skip FROM skipped_events WHERE projection = ? ORDER BY stream, revision'),
      recordSkip: db.prepare<[string, string, number, string]>(
        'INSERT OR REPLACE INTO skipped_events (projection, stream, revision, skip) VALUES (?, ?, ?, ?)',
      ),
      recordedStreams: db.prepare<[string, string], { stream: string }>(
        'SELECT stream FROM quarantines WHERE projection = ? UNION SELECT stream FROM skipped_events WHERE projection = ?',
      ),
    };
  }

  /**
   * False when the stream surely has neither a quarantine nor a skip in the
   * projection, without asking the database: the guard asks it per event only
   * about the few streams that might. A superset is harmless (a lifted
   * quarantine, a record rolled back), so the set only grows; records written
   * through another ledger are not seen, which is why the skip command and the
   * rebuild run with the service stopped.
   */
  mayHaveRecords(projection: string, stream: string): boolean {
    return this.recordedStreamsOf(projection).has(stream);
  }

  private recordedStreamsOf(projection: string): Set<string> {
    let streams = this.recorded.get(projection);
    if (!streams) {
      streams = new Set(this.statements.recordedStreams.all(projection, projection).map((row) => row.stream));
      this.recorded.set(projection, streams);
    }
    return streams;
  }

  stopOf(projection: string): ProjectionFailure | undefined {
    const row = this.statements.stop.get(projection);
    return row ? (JSON.parse(row.failure) as ProjectionFailure) : undefined;
  }

  recordStop(projection: string, failure: ProjectionFailure): void {
    this.statements.recordStop.run(projection, JSON.stringify(failure));
  }

  quarantineOf(projection: string, stream: string): Quarantine | undefined {
    const row = this.statements.quarantine.get(projection, stream);
    return row ? toQuarantine(row) : undefined;
  }

  quarantines(projection: string): Quarantine[] {
    return this.statements.quarantines.all(projection).map(toQuarantine);
  }

  quarantine(projection: string, failure: EventFailure): void {
    this.statements.recordQuarantine.run(projection, failure.stream, JSON.stringify(failure));
    this.recordedStreamsOf(projection).add(failure.stream);
  }

  countSkipped(projection: string, stream: string): void {
    this.statements.countSkipped.run(projection, stream);
  }

  lift(projection: string, stream: string): void {
    this.statements.lift.run(projection, stream);
  }

  isSkipped(projection: string, stream: string, revision: bigint): boolean {
    return this.statements.isSkipped.get(projection, stream, Number(revision)) !== undefined;
  }

  skipped(projection: string): SkippedEvent[] {
    return this.statements.skipped.all(projection).map((row) => JSON.parse(row.skip) as SkippedEvent);
  }

  recordSkip(skip: SkippedEvent): void {
    this.statements.recordSkip.run(skip.projection, skip.stream, skip.revision, JSON.stringify(skip));
    this.recordedStreamsOf(skip.projection).add(skip.stream);
  }
}

function toQuarantine(row: { stream: string; failure: string; skipped_since: number }): Quarantine {
  return { stream: row.stream, failure: JSON.parse(row.failure) as EventFailure, skippedSince: row.skipped_since };
}
