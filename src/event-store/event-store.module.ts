import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { EsdbEventStore } from './adapters/esdb-event-store';
import { SqliteEventStore } from './adapters/sqlite-event-store';
import { EventStore } from './event-store.port';

/** Provides {@link EventStore}: EventStoreDB when a connection string is configured, the embedded store otherwise. */
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [{ provide: EventStore, useFactory: () => createEventStore(config) }],
      exports: [EventStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

export function createEventStore(config: AppConfig): EventStore {
  const { eventStore } = config;
  return eventStore.kind === 'embedded'
    ? new SqliteEventStore(eventStore.file)
    : new EsdbEventStore(eventStore.connectionString);
}
