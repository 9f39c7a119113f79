import { contractStream } from '../contracts/application/contract-stream';
import { formatPosition, type EventStore, type RecordedEvent } from '../event-store/event-store.port';

/** One event of a contract's history as auditors read it (API and command line alike). */
export function historyEntry(event: RecordedEvent) {
  return {
    revision: Number(event.revision),
    eventId: event.id,
    type: event.type,
    position: formatPosition(event.position),
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
  };
}
export type HistoryEntry = ReturnType<typeof historyEntry>;

/** A page of a contract's history from a revision; undefined for an unknown contract. */
export async function readHistory(
  store: EventStore,
  contractId: string,
  from = 0n,
  limit = Number.MAX_SAFE_INTEGER - 1,
): Promise<{ events: HistoryEntry[]; nextFrom: number | null } | undefined> {
  const read = await store.readStream(contractStream(contractId), { fromRevision: from, maxCount: limit + 1 });
  if (!read.found) return undefined;
  const events = read.events.slice(0, limit).map(historyEntry);
  return { events, nextFrom: read.events.length > limit ? events[events.length - 1].revision + 1 : null };
}
