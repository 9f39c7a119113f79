import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * Writes an event straight into the embedded store's file, past the schema
 * gate, as a log written before the gate (or by an earlier release) may hold
 * it. A running service sees it with its next write.
 */
export function plantEvent(dataDir: string, contractId: string, type: string, data: object, metadata: object = {}): void {
  const db = new Database(join(dataDir, 'events.sqlite'));
  try {
    const stream = `contract-${contractId}`;
    const { next } = db
      .prepare<[string], { next: number }>('SELECT COALESCE(MAX(revision) + 1, 0) AS next FROM events WHERE stream = ?')
      .get(stream)!;
    db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      stream,
      next,
      randomUUID(),
      type,
      JSON.stringify(data),
      JSON.stringify(metadata),
      Date.now(),
    );
  } finally {
    db.close();
  }
}
