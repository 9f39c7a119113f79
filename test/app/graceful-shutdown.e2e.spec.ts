import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import { DRAFT } from '../support/contract-api';
import { startService, stopAllServices } from '../support/service-process';

const WRITES = 400;
const CONCURRENCY = 16;

describe('graceful shutdown', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shutdown-'));
  afterAll(async () => {
    await stopAllServices();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM during a burst of writes: every acknowledged write is in the store, and the process exits 0', async () => {
    const service = startService({ DATA_DIR: dataDir });
    const url = await service.listening;
    const key = service.firstKey() ?? '';
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
        if (acknowledged.length === 50) service.child.kill('SIGTERM');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, writer));

    expect(await service.exited).toEqual({ code: 0, signal: null });
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

  it('writes the last log lines before it exits: the last request, and the stop itself', async () => {
    const service = startService({ DATA_DIR: dataDir });
    const url = await service.listening;
    expect((await fetch(`${url}/health/live`, { headers: { 'x-request-id': 'last-before-stop' } })).status).toBe(200);
    expect(await service.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const lines = service.output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { reqId?: string; msg: string });
    expect(lines.filter((line) => line.reqId === 'last-before-stop').map((line) => line.msg)).toEqual([
      expect.stringMatching(/^GET \/health\/live 200 \d+ ms$/),
    ]);
    expect(lines.map((line) => line.msg)).toContain('SIGTERM received: closing');
  });
});
