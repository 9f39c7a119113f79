import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { draftTerms, THE_PARTIES } from '../test/support/contract-fixtures';
import { ensureBuilt } from '../test/support/service-process';
import { startProcess, type Started } from './http/processes';

/**
 * `npm run bench:http`: the service under HTTP load next to a plain
 * NestJS-on-Fastify hello app, both real processes on 127.0.0.1, loaded by
 * autocannon from this process. One table, one run, this machine.
 * BENCH_DURATION (seconds per row, default 8), BENCH_CONNECTIONS (64),
 * BENCH_CONTRACTS (1000), BENCH_LONG_EVENTS (1000), BENCH_SEQUENTIAL (101).
 */
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 1000);
const LONG_EVENTS = Number(process.env.BENCH_LONG_EVENTS ?? 1000);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 101);
/** The whole run is bounded: a hung server or load must not keep the machine busy. */
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 15 * 60_000);
const ROOT = join(__dirname, '..');

/** The walkthrough's draft: the story's parties and terms (the fixtures the tests draft with). */
const DRAFT = { ...THE_PARTIES, ...draftTerms() };
/** Account names must be unique within a contract: one counter for the whole run. */
let accountNumber = 0;
const account = (): string =>
  JSON.stringify({ platform: 'tmall', accountName: `feiyue旗舰店:cs${(accountNumber += 1)}`, kind: 'sub_account' });

