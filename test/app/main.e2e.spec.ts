import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '../..');

/** Starts src/main.ts as the start command does (after its build), on a free loopback port. */
function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/main.ts')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', EVENTSTORE_CONNECTION_STRING: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        const url = /Listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url) resolve(url);
      });
    }
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${output.join('\n')}`)));
  });
  // A test that expects the start to fail never awaits `listening`.
  listening.catch(() => undefined);
  return { child, output, exited, listening };
}

describe('the service process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'service-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /health on the embedded store, and exits 0 on SIGTERM', async () => {
    const service = startService({ DATA_DIR: dataDir });
    const url = await service.listening;
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { eventStore: { kind: 'embedded', status: 'up' } } });

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });

  it('refuses to start on a bad setting, naming it and what is allowed', async () => {
    const service = startService({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect(await service.exited).toBe(1);
    expect(service.output.join('\n')).toContain('Invalid PORT="eighty": a whole number from 0 to 65535');
  });
});
