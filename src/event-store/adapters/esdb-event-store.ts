import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { Observable, Subject } from 'rxjs';
import { errorMessage } from '../../shared/errors';
import { assertAppendable } from '../append-rules';
import {
  comparePositions,
  EventStore,
  EventStoreUnavailableError,
  RevisionConflictError,
  type AppendResult,
  type EventData,
  type ExpectedRevision,
  type JsonObject,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type SubscriptionMessage,
} from '../event-store.port';

/** Events read at a time while a subscription catches up. */
const CATCH_UP_BATCH = 500;
const PING_DEADLINE_MS = 2_000;

/**
 * The event store on EventStoreDB (or KurrentDB), through
 * `@eventstore/db-client`. This is the only file that knows the client:
 * moving to `@kurrent/kurrentdb-client` is a change here alone.
 */
export class EsdbEventStore extends EventStore {
  private readonly client: EventStoreDBClient;
  private readonly closing = new Subject<void>();

  constructor(connectionString: string) {
    super();
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async appendToStream(stream: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(stream, events);
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map((event) => jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })),
        { expectedRevision },
      );
      const position = result.position ?? (await this.positionOf(stream, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new RevisionConflictError(stream, expectedRevision, error.actualVersion);
      }
      throw toUnavailable(error);
    }
  }

  /** A server may omit the position of an idempotent append: look it up. */
  private async positionOf(stream: string, revision: bigint): Promise<Position> {
    const read = await this.readStream(stream, { fromRevision: revision, maxCount: 1 });
    if (!read.found || read.events.length === 0) {
      throw new EventStoreUnavailableError(`${stream} has no event at revision ${revision}`);
    }
    return read.events[0].position;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    const { direction = 'forwards', maxCount = Number.MAX_SAFE_INTEGER } = options;
    const defaultStart = direction === 'forwards' ? START : END;
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(stream, {
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        fromRevision: options.fromRevision ?? defaultStart,
        maxCount,
      });
      for await (const resolved of read) events.push(toRecordedEvent(resolved));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { found: false };
      throw toUnavailable(error);
    }
    return { found: true, events };
  }

  async readAll({ after, maxCount }: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    const collected: RecordedEvent[] = [];
    let cursor = after;
    try {
      while (collected.length < maxCount) {
        // EventStoreDB reads $all from a position inclusively: ask for one more.
        const wanted = maxCount - collected.length + 1;
        let received = 0;
        const read = this.client.readAll({ fromPosition: cursor ?? START, direction: FORWARDS, maxCount: wanted });
        for await (const resolved of read) {
          received += 1;
          const event = toRecordedEvent(resolved);
          if (cursor !== undefined && comparePositions(event.position, cursor) <= 0) continue;
          cursor = event.position;
          if (!isSystemEvent(event) && collected.length < maxCount) collected.push(event);
        }
        if (received < wanted) break;
      }
    } catch (error) {
      throw toUnavailable(error);
    }
    return collected;
  }

  /**
   * Catches up by reading `$all` in batches, says `caught_up`, then follows a
   * live server subscription from the last delivered position. This does not
   * depend on the server's own caught-up message, which older servers lack.
   */
  subscribeToAll(options: { readonly after?: Position } = {}): Observable<SubscriptionMessage> {
    return new Observable<SubscriptionMessage>((subscriber) => {
      let cursor = options.after;
      let live: ReturnType<EventStoreDBClient['subscribeToAll']> | undefined;
      const stopOnClose = this.closing.subscribe(() => subscriber.complete());

      const deliver = (event: RecordedEvent): void => {
        if (cursor !== undefined && comparePositions(event.position, cursor) <= 0) return;
        cursor = event.position;
        if (!isSystemEvent(event)) subscriber.next({ type: 'event', event });
      };

      const run = async (): Promise<void> => {
        for (;;) {
          const batch = await this.readAll({ after: cursor, maxCount: CATCH_UP_BATCH });
          if (subscriber.closed) return;
          batch.forEach(deliver);
          if (batch.length < CATCH_UP_BATCH) break;
        }
        subscriber.next({ type: 'caught_up' });
        live = this.client.subscribeToAll({ fromPosition: cursor ?? START, filter: excludeSystemEvents() });
        live.on('data', (resolved: ResolvedEvent) => deliver(toRecordedEvent(resolved)));
        live.on('error', (error: unknown) => subscriber.error(toUnavailable(error)));
        live.on('end', () => subscriber.complete());
      };
      run().catch((error: unknown) => subscriber.error(toUnavailable(error)));

      return () => {
        stopOnClose.unsubscribe();
        void live?.unsubscribe();
      };
    });
  }

  async headPosition(): Promise<Position | undefined> {
    let head: Position | undefined;
    try {
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, deadline: PING_DEADLINE_MS });
      // Read to the end rather than break: an abandoned gRPC read is never
      // finished, and the client's dispose() would wait for it forever.
      for await (const resolved of read) head = toRecordedEvent(resolved).position;
    } catch (error) {
      throw toUnavailable(error);
    }
    return head;
  }

  async ping(): Promise<void> {
    await this.headPosition();
  }

  async close(): Promise<void> {
    this.closing.next();
    this.closing.complete();
    await this.client.dispose();
  }
}

/** EventStoreDB's own events (`$`-prefixed types and streams): projections, stats, settings. */
function isSystemEvent(event: RecordedEvent): boolean {
  return event.type.startsWith('$') || event.stream.startsWith('$');
}

function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (event === undefined || event.position === undefined) {
    throw new EventStoreUnavailableError('the server sent a record without an event or a position');
  }
  return {
    id: event.id,
    type: event.type,
    data: (event.isJson ? event.data : {}) as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
    stream: event.streamId,
    revision: event.revision,
    position: { commit: event.position.commit, prepare: event.position.prepare },
    recordedAt: event.created,
  };
}

function toUnavailable(error: unknown): Error {
  if (error instanceof EventStoreUnavailableError || error instanceof RevisionConflictError) return error;
  return new EventStoreUnavailableError(errorMessage(error));
}
