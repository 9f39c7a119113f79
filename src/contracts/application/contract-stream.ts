import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  MalformedEventError,
  type EventData,
  type EventStore,
  type Json,
  type JsonObject,
  type Position,
  type RecordedEvent,
} from '../../event-store/event-store.port';
import type { StreamSchema } from '../../event-store/schema-gate';
import { checkContractEvent, effectiveDateOf, SCHEMA_VERSIONS, type ContractEvent } from '../domain/events';
import { upcast } from '../domain/upcasters';
import { calendarDate, describeIssues, instant } from '../domain/schema';
import { Refusal } from '../../shared/errors';
import type { Principal } from '../../shared/identity';
import { evolve, fold, initialState, type ContractState } from '../domain/state';
import { HASH_ALGORITHM } from '../../event-store/hash-chain';

/**
 * How contracts live in the event store: one stream per contract named
 * `contract-<id>` (the category before the first dash, for `$ce-contract`),
 * and the metadata every event carries for auditors.
 */

export const CONTRACT_CATEGORY = 'contract';

export function contractStream(contractId: string): string {
  return `${CONTRACT_CATEGORY}-${contractId}`;
}

/** What every contract event's metadata holds (see toEventData); nothing else. */
const metadataSchema = z.strictObject({
  actor: z.string().min(1).max(300),
  recordedAt: instant,
  correlationId: z.string().min(1).max(128),
  causationId: z.uuid(),
  schemaVersion: z.int().min(1),
  commandType: z.string().min(1).max(100),
  effectiveOn: calendarDate.optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  requestHash: z.hash('sha256').optional(),
  // Written by the event store's hash chain, which appends through the schema gate.
  hash: z.hash('sha256'),
  hashAlgorithm: z.literal(HASH_ALGORITHM),
});

/** The schema gate's rule for `contract-<id>` streams: a contract event type, data of its shape, the audit metadata. */
export const contractStreamSchema: StreamSchema = {
  category: CONTRACT_CATEGORY,
  problemWith({ type, data, metadata }: EventData): string | undefined {
    const checked = checkContractEvent(type, data);
    if ('problem' in checked) return checked.problem;
    const meta = metadataSchema.safeParse(metadata);
    if (!meta.success) return `${type} metadata is malformed: ${describeIssues(meta.error)}`;
    // The data was just checked in the current shape: it must say so.
    const current = SCHEMA_VERSIONS[checked.event.type];
    return meta.data.schemaVersion === current
      ? undefined
      : `${type} metadata is malformed: schemaVersion must be ${current}, the current version of ${type}`;
  },
};

/** A stored event upcast to its type's current shape (see domain/upcasters), then checked against that shape. */
function readContractEvent(recorded: RecordedEvent): { event: ContractEvent } | { problem: string } {
  const upcasted = upcast(recorded.type, recorded.data, recorded.metadata.schemaVersion);
  return 'problem' in upcasted ? upcasted : checkContractEvent(recorded.type, upcasted.data);
}

/**
 * The domain event a stored one records, in the current shape;
 * {@link MalformedEventError} for one that does not match its schema (in a
 * log written before the gate) or has a version this service cannot read.
 */
export function toContractEvent(recorded: RecordedEvent): ContractEvent {
  const checked = readContractEvent(recorded);
  if ('problem' in checked) throw new MalformedEventError(recorded.stream, recorded.revision, checked.problem);
  return checked.event;
}

/**
 * A contract whose stored history holds an event that does not match its
 * schema (stored before the gate existed): it cannot be folded, so it
 * cannot change or be read as of a time until an operator repairs it.
 */
export class HistoryMalformedError extends Refusal {
  readonly code = 'history.malformed';
  readonly category = 'conflict';
  constructor(malformed: MalformedEventError) {
    super(`${malformed.message}. The contract cannot change or be read as of a time until an operator repairs its history.`);
  }
}

export interface LoadedContract {
  readonly state: ContractState;
  /** Revision of the stream's last event (within the cut); undefined when the contract does not exist (then). */
  readonly revision: bigint | undefined;
  /**
   * The first recorded event that does not match its schema (a log written
   * before the schema gate), if any: `state` is folded up to it. Judge who may
   * see the contract on `state` first, then refuse with this.
   */
  readonly malformed?: MalformedEventError;
}

