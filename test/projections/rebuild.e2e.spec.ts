import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '../../src/event-store/event-store.port';
import { PROJECTIONS } from '../../src/catalog';
import { rebuildReadModels } from '../../src/projections/rebuild';
import { agree, BRAND, completeOpenItems, DRAFT, draftAndActivate, OPERATOR, settleLedger, signOffByBoth } from '../support/contract-api';
import { finalSettlement } from '../support/contract-fixtures';
import { startTestApp, type TestApi } from '../support/http-client';

const ROOT = join(__dirname, '../..');

/** Every row of every read model table, and the checkpoints, in a stable order. */
function dump(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      ['contract_summaries', 'contract_summaries_parts', 'handover_checklists', 'handover_checklists_parts', 'checkpoints'].map((table) => [
        table,
        db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all(),
      ]),
    );
  } finally {
    db.close();
  }
}

/**
 * Some history: contracts drafted, active, with logistics taken back by an
 * agreement (its partial handover completed and signed off on one),
 * terminated with their ledgers settled, items done, waived and disputed.
 */
async function writeHistory(api: TestApi): Promise<void> {
  const write = async (principal: string, path: string, body: unknown) => {
    const answer = await api.as(principal).post(path, body);
    if (answer.status !== 201) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };
  await api.as(BRAND).post('/contracts', DRAFT);
  for (let n = 0; n < 3; n += 1) {
    const id = await draftAndActivate(api);
    await write(OPERATOR, `/contracts/${id}/accounts`, { platform: 'tmall', accountName: `shop-${n}`, kind: 'shop_master_account' });
    await write(OPERATOR, `/contracts/${id}/accounts`, { platform: 'cainiao', accountName: `cainiao-${n}`, kind: 'logistics_account' });
    const { amendmentId } = await agree(api, id, {
      documentRef: `SA-${n}`,
      effectiveOn: '2027-06-01',
      changes: [{ type: 'remove_scope', scope: 'logistics' }],
    });
    if (n === 2) {
      await completeOpenItems(api, id, { handoverId: amendmentId, doneOn: '2027-06-30' });
      await signOffByBoth(api, id, { handoverId: amendmentId, on: '2027-07-01' });
    }
    if (n > 0) {
      await write(OPERATOR, `/contracts/${id}/termination`, {
        initiatedBy: 'operator',
        grounds: 'stipulated_condition',
        conditionId: '12.3',
        effectiveOn: '2028-01-01',
      });
      const settlement = await settleLedger(api, id);
      await write(OPERATOR, `/contracts/${id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(settlement) });
      await write(OPERATOR, `/contracts/${id}/handover/items/inventory-return/waiver`, { party: 'operator', reason: 'None held' });
      if (n === 2)
        await write(BRAND, `/contracts/${id}/handover/items/inventory-return/waiver/agreement`, { party: 'brand', signatory: 'a' });
      else await write(BRAND, `/contracts/${id}/handover/items/inventory-return/dispute`, { party: 'brand', reason: 'Some was held' });
    }
  }
  await api.get('/contracts');
}

describe('rebuilding the read models', () => {
  it('yields read models identical to the live ones', async () => {
    const api = await startTestApp();
    const folder = mkdtempSync(join(tmpdir(), 'rebuild-'));
    try {
      await writeHistory(api);
      const fresh = join(folder, 'rebuilt.sqlite');
      const done = await rebuildReadModels(api.app.get(EventStore), fresh, PROJECTIONS);
      expect(done.events).toBeGreaterThan(20);
      expect(dump(fresh)).toEqual(dump(join(api.dataDir, 'read-models.sqlite')));
    } finally {
      await api.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('yields read models identical to live ones that went on after a restart from their stored rows', async () => {
    const before = await startTestApp();
    const dataDir = before.dataDir;
    const folder = mkdtempSync(join(tmpdir(), 'rebuild-'));
    const ids = [await draftAndActivate(before), await draftAndActivate(before)];
    const registered = await before.as(OPERATOR).post(`/contracts/${ids[0]}/accounts`, {
      platform: 'tmall',
      accountName: 'before-restart',
      kind: 'sub_account',
    });
    await before.app.close();
    // The same data folder: the projections go on from the rows they stored, holding no state in memory.
    const after = await startTestApp({ DATA_DIR: dataDir });
    try {
      // Asked off the contract by the operator, then acknowledged by the brand.
      const deregistration = `/contracts/${ids[0]}/accounts/${registered.body.accountId}/deregistration`;
      await after.as(OPERATOR).post(deregistration, { party: 'operator', reason: 'Closed' });
      await after.as(BRAND).post(deregistration, { party: 'brand', reason: 'Closed' });
      await after.as(OPERATOR).post(`/contracts/${ids[0]}/accounts`, { platform: 'jd', accountName: 'after', kind: 'sub_account' });
      for (const id of ids) {
        await after.as(OPERATOR).post(`/contracts/${id}/termination`, {
          initiatedBy: 'operator',
          grounds: 'stipulated_condition',
          conditionId: '12.3',
          effectiveOn: '2028-01-01',
        });
      }
      await after.get('/contracts');
      const fresh = join(folder, 'rebuilt.sqlite');
      await rebuildReadModels(after.app.get(EventStore), fresh, PROJECTIONS);
      expect(dump(fresh)).toEqual(dump(join(dataDir, 'read-models.sqlite')));
    } finally {
      await after.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('npm run projections:rebuild shows progress and swaps the rebuilt file in', async () => {
    const api = await startTestApp();
    await writeHistory(api);
    const live = join(api.dataDir, 'read-models.sqlite');
    const before = dump(live);
    await api.app.close();
    try {
      const cli = spawnSync(
        process.execPath,
        ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/cli/projections-rebuild.ts')],
        {
          env: { ...process.env, DATA_DIR: api.dataDir, EVENTSTORE_CONNECTION_STRING: '' },
          encoding: 'utf8',
        },
      );
      expect(cli.status).toBe(0);
      expect(cli.stderr).toMatch(/\[#{30}\] 100% \d+ events, \d+ events\/s/);
      expect(cli.stdout).toMatch(/^Rebuilt contracts, handover from \d+ events in \d+ ms/);
      expect(dump(live)).toEqual(before);
    } finally {
      rmSync(api.dataDir, { recursive: true, force: true });
    }
  });
});
