import { BRAND, DRAFT, draftAndActivate, OPERATOR, salesOver } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';

describe('what answers carry', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
  });

  /** An active contract with March 2027 reported, confirmed and stated: the statement's answer. */
  async function aStatedMonth() {
    const id = await draftAndActivate(api);
    const [shop] = DRAFT.shops;
    const reported = await api.as(OPERATOR).post(`/contracts/${id}/sales-reports`, {
      platform: shop.platform,
      shopName: shop.name,
      periodStart: '2027-03-01',
      periodEnd: '2027-03-31',
      ...salesOver(31),
      documentRef: 'SALES-2027-03',
    });
    await api.as(BRAND).post(`/contracts/${id}/sales-reports/${reported.body.reportId}/confirmation`, { confirmedOn: '2027-04-01' });
    const issued = await api.as(OPERATOR).post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' });
    return { id, issued };
  }

  it('a read whose form Accept chose says it varies by Accept, JSON and CSV (or NDJSON) alike', async () => {
    const { id, issued } = await aStatedMonth();
    const read = async (path: string, accept: string) =>
      fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${await api.as(BRAND).key()}`, accept } });
    // The read models' reads wait for the statement (read your own write).
    const ledger = `/contracts/${id}/ledger?minPosition=${issued.body.position}`;
    const statement = `/contracts/${id}/statements/${issued.body.statementId}?minPosition=${issued.body.position}`;
    const reads: Array<[string, string, string]> = [
      [ledger, 'application/json', 'application/json'],
      [ledger, 'text/csv', 'text/csv'],
      [statement, 'application/json', 'application/json'],
      [statement, 'text/csv', 'text/csv'],
      [`/contracts/${id}/events`, 'application/json', 'application/json'],
      [`/contracts/${id}/events`, 'application/x-ndjson', 'application/x-ndjson'],
    ];
    for (const [path, accept, type] of reads) {
      const answer = await read(path, accept);
      expect({
        path,
        accept,
        status: answer.status,
        type: answer.headers.get('content-type')?.split(';')[0],
        vary: answer.headers.get('vary'),
      }).toEqual({
        path,
        accept,
        status: 200,
        type,
        vary: 'Accept',
      });
    }
    // The ledger's two forms share their ETag: the contract's revision.
    const [json, csv] = await Promise.all([read(ledger, 'application/json'), read(ledger, 'text/csv')]);
    expect(csv.headers.get('etag')).toBe(json.headers.get('etag'));
  });
});
