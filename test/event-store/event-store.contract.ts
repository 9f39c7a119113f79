import {
  comparePositions,
  RevisionConflictError,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '../../src/event-store/event-store.port';
import { anEvent, describeMessage, events, eventsOf, ids, recordSubscription, uniqueStream } from '../support/event-store-helpers';

export interface StoreUnderTest {
  readonly store: EventStore;
  readonly teardown: () => Promise<void>;
}

/**
 * The event-store port's contract: every adapter must pass it unchanged.
 * It only uses fresh streams and positions it wrote itself, so it also runs
 * against a real server that holds other data.
 */
export function eventStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ store, teardown } = await open());
    });
    afterAll(async () => {
      await teardown();
    });

    /** The position of a marker written now: everything later in the log comes after it. */
    async function markNow(): Promise<Position> {
      return (await store.appendToStream(uniqueStream('marker'), [anEvent('Marker')], 'no_stream')).position;
    }

    async function readStreamEvents(stream: string): Promise<readonly RecordedEvent[]> {
      const read = await store.readStream(stream);
      if (!read.found) throw new Error(`${stream} not found`);
      return read.events;
    }

    async function expectConflict(promise: Promise<unknown>, expected: Partial<RevisionConflictError>): Promise<void> {
      const error = await promise.then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(RevisionConflictError);
      expect(error).toMatchObject(expected);
    }

    describe('revisions', () => {
      it('numbers a stream from revision 0 and returns the new revision and the last position', async () => {
        const stream = uniqueStream();
        const proposed = [anEvent('Drafted', { fee: 1200 }), anEvent('Signed', { by: 'brand' })];
        const result = await store.appendToStream(stream, proposed, 'no_stream');
        expect(result.nextExpectedRevision).toBe(1n);

        const stored = await readStreamEvents(stream);
        expect(stored.map((event) => event.revision)).toEqual([0n, 1n]);
        expect(stored.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(proposed);
        expect(stored.every((event) => event.stream === stream)).toBe(true);
        expect(comparePositions(stored[0].position, stored[1].position)).toBeLessThan(0);
        expect(stored[1].position).toEqual(result.position);
        for (const event of stored) {
          expect(Math.abs(event.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
        }
      });

      it('keeps nested JSON data and metadata exactly', async () => {
        const stream = uniqueStream();
        const event = {
          ...anEvent('Amended', { changes: [{ kind: 'remove_scope', scope: 'logistics' }], rate: 1500, note: '补充协议 №2', none: null }),
          metadata: { actor: 'brand-1', correlationId: 'c-1', nested: { deep: [1, true, 'x'] } },
        };
        await store.appendToStream(stream, [event], 'no_stream');
        const [stored] = await readStreamEvents(stream);
        expect(stored.data).toEqual(event.data);
        expect(stored.metadata).toEqual(event.metadata);
      });

      it('continues the numbering across appends', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(2), 'no_stream');
        const result = await store.appendToStream(stream, events(3), 1n);
        expect(result.nextExpectedRevision).toBe(4n);
        expect((await readStreamEvents(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      });
    });

    describe('expected revision', () => {
      it('no_stream: creates a stream, and conflicts once it exists, reporting its revision', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(2), 'no_stream');
        await expectConflict(store.appendToStream(stream, events(1), 'no_stream'), {
          stream,
          expected: 'no_stream',
          actual: 1n,
        });
      });

      it('stream_exists: appends to an existing stream, and conflicts on a missing one', async () => {
        const stream = uniqueStream();
        await expectConflict(store.appendToStream(stream, events(1), 'stream_exists'), {
          stream,
          expected: 'stream_exists',
          actual: 'no_stream',
        });
        expect(await store.readStream(stream)).toEqual({ found: false });
        await store.appendToStream(stream, events(1), 'no_stream');
        const result = await store.appendToStream(stream, events(1), 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('any: appends whether or not the stream exists', async () => {
        const stream = uniqueStream();
        expect((await store.appendToStream(stream, events(1), 'any')).nextExpectedRevision).toBe(0n);
        expect((await store.appendToStream(stream, events(2), 'any')).nextExpectedRevision).toBe(2n);
      });

      it('exact revision: appends only when it is the revision of the last event', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(3), 'no_stream');
        await expectConflict(store.appendToStream(stream, events(1), 1n), { stream, expected: 1n, actual: 2n });
        await expectConflict(store.appendToStream(stream, events(1), 5n), { stream, expected: 5n, actual: 2n });
        expect((await store.appendToStream(stream, events(1), 2n)).nextExpectedRevision).toBe(3n);
      });

      it('exact revision on a missing stream conflicts with no_stream', async () => {
        const stream = uniqueStream();
        await expectConflict(store.appendToStream(stream, events(1), 0n), {
          stream,
          expected: 0n,
          actual: 'no_stream',
        });
      });

      it('a conflicting append writes nothing', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(2), 'no_stream');
        const before = await readStreamEvents(stream);
        await expectConflict(store.appendToStream(stream, events(3), 0n), { actual: 1n });
        expect(await readStreamEvents(stream)).toEqual(before);
      });
    });

    describe('idempotent retry', () => {
      it('the same event ids at the same expected revision succeed and write nothing', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(1), 'no_stream');
        const batch = events(2);
        const first = await store.appendToStream(stream, batch, 0n);
        const retry = await store.appendToStream(stream, batch, 0n);
        expect(retry).toEqual(first);
        expect(await readStreamEvents(stream)).toHaveLength(3);
      });

      it('a retried creation with no_stream succeeds and writes nothing', async () => {
        const stream = uniqueStream();
        const batch = events(2);
        const first = await store.appendToStream(stream, batch, 'no_stream');
        expect(await store.appendToStream(stream, batch, 'no_stream')).toEqual(first);
        expect(ids(await readStreamEvents(stream))).toEqual(ids(batch));
      });

      it('a retry with expected revision any writes nothing', async () => {
        const stream = uniqueStream();
        const batch = events(2);
        const first = await store.appendToStream(stream, batch, 'any');
        expect(await store.appendToStream(stream, batch, 'any')).toEqual(first);
        expect(await readStreamEvents(stream)).toHaveLength(2);
      });

      it('other ids at an old expected revision are a conflict, not a retry', async () => {
        const stream = uniqueStream();
        const batch = events(2);
        await store.appendToStream(stream, batch, 'no_stream');
        await expectConflict(store.appendToStream(stream, [batch[0], anEvent()], 'no_stream'), { actual: 1n });
        expect(ids(await readStreamEvents(stream))).toEqual(ids(batch));
      });
    });

    describe('reading a stream', () => {
      let stream: string;
      beforeAll(async () => {
        stream = uniqueStream();
        await store.appendToStream(stream, events(5), 'no_stream');
      });
      const revisions = (read: Awaited<ReturnType<EventStore['readStream']>>) =>
        read.found ? read.events.map((event) => Number(event.revision)) : 'not found';

      it('tells a missing stream from an empty read', async () => {
        expect(await store.readStream(uniqueStream())).toEqual({ found: false });
        expect(await store.readStream(stream, { fromRevision: 10n })).toEqual({ found: true, events: [] });
      });

      it('reads forwards from a revision, up to a count', async () => {
        expect(revisions(await store.readStream(stream))).toEqual([0, 1, 2, 3, 4]);
        expect(revisions(await store.readStream(stream, { fromRevision: 2n, maxCount: 2 }))).toEqual([2, 3]);
        expect(revisions(await store.readStream(stream, { fromRevision: 3n }))).toEqual([3, 4]);
      });

      it('reads backwards from the end or from a revision, up to a count', async () => {
        expect(revisions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([4]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 3n, maxCount: 2 }))).toEqual([3, 2]);
      });
    });

    describe('the global log', () => {
      it('orders $all as the appends were committed, across streams, and pages without gaps', async () => {
        const after = await markNow();
        const [a, b, c] = [uniqueStream(), uniqueStream(), uniqueStream()];
        const written: string[] = [];
        const results: Position[] = [];
        for (const [stream, expected] of [
          [a, 'no_stream'],
          [b, 'no_stream'],
          [a, 1n],
          [c, 'any'],
          [b, 1n],
        ] as const) {
          const batch = events(2);
          results.push((await store.appendToStream(stream, batch, expected)).position);
          written.push(...ids(batch));
        }

        const whole = eventsOf(await store.readAll({ after, maxCount: 1000 }), [a, b, c]);
        expect(ids(whole)).toEqual(written);
        for (let i = 1; i < whole.length; i += 1) {
          expect(comparePositions(whole[i - 1].position, whole[i].position)).toBeLessThan(0);
        }
        expect(whole.filter((_, index) => index % 2 === 1).map((event) => event.position)).toEqual(results);

        const paged: RecordedEvent[] = [];
        let cursor = after;
        for (;;) {
          const page = await store.readAll({ after: cursor, maxCount: 3 });
          paged.push(...page);
          if (page.length < 3) break;
          cursor = page[page.length - 1].position;
        }
        expect(ids(eventsOf(paged, [a, b, c]))).toEqual(written);
      });

      it('tells the position of the head of the log', async () => {
        const written = await markNow();
        const head = await store.headPosition();
        expect(head && comparePositions(head, written)).toBeGreaterThanOrEqual(0);
      });

      it('records the same position for an event in its stream and in $all', async () => {
        const after = await markNow();
        const stream = uniqueStream();
        await store.appendToStream(stream, events(3), 'no_stream');
        const fromAll = eventsOf(await store.readAll({ after, maxCount: 100 }), [stream]);
        expect(fromAll).toEqual(await readStreamEvents(stream));
      });
    });

    describe('subscribing to $all', () => {
      it('delivers the rest of history from mid-log, says caught up, then live events, in order', async () => {
        const stream = uniqueStream();
        const other = uniqueStream();
        await store.appendToStream(stream, events(2), 'no_stream');
        const second = await store.appendToStream(other, events(1), 'no_stream');
        await store.appendToStream(stream, events(2), 1n);

        const subscription = recordSubscription(store.subscribeToAll({ after: second.position }), [stream, other]);
        await subscription.caughtUp();
        await store.appendToStream(other, events(1), 0n);
        await store.appendToStream(stream, events(2), 3n);
        await subscription.received(6);
        subscription.unsubscribe();

        expect(subscription.messages.map(describeMessage)).toEqual([
          `${stream}@2`,
          `${stream}@3`,
          'caught_up',
          `${other}@1`,
          `${stream}@4`,
          `${stream}@5`,
        ]);
      });

      it('from the start of the log delivers history before caught_up', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(2), 'no_stream');
        const subscription = recordSubscription(store.subscribeToAll(), [stream]);
        await subscription.caughtUp();
        subscription.unsubscribe();
        expect(subscription.messages.map(describeMessage)).toEqual([`${stream}@0`, `${stream}@1`, 'caught_up']);
      });

      it('keeps up with a burst of concurrent live appends, without gap or duplicate', async () => {
        const streams = Array.from({ length: 5 }, () => uniqueStream());
        const after = await markNow();
        const subscription = recordSubscription(store.subscribeToAll({ after }), streams);
        await subscription.caughtUp();
        await Promise.all(
          streams.map(async (stream) => {
            await store.appendToStream(stream, events(3), 'no_stream');
            await store.appendToStream(stream, events(3), 2n);
          }),
        );
        const logOrder = eventsOf(await store.readAll({ after, maxCount: 1000 }), streams);
        await subscription.received(1 + logOrder.length);
        subscription.unsubscribe();
        expect(subscription.messages.slice(1).map(describeMessage)).toEqual(logOrder.map((event) => `${event.stream}@${event.revision}`));
      });

      it('stops delivering once unsubscribed', async () => {
        const stream = uniqueStream();
        const after = (await store.appendToStream(stream, events(1), 'no_stream')).position;
        const stopped = recordSubscription(store.subscribeToAll({ after }), [stream]);
        await stopped.caughtUp();
        stopped.unsubscribe();

        await store.appendToStream(stream, events(1), 0n);
        const witness = recordSubscription(store.subscribeToAll({ after }), [stream]);
        await witness.received(2);
        witness.unsubscribe();
        expect(witness.messages.map(describeMessage)).toEqual([`${stream}@1`, 'caught_up']);
        expect(stopped.messages.map(describeMessage)).toEqual(['caught_up']);
      });
    });

    describe('concurrency', () => {
      it('N concurrent appends at the same expected revision: one wins, the others conflict and write nothing', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(1), 'no_stream');
        const attempts = Array.from({ length: 8 }, () => events(2));
        const outcomes = await Promise.allSettled(attempts.map((batch) => store.appendToStream(stream, batch, 0n)));

        const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
        expect(winners).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toBeInstanceOf(RevisionConflictError);
            expect(outcome.reason).toMatchObject({ stream, expected: 0n, actual: 2n });
          }
        }
        const stored = await readStreamEvents(stream);
        expect(ids(stored.slice(1))).toEqual(ids(attempts[winners[0]]));
        expect(stored).toHaveLength(3);
      });
    });
  });
}
