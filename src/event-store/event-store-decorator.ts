import type { Observable } from 'rxjs';
import {
  EventStore,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type SubscriptionMessage,
} from './event-store.port';

/** A layer around another store that adds to the append path only: everything else passes through untouched. */
export abstract class EventStoreDecorator extends EventStore {
  constructor(protected readonly inner: EventStore) {
    super();
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    return this.inner.readStream(stream, options);
  }

  readAll(options: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options?: { readonly after?: Position }): Observable<SubscriptionMessage> {
    return this.inner.subscribeToAll(options);
  }

  headPosition(): Promise<Position | undefined> {
    return this.inner.headPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
