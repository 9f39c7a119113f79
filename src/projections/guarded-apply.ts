import type Database from 'better-sqlite3';
import { formatPosition, type RecordedEvent } from '../event-store/event-store.port';
import { errorMessage } from '../shared/errors';
import type { InstalledProjection, Projection } from './projection';
import type { EventFailure, ProjectionLedger } from './read-model-db';

export type GuardedOutcome =
  | { readonly kind: 'applied'; readonly changed: string | undefined }
  /** The event's stream is quarantined, or an operator skipped this event: not applied, on purpose. */
  | { readonly kind: 'passed_over' }
  /** The event could not be applied: its stream is now quarantined. */
  | { readonly kind: 'quarantined'; readonly failure: EventFailure };

/** The failure of an event, as recorded and reported. */
export function failureOf(event: RecordedEvent, error: unknown, at = new Date()): EventFailure {
  return {
    message: errorMessage(error),
    at: at.toISOString(),
    position: formatPosition(event.position),
    stream: event.stream,
    revision: Number(event.revision),
    eventType: event.type,
  };
}

/**
 * A failure of the read-model database itself (a missing table, a full or
 * read-only disk ...), as opposed to a row an event made invalid (a
 * constraint or type violation): the former stops the projection.
 */
function isDatabaseFailure(error: unknown): boolean {
  // By name, not `instanceof`: the native binding keeps the error class of whichever
  // copy of the module loaded it first (test runners load one per test file).
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' && !/^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG)/.test(code);
}

/**
 * How the runner, the rebuild and the skip command apply an event, inside the
 * caller's transaction (the one that moves the checkpoint): events of a
 * quarantined stream and events an operator skipped are passed over; an event
 * that cannot be applied is rolled back alone (a savepoint) and quarantines
 * its stream, so the other streams go on. A database failure, or a failure on
 * an event no stream owns, is thrown: the caller stops the projection.
 * `hold` applies it through the projection's batch when it has one (see
 * `InstalledProjection.batch`): the caller flushes the batch before it commits.
 */
export function guardedApply(
  db: Database.Database,
  projection: Projection,
  installed: InstalledProjection,
  ledger: ProjectionLedger,
): (event: RecordedEvent, how?: 'apply' | 'hold') => GuardedOutcome {
  const { name } = projection;
  const applyInSavepoint = db.transaction((event: RecordedEvent) => installed.apply(event));
  // `hold` writes nothing, so it needs no savepoint to fail alone.
  const hold = installed.batch ? (event: RecordedEvent) => installed.batch?.hold(event) : applyInSavepoint;
  return (event, how = 'apply') => {
    const stream = projection.streamOf(event);
    if (stream !== undefined && ledger.mayHaveRecords(name, stream)) {
      const quarantine = ledger.quarantineOf(name, stream);
      if (quarantine) {
        if (event.revision > BigInt(quarantine.failure.revision)) ledger.countSkipped(name, stream);
        return { kind: 'passed_over' };
      }
      if (ledger.isSkipped(name, stream, event.revision)) return { kind: 'passed_over' };
    }
    try {
      return { kind: 'applied', changed: (how === 'hold' ? hold : applyInSavepoint)(event) };
    } catch (error) {
      if (stream === undefined || isDatabaseFailure(error)) throw error;
      const failure = failureOf(event, error);
      ledger.quarantine(name, failure);
      return { kind: 'quarantined', failure };
    }
  };
}
