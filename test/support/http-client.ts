import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/app-config';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  // Untyped JSON: the tests' assertions check its shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/** The real app on the embedded store in a temporary folder, on a loopback port. */
export async function startTestApp(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'contracts-'));
  const app: NestFastifyApplication = await createApp(loadConfig({ DATA_DIR: dataDir, ...env }), { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();

  // Like a careful client, reads ask for the position of the last write they saw (read your own writes).
  let lastWrite: string | undefined;
  const withPosition = (path: string) =>
    lastWrite === undefined || /[?&]minPosition=/.test(path) ? path : `${path}${path.includes('?') ? '&' : '?'}minPosition=${lastWrite}`;

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text && /[/+]json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text || undefined;
    if (method !== 'GET' && typeof parsed?.position === 'string') lastWrite = parsed.position;
    return { status: response.status, headers: response.headers, body: parsed };
  }

  return {
    app,
    dataDir,
    call,
    /** A write as `actor` (the X-Actor header). */
    as: (actor: string) => ({
      post: (path: string, body?: unknown, headers: Record<string, string> = {}) => call('POST', path, body ?? {}, { 'x-actor': actor, ...headers }),
      delete: (path: string, headers: Record<string, string> = {}) => call('DELETE', path, undefined, { 'x-actor': actor, ...headers }),
    }),
    get: (path: string) => call('GET', withPosition(path)),
    stop: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApp>>;
