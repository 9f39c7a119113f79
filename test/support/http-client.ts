import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { ApiKeys, type IssuedKey } from '../../src/auth/api-keys';
import { loadConfig } from '../../src/config/app-config';
import type { Clock } from '../../src/shared/clock';
import type { Role } from '../../src/shared/identity';

/** Log lines go nowhere. */
export const discardLogs: DestinationStream = { write: () => undefined };

/** Keeps every log line, to check what was logged. */
export function captureLogs(): DestinationStream & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  // Untyped JSON: the tests' assertions check its shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/** One request to the service at `baseUrl`: a JSON body in, the answer's JSON (or text) out; `signal` aborts it. */
export async function httpCall(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    signal,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text && /[/+]json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text || undefined;
  return { status: response.status, headers: response.headers, body: parsed };
}

/**
 * The real app on the embedded store in a temporary folder, on a loopback
 * port, with a client that authenticates as a principal named
 * `role[:partyId]` (e.g. `brand:brand-feiyue`), issuing its key on first use;
 * on the system's clock unless given one.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  { logDestination = discardLogs, clock }: { logDestination?: DestinationStream; clock?: Clock } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'contracts-'));
  let firstKey: IssuedKey | undefined;
  const app: NestFastifyApplication = await createApp(loadConfig({ DATA_DIR: dataDir, ...env }), {
    logDestination,
    announceFirstKey: (key) => (firstKey = key),
    clock,
  });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const keys = new Map<string, Promise<IssuedKey>>();

  /** The key of a principal named `role[:partyId]`, issued once. */
  function keyOf(principal: string): Promise<IssuedKey> {
    if (!keys.has(principal)) {
      const [role, partyId] = principal.split(':') as [Role, string | undefined];
      keys.set(principal, app.get(ApiKeys).issue({ role, ...(partyId ? { partyId } : {}), label: `test ${principal}` }, 'test'));
    }
    return keys.get(principal)!;
  }

  // Like a careful client, reads ask for the position of the last write they saw (read your own writes).
  let lastWrite: string | undefined;
  const withPosition = (path: string) =>
    lastWrite === undefined || /[?&]minPosition=/.test(path) ? path : `${path}${path.includes('?') ? '&' : '?'}minPosition=${lastWrite}`;

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const answer = await httpCall(url, method, path, body, headers);
    if (method !== 'GET' && typeof answer.body?.position === 'string') lastWrite = answer.body.position;
    return answer;
  }

  const as = (principal: string) => {
    const authorized = async (headers: Record<string, string>) => ({ authorization: `Bearer ${(await keyOf(principal)).key}`, ...headers });
    return {
      post: async (path: string, body?: unknown, headers: Record<string, string> = {}) =>
        call('POST', path, body ?? {}, await authorized(headers)),
      delete: async (path: string, headers: Record<string, string> = {}) => call('DELETE', path, undefined, await authorized(headers)),
      get: async (path: string, headers: Record<string, string> = {}) =>
        call('GET', withPosition(path), undefined, await authorized(headers)),
      key: async () => (await keyOf(principal)).key,
    };
  };

  return {
    app,
    dataDir,
    url,
    call,
    as,
    keyOf,
    firstKey: () => firstKey,
    /** A read as an admin, who sees everything. */
    get: (path: string) => as('admin').get(path),
    stop: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApp>>;
