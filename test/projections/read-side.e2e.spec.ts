import { agree, BRAND, DRAFT, draftAndActivate, OPERATOR, settleLedger } from '../support/contract-api';
import { finalSettlement } from '../support/contract-fixtures';
import { EventStore } from '../../src/event-store/event-store.port';
import { startTestApp, type TestApi } from '../support/http-client';
import { plantEvent } from '../support/plant-event';

describe('the read side over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp({ PROJECTION_WAIT_MS: '300' });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('answers a read with the write it names, and 503 when the read models cannot reach it in time', async () => {
    const id = await draftAndActivate(api);
    const written = await api
      .as(OPERATOR)
      .post(`/contracts/${id}/accounts`, { platform: 'jd', accountName: 'feiyue-jd', kind: 'shop_master_account' });
    const read = await api.get(`/contracts/${id}?minPosition=${written.body.position}`);
    expect(read.body.accounts).toEqual([expect.objectContaining({ accountName: 'feiyue-jd', status: 'registered' })]);
    expect(read.headers.get('etag')).toBe(`"${written.body.revision}"`);

    // An event in the log that the service has not seen yet (written behind its back, noticed at its next write).
    plantEvent(api.dataDir, id, 'BreachCured', { breachId: 'none', curedOn: '2028-01-01' });
    const head = await api.app.get(EventStore).headPosition();
    const behind = await api.get(`/contracts/${id}?minPosition=${head!.commit}`);
    expect(behind.status).toBe(503);
    expect(behind.body).toMatchObject({ code: 'read_models.behind', detail: expect.stringContaining(String(head!.commit)) });
  });

  it('answers 400 at once for a position past the end of the log, which no write answered', async () => {
    const id = await draftAndActivate(api);
    const beyond = await api.get(`/contracts/${id}?minPosition=99999999999999999999`);
    expect(beyond.body).toMatchObject({
      status: 400,
      code: 'request.position_ahead',
      detail: expect.stringContaining('99999999999999999999'),
    });
  });

  it('lists contracts filtered by status, party, scope and platform, in pages', async () => {
    const other = {
      ...DRAFT,
      brand: { partyId: 'brand-huili', name: 'Huili Shoes' },
      scopes: ['marketing'],
      shops: [{ platform: 'douyin', name: 'Huili Douyin store' }],
    };
    const huili = (await api.as('brand:brand-huili').post('/contracts', other)).body.contractId;
    const feiyue = await draftAndActivate(api);

    const ids = async (query: string) =>
      (await api.get(`/contracts?${query}`)).body.items.map((item: { contractId: string }) => item.contractId);
    expect(await ids('party=brand-huili')).toEqual([huili]);
    expect(await ids('party=brand-huili&status=active')).toEqual([]);
    expect(await ids('platform=douyin')).toEqual([huili]);
    expect(await ids('scope=logistics&party=op-yunshang')).toContain(feiyue);
    expect(await ids('scope=logistics')).not.toContain(huili);

    const all = await ids('limit=100');
    const first = await api.get('/contracts?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]).toMatchObject({
      status: expect.any(String),
      brand: expect.any(Object),
      keyDates: { termEndsOn: '2029-12-31', terminationNoticeDueBy: '2029-10-02' },
    });
    const second = await api.get(`/contracts?limit=2&after=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items].map((item: { contractId: string }) => item.contractId)).toEqual(all.slice(0, 4));
    expect((await api.get('/contracts?limit=1000')).body).toMatchObject({ status: 400, code: 'request.invalid' });
  });

  it('shows the contract as it stood before the logistics amendment, by time and by revision', async () => {
    const id = await draftAndActivate(api);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await agree(api, id, { documentRef: 'SA-1', effectiveOn: '2027-06-01', changes: [{ type: 'remove_scope', scope: 'logistics' }] });

    const history = (await api.get(`/contracts/${id}/events`)).body.events;
    expect(history.map((event: { type: string }) => event.type)).toEqual([
      'ContractDrafted',
      'ContractSigned',
      'ContractSigned',
      'ContractActivated',
      'AmendmentProposed',
      'AmendmentCountersigned',
      'ContractAmended',
      'PartialHandoverStarted',
    ]);
    const beforeAmendment = history[3].recordedAt;

    expect((await api.get(`/contracts/${id}`)).body.terms.scopes).not.toContain('logistics');
    const asOf = await api.get(`/contracts/${id}?asOf=${beforeAmendment}`);
    expect(asOf.body.terms.scopes).toContain('logistics');
    expect(asOf.headers.get('etag')).toBe('"3"');
    expect((await api.get(`/contracts/${id}?revision=3`)).body.terms.scopes).toContain('logistics');
    expect((await api.get(`/contracts/${id}?revision=0`)).body.status).toBe('drafted');
    expect((await api.get(`/contracts/${id}?asOf=2000-01-01T00:00:00Z`)).body).toMatchObject({ status: 404, code: 'contract.not_found' });
  });

  it('gives the handover checklist as of a revision', async () => {
    const id = await draftAndActivate(api);
    await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      conditionId: '12.3',
      effectiveOn: '2028-01-01',
    });
    const settlement = await settleLedger(api, id);
    const completed = await api
      .as(OPERATOR)
      .post(`/contracts/${id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(settlement) });
    expect(completed.status).toBe(201);
    // Inventory, couriers and the final settlement: no account was registered, so no credentials and no Alipay.
    expect((await api.get(`/contracts/${id}/handover`)).body.progress).toMatchObject({ completed: 1, open: 2, total: 3 });
    expect((await api.get(`/contracts/${id}/handover?revision=5`)).body.progress).toMatchObject({ completed: 0, open: 3, total: 3 });
    expect((await api.get(`/contracts/${id}/handover?revision=3`)).body).toMatchObject({ status: 404, code: 'handover.not_started' });
  });

  it('answers the checklist of a contract not yet terminated with 404, carrying the revision as its ETag', async () => {
    const id = await draftAndActivate(api);
    for (const path of [`/contracts/${id}/handover`, `/contracts/${id}/handover?revision=1`]) {
      const answer = await api.get(path);
      expect({ path, status: answer.status, code: answer.body.code, etag: answer.headers.get('etag') }).toEqual({
        path,
        status: 404,
        code: 'handover.not_started',
        etag: path.endsWith('revision=1') ? '"1"' : (await api.get(`/contracts/${id}`)).headers.get('etag'),
      });
    }
  });

  it('exports the history as NDJSON, one event a line, in pages', async () => {
    const id = await draftAndActivate(api);
    const page = await api.get(`/contracts/${id}/events?format=ndjson&limit=3`);
    expect(page.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (page.body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((event) => event.revision)).toEqual([0, 1, 2]);
    expect(lines[0].metadata).toMatchObject({
      actor: expect.stringMatching(new RegExp(`^${BRAND}:[0-9a-f]{16}$`)),
      hash: expect.any(String),
    });
    expect(page.headers.get('link')).toContain(`from=3`);
  });
});
