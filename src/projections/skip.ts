import type Database from 'better-sqlite3';
import type { EventStore } from '../event-store/event-store.port';
import { guardedApply } from './guarded-apply';
import type { Projection } from './projection';
import { ProjectionLedger, type Quarantine, type SkippedEvent } from './read-model-db';

export interface SkipRequest {
  readonly projection: string;
  readonly stream: string;
  readonly reason: string;
  /** Who decided: the operator's name. */
  readonly by: string;
}

/**
 * Lifts a quarantine by recording the event it failed on as knowingly skipped
 * (who, when, why, where), then folds the stream again from the store without
 * it, so the rows reflect every other event. If a later event of the stream
 * fails too, the stream is quarantined again on that one, which is returned.
 * Run it with the service stopped, like the rebuild: a running service would
 * keep passing over the stream's new events while this folds it.
 */
export async function skipQuarantinedEvent(
  store: EventStore,
  db: Database.Database,
  projections: readonly Projection[],
  request: SkipRequest,
  now = new Date(),
): Promise<{ skipped: SkippedEvent; quarantine?: Quarantine }> {
  const projection = projections.find(({ name }) => name === request.projection);
  if (!projection)
    throw new Error(`No projection named ${request.projection}; there are ${projections.map(({ name }) => name).join(', ')}.`);
  const ledger = new ProjectionLedger(db);
  const quarantine = ledger.quarantineOf(projection.name, request.stream);
  if (!quarantine) throw new Error(`${request.stream} is not quarantined in ${projection.name}.`);
  const read = await store.readStream(request.stream);
  const { failure } = quarantine;
  const skipped: SkippedEvent = {
    projection: projection.name,
    stream: request.stream,
    revision: failure.revision,
    position: failure.position,
    eventType: failure.eventType,
    message: failure.message,
    reason: request.reason,
    by: request.by,
    at: now.toISOString(),
  };
  const installed = projection.install(db);
  const apply = guardedApply(db, projection, installed, ledger);
  db.transaction(() => {
    ledger.recordSkip(skipped);
    ledger.lift(projection.name, request.stream);
    installed.forget(request.stream);
    for (const event of read.found ? read.events : []) apply(event);
  })();
  const again = ledger.quarantineOf(projection.name, request.stream);
  return { skipped, ...(again ? { quarantine: again } : {}) };
}

/** One line for the operator. */
export function describeQuarantine(projection: string, { stream, failure, skippedSince }: Quarantine): string {
  return (
    `${projection} ${stream} at revision ${failure.revision} (position ${failure.position}, ${failure.eventType}, ${failure.at}): ` +
    `${failure.message}; ${skippedSince} later event(s) passed over`
  );
}
