import { randomUUID } from 'node:crypto';
import { BRAND, DRAFT, draftAndActivate, OPERATOR, settleLedger } from '../support/contract-api';
import { startTestApp, type HttpAnswer, type TestApi } from '../support/http-client';
import { CALLERS, MATRIX, type Route } from '../support/route-catalog';
import { mediaType, sample, schemaChecker, type Json } from './openapi-checks';

/** Headers documented on answers that carry them only sometimes. */
const SOMETIMES = ['Idempotent-Replayed', 'Link'];

/**
 * Every answer the app gives must be one its document announces: the status
 * listed for the route, the media type, a body valid against the schema
 * (which names the problem codes possible there) and the headers.
 */
describe('the OpenAPI document describes the real answers', () => {
  let api: TestApi;
  let document: Json;
  let check: ReturnType<typeof schemaChecker>;
  beforeAll(async () => {
    // Every route by every caller, on contracts whose ledgers are settled month by month: more than a key's default rate.
    api = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000000' });
    document = (await api.call('GET', '/docs-json')).body;
    check = schemaChecker(document);
  });
  afterAll(async () => {
    await api.stop();
  });

  /** What is wrong with the answer as the document describes `method path` (a path template). */
  function undocumented(method: string, path: string, answer: HttpAnswer, { readBody = true } = {}): string[] {
    const response = document.paths[path]?.[method]?.responses?.[answer.status];
    if (!response) return [`${method} ${path}: ${answer.status} is not documented`];
    const type = mediaType(answer);
    if (!response.content?.[type]) return [`${method} ${path}: ${answer.status} as ${type} is not documented`];
    const errors = readBody
      ? check(['paths', path, method, 'responses', String(answer.status), 'content', type, 'schema'], answer.body)
      : [];
    const headers = Object.keys(response.headers ?? {}).filter((name) => !SOMETIMES.includes(name) && !answer.headers.has(name));
    // Problem details may carry extensions, so their schema allows more: each one a client can act on is documented.
    const extensions =
      readBody && type === 'application/problem+json'
        ? Object.keys(answer.body as object).filter((member) => !(member in document.components.schemas.ProblemDetails.properties))
        : [];
    return [
      ...extensions.map((member) => `${method} ${path} ${answer.status}: ${member} is not a documented member of ProblemDetails`),
      ...errors.map(
        (error) => `${method} ${path} ${answer.status}: ${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`,
      ),
      ...headers.map((name) => `${method} ${path} ${answer.status}: no ${name} header`),
    ];
  }

  /** `POST /contracts/:id/signatures (as brand)` -> [`post`, `/contracts/{id}/signatures`]. */
  const templateOf = (row: Route) => {
    const [method, path] = row.route.split(' ');
    return [method.toLowerCase(), path.replace(/:(\w+)/g, '{$1}')] as const;
  };

  async function send(caller: string, request: ReturnType<Route['request']>): Promise<HttpAnswer> {
    const headers: Record<string, string> = caller === 'none' ? {} : { authorization: `Bearer ${(await api.keyOf(caller)).key}` };
    if (request.path.endsWith('/stream')) {
      const abort = new AbortController();
      const response = await fetch(`${api.url}${request.path}`, { headers, signal: abort.signal });
      abort.abort();
      return { status: response.status, headers: response.headers, body: undefined };
    }
    return api.call(request.method, request.path, request.body, headers);
  }

  /**
   * Terminates a contract, settles its ledger, completes its handover with
   * evidence generated from the document (the final settlement with the
   * ledger's figures), and closes it.
   */
  async function closeAContract(): Promise<Array<[string, string, HttpAnswer]>> {
    const id = await draftAndActivate(api);
    const admin = api.as('admin');
    const answers: Array<[string, string, HttpAnswer]> = [
      [
        'post',
        '/contracts/{id}/termination',
        await admin.post(`/contracts/${id}/termination`, { initiatedBy: 'brand', grounds: 'expiry', effectiveOn: '2029-12-31' }),
      ],
    ];
    const settlement = await settleLedger(api, id);
    const mapping = document.components.schemas.CompletionDto.properties.evidence.discriminator.mapping;
    for (const item of (await admin.get(`/contracts/${id}/handover`)).body.items) {
      const sampled = sample(document, { $ref: mapping[item.kind] }) as Record<string, unknown>;
      const evidence = item.kind === 'final_settlement' ? { ...sampled, ...settlement } : sampled;
      answers.push([
        'post',
        '/contracts/{id}/handover/items/{itemId}/completion',
        await admin.post(`/contracts/${id}/handover/items/${item.itemId}/completion`, { evidence }),
      ]);
    }
    for (const party of ['brand', 'operator']) {
      answers.push([
        'post',
        '/contracts/{id}/handover/sign-offs',
        await admin.post(`/contracts/${id}/handover/sign-offs`, { party, signatory: 'a', signedOffOn: '2030-01-31' }),
      ]);
    }
    answers.push(
      ['get', '/contracts/{id}/handover', await admin.get(`/contracts/${id}/handover`)],
      ['get', '/contracts/{id}', await admin.get(`/contracts/${id}`)],
      ['get', '/contracts/{id}/ledger', await admin.get(`/contracts/${id}/ledger`)],
    );
    expect(answers.at(-2)?.[2].body.status).toBe('closed');
    return answers;
  }

  it('every route, called by every kind of caller, and a contract taken to its close, answer as documented; the success of every route is among them', async () => {
    const problems: string[] = [];
    const succeeded = new Set<string>();
    for (const row of MATRIX) {
      const [method, path] = templateOf(row);
      for (const caller of CALLERS) {
        const request = row.request(await row.setup(api));
        const answer = await send(caller, request);
        problems.push(...undocumented(method, path, answer, { readBody: !request.path.endsWith('/stream') }));
        if (answer.status < 300) succeeded.add(`${method} ${path}`);
      }
    }
    for (const [method, path, answer] of await closeAContract()) {
      problems.push(...undocumented(method, path, answer));
      if (answer.status < 300) succeeded.add(`${method} ${path}`);
    }
    expect(problems).toEqual([]);
    const all = Object.entries(document.paths as Record<string, object>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect([...succeeded].sort()).toEqual(all.sort());
    // Every route by every caller, each on a contract of its own: it grows with the routes (about 600 setups and calls).
  }, 120_000);

  it('the CSV exports and the refusals that carry the facts to act on answer as documented', async () => {
    const id = await draftAndActivate(api);
    await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      conditionId: '12.3',
      effectiveOn: '2027-02-15',
    });
    await settleLedger(api, id);
    const ledger = await api.get(`/contracts/${id}/ledger`);
    const statementId: string = ledger.body.months[0].statementId;
    const operator = api.as(OPERATOR);
    const month = ledger.body.months[0].month;
    const answers: Array<[string, string, HttpAnswer]> = [
      ['post', '/contracts/{id}/statements', await operator.post(`/contracts/${id}/statements`, { month, issuedOn: '2027-03-01' })],
      ['get', '/contracts/{id}/ledger', await api.get(`/contracts/${id}/ledger?format=csv`)],
      ['get', '/contracts/{id}/statements/{statementId}', await api.get(`/contracts/${id}/statements/${statementId}?format=csv`)],
      ['get', '/contracts/{id}/statements/{statementId}', await api.get(`/contracts/${id}/statements/${randomUUID()}`)],
      [
        'post',
        '/contracts/{id}/statements/{statementId}/payments',
        await api.as(BRAND).post(`/contracts/${id}/statements/${statementId}/payments`, {
          amountFen: ledger.body.months[0].chargedFen + 1,
          paidOn: '2027-02-10',
          paymentRef: 'P',
        }),
      ],
      [
        'post',
        '/contracts/{id}/sales-reports',
        await operator.post(`/contracts/${id}/sales-reports`, {
          platform: DRAFT.shops[0].platform,
          shopName: DRAFT.shops[0].name,
          periodStart: '2029-12-01',
          periodEnd: '2030-01-31',
          grossSalesFen: 1,
          refundsFen: 0,
          shippingCostFen: 0,
          documentRef: 'R',
        }),
      ],
      ['get', '/ledger/receivables', await api.get('/ledger/receivables')],
      ['get', '/ledger/payables', await api.as(OPERATOR).get('/ledger/payables')],
    ];
    expect(answers.map(([, , answer]) => [answer.status, answer.body?.code])).toEqual([
      [409, 'statement.already_issued'],
      [200, undefined],
      [200, undefined],
      [404, 'statement.not_found'],
      [422, 'payment.exceeds_open'],
      [422, 'sales_report.spans_months'],
      [400, 'ledger.party_required'],
      [403, 'access.role'],
    ]);
    expect(answers[0][2].body.statementId).toBe(statementId);
    expect(answers.flatMap(([method, path, answer]) => undocumented(method, path, answer))).toEqual([]);
  });

  it('a contract with incidents, breach notices and their answers, and the refusals that name the dates involved, answer as documented', async () => {
    const id = await draftAndActivate(api);
    const operator = api.as(OPERATOR);
    const brand = api.as(BRAND);
    const incident = {
      duty: 'daily_shipping',
      reportedBy: 'operator',
      occurredOn: '2028-03-01',
      description: 'Not shipped',
      evidenceRef: 'EV',
    };
    const { incidentId } = (await operator.post(`/contracts/${id}/incidents`, incident)).body;
    await brand.post(`/contracts/${id}/incidents/${incidentId}/contest`, { reason: 'Shipped', contestedOn: '2028-03-02' });
    const notice = { breachingParty: 'brand', incidentIds: [incidentId], description: 'Late', evidenceRef: 'N', noticedOn: '2028-03-02' };
    const { breachId } = (await operator.post(`/contracts/${id}/breaches`, notice)).body;
    await brand.post(`/contracts/${id}/breaches/${breachId}/cure`, { curedOn: '2028-03-20', evidenceRef: 'C' });
    const answers: Array<[string, string, HttpAnswer]> = [
      ['get', '/contracts/{id}', await api.get(`/contracts/${id}`)],
      ['post', '/contracts/{id}/incidents', await operator.post(`/contracts/${id}/incidents`, { ...incident, occurredOn: '2030-01-01' })],
      ['post', '/contracts/{id}/breaches', await operator.post(`/contracts/${id}/breaches`, { ...notice, noticedOn: '2028-02-28' })],
      [
        'post',
        '/contracts/{id}/termination',
        await operator.post(`/contracts/${id}/termination`, {
          initiatedBy: 'operator',
          grounds: 'breach',
          breachId,
          effectiveOn: '2028-03-31',
        }),
      ],
      [
        'post',
        '/contracts/{id}/breaches/{breachId}/cure/rejection',
        await operator.post(`/contracts/${id}/breaches/${breachId}/cure/rejection`, { reason: 'Still late', rejectedOn: '2028-03-19' }),
      ],
    ];
    expect(answers.map(([, , answer]) => [answer.status, answer.body?.code])).toEqual([
      [200, undefined],
      [422, 'incident.outside_term'],
      [422, 'breach.incident_after_notice'],
      [422, 'termination.cure_period_running'],
      [422, 'breach.answered_before_cure'],
    ]);
    expect(answers[0][2].body).toMatchObject({ incidents: [{ status: 'contested' }], breaches: [{ status: 'cure_claimed' }] });
    expect(answers.flatMap(([method, path, answer]) => undocumented(method, path, answer))).toEqual([]);
  });

  it('documents that issuing a statement over HTTP always answers the statement’s id (the service assigns it)', async () => {
    const created = ['paths', '/contracts/{id}/statements', 'post', 'responses', '201', 'content', 'application/json', 'schema'];
    const written = { contractId: randomUUID(), revision: 7, position: '42', recorded: ['StatementIssued'] };
    expect(check(created, { ...written, statementId: randomUUID() })).toEqual([]);
    expect(check(created, written).map((error) => error.params)).toEqual([{ missingProperty: 'statementId' }]);
  });

  it('time travel, NDJSON export, a replayed write and the refusals of the HTTP edge answer as documented', async () => {
    const id = await draftAndActivate(api);
    const operator = { authorization: `Bearer ${(await api.keyOf(OPERATOR)).key}` };
    const account = { platform: 'tmall', accountName: 'shop', kind: 'shop_master_account' };
    const accounts = `/contracts/${id}/accounts`;
    const first = await api.call('POST', accounts, account, { ...operator, 'idempotency-key': 'k-1' });
    const replayed = await api.call('POST', accounts, account, { ...operator, 'idempotency-key': 'k-1' });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const answers: Array<[string, string, HttpAnswer]> = [
      ['post', '/contracts/{id}/accounts', first],
      ['post', '/contracts/{id}/accounts', replayed],
      [
        'post',
        '/contracts/{id}/accounts',
        await api.call('POST', accounts, { ...account, accountName: 'other' }, { ...operator, 'idempotency-key': 'k-1' }),
      ],
      ['post', '/contracts/{id}/accounts', await api.call('POST', accounts, account, { ...operator, 'if-match': '"1"' })],
      ['post', '/contracts/{id}/accounts', await api.call('POST', accounts, account, { ...operator, 'if-match': 'yesterday' })],
      ['post', '/contracts/{id}/accounts', await api.call('POST', accounts, { ...account, password: 'hunter2' }, operator)],
      ['post', '/contracts/{id}/accounts', await api.call('POST', accounts, { ...account, kind: 'nope' }, operator)],
      ['post', '/contracts/{id}/accounts', await api.call('POST', '/contracts/not-a-uuid/accounts', account, operator)],
      [
        'post',
        '/contracts/{id}/signatures',
        await api.call('POST', `/contracts/${id}/signatures`, { party: 'operator', signatory: 'a', signedOn: '2026-12-01' }, operator),
      ],
      ['get', '/contracts/{id}', await api.get(`/contracts/${id}?revision=0`)],
      ['get', '/contracts/{id}', await api.get(`/contracts/${id}?asOf=2099-01-01T00:00:00Z&termsOn=2027-06-01`)],
      ['get', '/contracts/{id}', await api.get(`/contracts/${id}?revision=-1`)],
      ['get', '/contracts/{id}/handover', await api.get(`/contracts/${id}/handover`)],
      ['get', '/contracts/{id}/events', await api.get(`/contracts/${id}/events?format=ndjson`)],
      ['get', '/audit/digest', await api.get('/audit/digest?position=nowhere')],
    ];
    const text = await fetch(`${api.url}${accounts}`, {
      method: 'POST',
      headers: { ...operator, 'content-type': 'text/plain' },
      body: 'hello',
    });
    answers.push(['post', '/contracts/{id}/accounts', { status: text.status, headers: text.headers, body: await text.json() }]);
    expect(answers.map(([, , answer]) => answer.status)).toEqual([
      201, 201, 422, 412, 400, 400, 400, 400, 409, 200, 200, 400, 404, 200, 400, 415,
    ]);
    expect(
      answers.flatMap(([method, path, answer]) =>
        undocumented(method, path, answer, { readBody: mediaType(answer) !== 'application/x-ndjson' }),
      ),
    ).toEqual([]);
  });
});
