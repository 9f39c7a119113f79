import type { CurrentRevision, EventData, ExpectedRevision } from './event-store.port';

/**
 * EventStoreDB's append rules, as pure functions, for the stores that have to
 * enforce them themselves (the embedded adapter, and the EventStoreDB stand-in
 * used in tests). EventStoreDB itself enforces them server-side.
 */

/** What a store knows about one stream at the moment it decides an append. */
export interface StreamHead {
  readonly current: CurrentRevision;
  /** Revision of the event with this id in the stream, if any. */
  revisionOf(eventId: string): bigint | undefined;
  /** Ids of up to `count` consecutive events starting at `revision`. */
  idsFrom(revision: bigint, count: number): readonly string[];
}

export type AppendPlan =
  | { readonly outcome: 'write'; readonly firstRevision: bigint }
  /** The same events were already appended by an earlier attempt: write nothing. */
  | { readonly outcome: 'already_written'; readonly lastRevision: bigint }
  | { readonly outcome: 'conflict'; readonly actual: CurrentRevision };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects what no store should accept; these are programming errors, not conflicts. */
export function assertAppendable(stream: string, events: readonly EventData[]): void {
  if (stream.length === 0 || stream.startsWith('$')) {
    throw new Error(`Invalid stream name "${stream}": it must be non-empty and not start with "$"`);
  }
  if (events.length === 0) throw new Error(`Nothing to append to ${stream}`);
  for (const event of events) {
    if (!UUID.test(event.id)) throw new Error(`Event id "${event.id}" is not a UUID`);
    if (event.type.length === 0) throw new Error(`Event ${event.id} has no type`);
  }
}

/**
 * Decides an append the way EventStoreDB does. Idempotence: when the events
 * at the expected place already carry the proposed ids, the append is a
 * successful no-op; a partial match is a conflict.
 */
export function planAppend(expected: ExpectedRevision, eventIds: readonly string[], head: StreamHead): AppendPlan {
  const { current } = head;
  const next = current === 'no_stream' ? 0n : current + 1n;
  const write: AppendPlan = { outcome: 'write', firstRevision: next };
  const conflict: AppendPlan = { outcome: 'conflict', actual: current };

  if (expected === 'any' || expected === 'stream_exists') {
    if (expected === 'stream_exists' && current === 'no_stream') return conflict;
    const firstRevision = head.revisionOf(eventIds[0]);
    if (firstRevision === undefined) return write;
    return alreadyWrittenAt(firstRevision, eventIds, head) ?? write;
  }

  const expectedNext = expected === 'no_stream' ? 0n : expected + 1n;
  if (expectedNext === next) return write;
  if (expectedNext < next) return alreadyWrittenAt(expectedNext, eventIds, head) ?? conflict;
  return conflict;
}

function alreadyWrittenAt(firstRevision: bigint, eventIds: readonly string[], head: StreamHead): AppendPlan | undefined {
  const stored = head.idsFrom(firstRevision, eventIds.length);
  const allMatch = stored.length === eventIds.length && stored.every((id, i) => id === eventIds[i]);
  return allMatch ? { outcome: 'already_written', lastRevision: firstRevision + BigInt(eventIds.length) - 1n } : undefined;
}
