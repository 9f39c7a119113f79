import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  MalformedEventError,
  type EventData,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '../../event-store/event-store.port';
import type { StreamSchema } from '../../event-store/schema-gate';
import { checkContractEvent, effectiveDateOf, SCHEMA_VERSIONS, type ContractEvent } from '../domain/events';
import { upcast } from '../domain/upcasters';
import { calendarDate, describeIssues, instant } from '../domain/schema';
import { Refusal } from '../../shared/errors';
import type { Principal } from '../../shared/identity';
import { evolve, initialState, type ContractState } from '../domain/state';
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
  /** Revision of the stream's last event; undefined when the contract does not exist. */
  readonly revision: bigint | undefined;
  readonly recorded: readonly RecordedEvent[];
  /**
   * The first recorded event that does not match its schema (a log written
   * before the schema gate), if any: `state` is folded up to it. Judge who may
   * see the contract on `state` first, then refuse with this.
   */
  readonly malformed?: MalformedEventError;
}

/** Where to stop reading a contract's history: at a revision, or at the last event recorded by a time. */
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
  const kept = recorded.filter(
    (event) =>
      (cut.revision === undefined || event.revision <= cut.revision) &&
      (cut.asOf === undefined || event.recordedAt.getTime() <= cut.asOf.getTime()),
  );
  let state = initialState;
  for (const event of kept) {
    const checked = readContractEvent(event);
    if ('problem' in checked)
      return {
        state,
        revision: kept.at(-1)?.revision,
        recorded: kept,
        malformed: new MalformedEventError(event.stream, event.revision, checked.problem),
      };
    state = evolve(state, checked.event);
  }
  return { state, revision: kept.at(-1)?.revision, recorded: kept };
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
