import { BRAND, DRAFT, draftAndActivate, OPERATOR, salesOver } from '../support/contract-api';
import { startTestApp, type HttpAnswer, type TestApi } from '../support/http-client';

/** What every write answers, whatever it recorded. */
const WRITE_FIELDS = ['contractId', 'position', 'recorded', 'revision'];

/** The fields of a write's answer beyond those every write has. */
const extraFields = (answer: HttpAnswer) => Object.keys(answer.body as object).filter((field) => !WRITE_FIELDS.includes(field));

describe('what answers carry', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
  });

  /** An active contract with March 2027 reported, confirmed and stated: the answers of each step, by name. */
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
    const confirmed = await api
      .as(BRAND)
      .post(`/contracts/${id}/sales-reports/${reported.body.reportId}/confirmation`, { confirmedOn: '2027-04-01' });
    const issued = await api.as(OPERATOR).post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' });
    return { id, reported, confirmed, issued };
  }

  it('a write names the id of what it created, and no other id (README, "The API")', async () => {
    const { id, reported, confirmed, issued } = await aStatedMonth();
    const paid = await api
      .as(BRAND)
      .post(`/contracts/${id}/statements/${issued.body.statementId}/payments`, { amountFen: 100, paidOn: '2027-04-20', paymentRef: 'P-1' });
    const account = await api
      .as(OPERATOR)
      .post(`/contracts/${id}/accounts`, { platform: 'tmall', accountName: 'shop', kind: 'shop_master_account' });
    const deregistered = await api
      .as(OPERATOR)
      .post(`/contracts/${id}/accounts/${account.body.accountId}/deregistration`, { party: 'operator', reason: 'Shop closed' });
    const granted = await api
      .as(BRAND)
      .post(`/contracts/${id}/authorizations`, { type: 'online_distribution', platform: 'tmall', documentRef: 'A-1' });
    const revoked = await api
      .as(BRAND)
      .post(`/contracts/${id}/authorizations/${granted.body.authorizationId}/revocation`, { documentRef: 'R-1', revokedOn: '2027-05-01' });
    const incident = await api.as(OPERATOR).post(`/contracts/${id}/incidents`, {
      duty: 'daily_shipping',
      reportedBy: 'operator',
      occurredOn: '2027-05-12',
      description: 'late shipping',
      evidenceRef: 'EV',
    });
    const breach = await api.as(OPERATOR).post(`/contracts/${id}/breaches`, {
      breachingParty: 'brand',
      incidentIds: [incident.body.incidentId],
      description: 'late shipping',
      evidenceRef: 'EV',
      noticedOn: '2027-05-13',
    });
    const cured = await api
      .as(BRAND)
      .post(`/contracts/${id}/breaches/${breach.body.breachId}/cure`, { curedOn: '2027-05-20', evidenceRef: 'EV-CURE' });

    const answers = { reported, confirmed, issued, paid, account, deregistered, granted, revoked, incident, breach, cured };
    expect(Object.fromEntries(Object.entries(answers).map(([step, answer]) => [step, [answer.status, extraFields(answer)]]))).toEqual({
      reported: [201, ['reportId']],
      confirmed: [201, []],
      issued: [201, ['statementId']],
      paid: [201, ['paymentId']],
      account: [201, ['accountId']],
      deregistered: [201, []],
      granted: [201, ['authorizationId']],
      revoked: [201, []],
      incident: [201, ['incidentId']],
      breach: [201, ['breachId']],
      cured: [201, []],
    });
  });

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
