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

/** Every recorded event of a contract, as stored (no folding: an altered event must not stop an audit); undefined for an unknown contract. */
export async function readContractHistory(store: EventStore, contractId: string): Promise<readonly RecordedEvent[] | undefined> {
  const read = await store.readStream(contractStream(contractId));
  return read.found ? read.events : undefined;
}

/** A page of the history from a revision; `nextFrom` is where the next page starts, if any. */
export function historyPage(recorded: readonly RecordedEvent[], from = 0, limit = Number.MAX_SAFE_INTEGER) {
  const rest = recorded.filter((event) => event.revision >= BigInt(from));
  const events = rest.slice(0, limit).map(historyEntry);
  return { events, nextFrom: rest.length > limit ? events[events.length - 1].revision + 1 : null };
}
