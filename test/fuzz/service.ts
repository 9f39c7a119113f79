import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '../..');

/**
 * The service as its own process (src/main.ts through the repo's TypeScript
 * loader), on a loopback port and a temporary data folder. A separate process
 * rather than an app in the fuzzer's own: a request that crashes or wedges
 * the service shows up as a dead or silent process, and cannot take the
 * fuzzer (or jest) down with it.
 */
export interface Service {
  readonly url: URL;
  /** The admin key the service prints on its first start. */
  readonly adminKey: string;
  /** The last lines the service wrote (its error logs), to show when it dies. */
  readonly output: readonly string[];
  /** The first line of each error the service logged, by request id: what a 5xx was, from the inside. */
  readonly errors: ReadonlyMap<string, string>;
  readonly alive: () => boolean;
  readonly stop: () => Promise<void>;
}

const KEPT_LINES = 500;

/** A free loopback port: the service logs its address only at level info, and the fuzzer keeps it quieter. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startService(env: Record<string, string>): Promise<Service> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fuzz-'));
  const url = new URL(`http://127.0.0.1:${await freePort()}`);
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/main.ts')], {
    env: { ...process.env, EVENTSTORE_CONNECTION_STRING: '', ...env, PORT: url.port, HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  let adminKey: string | undefined;
  const errors = new Map<string, string>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > KEPT_LINES) output.shift();
      adminKey ??= /^\s+(chk_\S+)\s*$/.exec(line)?.[1];
      const logged = parseErrorLine(line);
      if (logged && errors.size < 100_000 && !errors.has(logged.reqId)) errors.set(logged.reqId, logged.message);
    });
  }
  const listening = async () => {
    for (let attempt = 0; attempt < 600 && !exited; attempt++) {
      if ((await send(url, { method: 'GET', path: '/health/live', headers: {} }, 1000)).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the service did not start:\n${output.join('\n')}`);
  };
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    }
    agent.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await listening();
    if (!adminKey) throw new Error('the service printed no admin key on its first start');
    return { url, adminKey, output, errors, alive: () => !exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A pino line at level error or worse that names its request: its message's first line. */
function parseErrorLine(line: string): { reqId: string; message: string } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const { level, reqId, msg } = JSON.parse(line) as { level?: number; reqId?: unknown; msg?: unknown };
    return typeof reqId === 'string' && (level ?? 0) >= 50 ? { reqId, message: String(msg).split('\n')[0] } : undefined;
  } catch {
    return undefined;
  }
}

export interface WireRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Sent over a raw socket: its headers hold bytes Node's HTTP client refuses to write. */
  readonly raw?: boolean;
}

export interface Answer {
  /** 0: no answer (connection dropped, or nothing within the timeout). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly error?: string;
}

/** One connection kept alive for the whole run: requests go one at a time, so the run is reproducible. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export function send(base: URL, wire: WireRequest, timeoutMs = 15_000): Promise<Answer> {
  return wire.raw ? sendRaw(base, wire, timeoutMs) : sendHttp(base, wire, timeoutMs);
}

function sendHttp(base: URL, wire: WireRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const body = wire.body === undefined ? undefined : Buffer.from(wire.body, 'utf8');
    const headers = { ...wire.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    let settled = false;
    const done = (answer: Answer) => {
      if (!settled) resolve(answer);
      settled = true;
    };
    let request;
    try {
      request = httpRequest({ host: base.hostname, port: base.port, method: wire.method, path: wire.path, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        const answer = () => ({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        // A live stream (SSE) never ends: its status and headers are the answer.
        if (String(response.headers['content-type']).includes('text/event-stream')) {
          done(answer());
          response.destroy();
          return;
        }
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(answer()));
        response.on('error', () => done(answer()));
      });
    } catch (error) {
      // Node refused to write the request at all (an invalid path or header): nothing reached the service.
      done({ status: -1, headers: {}, body: '', error: String(error) });
      return;
    }
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => done({ status: 0, headers: {}, body: '', error: error.message }));
    request.end(body);
  });
}

function sendRaw(base: URL, wire: WireRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const body = Buffer.from(wire.body ?? '', 'utf8');
    const head = [
      `${wire.method} ${wire.path} HTTP/1.1`,
      `host: ${base.host}`,
      ...Object.entries(wire.headers).map(([name, value]) => `${name}: ${value}`),
      `content-length: ${body.length}`,
      'connection: close',
    ];
    const socket = connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body])));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finish = (error?: Error) => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({
        status,
        headers: {},
        body: text.slice(text.indexOf('\r\n\r\n') + 4),
        ...(status === 0 && error ? { error: error.message } : {}),
      });
    };
    socket.on('error', finish);
    socket.on('close', () => finish());
  });
}
