import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/event-store/adapters/sqlite-event-store';
import type { EventData } from '../src/event-store/event-store.port';

/**
 * `npm run bench:peers`: the embedded store (through its port) and Emmett's
 * SQLite event store on the same append workload: single-event appends with
 * an expected revision, each writer on its own contract stream, sequential
 * and from 2, 8 and 64 concurrent writers. Prints appends/s, the errors each
 * store raised, and how many events each file holds afterwards.
 * BENCH_APPENDS (per row, default 500), BENCH_ROW_TIMEOUT_MS (30000).
 *
 * The peer is installed on demand into bench/peers/ (its own package.json and
 * lock), so that the service's own install does not carry it.
 */
const APPENDS = Number(process.env.BENCH_APPENDS ?? 500);
const WRITER_COUNTS = [1, 2, 8, 64];
/** A row that never finishes (a stuck transaction) must not hold the machine. */
const ROW_TIMEOUT_MS = Number(process.env.BENCH_ROW_TIMEOUT_MS ?? 30_000);
const PEERS = join(__dirname, 'peers');

/** What the bench needs of a store: append one event at a known stream length, and find that length again after a failure. */
interface Appender {
  append(stream: string, length: bigint, event: EventData): Promise<void>;
  length(stream: string): Promise<bigint>;
  close(): Promise<void>;
}

interface Peer {
  readonly name: string;
  /** The table and stream column the events land in, to count them afterwards. */
  readonly table: string;
  readonly streamColumn: string;
  open(file: string): Appender;
}

/** Emmett's SQLite store, only what is used of it (loaded from bench/peers/node_modules). */
interface EmmettStore {
  appendToStream(
    stream: string,
    events: Array<{ type: string; data: object; metadata: object }>,
    options: { expectedStreamVersion: bigint },
  ): Promise<unknown>;
  readStream(stream: string): Promise<{ currentStreamVersion: bigint }>;
}
interface EmmettSqlite {
  getSQLiteEventStore(options: { fileName: string }): EmmettStore;
  messagesTable: { name: string };
}

const ours: Peer = {
  name: 'embedded (better-sqlite3, group commit)',
  table: 'events',
  streamColumn: 'stream',
  open(file) {
    const store = new SqliteEventStore(file);
    return {
      // The port's revisions count from 0: the expected revision is the last event's.
      append: async (stream, length, event) =>
        void (await store.appendToStream(stream, [event], length === 0n ? 'no_stream' : length - 1n)),
      length: async (stream) => {
        const read = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
        return read.found && read.events[0] ? read.events[0].revision + 1n : 0n;
      },
      close: () => store.close(),
    };
  },
};

/**
 * Emmett as its docs use it, one store for the application (`shared`), and
 * one store per writer: each with its own connection, to tell a problem of
 * the shared connection from SQLite's own locking.
 */
function emmettPeer(emmett: EmmettSqlite, perWriter: boolean): Peer {
  return {
    name: `Emmett SQLite 0.38.5, ${perWriter ? 'a store per writer' : 'one shared store'}`,
    table: emmett.messagesTable.name,
    streamColumn: 'stream_id',
    open(file) {
      const shared = emmett.getSQLiteEventStore({ fileName: file });
      const stores = new Map<string, EmmettStore>();
      const storeFor = (stream: string): EmmettStore => {
        if (!perWriter) return shared;
        const store = stores.get(stream) ?? emmett.getSQLiteEventStore({ fileName: file });
        stores.set(stream, store);
        return store;
      };
      return {
        // Emmett's stream versions count events: the expected version is the stream's length (0 creates it).
        append: async (stream, length, { type, data, metadata }) =>
          void (await storeFor(stream).appendToStream(stream, [{ type, data, metadata }], { expectedStreamVersion: length })),
        length: async (stream) => (await storeFor(stream).readStream(stream)).currentStreamVersion,
        // It opens and closes its connection around every call: nothing stays open.
        close: async () => undefined,
      };
    },
  };
}

/** An event of the size and shape the service writes: an account registered, with audit metadata. */
function accountRegistered(n: number): EventData {
  return {
    id: randomUUID(),
    type: 'AccountRegistered',
    data: { accountId: randomUUID(), platform: 'tmall', accountName: `feiyue旗舰店:cs${n}`, accountKind: 'sub_account' },
    metadata: {
      actor: 'operator:op-yunshang',
      recordedAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      commandType: 'RegisterAccount',
      schemaVersion: 1,
      hash: 'f'.repeat(64),
    },
  };
}

interface Row {
  readonly writers: number;
  readonly perSecond: number;
  readonly seconds: number;
  readonly acknowledged: number;
  readonly stored: number;
  /** Appends acknowledged to a writer that its stream does not hold afterwards. */
  readonly lost: number;
  /** Appends that had neither succeeded nor failed when the row ended. */
  readonly pending: number;
  /** Each distinct error message and how often it was raised. */
  readonly errors: Array<[string, number]>;
  readonly timedOut: boolean;
}

