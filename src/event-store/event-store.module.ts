import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { EsdbEventStore } from './adapters/esdb-event-store';
import { SqliteEventStore } from './adapters/sqlite-event-store';
import { EventStore } from './event-store.port';
import { HashChainedEventStore } from './hash-chain';
import { SchemaGatedEventStore, type StreamSchema } from './schema-gate';

/**
 * Provides {@link EventStore}: EventStoreDB when a connection string is
 * configured, the embedded store otherwise; either behind the schema gate and the hash chain.
 */
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  static forRoot(config: AppConfig, schemas: readonly StreamSchema[]): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [{ provide: EventStore, useFactory: () => createEventStore(config, schemas) }],
      exports: [EventStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * The configured adapter behind the schema gate, behind the hash chain: the
 * chain writes `hash` and `hashAlgorithm` into each event's metadata, then
 * the gate checks the event exactly as it will be stored, chain included.
 * Every stream category written must have its schema here.
 */
export function createEventStore(config: AppConfig, schemas: readonly StreamSchema[]): EventStore {
  const { eventStore } = config;
  const adapter = eventStore.kind === 'embedded' ? new SqliteEventStore(eventStore.file) : new EsdbEventStore(eventStore.connectionString);
  return new HashChainedEventStore(new SchemaGatedEventStore(adapter, schemas));
}