interface Row {
  readonly what: string;
  readonly connections: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

async function call(base: string, key: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Runs `task` for 0..count-1, `width` at a time (the setup, not measured). */
async function pool(count: number, width: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

async function load(
  what: string,
  base: string,
  request: autocannon.Request & { setupRequest?: (request: autocannon.Request) => autocannon.Request },
  extra: Partial<autocannon.Options> = {},
): Promise<{ row: Row; result: autocannon.Result }> {
  const options = { url: base, connections: CONNECTIONS, requests: [request], ...extra };
  // A one-second warm-up (JIT, connection set-up, SQLite page cache), not counted.
  await autocannon({ ...options, duration: 1 });
  const result = await autocannon({ ...options, duration: DURATION });
  const failed = result.non2xx + result.errors + result.timeouts;
  const row = {
    what,
    connections: options.connections,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed,
  };
  console.error(`  ${what}: ${row.perSecond.toFixed(0)}/s${failed ? `, ${failed} failed` : ''}`);
  return { row, result };
}

/**
 * The latency under a steady load of at least half the saturation rate: the
 * fewest connections (1, 2, 4, ...), each sending its next request as the last
 * is answered, whose rate reaches half of `saturated`. Not autocannon's rate
 * limit: it lets each connection send its quota for the second back to back at
 * the start of the second, so such a row measures bursts at saturation.
 */
async function steadyHalfLoad(what: string, base: string, request: Parameters<typeof load>[2], saturated: number): Promise<Row> {
  for (let connections = 1; ; connections *= 2) {
    const { row } = await load(what, base, request, { connections });
    if (row.perSecond >= saturated / 2 || connections >= CONNECTIONS) return row;
  }
}

/** The floor under every durable write: one insert, one transaction, one fsync, no HTTP. */
function rawCommits(folder: string): Row {
  const db = new Database(join(folder, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, data TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO events (stream, data) VALUES (?, ?)');
  const commit = db.transaction((data: string) => insert.run('raw', data));
  const data = JSON.stringify({ ...DRAFT, contractId: 'c0ffee00-0000-4000-8000-000000000001' });
  const latencies: number[] = [];
  const until = Date.now() + DURATION * 1000;
  while (Date.now() < until) {
    const started = process.hrtime.bigint();
    commit(data);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  db.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    what: 'raw better-sqlite3 commit (1 insert, WAL, FULL)',
    connections: 1,
    perSecond: latencies.length / DURATION,
    p50: at(0.5),
    p99: at(0.99),
    failed: 0,
  };
}

/**
 * Median latency (ms) of `count` one-at-a-time writes of each kind, taken in
 * turns (one of each, then again), so that the machine's noise falls on both alike.
 */
async function sequentialMedians(count: number, writes: readonly (() => Promise<unknown>)[]): Promise<number[]> {
  const times = writes.map((): number[] => []);
  for (let i = 0; i < count; i += 1) {
    for (const [index, write] of writes.entries()) {
      const started = process.hrtime.bigint();
      await write();
      times[index].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return times.map((kind) => kind.sort((a, b) => a - b)[Math.floor(count / 2)]);
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const started: Started[] = [];
  const deadline = setTimeout(() => {
    console.error(`bench:http: still running after ${DEADLINE_MS} ms, giving up`);
    process.exit(1);
  }, DEADLINE_MS);
  try {
    console.error('building dist/ if stale, starting the hello app and the service ...');
    ensureBuilt();
    // Both with the young generation `npm start` gives the service.
    const hello = await startProcess(
      ['--max-semi-space-size=64', '-r', join(ROOT, 'test/support/register-ts.js'), join(__dirname, 'http/hello-app.ts')],
      {},
    );
    started.push(hello);
    // As `npm start` runs it (JSON request logs included), with limits out of the way.
    const service = await startProcess(['--max-semi-space-size=64', join(ROOT, 'dist/main.js')], {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(folder, 'data'),
      EVENTSTORE_CONNECTION_STRING: '',
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_FAILURES_PER_MINUTE: '10000',
    });
    started.push(service);
    const base = service.url;
    const admin = service.firstKey;
    if (!admin) throw new Error('the service printed no admin key on its first start');
    const keyFor = async (body: object): Promise<string> => String((await call(base, admin, 'POST', '/admin/keys', body)).key);
    const brand = await keyFor({ role: 'brand', partyId: 'brand-feiyue', label: 'bench brand' });
    const operator = await keyFor({ role: 'operator', partyId: 'op-yunshang', label: 'bench operator' });
    const json = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
    const auth = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

    /** Drafts and signs a contract (4 events: drafted, signed, signed, activated), then adds accounts up to `events`. */
    const activeContract = async (events = 4, width = 1): Promise<string> => {
      const id = String((await call(base, brand, 'POST', '/contracts', DRAFT)).contractId);
      await call(base, brand, 'POST', `/contracts/${id}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' });
      await call(base, operator, 'POST', `/contracts/${id}/signatures`, { party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' });
      await pool(events - 4, width, async () => void (await call(base, operator, 'POST', `/contracts/${id}/accounts`, account())));
      return id;
    };

    const rows: Row[] = [];
    console.error(`loading: ${CONNECTIONS} connections, ${DURATION} s a row (+1 s warm-up)`);
    rows.push((await load('plain NestJS+Fastify GET /hello', hello.url, { method: 'GET', path: '/hello' })).row);
    rows.push((await load('GET /health/live', base, { method: 'GET', path: '/health/live' })).row);
    const drafts = await load('POST /contracts (draft, durable)', base, {
      method: 'POST',
      path: '/contracts',
      headers: json(brand),
      body: JSON.stringify(DRAFT),
    });
    rows.push(drafts.row);

    console.error(`setting up ${CONTRACTS} active contracts and one of ${LONG_EVENTS} events ...`);
    const ids: string[] = [];
    await pool(CONTRACTS, 16, async () => void ids.push(await activeContract()));
    const long = await activeContract(LONG_EVENTS, 4);
    rows.push(
      (
        await load(`POST /contracts/:id/accounts (${CONTRACTS} contracts)`, base, {
          method: 'POST',
          path: '/contracts',
          headers: json(operator),
          setupRequest: (request) => ({ ...request, path: `/contracts/${pick(ids)}/accounts`, body: account() }),
        })
      ).row,
    );
    rows.push(
      (
        await load('GET /contracts/:id (summary)', base, {
          method: 'GET',
          headers: auth(brand),
          setupRequest: (request) => ({ ...request, path: `/contracts/${pick(ids)}` }),
        })
      ).row,
    );

    // The checklist exists once a contract is terminated: end the 1,000 (each now holds a few accounts).
    await pool(
      ids.length,
      16,
      async (index) =>
        void (await call(base, brand, 'POST', `/contracts/${ids[index]}/termination`, {
          initiatedBy: 'brand',
          grounds: 'stipulated_condition',
          conditionId: '12.3',
          effectiveOn: '2028-01-01',
        })),
    );
    rows.push(
      (
        await load('GET /contracts/:id/handover (checklist)', base, {
          method: 'GET',
          headers: auth(brand),
          setupRequest: (request) => ({ ...request, path: `/contracts/${pick(ids)}/handover` }),
        })
      ).row,
    );
    // The same long contract read now and as it stood at its last revision (the as-of read folds its stream).
    rows.push(
      (
        await load(`GET /contracts/:id (summary, ${LONG_EVENTS} events)`, base, {
          method: 'GET',
          path: `/contracts/${long}`,
          headers: auth(brand),
        })
      ).row,
    );
    const longRevision = LONG_EVENTS - 1;
    rows.push(
      (
        await load(`GET /contracts/:id?revision=${longRevision} (as-of, ${LONG_EVENTS} events)`, base, {
          method: 'GET',
          path: `/contracts/${long}?revision=${longRevision}`,
          headers: auth(brand),
        })
      ).row,
    );

    rows.push(
      await steadyHalfLoad(
        'POST /contracts, steady, >= half saturation',
        base,
        { method: 'POST', path: '/contracts', headers: json(brand), body: JSON.stringify(DRAFT) },
        drafts.row.perSecond,
      ),
    );
    console.error('raw better-sqlite3 commits ...');
    rows.push(rawCommits(folder));

    console.error(
      `sequential writes: ${SEQUENTIAL} one at a time to ${SEQUENTIAL} fresh 10-event contracts and to the ${LONG_EVENTS}-event one ...`,
    );
    const short: string[] = [];
    for (let i = 0; i < SEQUENTIAL; i += 1) short.push(await activeContract(9));
    let turn = 0;
    const [shortMedian, longMedian] = await sequentialMedians(SEQUENTIAL, [
      () => call(base, operator, 'POST', `/contracts/${short[turn++]}/accounts`, account()),
      () => call(base, operator, 'POST', `/contracts/${long}/accounts`, account()),
    ]);

    printTable(rows, { shortMedian, longMedian, contracts: CONTRACTS });
  } finally {
    clearTimeout(deadline);
    await Promise.all(started.map((process) => process.stop()));
    rmSync(folder, { recursive: true, force: true });
  }
}

function printTable(rows: Row[], sequential: { shortMedian: number; longMedian: number; contracts: number }): void {
  const hello = rows[0].perSecond;
  const width = Math.max(...rows.map((row) => row.what.length));
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}; ${new Date().toISOString()}`,
  );
  console.log(
    `${DURATION} s a row after 1 s of warm-up, ${CONNECTIONS} connections, autocannon in the bench process, service and hello app each in their own process\n`,
  );
  console.log(`${'what'.padEnd(width)}  conns      req/s   p50 ms   p99 ms  vs hello  failed`);
  for (const row of rows) {
    console.log(
      `${row.what.padEnd(width)}  ${String(row.connections).padStart(5)}  ${row.perSecond.toFixed(0).padStart(9)}  ${row.p50.toFixed(2).padStart(7)}  ${row.p99.toFixed(2).padStart(7)}  ${(row.perSecond / hello).toFixed(3).padStart(8)}  ${String(row.failed).padStart(6)}`,
    );
  }
  const summary = rows.find((row) => row.what.startsWith(`GET /contracts/:id (summary, ${LONG_EVENTS} events)`));
  const asOf = rows.find((row) => row.what.includes('as-of'));
  console.log(`\none write at a time (POST /contracts/:id/accounts), median of ${SEQUENTIAL} each, taken in turns:`);
  console.log(`  to a 10-event contract    ${sequential.shortMedian.toFixed(2)} ms`);
  console.log(
    `  to a ${LONG_EVENTS}-event contract  ${sequential.longMedian.toFixed(2)} ms  (${(sequential.longMedian / sequential.shortMedian).toFixed(1)}x)`,
  );
  if (summary && asOf)
    console.log(
      `the ${LONG_EVENTS}-event contract read as it stood / read now, time a request (from req/s): ${(summary.perSecond / asOf.perSecond).toFixed(1)}x`,
    );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
