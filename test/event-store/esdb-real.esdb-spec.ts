import { EsdbEventStore } from '../../src/event-store/adapters/esdb-event-store';
import { loadConfig } from '../../src/config/app-config';
import { eventStoreContract } from './event-store.contract';

/**
 * The same contract against a real EventStoreDB: `npm run test:esdb` with
 * EVENTSTORE_CONNECTION_STRING set (see README; docker/eventstoredb.compose.yaml
 * starts one). Not part of `npm test`, which has no server to talk to.
 */
const { eventStore } = loadConfig(process.env);
if (eventStore.kind !== 'eventstoredb') {
  throw new Error('npm run test:esdb needs a real server: set EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false');
}

eventStoreContract(`EventStoreDB adapter against ${eventStore.connectionString}`, async () => {
  const store = new EsdbEventStore(eventStore.connectionString);
  return { store, teardown: () => store.close() };
});