/**
 * Where to stop reading a contract's history: after a revision, or before
 * the first event recorded after a time (with both, whichever comes first).
 */
export interface HistoryCut {
  readonly revision?: bigint;
  readonly asOf?: Date;
}

/** Folds the contract's stream: all of it, or up to a cut (time travel for auditors). */
export async function loadContract(store: EventStore, contractId: string, cut: HistoryCut = {}): Promise<LoadedContract> {
  const read = await store.readStream(contractStream(contractId));
  return foldHistory(read.found ? read.events : [], cut);
}

/** The contract from recorded events, up to a cut. */
export function foldHistory(recorded: readonly RecordedEvent[], cut: HistoryCut = {}): LoadedContract {
  const history = new ContractHistory();
  for (const event of recorded) history.add(event);
  return history.at(cut);
}

/** A snapshot of the state every this many events: the state at any cut is at most this many folds from one. */
const SNAPSHOT_EVERY = 64;
/**
 * Heap a history holds per event read, with its fold and its key, besides its
 * data: about 1.6 KiB was measured on short contracts, whose data is some 300
 * characters. The data is counted at two bytes a character of its JSON, so
 * that large events (a draft with fifty shops) count as large.
 */
const BYTES_PER_EVENT = 1024;
const BYTES_PER_DATA_CHARACTER = 2;
/** Heap a snapshot holds per event folded into it: about one reference in one of its arrays (with their spare room), measured. */
const BYTES_PER_SNAPSHOT_EVENT = 16;

/** What was recorded with one Idempotency-Key: enough to answer a retry as the first attempt was answered. */
export interface KeyedEvents {
  /** The `requestHash` of the first of them: the request the key was first used for. */
  readonly requestHash: Json | undefined;
  readonly events: readonly ContractEvent[];
  /** Revision and position of the last of them. */
  readonly revision: bigint;
  readonly position: Position;
}

/**
 * A contract's stream folded one event at a time, with what a command and a
 * cut need besides the state, so that neither reads nor parses the events
 * again: the events checked and upcast, a snapshot of the state every
 * {@link SNAPSHOT_EVERY} events, when each event was recorded, and the events
 * of each Idempotency-Key. Nothing in it changes once folded: stored events
 * are never rewritten.
 */
export class ContractHistory {
  private state: ContractState = initialState;
  private last?: { readonly revision: bigint; readonly position: Position };
  private malformed?: MalformedEventError;
  /** By revision, up to the first malformed event. */
  private readonly events: ContractEvent[] = [];
  /** `snapshots[i]`: the state after the first `(i + 1) * SNAPSHOT_EVERY` events. */
  private readonly snapshots: ContractState[] = [];
  /**
   * By revision, the latest time (ms) an event up to it was recorded: it never
   * decreases, even where the clock did, so the events recorded by a time are
   * a prefix found by bisection.
   */
  private readonly recordedBy: number[] = [];
  private readonly keys = new Map<string, KeyedEvents>();
  private heldBytes = 0;

  /** An estimate of the heap it holds (see {@link BYTES_PER_EVENT}). */
  get bytes(): number {
    return this.heldBytes;
  }

  /** The revision the next event must have to be folded. */
  get nextRevision(): bigint {
    return this.last ? this.last.revision + 1n : 0n;
  }

  /** The stream's last event read: its revision and global position. */
  get head(): { readonly revision: bigint; readonly position: Position } | undefined {
    return this.last;
  }

