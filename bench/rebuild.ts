import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ContractHistories } from '../src/contracts/application/contract-histories';
import { contractStream, type CommandContext } from '../src/contracts/application/contract-stream';
import { executeContractCommand } from '../src/contracts/application/execute-command';
import type { ContractCommand } from '../src/contracts/domain/commands';
import { SqliteEventStore } from '../src/event-store/adapters/sqlite-event-store';
import type { EventData } from '../src/event-store/event-store.port';
import { PROJECTIONS } from '../src/catalog';
import { rebuildReadModels } from '../src/projections/rebuild';
import { draftCommand } from '../test/support/contract-fixtures';

/**
 * How fast the read models rebuild, and in how much memory.
 *
 * `npm run bench:rebuild` (default): writes BENCH_CONTRACTS contracts (2000,
 * 12 events each) through the real write path (decide, hash chain, append),
 * then rebuilds every read model from the log.
 *
 * `npm run bench:rebuild -- --events 1000000`: a log of that many events,
 * rebuilt at 100,000 events and again at the end. The write path writes
 * about 2,000 events/s here (8 minutes for a million), so at this size one
 * contract is written through the write path and the rest are copies of its
 * events appended through the store port (new contract and event ids; the
 * copies' hash chains are not valid, which no projection checks).
 *
 * Each rebuild runs in a child process of its own, as `npm run
 * projections:rebuild` does, so its peak RSS (resourceUsage().maxRSS) is the
 * rebuild's alone, not the writer's.
 */
const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 2000);
const CHECKPOINT = 100_000;
/** One rebuild of a million events takes a few minutes here: a stuck one must not hold the machine. */
const REBUILD_TIMEOUT_MS = 15 * 60_000;
const WRITERS = 64;

function context(): CommandContext {
  return {
    principal: { keyId: 'bench', role: 'admin' },
    actor: 'admin:bench',
    correlationId: randomUUID(),
    commandId: randomUUID(),
    receivedAt: new Date().toISOString(),
  };
}

function lifecycle(n: number): ContractCommand[] {
  return [
    { type: 'SignContract', party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' },
    { type: 'SignContract', party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' },
    { type: 'RegisterAccount', accountId: randomUUID(), platform: 'tmall', accountName: `shop-${n}`, accountKind: 'shop_master_account' },
    {
      type: 'GrantAuthorization',
      authorizationId: randomUUID(),
      authorizationType: 'online_distribution',
      platform: 'tmall',
      documentRef: `A-${n}`,
    },
    {
      type: 'ProposeAmendment',
      amendmentId: `SA-${n}`,
      proposedBy: 'brand',
      documentRef: `SA-${n}`,
      effectiveOn: '2027-06-01',
      changes: [{ type: 'remove_scope', scope: 'logistics' }],
    },
    { type: 'CountersignAmendment', amendmentId: `SA-${n}`, party: 'operator', signatory: 'Li Na', countersignedOn: '2027-05-20' },
    {
      type: 'TerminateContract',
      initiatedBy: 'brand',
      grounds: { type: 'stipulated_condition', conditionId: '12.3' },
      effectiveOn: '2028-01-01',
      today: '2028-01-01',
    },
  ];
}

/** One contract's whole life through the real write path (12 events). */
async function writeContract(store: SqliteEventStore, n: number): Promise<string> {
  const contractId = randomUUID();
  const draft = { ...draftCommand(), contractId } as ContractCommand;
  const histories = new ContractHistories(store);
  for (const command of [draft, ...lifecycle(n)]) await executeContractCommand(histories, contractId, command, context());
  return contractId;
}

/** Appends copies of one written contract until the log holds `target` events (each copy in one append, 64 at a time). */
async function copyContracts(
  store: SqliteEventStore,
  template: { contractId: string; stream: string; events: EventData[] },
  target: number,
): Promise<void> {
  const json = JSON.stringify(template.events.map(({ type, data, metadata }) => ({ type, data, metadata })));
  let written = Number((await store.headPosition())?.commit ?? 0);
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (written < target) {
        written += template.events.length;
        const contractId = randomUUID();
        const copies = JSON.parse(json.replaceAll(template.contractId, contractId)) as Array<Omit<EventData, 'id'>>;
        await store.appendToStream(
          template.stream.replace(template.contractId, contractId),
          copies.map((event) => ({ id: randomUUID(), ...event })),
          'no_stream',
        );
      }
    }),
  );
}

