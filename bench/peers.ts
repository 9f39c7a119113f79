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
 * BENCH_APPENDS (per row, default 1000), BENCH_ROW_TIMEOUT_MS (120000).
 *
 * The peer is installed on demand into bench/peers/ (its own package.json and
 * lock), so that the service's own install does not carry it.
 */
const APPENDS = Number(process.env.BENCH_APPENDS ?? 1000);
const WRITER_COUNTS = [1, 2, 8, 64];
/** A row that never finishes (a stuck transaction) must not hold the machine. */
const ROW_TIMEOUT_MS = Number(process.env.BENCH_ROW_TIMEOUT_MS ?? 120_000);
const PEERS = join(__dirname, 'peers');

/** What the bench needs of a store: append one event at a known stream length, and find that length again after a failure. */
interface Appender {
  append(stream: string, length: bigint, event: EventData): Promise<void>;
  length(stream: string): Promise<bigint>;
  close(): Promise<void>;
}

interface Peer {
  readonly name: string;
  /** The table the events land in, to count them afterwards. */
  readonly table: string;
  open(file: string): Appender;
}

/** Emmett's SQLite store, only what is used of it (loaded from bench/peers/node_modules). */
interface EmmettStore {
  appendToStream(stream: string, events: Array<{ type: string; data: object; metadata: object }>, options: { expectedStreamVersion: bigint }): Promise<unknown>;
  readStream(stream: string): Promise<{ currentStreamVersion: bigint }>;
}
interface EmmettSqlite {
  getSQLiteEventStore(options: { fileName: string }): EmmettStore;
  messagesTable: { name: string };
}

const ours: Peer = {
  name: 'embedded (better-sqlite3, group commit)',
  table: 'events',
  open(file) {
    const store = new SqliteEventStore(file);
    return {
      // The port's revisions count from 0: the expected revision is the last event's.
      append: async (stream, length, event) => void (await store.appendToStream(stream, [event], length === 0n ? 'no_stream' : length - 1n)),
      length: async (stream) => {
        const read = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
        return read.found && read.events[0] ? read.events[0].revision + 1n : 0n;
      },
      close: () => store.close(),
    };
  },
};

function emmettPeer(): Peer {
  const emmett = createRequire(join(PEERS, 'package.json'))('@event-driven-io/emmett-sqlite') as EmmettSqlite;
  return {
    name: 'Emmett SQLite 0.38.5 (sqlite3 5.1.7)',
    table: emmett.messagesTable.name,
    open(file) {
      const store = emmett.getSQLiteEventStore({ fileName: file });
      return {
        // Emmett's stream versions count events: the expected version is the stream's length (0 creates it).
        append: async (stream, length, { type, data, metadata }) => void (await store.appendToStream(stream, [{ type, data, metadata }], { expectedStreamVersion: length })),
        length: async (stream) => (await store.readStream(stream)).currentStreamVersion,
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
  readonly acknowledged: number;
  readonly stored: number | undefined;
  readonly errors: Map<string, number>;
  readonly timedOut: boolean;
}

async function measure(peer: Peer, writers: number): Promise<Row> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-peers-'));
  const file = join(folder, 'events.sqlite');
  const store = peer.open(file);
  const errors = new Map<string, number>();
  let acknowledged = 0;
  const perWriter = Math.ceil(APPENDS / writers);
  const started = process.hrtime.bigint();
  const work = Promise.all(
    Array.from({ length: writers }, async () => {
      const stream = `contract-${randomUUID()}`;
      let length = 0n;
      for (let n = 0; n < perWriter; n += 1) {
        try {
          await store.append(stream, length, accountRegistered(n));
          length += 1n;
          acknowledged += 1;
        } catch (error) {
          const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0];
          errors.set(message, (errors.get(message) ?? 0) + 1);
          // The failed append may still have been written: go on from what the stream holds.
          length = await store.length(stream).catch(() => length);
        }
      }
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    work.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ROW_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let stored: number | undefined;
  if (!timedOut) {
    await store.close();
    const db = new Database(file, { readonly: true });
    stored = (db.prepare(`SELECT COUNT(*) AS count FROM ${peer.table}`).get() as { count: number }).count;
    db.close();
    rmSync(folder, { recursive: true, force: true });
  }
  return { writers, perSecond: acknowledged / seconds, acknowledged, stored, errors, timedOut };
}

function installPeer(): void {
  if (existsSync(join(PEERS, 'node_modules'))) return;
  console.error('installing the peer into bench/peers (npm ci, once; sqlite3 may compile) ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit', timeout: 600_000 });
  if (install.status !== 0) throw new Error(`npm ci --prefix bench/peers failed (${install.status ?? install.signal})`);
}

async function main(): Promise<void> {
  installPeer();
  const peers = [ours, emmettPeer()];
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}; ${new Date().toISOString()}`);
  console.log(`${APPENDS} single-event appends per row (AccountRegistered with audit metadata), expected revision checked, one stream per writer, files in ${tmpdir()}`);
  console.log('durability: both SQLite in WAL with synchronous=FULL (ours sets it; Emmett leaves sqlite3\'s default, which is FULL): an acknowledged append is fsynced\n');
  const results: Array<{ peer: Peer; rows: Row[] }> = [];
  // Emmett logs every failed transaction with console.log: kept off the table (its errors are counted below).
  const log = console.log;
  for (const peer of peers) {
    const rows: Row[] = [];
    for (const writers of WRITER_COUNTS) {
      console.error(`  ${peer.name}, ${writers} writer(s) ...`);
      console.log = () => undefined;
      try {
        rows.push(await measure(peer, writers));
      } finally {
        console.log = log;
      }
    }
    results.push({ peer, rows });
  }
  const width = Math.max(...peers.map((peer) => peer.name.length));
  console.log(`${'store'.padEnd(width)}  writers  appends/s  acknowledged  in the file  errors`);
  for (const { peer, rows } of results) {
    for (const row of rows) {
      const errorCount = [...row.errors.values()].reduce((sum, count) => sum + count, 0);
      console.log(
        `${peer.name.padEnd(width)}  ${String(row.writers).padStart(7)}  ${row.perSecond.toFixed(0).padStart(9)}  ${String(row.acknowledged).padStart(12)}  ${String(row.stored ?? '?').padStart(11)}  ${String(errorCount).padStart(6)}${row.timedOut ? `  (timed out after ${ROW_TIMEOUT_MS} ms)` : ''}`,
      );
    }
  }
  for (const { peer, rows } of results) {
    for (const row of rows) {
      for (const [message, count] of row.errors) console.log(`${peer.name}, ${row.writers} writers: ${count} x ${message}`);
    }
  }
  // A timed-out row may leave a peer's callbacks pending forever.
  process.exit(0);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
