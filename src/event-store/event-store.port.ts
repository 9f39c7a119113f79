import type { Observable } from 'rxjs';
import { Refusal } from '../shared/errors';

/**
 * The event-store port: the only way the rest of the service touches storage.
 * Every adapter (embedded SQLite, EventStoreDB) implements it with
 * EventStoreDB's semantics and passes the same contract suite
 * (test/event-store/event-store.contract.ts). No vendor type appears here.
 */

export type Json = null | boolean | number | string | readonly Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

/** A fact to append. `id` is a UUID chosen by the writer, so a retry can reuse it. */
export interface EventData {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

/**
 * A place in the global log (`$all`). EventStoreDB orders the log by
 * (commit, prepare); the embedded store uses one sequence for both.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface RecordedEvent extends EventData {
  readonly stream: string;
  /** Place in its stream; the first event of a stream is revision 0. */
  readonly revision: bigint;
  readonly position: Position;
  readonly recordedAt: Date;
}

/**
 * What the writer believes about the stream before appending:
 * `no_stream` (must not exist), `stream_exists`, `any`, or the exact
 * revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** A stream's actual state when a conflict is reported. */
export type CurrentRevision = 'no_stream' | bigint;

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written (of the original write, for an idempotent retry). */
  readonly position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export type ReadStreamResult = { readonly found: false } | { readonly found: true; readonly events: readonly RecordedEvent[] };

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Defaults to the start of the log. */
  readonly after?: Position;
  readonly maxCount: number;
}

export type SubscriptionMessage =
  | { readonly type: 'event'; readonly event: RecordedEvent }
  /** Every event recorded before the subscription started has been delivered; live events follow. */
  | { readonly type: 'caught_up' };

/**
 * Abstract class rather than interface so that it is also the Nest
 * injection token: handlers ask for `EventStore` and get the configured adapter.
 */
export abstract class EventStore {
  /**
   * Appends atomically: all events or none. Throws {@link RevisionConflictError}
   * when the stream is not as expected. Re-appending the same event ids at the
   * same expected revision succeeds and writes nothing (idempotent retry).
   */
  abstract appendToStream(stream: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult>;

  abstract readStream(stream: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;

  /**
   * Up to `maxCount` events of the global log after `options.after`, in log
   * order, system events excluded. Fewer than `maxCount` means the end was reached.
   */
  abstract readAll(options: ReadAllOptions): Promise<readonly RecordedEvent[]>;

  /**
   * A catch-up subscription to the global log: every event after `after`
   * (history), then `caught_up` once, then live events, in log order.
   * Unsubscribing releases it. Errors with {@link EventStoreUnavailableError}
   * when the store goes away.
   */
  abstract subscribeToAll(options?: { readonly after?: Position }): Observable<SubscriptionMessage>;

  /** The position of the last event in the global log (system events included); undefined for an empty log. */
  abstract headPosition(): Promise<Position | undefined>;

  /** Resolves when the store answers; throws {@link EventStoreUnavailableError} otherwise. */
  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}

export class RevisionConflictError extends Error {
  readonly code = 'event_store.revision_conflict';

  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: CurrentRevision,
  ) {
    super(`Stream ${stream} was expected at ${describeRevision(expected)} but is at ${describeRevision(actual)}`);
    this.name = 'RevisionConflictError';
  }
}

export class EventStoreUnavailableError extends Refusal {
  readonly code = 'event_store.unavailable';
  readonly category = 'unavailable';

  constructor(reason: string) {
    super(`The event store is unavailable: ${reason}`);
    this.name = 'EventStoreUnavailableError';
  }
}

export function describeRevision(revision: ExpectedRevision): string {
  return typeof revision === 'bigint' ? `revision ${revision}` : revision;
}

/** Log order: negative when `a` comes before `b`. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** A position as clients see it: `commit` alone when both parts agree (always, on the embedded store). */
export function formatPosition(position: Position): string {
  return position.commit === position.prepare ? `${position.commit}` : `${position.commit}/${position.prepare}`;
}

/** A position as {@link formatPosition} writes it: `commit`, or `commit/prepare`. */
export const POSITION_PATTERN = /^(\d{1,20})(?:\/(\d{1,20}))?$/;

/** The reverse of {@link formatPosition}; undefined for anything else. */
export function parsePosition(text: string): Position | undefined {
  const match = POSITION_PATTERN.exec(text);
  if (!match) return undefined;
  const commit = BigInt(match[1]);
  return { commit, prepare: match[2] === undefined ? commit : BigInt(match[2]) };
}

/** An event that does not match its type's schema: refused at append, reported where one is read. */
export class MalformedEventError extends Error {
  readonly code = 'event_store.malformed_event';

  constructor(
    readonly stream: string,
    /** Where it is stored; undefined for an event refused before it was stored. */
    readonly revision: bigint | undefined,
    readonly problem: string,
  ) {
    super(`${revision === undefined ? `An event for ${stream}` : `${stream}@${revision}`} does not match its schema: ${problem}`);
    this.name = 'MalformedEventError';
  }
}
