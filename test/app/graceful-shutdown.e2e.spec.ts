import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import { DRAFT } from '../support/contract-api';

const ROOT = join(__dirname, '../..');
const WRITES = 400;
const CONCURRENCY = 16;

describe('graceful shutdown', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shutdown-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('on SIGTERM during a burst of writes: every acknowledged write is in the store, and the process exits 0', async () => {
    const service = spawn(process.execPath, ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/main.ts')], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, EVENTSTORE_CONNECTION_STRING: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => service.on('exit', (code) => resolve(code)));
    let key = '';
    const url = await new Promise<string>((resolve) =>
      createInterface({ input: service.stdout }).on('line', (line) => {
        key = /^\s+(chk_\S+)$/.exec(line)?.[1] ?? key;
        const listening = /Listening on (http:\/\/[^ ]+)/.exec(line)?.[1];
        if (listening) resolve(listening);
      }),
    );
    expect(key).toMatch(/^chk_/);

    const acknowledged: string[] = [];
    let refused = 0;
    let sent = 0;
    const writer = async () => {
      while (sent < WRITES) {
        sent += 1;
        try {
          const response = await fetch(`${url}/contracts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(DRAFT),
          });
          if (response.status === 201) acknowledged.push(((await response.json()) as { contractId: string }).contractId);
          else refused += 1;
        } catch {
          refused += 1;
        }
        if (acknowledged.length === 50) service.kill('SIGTERM');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, writer));

    expect(await exited).toBe(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(50);
    expect(refused).toBeGreaterThan(0);
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    try {
      const missing = [];
      for (const contractId of acknowledged) {
        if (!(await store.readStream(`contract-${contractId}`)).found) missing.push(contractId);
      }
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
