import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BRAND, DRAFT, draftAndActivate } from '../support/contract-api';
import { plantEvent } from '../support/plant-event';
import { startTestApp, type TestApi } from '../support/http-client';

const ROOT = join(__dirname, '../..');

/** An amendment the write side once accepted: a change that is no change at all. */
const MALFORMED_AMENDMENT = { amendmentId: 'a-1', documentRef: 'SA-1', effectiveOn: '2027-06-01', changes: [[]] };

/** One of the service's command lines, on the data folder, with the service stopped. */
function cli(dataDir: string, script: string, ...args: string[]) {
  return spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/cli', script), ...args], {
    env: { ...process.env, DATA_DIR: dataDir, EVENTSTORE_CONNECTION_STRING: '' },
    encoding: 'utf8',
  });
}

describe('a contract whose stream holds an event the read models cannot apply', () => {
  let dataDir: string;
  let api: TestApi;
  const boot = async () => (api = await startTestApp({ DATA_DIR: dataDir }));
  const restart = async () => {
    await api.app.close();
    return boot();
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'quarantine-'));
    await boot();
  });
  afterEach(async () => {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A contract at revision 3 whose revision 4 (and nothing else) the contracts projection cannot apply. */
  async function aPoisonedContract(): Promise<string> {
    const id = await draftAndActivate(api);
    plantEvent(dataDir, id, 'ContractAmended', MALFORMED_AMENDMENT);
    return id;
  }

  it('is quarantined alone: other contracts are written and read, readiness stays 200 and lists it, and a restart keeps it', async () => {
    const poisoned = await aPoisonedContract();
    const other = (await api.as(BRAND).post('/contracts', DRAFT)).body.contractId;

    expect((await api.as(BRAND).get(`/contracts/${other}`)).status).toBe(200);
    const refused = await api.as(BRAND).get(`/contracts/${poisoned}`);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      code: 'read_models.contract_quarantined',
      detail: expect.stringMatching(/revision 4, position \d+.*projections:skip -- contracts contract-/),
    });
    // The list goes on past it, flagged: its row may miss the change that would match a filter, so it is on every page it could be on.
    const listed = (await api.as(BRAND).get('/contracts')).body;
    expect(listed.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ contractId: poisoned, quarantined: true }),
        expect.not.objectContaining({ quarantined: true }),
      ]),
    );
    expect((await api.as(BRAND).get('/contracts?status=terminated')).body.items).toEqual([
      expect.objectContaining({ contractId: poisoned, quarantined: true }),
    ]);
    expect((await api.as(BRAND).get(`/contracts?limit=1&after=${poisoned}`)).status).toBe(200);
    expect((await api.as('brand:brand-other').get('/contracts')).body).toEqual({ items: [], nextCursor: null });

    // To anyone who may not see it, it answers exactly as a contract that does not exist.
    const stranger = api.as('brand:brand-other');
    const missing = randomUUID();
    for (const path of ['', '/handover', '/handover/stream']) {
      const [hidden, absent] = [await stranger.get(`/contracts/${poisoned}${path}`), await stranger.get(`/contracts/${missing}${path}`)];
      expect([hidden.status, hidden.body.code, hidden.body.detail]).toEqual([absent.status, absent.body.code, absent.body.detail]);
    }

    // Public health counts; which contract and why is for operators (the skip command's --list).
    const health = await api.call('GET', '/health/ready');
    expect(health.status).toBe(200);
    expect(health.body.info.readModels).toMatchObject({
      status: 'up',
      degraded: true,
      projections: [{ name: 'contracts', state: 'live', quarantined: 1 }, { name: 'handover' }],
    });
    expect(JSON.stringify(health.body)).not.toContain(poisoned);

    await restart();
    const later = (await api.as(BRAND).post('/contracts', DRAFT)).body.contractId;
    expect((await api.as(BRAND).get(`/contracts/${later}`)).status).toBe(200);
    expect((await api.as(BRAND).get(`/contracts/${poisoned}`)).body.code).toBe('read_models.contract_quarantined');
    expect((await api.call('GET', '/health')).body.info.readModels.projections[0].quarantined).toBe(1);
    await api.app.close();
    expect(cli(dataDir, 'projections-skip.ts', '--list').stdout).toContain(`quarantined: contracts contract-${poisoned}`);
  });

  it('an event no projection knows quarantines the contract in each, checklist and live checklist included', async () => {
    const id = await draftAndActivate(api);
    plantEvent(dataDir, id, 'ContractTeleported', {});
    await api.as(BRAND).post('/contracts', DRAFT);

    expect((await api.as(BRAND).get(`/contracts/${id}/handover`)).body).toMatchObject({
      status: 503,
      code: 'read_models.contract_quarantined',
    });
    const live = await fetch(`${api.url}/contracts/${id}/handover/stream`, {
      headers: { authorization: `Bearer ${await api.as(BRAND).key()}` },
    });
    expect(live.status).toBe(503);
    const { projections } = (await api.call('GET', '/health')).body.info.readModels;
    expect(projections.map((projection: { quarantined: number }) => projection.quarantined)).toEqual([1, 1]);
  });

  it('npm run projections:skip lifts the quarantine with an audit record, and the contract is served with every other event', async () => {
    const id = await aPoisonedContract();
    plantEvent(dataDir, id, 'AccountRegistered', {
      accountId: 'acc-1',
      platform: 'tmall',
      accountName: 'shop',
      accountKind: 'shop_master_account',
    });
    await api.as(BRAND).post('/contracts', DRAFT);
    await api.app.close();

    const skip = cli(
      dataDir,
      'projections-skip.ts',
      'contracts',
      `contract-${id}`,
      '--reason',
      'empty change list, refused by the write side since',
      '--by',
      'ops-anna',
    );
    expect(skip.stderr).toBe('');
    expect(skip.status).toBe(0);
    expect(skip.stdout).toMatch(new RegExp(`^Skipped contract-${id} revision 4 \\(position \\d+\\) in contracts, by ops-anna`));
    expect(cli(dataDir, 'projections-skip.ts', '--list').stdout).toMatch(
      /^skipped: contracts contract-\S+ revision 4 .* by ops-anna at \S+: empty change list/m,
    );

    await boot();
    const served = await api.as(BRAND).get(`/contracts/${id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('etag')).toBe('"5"');
    expect(served.body.accounts).toEqual([expect.objectContaining({ accountId: 'acc-1' })]);
    const [contracts] = (await api.call('GET', '/health')).body.info.readModels.projections;
    expect(contracts).toMatchObject({ quarantined: 0, skipped: 1 });
  });

  it('npm run projections:rebuild keeps the quarantine while the event still fails, and clears it once it applies', async () => {
    const id = await aPoisonedContract();
    await api.as(BRAND).post('/contracts', DRAFT);
    await api.app.close();

    const failing = cli(dataDir, 'projections-rebuild.ts');
    expect(failing.status).toBe(0);
    expect(failing.stdout).toContain(`Still quarantined: contracts contract-${id} at revision 4`);

    // The fix: here the event is made readable in place, as an upcaster would read it.
    const events = new Database(join(dataDir, 'events.sqlite'));
    events
      .prepare(
        `UPDATE events SET data = json_set(data, '$.changes', json('[{"type":"remove_scope","scope":"logistics"}]')) WHERE stream = ? AND revision = 4`,
      )
      .run(`contract-${id}`);
    events.close();
    const fixed = cli(dataDir, 'projections-rebuild.ts');
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).not.toContain('Still quarantined');

    await boot();
    const served = await api.as(BRAND).get(`/contracts/${id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('etag')).toBe('"4"');
    expect((await api.call('GET', '/health')).body.info.readModels).toMatchObject({ degraded: false });
  });

  it('a failure of the read-model database stops the whole projection, durably', async () => {
    const first = (await api.as(BRAND).post('/contracts', DRAFT)).body.contractId;
    const readModels = new Database(join(dataDir, 'read-models.sqlite'));
    readModels.exec('DROP TABLE contract_summaries');
    readModels.close();
    await api.as(BRAND).post('/contracts', DRAFT);

    const stopped = {
      name: 'contracts',
      state: 'stopped',
      failure: expect.objectContaining({ message: expect.stringContaining('no such table') }),
    };
    let health = await api.call('GET', '/health/ready');
    for (let tries = 0; health.body.error?.readModels === undefined && tries < 200; tries += 1)
      health = await api.call('GET', '/health/ready');
    expect(health.status).toBe(503);
    expect(health.body.error.readModels.projections[0]).toMatchObject(stopped);
    expect((await api.as(BRAND).get(`/contracts/${first}`)).body.code).toBe('read_models.stopped');

    await restart();
    health = await api.call('GET', '/health/ready');
    expect(health.status).toBe(503);
    expect(health.body.error.readModels.projections[0]).toMatchObject(stopped);
    expect((await api.call('GET', `/contracts/${first}`)).status).toBe(401);
    expect((await api.as(BRAND).get(`/contracts/${first}`)).body.code).toBe('read_models.stopped');
  });
});
