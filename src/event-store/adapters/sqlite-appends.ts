import type Database from 'better-sqlite3';
import { assertNever, errorMessage } from '../../shared/errors';
import { planAppend, type StreamHead } from '../append-rules';
import type { AppendResult, CurrentRevision, ExpectedRevision, Position } from '../event-store.port';

/**
 * The write side of the embedded store, run by its writer thread
 * (sqlite-writer.ts) on a connection of its own: a batch of appends is
 * written in one transaction (one fsync), each append in its own savepoint,
 * checked against its own expected revision, failing alone.
 */

/** An append as the writer thread receives it: data and metadata already JSON. */
export interface QueuedAppend {
  readonly stream: string;
  readonly events: ReadonlyArray<{ readonly id: string; readonly type: string; readonly data: string; readonly metadata: string }>;
  readonly expected: ExpectedRevision;
}

/** What became of one append of a committed batch. */
export type AppendOutcome =
  | { readonly written: AppendResult }
  | { readonly conflict: CurrentRevision }
  /** An error of this append alone (the others of the batch are committed). */
  | { readonly failed: string };

/** Prepares the write statements on `db`; the function it returns commits one batch, or throws when the commit fails. */
export function appender(db: Database.Database): (batch: readonly QueuedAppend[], recordedAt: number) => AppendOutcome[] {
  const statements = {
    lastRevision: db.prepare<[string], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
    revisionOfId: db.prepare<[string, string], { revision: number }>(
      'SELECT revision FROM events WHERE stream = ? AND event_id = ? ORDER BY revision LIMIT 1',
    ),
    idsFrom: db.prepare<[string, bigint, number], { event_id: string }>(
      'SELECT event_id FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ),
    positionAt: db.prepare<[string, bigint], { position: number }>('SELECT position FROM events WHERE stream = ? AND revision = ?'),
    insert: db.prepare<[string, bigint, string, string, string, string, number]>(
      `INSERT INTO events (stream, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
  };

  function headOf(stream: string): StreamHead {
    const last = statements.lastRevision.get(stream)?.revision ?? null;
    return {
      current: last === null ? 'no_stream' : BigInt(last),
      revisionOf: (eventId) => {
        const row = statements.revisionOfId.get(stream, eventId);
        return row === undefined ? undefined : BigInt(row.revision);
      },
      idsFrom: (revision, count) => statements.idsFrom.all(stream, revision, count).map((row) => row.event_id),
    };
  }

  function positionAt(stream: string, revision: bigint): Position {
    const position = BigInt(statements.positionAt.get(stream, revision)!.position);
    return { commit: position, prepare: position };
  }

  function apply({ stream, events, expected }: QueuedAppend, recordedAt: number): AppendOutcome {
    const plan = planAppend(
      expected,
      events.map((event) => event.id),
      headOf(stream),
    );
    switch (plan.outcome) {
      case 'conflict':
        return { conflict: plan.actual };
      case 'already_written':
        return { written: { nextExpectedRevision: plan.lastRevision, position: positionAt(stream, plan.lastRevision) } };
      case 'write': {
        let revision = plan.firstRevision;
        let position = 0n;
        for (const event of events) {
          const info = statements.insert.run(stream, revision, event.id, event.type, event.data, event.metadata, recordedAt);
          position = BigInt(info.lastInsertRowid);
          revision += 1n;
        }
        return { written: { nextExpectedRevision: revision - 1n, position: { commit: position, prepare: position } } };
      }
      default:
        return assertNever(plan);
    }
  }

  /** One append in its own savepoint: an error rolls back that append only (a conflict writes nothing). */
  function applyInSavepoint(append: QueuedAppend, recordedAt: number): AppendOutcome {
    try {
      return db.transaction(() => apply(append, recordedAt))();
    } catch (error) {
      return { failed: errorMessage(error) };
    }
  }

  return (batch, recordedAt) => db.transaction(() => batch.map((append) => applyInSavepoint(append, recordedAt)))();
}
