import { createServer } from 'node:net';
import { EsdbEventStore } from '../../src/event-store/adapters/esdb-event-store';
import { EventStoreUnavailableError } from '../../src/event-store/event-store.port';
import { EsdbStandIn } from '../support/esdb-stand-in';
import { describeMessage, events, eventsOf, recordSubscription, uniqueStream } from '../support/event-store-helpers';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('EventStoreDB adapter over the in-process gRPC stand-in', async () => {
  const standIn = await EsdbStandIn.start();
  const store = new EsdbEventStore(standIn.connectionString);
  return {
    store,
    teardown: async () => {
      await store.close();
      await standIn.stop();
    },
  };
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('EventStoreDB adapter', () => {
  let standIn: EsdbStandIn;
  let store: EsdbEventStore;
  beforeEach(async () => {
    standIn = await EsdbStandIn.start();
    store = new EsdbEventStore(standIn.connectionString);
  });
  afterEach(async () => {
    await store.close();
    await standIn.stop();
  });

  it("leaves the server's system events out of $all reads and subscriptions", async () => {
    const stream = uniqueStream();
    const subscription = recordSubscription(store.subscribeToAll(), [stream, '$stats-127.0.0.1:2113']);
    await store.appendToStream(stream, events(1), 'no_stream');
    standIn.recordSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    await subscription.caughtUp();
    standIn.recordSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    await store.appendToStream(stream, events(1), 0n);
    await subscription.received(3);
    subscription.unsubscribe();

    const log = await store.readAll({ maxCount: 100 });
    expect(log.map((event) => event.stream)).toEqual([stream, stream]);
    expect(eventsOf(log, [stream])).toHaveLength(2);
    expect(subscription.messages.map(describeMessage).filter((message) => message !== 'caught_up')).toEqual([`${stream}@0`, `${stream}@1`]);
  });

  it('pages $all by user events even when system events fill a page', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, events(1), 'no_stream');
    for (let i = 0; i < 5; i += 1) standIn.recordSystemEvent('$stats-node', '$statsCollected');
    await store.appendToStream(stream, events(1), 0n);
    const [first] = await store.readAll({ maxCount: 1 });
    const rest = await store.readAll({ after: first.position, maxCount: 1 });
    expect([first, ...rest].map((event) => event.revision)).toEqual([0n, 1n]);
  });

  it('reports an unreachable server as the port error, on every operation', async () => {
    const unreachable = new EsdbEventStore(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
    try {
      await expect(unreachable.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(unreachable.appendToStream(uniqueStream(), events(1), 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(unreachable.readStream(uniqueStream())).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(unreachable.readAll({ maxCount: 1 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await unreachable.close();
    }
  });

  it('errors a live subscription with the port error when the server goes away', async () => {
    const failed = new Promise<unknown>((resolve) =>
      store.subscribeToAll().subscribe({ next: (message) => message.type === 'caught_up' && void standIn.stop(), error: resolve }),
    );
    expect(await failed).toBeInstanceOf(EventStoreUnavailableError);
  });

  it('answers a ping while the server is up', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
