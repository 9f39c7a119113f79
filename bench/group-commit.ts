import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/event-store/adapters/sqlite-event-store';

/**
 * What group commit buys the embedded store: the same number of appends,
 * issued one at a time (one transaction and fsync each) or by concurrent
 * writers (sharing transactions), measured side by side in one run.
 * `npm run bench` prints appends/s and the ratio to one writer.
 */
const APPENDS = Number(process.env.BENCH_APPENDS ?? 2000);
const WRITER_COUNTS = [1, 8, 64];

async function measure(writers: number): Promise<{ perSecond: number; perCommit: number }> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-'));
  const store = new SqliteEventStore(join(folder, 'events.sqlite'));
  const perWriter = Math.ceil(APPENDS / writers);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      const stream = `bench-${randomUUID()}`;
      for (let revision = 0; revision < perWriter; revision += 1) {
        const event = { id: randomUUID(), type: 'Benchmarked', data: { revision, note: 'x'.repeat(200) }, metadata: {} };
        await store.appendToStream(stream, [event], revision === 0 ? 'no_stream' : BigInt(revision - 1));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { transactions, appends } = store.commitStats;
  await store.close();
  rmSync(folder, { recursive: true, force: true });
  return { perSecond: (perWriter * writers) / seconds, perCommit: appends / transactions };
}

async function main(): Promise<void> {
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}`,
  );
  console.log(`store: SQLite WAL, synchronous=FULL, in ${tmpdir()}; ${APPENDS} single-event appends per row\n`);
  const rows: Array<{ writers: number; perSecond: number; perCommit: number }> = [];
  for (const writers of WRITER_COUNTS) rows.push({ writers, ...(await measure(writers)) });
  const baseline = rows[0].perSecond;
  console.log('writers  appends/s  appends/commit  vs 1 writer');
  for (const { writers, perSecond, perCommit } of rows) {
    console.log(
      `${String(writers).padStart(7)}  ${perSecond.toFixed(0).padStart(9)}  ${perCommit.toFixed(1).padStart(14)}  ${(perSecond / baseline).toFixed(2).padStart(10)}x`,
    );
  }
}

void main();
