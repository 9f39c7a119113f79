import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, stopAllServices } from '../support/service-process';

describe('the service process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'service-'));
  afterAll(async () => {
    await stopAllServices();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /health on the embedded store, and exits 0 on SIGTERM', async () => {
    const service = startService({ DATA_DIR: dataDir });
    const url = await service.listening;
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { eventStore: { kind: 'embedded', status: 'up' } } });

    expect(await service.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('refuses to start on a bad setting, naming it and what is allowed', async () => {
    const service = startService({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect((await service.exited).code).toBe(1);
    expect(service.output.join('\n')).toContain('Invalid PORT="eighty": a whole number from 0 to 65535');
  });

  it('writes its last log lines when it stops on an error after its start', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const service = startService({ DATA_DIR: dataDir, PORT: String((taken.address() as { port: number }).port) });
      expect((await service.exited).code).toBe(1);
      expect(service.output).toContainEqual(expect.stringContaining('"msg":"Nest application successfully started"'));
      expect(service.output).toContainEqual(expect.stringContaining('EADDRINUSE'));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
