import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { CommandContext } from '../src/contracts/application/contract-stream';
import { executeContractCommand } from '../src/contracts/application/execute-command';
import type { ContractCommand } from '../src/contracts/domain/commands';
import { SqliteEventStore } from '../src/event-store/adapters/sqlite-event-store';
import { PROJECTIONS } from '../src/projections/contract-projections';
import { rebuildReadModels } from '../src/projections/rebuild';
import { draftCommand } from '../test/support/contract-fixtures';

/**
 * How fast the read models rebuild: writes contracts through the real write
 * path (hash-chained events), then rebuilds every read model from the log.
 * `npm run bench:rebuild` (BENCH_CONTRACTS, default 2000, about 8 events each).
 */
const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 2000);

function context(): CommandContext {
  return { principal: { keyId: 'bench', role: 'admin' }, actor: 'admin:bench', correlationId: randomUUID(), commandId: randomUUID(), receivedAt: new Date().toISOString() };
}

function lifecycle(n: number): ContractCommand[] {
  return [
    { type: 'SignContract', party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' },
    { type: 'SignContract', party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' },
    { type: 'RegisterAccount', accountId: randomUUID(), platform: 'tmall', accountName: `shop-${n}`, accountKind: 'shop_master_account' },
    { type: 'GrantAuthorization', authorizationId: randomUUID(), authorizationType: 'online_distribution', platform: 'tmall', documentRef: `A-${n}` },
    { type: 'AmendContract', amendmentId: randomUUID(), documentRef: `SA-${n}`, effectiveOn: '2027-06-01', changes: [{ type: 'remove_scope', scope: 'logistics' }] },
    { type: 'TerminateContract', initiatedBy: 'brand', grounds: { type: 'stipulated_condition', clause: '12.3' }, effectiveOn: '2028-01-01' },
  ];
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-rebuild-'));
  const store = new SqliteEventStore(join(folder, 'events.sqlite'));
  try {
    console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
    const writing = Date.now();
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let n = writer; n < CONTRACTS; n += 8) {
          const contractId = randomUUID();
          const draft = { ...draftCommand(), contractId } as ContractCommand;
          for (const command of [draft, ...lifecycle(n)]) await executeContractCommand(store, contractId, command, context());
        }
      }),
    );
    const head = await store.headPosition();
    console.log(`wrote ${CONTRACTS} contracts, ${head?.commit ?? 0} events, in ${Date.now() - writing} ms`);
    const done = await rebuildReadModels(store, join(folder, 'read-models.sqlite'), PROJECTIONS);
    console.log(`rebuilt ${PROJECTIONS.length} read models from ${done.events} events in ${done.elapsedMs} ms: ${Math.round((done.events * 1000) / done.elapsedMs)} events/s`);
  } finally {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

void main();
