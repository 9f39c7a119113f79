import { randomUUID } from 'node:crypto';
import { firstValueFrom, Subject, type Observable } from 'rxjs';
import { filter, timeout } from 'rxjs/operators';
import type { EventData, RecordedEvent, SubscriptionMessage } from '../../src/event-store/event-store.port';

/** A stream name no other test (or earlier run against a real server) has used. */
export function uniqueStream(category = 'test'): string {
  return `${category}-${randomUUID()}`;
}

export function anEvent(type = 'SomethingHappened', data: EventData['data'] = {}): EventData {
  return { id: randomUUID(), type, data, metadata: { actor: 'contract-suite' } };
}

export function events(count: number, type = 'SomethingHappened'): EventData[] {
  return Array.from({ length: count }, (_, index) => anEvent(type, { index }));
}

export function ids(recorded: readonly { readonly id: string }[]): string[] {
  return recorded.map((event) => event.id);
}

/**
 * Subscribes once and records what arrives, keeping only events of `streams`
 * (a real server may carry other writers' events).
 */
export function recordSubscription(subscription: Observable<SubscriptionMessage>, streams: readonly string[]) {
  const messages: SubscriptionMessage[] = [];
  const arrivals = new Subject<void>();
  const handle = subscription.subscribe({
    next: (message) => {
      if (message.type === 'caught_up' || streams.includes(message.event.stream)) {
        messages.push(message);
        arrivals.next();
      }
    },
    error: (error: unknown) => arrivals.error(error),
  });
  const until = (done: () => boolean, ms = 10_000): Promise<unknown> =>
    done() ? Promise.resolve() : firstValueFrom(arrivals.pipe(filter(done), timeout(ms)));
  return {
    messages,
    caughtUp: () => until(() => messages.some((message) => message.type === 'caught_up')),
    received: (count: number) => until(() => messages.length >= count),
    unsubscribe: () => handle.unsubscribe(),
  };
}

export function describeMessage(message: SubscriptionMessage): string {
  return message.type === 'caught_up' ? 'caught_up' : `${message.event.stream}@${message.event.revision}`;
}

export function eventsOf(recorded: readonly RecordedEvent[], streams: readonly string[]): RecordedEvent[] {
  return recorded.filter((event) => streams.includes(event.stream));
}
