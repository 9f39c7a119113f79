import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import { EventStoreUnavailableError, RevisionConflictError } from '../../src/event-store/event-store.port';
import { events, ids, uniqueStream } from '../support/event-store-helpers';
import { eventStoreContract } from './event-store.contract';

function temporaryFile(): { file: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'event-store-'));
  return { file: join(folder, 'nested', 'events.sqlite'), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

eventStoreContract('embedded SQLite', async () => {
  const { file, remove } = temporaryFile();
  const store = new SqliteEventStore(file);
  return {
    store,
    teardown: async () => {
      await store.close();
      remove();
    },
  };
});

describe('embedded SQLite store', () => {
  let file: string;
  let remove: () => void;
  let store: SqliteEventStore;
  beforeEach(() => {
    ({ file, remove } = temporaryFile());
    store = new SqliteEventStore(file);
  });
  afterEach(async () => {
    await store.close();
    remove();
  });

  it('creates its folder and keeps the log in WAL mode', () => {
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('group commit: appends arriving together share one transaction, each checked on its own', async () => {
    const contested = uniqueStream();
    await store.appendToStream(contested, events(1), 'no_stream');
    const before = { ...store.commitStats };

    const independent = Array.from({ length: 20 }, () => uniqueStream());
    const outcomes = await Promise.allSettled([
      ...independent.map((stream) => store.appendToStream(stream, events(2), 'no_stream')),
      store.appendToStream(contested, events(1), 0n),
      store.appendToStream(contested, events(1), 0n),
    ]);

    expect(store.commitStats.transactions - before.transactions).toBe(1);
    expect(store.commitStats.appends - before.appends).toBe(22);
    expect(outcomes.slice(0, 20).every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    const [first, second] = outcomes.slice(20);
    expect(first.status).toBe('fulfilled');
    expect(second.status === 'rejected' && second.reason).toBeInstanceOf(RevisionConflictError);
  });

  it('an append that fails inside a group commit fails alone', async () => {
    const stream = uniqueStream();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const outcomes = await Promise.allSettled([
      store.appendToStream(stream, events(1), 'no_stream'),
      store.appendToStream(uniqueStream(), [{ ...events(1)[0], data: circular as never }], 'no_stream'),
      store.appendToStream(stream, events(1), 0n),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const read = await store.readStream(stream);
    expect(read.found && read.events.map((event) => event.revision)).toEqual([0n, 1n]);
  });

  it('keeps the log across a close and reopen, and goes on numbering', async () => {
    const stream = uniqueStream();
    const first = events(2);
    const written = await store.appendToStream(stream, first, 'no_stream');
    await store.close();

    store = new SqliteEventStore(file);
    const read = await store.readStream(stream);
    expect(read.found && ids(read.events)).toEqual(ids(first));
    const next = await store.appendToStream(stream, events(1), 1n);
    expect(next.position.commit).toBe(written.position.commit + 1n);
  });

  it('writes what is still queued when closed, then refuses with a clear error', async () => {
    const stream = uniqueStream();
    const queued = store.appendToStream(stream, events(1), 'no_stream');
    await store.close();
    await expect(queued).resolves.toMatchObject({ nextExpectedRevision: 0n });
    await expect(store.appendToStream(stream, events(1), 0n)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream(stream)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    store = new SqliteEventStore(file);
  });

  it('commits on a writer thread: when the thread is gone, appends fail as unavailable, reads go on, and it still closes', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, events(1), 'no_stream');
    await (store as unknown as { writer: Worker }).writer.terminate();
    await expect(store.appendToStream(stream, events(1), 0n)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    const read = await store.readStream(stream);
    expect(read.found && read.events.length).toBe(1);
  });

  it('refuses appends no store should accept', async () => {
    await expect(store.appendToStream('$system', events(1), 'any')).rejects.toThrow(/must be non-empty and not start with "\$"/);
    await expect(store.appendToStream(uniqueStream(), [], 'any')).rejects.toThrow(/Nothing to append/);
    await expect(store.appendToStream(uniqueStream(), [{ ...events(1)[0], id: 'not-a-uuid' }], 'any')).rejects.toThrow(/not a UUID/);
  });
});
