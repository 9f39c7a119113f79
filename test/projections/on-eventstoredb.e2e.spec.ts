import { EsdbStandIn } from '../support/esdb-stand-in';
import { agree, draftAndActivate, OPERATOR } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';

/** The same service on the EventStoreDB adapter (over the stand-in): writes, read models, history and audit. */
describe('the service on EventStoreDB', () => {
  let standIn: EsdbStandIn;
  let api: TestApi;
  beforeAll(async () => {
    standIn = await EsdbStandIn.start();
    api = await startTestApp({ EVENTSTORE_CONNECTION_STRING: standIn.connectionString });
  });
  afterAll(async () => {
    await api.stop();
    await standIn.stop();
  });

  it('serves read models that read their own writes, time travel and integrity', async () => {
    const id = await draftAndActivate(api);
    const { countersigned } = await agree(api, id, {
      documentRef: 'SA-1',
      effectiveOn: '2027-06-01',
      changes: [{ type: 'remove_scope', scope: 'logistics' }],
    });
    expect(countersigned.recorded).toEqual(['AmendmentCountersigned', 'ContractAmended', 'PartialHandoverStarted']);
    await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      conditionId: '12.3',
      effectiveOn: '2028-01-01',
    });

    expect((await api.get(`/contracts/${id}`)).body).toMatchObject({
      status: 'terminated',
      terms: { scopes: expect.not.arrayContaining(['logistics']) },
    });
    expect(
      (await api.get(`/contracts?party=brand-feiyue&status=terminated`)).body.items.map((item: { contractId: string }) => item.contractId),
    ).toContain(id);
    // The final checklist: the inventory and the final settlement (no Alipay account); the re-pointing went to the partial handover.
    const handover = (await api.get(`/contracts/${id}/handover`)).body;
    expect(handover.progress).toMatchObject({ completed: 0, open: 2, total: 2 });
    expect(handover.partialHandovers).toEqual([
      expect.objectContaining({ scopes: ['logistics'], progress: expect.objectContaining({ total: 1 }) }),
    ]);
    expect((await api.get(`/contracts/${id}?revision=3`)).body.terms.scopes).toContain('logistics');
    expect((await api.get(`/contracts/${id}/integrity`)).body).toMatchObject({ ok: true, events: 10 });
    const digest = (await api.get('/audit/digest')).body;
    expect(digest).toMatchObject({ broken: [], events: 10 });
    expect((await api.as('auditor').post('/audit/digest/verification', { position: digest.position, digest: digest.digest })).body.ok).toBe(
      true,
    );
    expect((await api.get('/health')).body).toMatchObject({ status: 'ok', info: { readModels: { status: 'up' } } });
  });
});
