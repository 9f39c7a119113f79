import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../support/service-process';

const ROOT = join(__dirname, '../..');

/** The README's curl walkthrough, run as written against the real service process. */
describe("the README's walkthrough", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'walkthrough-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs end to end: the seed story from drafting to a closed, verified contract', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const script = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme)?.[1];
    expect(script).toBeDefined();

    const service = startService({ DATA_DIR: dataDir });
    try {
      // The first-start key comes on standard output, then the line saying where the service listens.
      const base = await service.listening;
      const admin = service.firstKey() ?? '';
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
      await service.stop('SIGTERM');
    }
    // The script's own bound (60 s) and the service's start and stop: about 20 s alone, past 30 on two busy cores.
  }, 90_000);
});
