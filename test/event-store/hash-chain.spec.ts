import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '../../src/audit/hash-chain';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import {
  MalformedEventError,
  RevisionConflictError,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../../src/event-store/event-store.port';
import { eventHash, GENESIS_HASH, HASH_ALGORITHM, HashChainedEventStore } from '../../src/event-store/hash-chain';
import { anEvent, events, ids, uniqueStream } from '../support/event-store-helpers';

describe('the hash chain around the event-store port', () => {
  let folder: string;
  let adapter: SqliteEventStore;
  let store: HashChainedEventStore;
  /** A second instance of the service writing to the same store. */
  let anotherWriter: HashChainedEventStore;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'chain-'));
    adapter = new SqliteEventStore(join(folder, 'events.sqlite'));
    store = new HashChainedEventStore(adapter);
    anotherWriter = new HashChainedEventStore(adapter);
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function stored(stream: string): Promise<readonly RecordedEvent[]> {
    const read = await adapter.readStream(stream);
    return read.found ? read.events : [];
  }
  const hashes = (recorded: readonly RecordedEvent[]) => recorded.map((event) => event.metadata.hash);

  it('chains every stream, whatever its category, naming the algorithm in each event', async () => {
    for (const stream of [uniqueStream('contract'), 'apikeys', uniqueStream('anything')]) {
      await store.appendToStream(stream, events(2), 'no_stream');
      await store.appendToStream(stream, events(1), 1n);
      const recorded = await stored(stream);
      expect(recorded.map((event) => event.metadata.hashAlgorithm)).toEqual([HASH_ALGORITHM, HASH_ALGORITHM, HASH_ALGORITHM]);
      expect(verifyChain(recorded)).toMatchObject({ ok: true, events: 3, head: { revision: 2, hash: recorded[2].metadata.hash } });
    }
  });

  it('reads one event to find the previous hash, never the whole stream', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, events(5), 'no_stream');
    const reads = jest.spyOn(adapter, 'readStream');
    await store.appendToStream(stream, events(1), 4n);
    await store.appendToStream(stream, events(1), 'any');
    await store.appendToStream(stream, events(1), 'stream_exists');
    expect(reads.mock.calls.map(([, options]) => options)).toEqual<ReadStreamOptions[]>([
      { direction: 'backwards', fromRevision: 4n, maxCount: 1 },
      { direction: 'backwards', maxCount: 1 },
      { direction: 'backwards', maxCount: 1 },
    ]);
    expect(verifyChain(await stored(stream))).toMatchObject({ ok: true, events: 8 });
  });

  it('does not read again the event a read through it returned last, when the append follows it', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, events(3), 'no_stream');
    const read = await store.readStream(stream, { fromRevision: 1n });
    const reads = jest.spyOn(adapter, 'readStream');
    await store.appendToStream(stream, events(1), 2n);
    expect(reads).not.toHaveBeenCalled();
    // A slipped-in write since that read is still a conflict, and the chain stays whole.
    interleave(() => anotherWriter.appendToStream(stream, events(1), 3n));
    await store.readStream(stream, { fromRevision: 3n });
    await expect(store.appendToStream(stream, events(1), 3n)).rejects.toMatchObject({ expected: 3n, actual: 4n });
    expect(read.found && read.events.length).toBe(2);
    expect(verifyChain(await stored(stream))).toMatchObject({ ok: true, events: 5 });
  });

  it('continues a stream written before chaining (the keys stream was) from its first chained event', async () => {
    await adapter.appendToStream('apikeys', events(2), 'no_stream');
    await store.appendToStream('apikeys', events(1), 1n);
    const { hash, ...metadata } = (await stored('apikeys'))[2].metadata;
    const [{ id, type, data }] = (await stored('apikeys')).slice(2);
    expect(hash).toBe(eventHash(GENESIS_HASH, { stream: 'apikeys', revision: 2n, id, type, data, metadata }));
  });

  it('keeps idempotent re-appends idempotent: the same hashes, nothing written twice', async () => {
    const appended = jest.spyOn(adapter, 'appendToStream');
    const stream = uniqueStream();
    const creation = events(2);
    expect(await store.appendToStream(stream, creation, 'no_stream')).toEqual(await store.appendToStream(stream, creation, 'no_stream'));
    const batch = events(2);
    expect(await store.appendToStream(stream, batch, 1n)).toEqual(await store.appendToStream(stream, batch, 1n));
    const loose = events(2);
    expect(await store.appendToStream(stream, loose, 'any')).toEqual(await store.appendToStream(stream, loose, 'any'));

    const recorded = await stored(stream);
    expect(ids(recorded)).toEqual(ids([...creation, ...batch, ...loose]));
    expect(verifyChain(recorded)).toMatchObject({ ok: true, events: 6 });
    // What reached the adapter on the exact retries carried the very hashes it stored the first time.
    const sent = appended.mock.calls.map(([, sentEvents]) => sentEvents.map((event) => event.metadata.hash));
    expect([sent[0], sent[2]]).toEqual([hashes(recorded.slice(0, 2)), hashes(recorded.slice(2, 4))]);
    expect([sent[1], sent[3]]).toEqual([sent[0], sent[2]]);
  });

  it('refuses a batch that only ends like the stored one instead of writing it', async () => {
    const stream = uniqueStream();
    const batch = events(2);
    await store.appendToStream(stream, batch, 'any');
    await expect(store.appendToStream(stream, [anEvent(), batch[1]], 'any')).rejects.toBeInstanceOf(RevisionConflictError);
    expect(ids(await stored(stream))).toEqual(ids(batch));
  });

  it('chains onto a write that slips in between its read and its append when the caller accepts any head', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, events(1), 'no_stream');
    const slipIn = events(1);
    interleave(() => anotherWriter.appendToStream(stream, slipIn, 0n));
    await store.appendToStream(stream, events(1), 'stream_exists');
    const recorded = await stored(stream);
    expect(recorded[1].id).toBe(slipIn[0].id);
    expect(verifyChain(recorded)).toMatchObject({ ok: true, events: 3 });
  });

  it('reports the slipped-in write as a conflict to a caller that expected an exact revision', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, events(1), 'no_stream');
    interleave(() => anotherWriter.appendToStream(stream, events(1), 0n));
    await expect(store.appendToStream(stream, events(1), 0n)).rejects.toMatchObject({ expected: 0n, actual: 1n });
    expect(verifyChain(await stored(stream))).toMatchObject({ ok: true, events: 2 });
  });

  it('never chains from scratch: an exact revision the stream has not reached is a conflict, with the actual revision', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, events(2), 'no_stream');
    await expect(store.appendToStream(stream, events(1), 5n)).rejects.toMatchObject({ expected: 5n, actual: 1n });
    await expect(store.appendToStream(uniqueStream(), events(1), 0n)).rejects.toMatchObject({ expected: 0n, actual: 'no_stream' });
    expect(verifyChain(await stored(stream))).toMatchObject({ ok: true, events: 2 });
  });

  it('conflicts on a missing stream expected to exist, and writes nothing', async () => {
    const stream = uniqueStream();
    await expect(store.appendToStream(stream, events(1), 'stream_exists')).rejects.toMatchObject({
      expected: 'stream_exists',
      actual: 'no_stream',
    });
    expect(await adapter.readStream(stream)).toEqual({ found: false });
  });

  it('refuses events whose callers wrote the hash themselves', async () => {
    const forged = { ...anEvent(), metadata: { hash: '0'.repeat(64) } };
    await expect(store.appendToStream(uniqueStream(), [forged], 'no_stream')).rejects.toBeInstanceOf(MalformedEventError);
  });

  /** Runs `write` once, right after the next read of the adapter and before its caller goes on. */
  function interleave(write: () => Promise<unknown>): void {
    const read = adapter.readStream.bind(adapter);
    jest.spyOn(adapter, 'readStream').mockImplementationOnce(async (stream, options) => {
      const result = await read(stream, options);
      await write();
      return result;
    });
  }
});
