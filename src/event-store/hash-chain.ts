import { createHash } from 'node:crypto';
import { canonicalJson, legacyCanonicalJson } from '../shared/canonical-json';
import { WeighedLru } from '../shared/weighed-lru';
import { assertAppendable } from './append-rules';
import { EventStoreDecorator } from './event-store-decorator';
import {
  MalformedEventError,
  RevisionConflictError,
  type AppendResult,
  type EventData,
  type ExpectedRevision,
  type JsonObject,
  type ReadStreamOptions,
  type ReadStreamResult,
} from './event-store.port';

/**
 * Tamper evidence: every event's metadata carries `hash`, the SHA-256 of its
 * content chained to the hash of the previous event of its stream, and
 * `hashAlgorithm`, the name of how that hash was computed. Changing,
 * removing or reordering a stored event breaks the chain from that event on.
 */

/** The `previousHash` of a stream's first event (and of the first event appended to a stream written before chaining). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over the RFC 8785 canonical JSON of `{ previousHash, stream,
 * revision (a decimal string), id, type, data, metadata }`, where metadata is
 * the event's without `hash` (so `hashAlgorithm` itself is hashed).
 */
export const HASH_ALGORITHM = 'sha256-rfc8785-v2';
/** The same document hashed with the service's earlier sorted-key JSON; implied by a hash with no `hashAlgorithm`. */
export const LEGACY_HASH_ALGORITHM = 'sha256-sorted-json-v1';

const SERIALIZERS: Readonly<Record<string, (value: unknown) => string>> = {
  [HASH_ALGORITHM]: canonicalJson,
  [LEGACY_HASH_ALGORITHM]: legacyCanonicalJson,
};

export interface HashedContent {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  /** Metadata without `hash` itself; its `hashAlgorithm` says how to hash (absent: the legacy algorithm). */
  readonly metadata: JsonObject;
}

/** The algorithm an event's metadata names (absent: legacy). */
export function hashAlgorithmOf(metadata: JsonObject): string {
  const named = metadata.hashAlgorithm;
  if (named === undefined) return LEGACY_HASH_ALGORITHM;
  return typeof named === 'string' ? named : JSON.stringify(named);
}

/** The event's hash chained to `previousHash`, by the algorithm its metadata names; undefined for an algorithm we do not know. */
export function eventHash(previousHash: string, content: HashedContent): string | undefined {
  const algorithm = hashAlgorithmOf(content.metadata);
  if (!Object.hasOwn(SERIALIZERS, algorithm)) return undefined;
  const { stream, revision, id, type, data, metadata } = content;
  const document = { previousHash, stream, revision: revision.toString(), id, type, data, metadata };
  return createHash('sha256').update(SERIALIZERS[algorithm](document)).digest('hex');
}

/** A stored event as the chain needs it: where it is and its hash (none on events stored before chaining). */
interface ChainLink {
  readonly revision: bigint;
  readonly hash: unknown;
}

/** Streams whose last event read is remembered (some 300 bytes each). */
const REMEMBERED_STREAMS = 10_000;

/**
 * Chains every stream on append, whoever writes (a handler, a command-line
 * tool): callers never hash. It reads the one event the append follows, not
 * the stream, and appends at exactly that event's revision, so that the
 * chain computed is the chain stored even when the caller's expectation is
 * `any` or `stream_exists`. That event is not read again when it was the
 * last one of its stream that a read through this store returned (a
 * command reads its stream before it appends): a stored event never changes.
 * Reads pass through untouched.
 */
export class HashChainedEventStore extends EventStoreDecorator {
  /** By stream: its last event read (the streams read least recently forgotten first). */
  private readonly lastRead = new WeighedLru<string, ChainLink>(REMEMBERED_STREAMS);

  override async readStream(stream: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    const read = await this.inner.readStream(stream, options);
    if (read.found && read.events.length > 0) {
      const last = options?.direction === 'backwards' ? read.events[0] : read.events[read.events.length - 1];
      this.lastRead.keep(stream, { revision: last.revision, hash: last.metadata.hash }, 1);
    }
    return read;
  }

  async appendToStream(stream: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(stream, events);
    for (const event of events) {
      if ('hash' in event.metadata || 'hashAlgorithm' in event.metadata) {
        throw new MalformedEventError(
          stream,
          undefined,
          'metadata.hash and metadata.hashAlgorithm are written by the event store, not by its callers',
        );
      }
    }
    if (expectedRevision === 'no_stream') return this.inner.appendToStream(stream, chain(stream, events, undefined), 'no_stream');
    if (typeof expectedRevision === 'bigint') {
      // The event the caller expects last: a retry of an append already made chains to it exactly as the first attempt did.
      const remembered = this.lastRead.get(stream);
      const previous = remembered?.revision === expectedRevision ? remembered : await this.eventAt(stream, expectedRevision);
      return this.inner.appendToStream(stream, chain(stream, events, previous), expectedRevision);
    }
    for (;;) {
      const read = await this.inner.readStream(stream, { direction: 'backwards', maxCount: 1 });
      const head = read.found ? read.events[0] : undefined;
      if (!head && expectedRevision === 'stream_exists') throw new RevisionConflictError(stream, expectedRevision, 'no_stream');
      const link = head && { revision: head.revision, hash: head.metadata.hash };
      if (head && head.id === events[events.length - 1].id) {
        // The head is this batch's last event: a retry. At the revision before the batch the store confirms
        // the ids and writes nothing, or refuses a batch that only ends like the stored one: never a write.
        // Only the head is looked at, so a retry after another writer's append is written again: for `any`,
        // idempotence is best effort, as EventStoreDB says of its own. The service's writers expect exact revisions.
        const before = head.revision - BigInt(events.length);
        return this.inner.appendToStream(stream, chain(stream, events, link), before < 0n ? 'no_stream' : before);
      }
      try {
        return await this.inner.appendToStream(stream, chain(stream, events, link), head ? head.revision : 'no_stream');
      } catch (error) {
        // Another writer appended after the read; the caller accepts any head, so chain onto the new one.
        if (!(error instanceof RevisionConflictError)) throw error;
      }
    }
  }

  /** The stored event at a revision, read; a conflict when the stream has not reached it. */
  private async eventAt(stream: string, revision: bigint): Promise<ChainLink> {
    const read = await this.inner.readStream(stream, { direction: 'backwards', fromRevision: revision, maxCount: 1 });
    const found = read.found ? read.events.find((event) => event.revision === revision) : undefined;
    // Without that event the stream is not where the caller expects (or this read could not see it): never
    // chain from scratch onto a stream that has events, a chain that would not verify could not be repaired.
    if (!found) throw new RevisionConflictError(stream, revision, read.found && read.events[0] ? read.events[0].revision : 'no_stream');
    return { revision: found.revision, hash: found.metadata.hash };
  }
}

/** The events as stored after `previous` (undefined: at the start of the stream), each hashed and chained to the one before. */
function chain(stream: string, events: readonly EventData[], previous: ChainLink | undefined): EventData[] {
  // A stream written before chaining (the keys stream once was) starts its chain at the first event appended since.
  let previousHash = typeof previous?.hash === 'string' ? previous.hash : GENESIS_HASH;
  let revision = previous ? previous.revision : -1n;
  return events.map((event) => {
    revision += 1n;
    const metadata = { ...event.metadata, hashAlgorithm: HASH_ALGORITHM };
    previousHash = eventHash(previousHash, { stream, revision, id: event.id, type: event.type, data: event.data, metadata })!;
    return { ...event, metadata: { ...metadata, hash: previousHash } };
  });
}