  /**
   * Folds the stream's next event. An event at another revision is passed
   * over: one already folded, when two reads of the stream overlapped.
   */
  add(recorded: RecordedEvent): void {
    if (recorded.revision !== this.nextRevision) return;
    this.last = { revision: recorded.revision, position: recorded.position };
    this.recordedBy.push(Math.max(this.recordedBy.at(-1) ?? -Infinity, recorded.recordedAt.getTime()));
    this.heldBytes += BYTES_PER_EVENT + BYTES_PER_DATA_CHARACTER * JSON.stringify(recorded.data).length;
    // Nothing after a malformed event is folded: the contract cannot change until its history is repaired.
    if (this.malformed) return;
    const checked = readContractEvent(recorded);
    if ('problem' in checked) {
      this.malformed = new MalformedEventError(recorded.stream, recorded.revision, checked.problem);
      return;
    }
    this.events.push(checked.event);
    this.state = evolve(this.state, checked.event);
    if (this.events.length % SNAPSHOT_EVERY === 0) {
      this.snapshots.push(this.state);
      this.heldBytes += BYTES_PER_SNAPSHOT_EVENT * this.events.length;
    }
    const key = recorded.metadata.idempotencyKey;
    if (typeof key === 'string') {
      const earlier = this.keys.get(key);
      this.keys.set(key, {
        requestHash: earlier ? earlier.requestHash : recorded.metadata.requestHash,
        events: [...(earlier?.events ?? []), checked.event],
        revision: recorded.revision,
        position: recorded.position,
      });
    }
  }

  /** What was recorded with this Idempotency-Key, if anything (up to a malformed event). */
  keyed(key: string): KeyedEvents | undefined {
    return this.keys.get(key);
  }

  /** The contract as it stood at a cut: now, without one. */
  at(cut: HistoryCut = {}): LoadedContract {
    const count = this.countWithin(cut);
    if (count === 0) return { state: initialState, revision: undefined };
    const revision = BigInt(count - 1);
    // `events` ends before the first malformed event: a cut past it cannot be folded.
    if (this.malformed && count > this.events.length) return { state: this.state, revision, malformed: this.malformed };
    if (count === this.events.length) return { state: this.state, revision };
    const snapshot = Math.floor(count / SNAPSHOT_EVERY);
    const from = snapshot === 0 ? initialState : this.snapshots[snapshot - 1];
    return { state: fold(this.events.slice(snapshot * SNAPSHOT_EVERY, count), from), revision };
  }

  /** How many of the events read fall within the cut. */
  private countWithin({ revision, asOf }: HistoryCut): number {
    let count = this.recordedBy.length;
    if (revision !== undefined) count = Math.min(count, Number(revision) + 1);
    if (asOf !== undefined) {
      // The first revision recorded after the time, by bisection.
      const time = asOf.getTime();
      let [low, high] = [0, count];
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.recordedBy[middle] <= time) low = middle + 1;
        else high = middle;
      }
      count = low;
    }
    return count;
  }
}

/** Who asked, and the request's identity, carried into every event's metadata. */
export interface CommandContext {
  /** The authenticated caller: what it may do is checked on every command. */
  readonly principal: Principal;
  /** How the principal appears in event metadata. */
  readonly actor: string;
  /** The request's id: every event a request causes shares it. */
  readonly correlationId: string;
  /** This command's id: what caused the events. */
  readonly commandId: string;
  /** When the service received the command (ISO time). */
  readonly receivedAt: string;
  /** Expected stream revision from If-Match: a stale one is refused. */
  readonly ifMatch?: bigint;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
}

/**
 * The stored form of the events one command decided (the event store chains
 * and hashes them). With an idempotency key the event ids derive from it, so
 * a retry after a crash between append and response re-appends the same ids,
 * which the store treats as already written.
 */
export function toEventData(
  events: readonly ContractEvent[],
  contractId: string,
  commandType: string,
  context: CommandContext,
): EventData[] {
  const { idempotency } = context;
  const stream = contractStream(contractId);
  return events.map((event, index) => {
    const effectiveOn = effectiveDateOf(event);
    const metadata: JsonObject = {
      actor: context.actor,
      recordedAt: context.receivedAt,
      correlationId: context.correlationId,
      causationId: context.commandId,
      schemaVersion: SCHEMA_VERSIONS[event.type],
      commandType,
      ...(effectiveOn ? { effectiveOn } : {}),
      ...(idempotency ? { idempotencyKey: idempotency.key, requestHash: idempotency.requestHash } : {}),
    };
    const id = idempotency ? uuidFrom(`${stream}\n${idempotency.key}\n${index}`) : randomUUID();
    return { id, type: event.type, data: event.data, metadata };
  });
}

/** A UUID (version 8, name-based) from a SHA-256 of the text. */
export function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
