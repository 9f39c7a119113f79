import Database from 'better-sqlite3';
import { join } from 'node:path';
import { verifyChain } from '../../src/audit/hash-chain';
import { KEYS_STREAM } from '../../src/auth/api-keys';
import { EventStore } from '../../src/event-store/event-store.port';
import { eventHash, GENESIS_HASH } from '../../src/event-store/hash-chain';
import { draftAndActivate, OPERATOR } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';

interface Row {
  position: number;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

/** Opens the embedded store's file behind the service's back, as an intruder would. */
function intrude(api: TestApi) {
  return new Database(join(api.dataDir, 'events.sqlite'));
}

describe('tamper evidence', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApp();
  });
  afterEach(async () => {
    await api.stop();
  });

  async function aContractWithABreach(): Promise<string> {
    const id = await draftAndActivate(api);
    await api.as(OPERATOR).post(`/contracts/${id}/breaches`, {
      breachingParty: 'brand',
      clause: 'Brand duty 2: ship every day',
      description: 'Orders of 8-12 March not shipped',
      evidenceRef: 'EV-1',
      noticedOn: '2028-03-12',
    });
    return id;
  }

  it('reports an intact chain for every event of a contract', async () => {
    const id = await aContractWithABreach();
    const integrity = await api.get(`/contracts/${id}/integrity`);
    expect(integrity.body).toEqual({
      contractId: id,
      ok: true,
      events: 5,
      head: { revision: 4, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it('chains the keys stream too, from its first event', async () => {
    expect((await api.as('admin').post('/admin/keys', { role: 'auditor', label: 'second auditor' })).status).toBe(201);
    const keys = await api.app.get(EventStore).readStream(KEYS_STREAM);
    expect(keys.found && keys.events.length).toBeGreaterThan(1);
    expect(verifyChain(keys.found ? keys.events : [])).toMatchObject({ ok: true, events: keys.found ? keys.events.length : -1 });
  });

  it('finds the event that was edited in the SQLite file', async () => {
    const id = await aContractWithABreach();
    const db = intrude(api);
    db.prepare(`UPDATE events SET data = json_set(data, '$.signatory', 'Mallory') WHERE stream = ? AND revision = 1`).run(`contract-${id}`);
    db.close();

    const integrity = await api.get(`/contracts/${id}/integrity`);
    expect(integrity.body).toMatchObject({ ok: false, events: 1, brokenAt: { revision: 1, reason: expect.stringContaining('altered') } });
  });

  it('still reports to the auditor a history altered so far that it no longer folds', async () => {
    const id = await aContractWithABreach();
    const db = intrude(api);
    db.prepare(`UPDATE events SET type = 'ContractTeleported' WHERE stream = ? AND revision = 3`).run(`contract-${id}`);
    db.close();

    const integrity = await api.as('auditor').get(`/contracts/${id}/integrity`);
    expect(integrity.body).toMatchObject({ ok: false, brokenAt: { revision: 3 } });
    expect((await api.as('auditor').get(`/contracts/${id}/events`)).body.events[3].type).toBe('ContractTeleported');
  });

  it('a kept digest exposes a rewrite even when the intruder re-hashes the whole chain', async () => {
    const id = await aContractWithABreach();
    const kept = (await api.get('/audit/digest')).body;
    expect(kept).toMatchObject({ broken: [], digest: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const db = intrude(api);
    const rows = db.prepare<[string], Row>('SELECT * FROM events WHERE stream = ? ORDER BY revision').all(`contract-${id}`);
    let previousHash = GENESIS_HASH;
    for (const row of rows) {
      const data = row.revision === 4 ? { ...JSON.parse(row.data), breachingParty: 'operator' } : JSON.parse(row.data);
      const { hash: _old, ...metadata } = JSON.parse(row.metadata);
      previousHash = eventHash(previousHash, {
        stream: `contract-${id}`,
        revision: BigInt(row.revision),
        id: row.event_id,
        type: row.type,
        data,
        metadata,
      })!;
      db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(
        JSON.stringify(data),
        JSON.stringify({ ...metadata, hash: previousHash }),
        row.position,
      );
    }
    db.close();

    expect((await api.get(`/contracts/${id}/integrity`)).body.ok).toBe(true);
    const verification = await api.as('auditor').post('/audit/digest/verification', { position: kept.position, digest: kept.digest });
    expect(verification.status).toBe(200);
    expect(verification.body.ok).toBe(false);
  });

  it('verifies a history hashed before RFC 8785, and the chain the service continues it with', async () => {
    const id = await aContractWithABreach();
    // Rewrites the history as the previous release stored it: no hashAlgorithm, hashed with the legacy JSON.
    const db = intrude(api);
    let previousHash = GENESIS_HASH;
    for (const row of db.prepare<[string], Row>('SELECT * FROM events WHERE stream = ? ORDER BY revision').all(`contract-${id}`)) {
      const { hash: _hash, hashAlgorithm: _algorithm, ...metadata } = JSON.parse(row.metadata);
      previousHash = eventHash(previousHash, {
        stream: `contract-${id}`,
        revision: BigInt(row.revision),
        id: row.event_id,
        type: row.type,
        data: JSON.parse(row.data),
        metadata,
      })!;
      db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(
        JSON.stringify({ ...metadata, hash: previousHash }),
        row.position,
      );
    }
    db.close();
    expect((await api.get(`/contracts/${id}/integrity`)).body).toMatchObject({
      ok: true,
      events: 5,
      head: { revision: 4, hash: previousHash },
    });

    expect(
      (await api.as(OPERATOR).post(`/contracts/${id}/accounts`, { platform: 'tmall', accountName: 'later', kind: 'sub_account' })).status,
    ).toBe(201);
    const events = (await api.as('auditor').get(`/contracts/${id}/events`)).body.events as Array<{ metadata: Record<string, unknown> }>;
    expect(events.map((event) => event.metadata.hashAlgorithm)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'sha256-rfc8785-v2',
    ]);
    expect((await api.get(`/contracts/${id}/integrity`)).body).toMatchObject({ ok: true, events: 6 });
    const digest = (await api.get('/audit/digest')).body;
    expect(digest.broken).toEqual([]);
    expect((await api.as('auditor').post('/audit/digest/verification', { position: digest.position, digest: digest.digest })).body.ok).toBe(
      true,
    );
  });

  it('a kept digest still verifies after later, honest writes', async () => {
    const id = await aContractWithABreach();
    const kept = (await api.get('/audit/digest')).body;
    await api.as(OPERATOR).post(`/contracts/${id}/accounts`, { platform: 'tmall', accountName: 'later', kind: 'sub_account' });
    expect((await api.get('/audit/digest')).body.digest).not.toBe(kept.digest);
    const verification = await api.as('auditor').post('/audit/digest/verification', { position: kept.position, digest: kept.digest });
    expect(verification.body).toMatchObject({ ok: true, recomputed: { position: kept.position, digest: kept.digest } });
  });
});
