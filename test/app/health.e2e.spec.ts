import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/app-config';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import { EsdbStandIn } from '../support/esdb-stand-in';
import { discardLogs } from '../support/http-client';
import { HealthController } from '../../src/health/health.controller';

async function startApp(env: Record<string, string>): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await createApp(loadConfig({ PORT: '0', ...env }), { logDestination: discardLogs, announceFirstKey: () => undefined });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('GET /health', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'health-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers 200 with the embedded store up, by default', async () => {
    const { app, url } = await startApp({ DATA_DIR: dataDir });
    try {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        info: {
          eventStore: { status: 'up', kind: 'embedded', where: `embedded store at ${join(dataDir, 'events.sqlite')}` },
          readModels: {
            status: 'up',
            degraded: false,
            projections: [
              expect.objectContaining({ name: 'contracts', state: 'live', quarantined: 0, skipped: 0 }),
              expect.objectContaining({ name: 'handover', state: 'live', quarantined: 0, skipped: 0 }),
            ],
          },
        },
      });
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers liveness in the format of Terminus, and 503 shutting_down once the service is stopping', async () => {
    const { app, url } = await startApp({ DATA_DIR: dataDir });
    try {
      const live = await fetch(`${url}/health/live`);
      expect(live.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
      expect(await live.json()).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
      // What Nest calls as the application closes, before the server stops taking requests.
      app.get(HealthController).beforeApplicationShutdown();
      const stopping = await fetch(`${url}/health/live`);
      expect({ status: stopping.status, body: await stopping.json() }).toEqual({
        status: 503,
        body: { status: 'shutting_down', info: {}, error: {}, details: {} },
      });
    } finally {
      await app.close();
    }
  });

  it('runs on EventStoreDB when EVENTSTORE_CONNECTION_STRING is set', async () => {
    const standIn = await EsdbStandIn.start();
    const { app, url } = await startApp({ DATA_DIR: dataDir, EVENTSTORE_CONNECTION_STRING: standIn.connectionString });
    try {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up', kind: 'eventstoredb' } } });
    } finally {
      await app.close();
      await standIn.stop();
    }
  });

  it('answers 503 with the reason when the event store does not answer', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));

    const { app, url } = await startApp({ DATA_DIR: dataDir, EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false` });
    try {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'error',
        error: { eventStore: { status: 'down', kind: 'eventstoredb', reason: expect.stringContaining('unavailable') } },
      });
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('readiness', () => {
  it('goes from not ready to ready as the read models catch up with a long log', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ready-'));
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    // Long enough that the read models are still catching up when the app has started: its start waits for the
    // event store's writer thread (which, run from sources, first loads the TypeScript compiler) to issue the first key.
    await Promise.all(
      Array.from({ length: 1000 }, (_, n) =>
        store.appendToStream(
          `load-${n}`,
          Array.from({ length: 100 }, () => ({ id: randomUUID(), type: 'Loaded', data: {}, metadata: {} })),
          'no_stream',
        ),
      ),
    );
    await store.close();

    const { app, url } = await startApp({ DATA_DIR: dataDir, PROJECTION_WAIT_MS: '1' });
    try {
      const first = await fetch(`${url}/health/ready`);
      expect(first.status).toBe(503);
      expect(await first.json()).toMatchObject({ status: 'error', error: { readModels: { status: 'down' } } });
      let ready = first;
      while (ready.status !== 200) ready = await fetch(`${url}/health/ready`);
      // 100,000 loaded events and the first-start key.
      expect(await ready.json()).toMatchObject({
        status: 'ok',
        info: { readModels: { projections: [{ position: '100001' }, { position: '100001' }] } },
      });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
