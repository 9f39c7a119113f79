import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import { MalformedEventError, type EventData } from '../../src/event-store/event-store.port';
import { SchemaGatedEventStore, categoryOf, type StreamSchema } from '../../src/event-store/schema-gate';

/** A category whose events must carry a positive `amount`. */
const orders: StreamSchema = {
  category: 'order',
  problemWith: ({ type, data }: EventData) =>
    type !== 'OrderPlaced'
      ? `${type} is not an order event`
      : typeof data.amount === 'number' && data.amount > 0
        ? undefined
        : 'amount must be positive',
};
const placed = (amount: unknown): EventData => ({
  id: randomUUID(),
  type: 'OrderPlaced',
  data: { amount } as EventData['data'],
  metadata: {},
});

describe('the schema gate in front of an adapter', () => {
  let folder: string;
  let adapter: SqliteEventStore;
  let store: SchemaGatedEventStore;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'gate-'));
    adapter = new SqliteEventStore(join(folder, 'events.sqlite'));
    store = new SchemaGatedEventStore(adapter, [orders]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('names a stream category by what comes before the first dash', () => {
    expect([categoryOf('contract-1-2'), categoryOf('apikeys')]).toEqual(['contract', 'apikeys']);
  });

  it('appends events that match their schema', async () => {
    await store.appendToStream('order-1', [placed(5)], 'no_stream');
    expect(await store.readStream('order-1')).toMatchObject({ found: true, events: [{ type: 'OrderPlaced', data: { amount: 5 } }] });
  });

  it('refuses the whole append when one event does not match, and writes nothing', async () => {
    await expect(store.appendToStream('order-1', [placed(5), placed(-1)], 'no_stream')).rejects.toEqual(
      expect.objectContaining({ name: 'MalformedEventError', stream: 'order-1', revision: undefined, problem: 'amount must be positive' }),
    );
    await expect(store.appendToStream('order-1', [{ ...placed(5), type: 'OrderTeleported' }], 'any')).rejects.toBeInstanceOf(
      MalformedEventError,
    );
    expect(await adapter.readStream('order-1')).toEqual({ found: false });
    expect(await adapter.headPosition()).toBeUndefined();
  });

  it('refuses streams of a category it knows no schema for', async () => {
    await expect(store.appendToStream('invoice-1', [placed(5)], 'any')).rejects.toThrow(
      /no schema is known for the streams of category "invoice"/,
    );
  });
});
