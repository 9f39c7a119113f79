import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '../..');

/** The README's curl walkthrough, run as written against the real service process. */
describe("the README's walkthrough", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'walkthrough-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs end to end: the seed story from drafting to a closed, verified contract', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const script = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme)?.[1];
    expect(script).toBeDefined();

    const service = spawn(process.execPath, ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/main.ts')], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, EVENTSTORE_CONNECTION_STRING: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => service.on('exit', resolve));
    try {
      let admin = '';
      // The first-start key comes on standard output, then the line saying where the service listens.
      const base = await new Promise<string>((resolve) =>
        createInterface({ input: service.stdout }).on('line', (line) => {
          admin = /^\s+(chk_\S+)$/.exec(line)?.[1] ?? admin;
          const listening = /Listening on (http:\/\/[^ ]+)/.exec(line)?.[1];
          if (listening) resolve(listening);
        }),
      );
      const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script!], {
        env: { ...process.env, BASE: base, ADMIN: admin },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toContain('status: closed');
      expect(run.stdout).toMatch(/"ok":true,"events":\d+/);
      expect(run.stdout).not.toContain('"status":4');
      expect(run.stdout).not.toContain('"status":5');
    } finally {
      service.kill('SIGTERM');
      await exited;
    }
  });
});