async function measure(peer: Peer, writers: number): Promise<Row> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-peers-'));
  const file = join(folder, 'events.sqlite');
  const store = peer.open(file);
  const errors = new Map<string, number>();
  const acknowledgedPerStream = new Map<string, number>();
  let acknowledged = 0;
  let pending = 0;
  let timedOut = false;
  const perWriter = Math.ceil(APPENDS / writers);
  const started = process.hrtime.bigint();
  const until = Date.now() + ROW_TIMEOUT_MS;
  const work = Promise.all(
    Array.from({ length: writers }, async () => {
      const stream = `contract-${randomUUID()}`;
      let length = 0n;
      for (let n = 0; n < perWriter; n += 1) {
        if (Date.now() >= until) return void (timedOut = true);
        pending += 1;
        try {
          await store.append(stream, length, accountRegistered(n));
          length += 1n;
          acknowledged += 1;
          acknowledgedPerStream.set(stream, Number(length));
        } catch (error) {
          const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0];
          errors.set(message, (errors.get(message) ?? 0) + 1);
          // The failed append may still have been written: go on from what the stream holds.
          length = await store.length(stream).catch(() => length);
        } finally {
          pending -= 1;
        }
      }
    }),
  );
  // An append that never settles (a stuck transaction) is waited for until the row's time is up, plus a grace
  // period, then left behind (counted as pending): this process ends after the row.
  let grace: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    work.then(() => true),
    new Promise<boolean>((resolve) => (grace = setTimeout(() => resolve(false), ROW_TIMEOUT_MS + 10_000))),
  ]);
  clearTimeout(grace);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (settled) await store.close();
  const db = new Database(file, { readonly: true });
  const counts = db
    .prepare(`SELECT ${peer.streamColumn} AS stream, COUNT(*) AS count FROM ${peer.table} GROUP BY ${peer.streamColumn}`)
    .all() as Array<{ stream: string; count: number }>;
  db.close();
  rmSync(folder, { recursive: true, force: true });
  const inFile = new Map(counts.map(({ stream, count }) => [stream, count]));
  const stored = counts.reduce((sum, { count }) => sum + count, 0);
  const lost = [...acknowledgedPerStream].reduce((sum, [stream, count]) => sum + Math.max(0, count - (inFile.get(stream) ?? 0)), 0);
  return { writers, perSecond: acknowledged / seconds, seconds, acknowledged, stored, lost, pending, errors: [...errors], timedOut };
}

/**
 * Each row runs in a process of its own (`--row <peer> <writers>`, one JSON
 * line out): appends a peer left in flight after a failed or timed-out row
 * must not slow the rows after it.
 */
function measureInChild(peerIndex: number, writers: number): Row {
  const child = spawnSync(
    process.execPath,
    ['-r', join(__dirname, '../test/support/register-ts.js'), __filename, '--row', String(peerIndex), String(writers)],
    {
      encoding: 'utf8',
      timeout: ROW_TIMEOUT_MS + 60_000,
      killSignal: 'SIGKILL',
      maxBuffer: 16 << 20,
    },
  );
  if (child.status !== 0) throw new Error(`row ${peerIndex}/${writers} failed (${child.status ?? child.signal}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Row;
}

function installPeer(): void {
  if (existsSync(join(PEERS, 'node_modules'))) return;
  console.error('installing the peer into bench/peers (npm ci, once; sqlite3 may compile) ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit', timeout: 600_000 });
  if (install.status !== 0) throw new Error(`npm ci --prefix bench/peers failed (${install.status ?? install.signal})`);
}

function peers(): Peer[] {
  const emmett = createRequire(join(PEERS, 'package.json'))('@event-driven-io/emmett-sqlite') as EmmettSqlite;
  return [ours, emmettPeer(emmett, false), emmettPeer(emmett, true)];
}

async function runRow(peerIndex: number, writers: number): Promise<void> {
  const write = (line: string): boolean => process.stdout.write(`${line}\n`);
  // Emmett logs every failed transaction with console.log: kept off the result line (its errors are counted).
  console.log = () => undefined;
  write(JSON.stringify(await measure(peers()[peerIndex], writers)));
  // What a stuck peer left in flight must not keep the process alive.
  process.exit(0);
}

async function main(): Promise<void> {
  const row = process.argv.indexOf('--row');
  if (row > 0) return runRow(Number(process.argv[row + 1]), Number(process.argv[row + 2]));
  installPeer();
  const stores = peers();
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}; ${new Date().toISOString()}`,
  );
  console.log(
    `${APPENDS} single-event appends per row (AccountRegistered with audit metadata), expected revision checked, one stream per writer, files in ${tmpdir()}`,
  );
  console.log(
    "durability: both SQLite in WAL with synchronous=FULL (ours sets it; Emmett leaves sqlite3's default, which is FULL): an acknowledged append is fsynced\n",
  );
  const results = stores.map((peer, index) => ({
    peer,
    rows: WRITER_COUNTS.map((writers) => {
      console.error(`  ${peer.name}, ${writers} writer(s) ...`);
      return measureInChild(index, writers);
    }),
  }));
  const width = Math.max(...stores.map((peer) => peer.name.length));
  console.log(`${'store'.padEnd(width)}  writers  appends/s  seconds  acknowledged  in the file  acked but lost  never settled  errors`);
  for (const { peer, rows } of results) {
    for (const row of rows) {
      const errorCount = row.errors.reduce((sum, [, count]) => sum + count, 0);
      console.log(
        `${peer.name.padEnd(width)}  ${String(row.writers).padStart(7)}  ${row.perSecond.toFixed(0).padStart(9)}  ${row.seconds.toFixed(1).padStart(7)}  ${String(row.acknowledged).padStart(12)}  ${String(row.stored).padStart(11)}  ${String(row.lost).padStart(14)}  ${String(row.pending).padStart(13)}  ${String(errorCount).padStart(6)}${row.timedOut ? `  (stopped at ${ROW_TIMEOUT_MS / 1000} s)` : ''}${row.pending > 0 ? `  (gave up waiting at ${ROW_TIMEOUT_MS / 1000 + 10} s)` : ''}`,
      );
    }
  }
  for (const { peer, rows } of results) {
    for (const row of rows) {
      for (const [message, count] of row.errors) console.log(`${peer.name}, ${row.writers} writers: ${count} x ${message}`);
    }
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