interface Rebuilt {
  readonly events: number;
  readonly elapsedMs: number;
  /** CPU time (user and system) the rebuild took: steadier than elapsed time on a shared machine. */
  readonly cpuMs: number;
  readonly maxRssKiB: number;
}

/** The rebuild in a fresh process: `--rebuild-of <folder>` prints its figures as one JSON line. */
function rebuildInChild(folder: string): Rebuilt {
  const child = spawnSync(process.execPath, ['-r', join(__dirname, '../test/support/register-ts.js'), __filename, '--rebuild-of', folder], {
    encoding: 'utf8',
    timeout: REBUILD_TIMEOUT_MS,
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`rebuild failed (${child.status ?? child.signal}):\n${child.stdout}${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Rebuilt;
}

async function rebuildOnly(folder: string): Promise<void> {
  const store = new SqliteEventStore(join(folder, 'events.sqlite'));
  try {
    const cpu = process.cpuUsage();
    const done = await rebuildReadModels(store, join(folder, 'read-models.sqlite'), PROJECTIONS);
    const { user, system } = process.cpuUsage(cpu);
    const cpuMs = Math.round((user + system) / 1000);
    // maxRSS is in KiB on Linux and macOS.
    console.log(JSON.stringify({ events: done.events, elapsedMs: done.elapsedMs, cpuMs, maxRssKiB: process.resourceUsage().maxRSS }));
  } finally {
    await store.close();
  }
}

function report(rebuilt: Rebuilt): void {
  console.log(
    `rebuilt ${PROJECTIONS.length} read models from ${rebuilt.events} events in ${rebuilt.elapsedMs} ms: ${Math.round((rebuilt.events * 1000) / rebuilt.elapsedMs)} events/s, ` +
      `CPU ${rebuilt.cpuMs} ms (${Math.round((rebuilt.events * 1000) / rebuilt.cpuMs)} events per CPU second), peak RSS ${Math.round(rebuilt.maxRssKiB / 1024)} MiB`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string' }, 'rebuild-of': { type: 'string' } } });
  if (values['rebuild-of']) return rebuildOnly(values['rebuild-of']);
  const folder = mkdtempSync(join(tmpdir(), 'bench-rebuild-'));
  const file = join(folder, 'events.sqlite');
  let store = new SqliteEventStore(file);
  try {
    console.log(
      `machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}; ${new Date().toISOString()}`,
    );
    const writing = Date.now();
    if (!values.events) {
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          for (let n = writer; n < CONTRACTS; n += 8) await writeContract(store, n);
        }),
      );
      console.log(
        `wrote ${CONTRACTS} contracts through the write path, ${(await store.headPosition())?.commit ?? 0} events, in ${Date.now() - writing} ms`,
      );
      await store.close();
      report(rebuildInChild(folder));
      return;
    }
    const total = Number(values.events);
    const contractId = await writeContract(store, 0);
    const read = await store.readStream(contractStream(contractId));
    if (!read.found) throw new Error('the template contract was not written');
    const template = { contractId, stream: contractStream(contractId), events: [...read.events] };
    for (const target of total > CHECKPOINT ? [CHECKPOINT, total] : [total]) {
      await copyContracts(store, template, target);
      const head = Number((await store.headPosition())?.commit ?? 0);
      console.log(
        `log at ${head} events (copies of one ${template.events.length}-event contract through the store port), written in ${Date.now() - writing} ms so far`,
      );
      // The rebuild process reads the file alone, as with the service stopped.
      await store.close();
      report(rebuildInChild(folder));
      store = new SqliteEventStore(file);
    }
  } finally {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
