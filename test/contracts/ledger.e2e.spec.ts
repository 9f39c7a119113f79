import { EventStore } from '../../src/event-store/event-store.port';
import {
  agree,
  BRAND,
  DRAFT,
  draftAndActivate,
  expectRefused as expectRefusedOver,
  OPERATOR,
  revisionOf,
  salesOver,
  settleLedger,
} from '../support/contract-api';
import { finalSettlement, type SettlementFigures } from '../support/contract-fixtures';
import { startTestApp, type HttpAnswer, type TestApi } from '../support/http-client';
import { plantEvent } from '../support/plant-event';

/**
 * The monthly settlement ledger over HTTP on the embedded store: the
 * operator reports sales and promotion spend and issues statements, the
 * brand confirms, disputes and pays; the ledger, statements, receivables and
 * payables read back as JSON and as CSV for Excel; every refusal writes
 * nothing; the final settlement of the handover must agree with the ledger.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHOP = DRAFT.shops[0];

/** March 2027 of the story's flagship store: 2.5 million yuan gross, 120,000 refunded, 80,000 shipping. */
const MARCH = {
  platform: SHOP.platform,
  shopName: SHOP.name,
  periodStart: '2027-03-01',
  periodEnd: '2027-03-31',
  grossSalesFen: 250_000_000,
  refundsFen: 12_000_000,
  shippingCostFen: 8_000_000,
  documentRef: 'TMALL-SETTLE-2027-03',
};
/** 12% of (2,500,000 - 120,000 - 80,000) yuan, net of shipping. */
const MARCH_COMMISSION_FEN = 27_600_000;
const SERVICE_FEE_FEN = 3_000_000;

describe('the monthly settlement ledger over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
  });

  const brand = () => api.as(BRAND);
  const operator = () => api.as(OPERATOR);
  const expectRefused = (id: string, step: () => Promise<HttpAnswer>, status: number, code: string) =>
    expectRefusedOver(api, id, step, status, code);

  /** The operator reports a period of the flagship store and the brand confirms it; answers the report's id. */
  async function reportedAndConfirmed(id: string, report: Record<string, unknown> = MARCH): Promise<string> {
    const { body } = await operator().post(`/contracts/${id}/sales-reports`, report);
    const confirmed = await brand().post(`/contracts/${id}/sales-reports/${body.reportId}/confirmation`, {
      confirmedOn: report.periodEnd,
    });
    expect(confirmed.status).toBe(201);
    return body.reportId as string;
  }

  /** The body of an answer as the bytes sent (a fetch `text()` would drop the byte order mark). */
  async function rawGet(principal: string, path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${api.url}${path}`, {
      headers: { authorization: `Bearer ${await api.as(principal).key()}`, ...headers },
    });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('records a month from the sales report to the payment, and reads it back as the ledger and the statement', async () => {
    const id = await draftAndActivate(api);

    const reported = await operator().post(`/contracts/${id}/sales-reports`, MARCH);
    expect(reported.status).toBe(201);
    expect(reported.body).toEqual({
      contractId: id,
      revision: 4,
      position: expect.stringMatching(/^\d+$/),
      recorded: ['SalesReported'],
      reportId: expect.stringMatching(UUID),
    });
    expect(reported.headers.get('etag')).toBe('"4"');
    const { reportId } = reported.body;
    expect(
      (await brand().post(`/contracts/${id}/sales-reports/${reportId}/confirmation`, { confirmedOn: '2027-04-02' })).body,
    ).toMatchObject({
      revision: 5,
      recorded: ['SalesReportConfirmed'],
    });
    const spend = await operator().post(`/contracts/${id}/promotion-spend`, {
      month: '2027-03',
      spentFen: 9_200_000,
      documentRef: 'ZTC-2027-03',
    });
    expect(spend.body.recorded).toEqual(['PromotionSpendReported']);

    const issued = await operator().post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ recorded: ['StatementIssued'], statementId: expect.stringMatching(UUID) });
    const { statementId } = issued.body;
    const paid = await brand().post(`/contracts/${id}/statements/${statementId}/payments`, {
      amountFen: 10_000_000,
      paidOn: '2027-04-20',
      paymentRef: 'ALIPAY-20270420-0001',
    });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ recorded: ['PaymentRecorded'], paymentId: expect.stringMatching(UUID) });

    const statement = await operator().get(`/contracts/${id}/statements/${statementId}`);
    expect(statement.status).toBe(200);
    expect(statement.headers.get('etag')).toBe(paid.headers.get('etag'));
    expect(statement.body).toMatchObject({
      contractId: id,
      statementId,
      month: '2027-03',
      issuedOn: '2027-04-05',
      inputs: [{ reportId, revision: 1 }],
      terms: [{ from: '2027-03-01', to: '2027-03-31', serviceFeeMonthlyFen: SERVICE_FEE_FEN, commissionRateBp: 1200 }],
      lines: [
        { kind: 'service_fee', from: '2027-03-01', to: '2027-03-31', days: 31, daysInMonth: 31, amountFen: SERVICE_FEE_FEN },
        {
          kind: 'commission',
          reportIds: [reportId],
          baseFen: 230_000_000,
          commissionBase: 'net_of_shipping',
          amountFen: MARCH_COMMISSION_FEN,
        },
      ],
      serviceFeesFen: SERVICE_FEE_FEN,
      commissionFen: MARCH_COMMISSION_FEN,
      totalFen: SERVICE_FEE_FEN + MARCH_COMMISSION_FEN,
      // The payment goes to the service fee first, then to the commission.
      balance: {
        chargedFen: 30_600_000,
        paidFen: 10_000_000,
        openFen: 20_600_000,
        openServiceFeesFen: 0,
        openCommissionFen: 20_600_000,
      },
      verification: { matches: true },
    });

    const ledger = await brand().get(`/contracts/${id}/ledger`);
    expect(ledger.status).toBe(200);
    expect(ledger.headers.get('etag')).toBe(paid.headers.get('etag'));
    expect(ledger.body.serviceDays).toEqual({ first: '2027-01-01', last: '2029-12-31' });
    expect(ledger.body.months).toHaveLength(36);
    expect(ledger.body.months[2]).toEqual({
      month: '2027-03',
      serviceDays: { from: '2027-03-01', to: '2027-03-31' },
      reports: { confirmed: 1, awaitingConfirmation: 0, disputed: 0 },
      statementId,
      serviceFeesFen: SERVICE_FEE_FEN,
      commissionFen: MARCH_COMMISSION_FEN,
      chargedFen: 30_600_000,
      paidFen: 10_000_000,
      openFen: 20_600_000,
      promotion: { committedFen: 10_000_000, spentFen: 9_200_000, shortfallFen: 800_000 },
    });
    expect(ledger.body.months[3]).toMatchObject({ month: '2027-04', chargedFen: 0, promotion: { committedFen: 10_000_000 } });
    expect(ledger.body.totals).toEqual({
      serviceFeesFen: SERVICE_FEE_FEN,
      commissionFen: MARCH_COMMISSION_FEN,
      chargedFen: 30_600_000,
      paidFen: 10_000_000,
      openFen: 20_600_000,
      openServiceFeesFen: 0,
      openCommissionFen: 20_600_000,
      promotionCommittedFen: 360_000_000,
      promotionSpentFen: 9_200_000,
    });
    expect(ledger.body.reports).toEqual([
      expect.objectContaining({ reportId, status: 'confirmed', confirmedOn: '2027-04-02', revision: 1, shop: SHOP }),
    ]);
    expect(ledger.body.statements).toEqual([expect.objectContaining({ statementId, month: '2027-03', openFen: 20_600_000 })]);
    expect(ledger.body.payments).toEqual([
      { paymentId: paid.body.paymentId, statementId, amountFen: 10_000_000, paidOn: '2027-04-20', paymentRef: 'ALIPAY-20270420-0001' },
    ]);
    expect(ledger.body.promotionSpends).toEqual([{ month: '2027-03', spentFen: 9_200_000, documentRef: 'ZTC-2027-03' }]);

    // The contract summary, which a coordinator may read in the handover, does not carry the ledger (its terms show the fees agreed).
    expect((await api.get(`/contracts/${id}`)).body).not.toHaveProperty('ledger');
  });

  it('assigns created ids from the Idempotency-Key, replays a retry, and honours If-Match on every ledger write', async () => {
    const id = await draftAndActivate(api);
    const first = await operator().post(`/contracts/${id}/sales-reports`, MARCH, { 'idempotency-key': 'report-2027-03' });
    const retry = await operator().post(`/contracts/${id}/sales-reports`, MARCH, { 'idempotency-key': 'report-2027-03' });
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    await expectRefused(
      id,
      () => operator().post(`/contracts/${id}/sales-reports`, { ...MARCH, refundsFen: 1 }, { 'idempotency-key': 'report-2027-03' }),
      422,
      'idempotency.key_reused',
    );
    // The same key on another contract creates another report: the id is derived from the contract and the key.
    const other = await draftAndActivate(api);
    const elsewhere = await operator().post(`/contracts/${other}/sales-reports`, MARCH, { 'idempotency-key': 'report-2027-03' });
    expect(elsewhere.body.reportId).toMatch(UUID);
    expect(elsewhere.body.reportId).not.toBe(first.body.reportId);

    const stale = await expectRefused(
      id,
      () =>
        brand().post(
          `/contracts/${id}/sales-reports/${first.body.reportId}/confirmation`,
          { confirmedOn: '2027-04-01' },
          { 'if-match': '"3"' },
        ),
      412,
      'concurrency.stale_revision',
    );
    expect(stale.body.currentRevision).toBe(4);
    const confirmed = await brand().post(
      `/contracts/${id}/sales-reports/${first.body.reportId}/confirmation`,
      { confirmedOn: '2027-04-01' },
      { 'if-match': first.headers.get('etag')! },
    );
    expect(confirmed.status).toBe(201);
  });

  it('refuses what the rules forbid with the code and the facts to act on, and writes nothing', async () => {
    const id = await draftAndActivate(api);
    const reports = `/contracts/${id}/sales-reports`;
    await expectRefused(id, () => operator().post(reports, { ...MARCH, periodEnd: '2027-04-02' }), 422, 'sales_report.spans_months');
    await expectRefused(id, () => operator().post(reports, { ...MARCH, periodEnd: '2027-02-28' }), 422, 'sales_report.period_reversed');
    await expectRefused(
      id,
      () => operator().post(reports, { ...MARCH, periodStart: '2026-12-01', periodEnd: '2026-12-31' }),
      422,
      'sales_report.outside_service',
    );
    await expectRefused(id, () => operator().post(reports, { ...MARCH, shopName: 'Another store' }), 422, 'sales_report.unknown_shop');
    await expectRefused(id, () => brand().post(reports, MARCH), 403, 'access.not_your_side');
    await expectRefused(id, () => api.as('auditor').post(reports, MARCH), 403, 'access.read_only');
    await expectRefused(id, () => api.as('coordinator').post(reports, MARCH), 404, 'contract.not_found');
    await expectRefused(id, () => api.as('operator:op-other').post(reports, MARCH), 404, 'contract.not_found');
    for (const bad of [{ grossSalesFen: 12.5 }, { refundsFen: -1 }, { shippingCostFen: 1_000_000_000_001 }, { supersedes: null }]) {
      const refused = await expectRefused(id, () => operator().post(reports, { ...MARCH, ...bad }), 400, 'request.invalid');
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(Object.keys(bad));
    }

    const reportId = (await operator().post(reports, MARCH)).body.reportId;
    await expectRefused(
      id,
      () => operator().post(reports, { ...MARCH, periodStart: '2027-03-15' }),
      409,
      'sales_report.period_already_reported',
    );
    await expectRefused(
      id,
      () => brand().post(`${reports}/${reportId}/confirmation`, { confirmedOn: '2027-03-30' }),
      422,
      'sales_report.confirmed_early',
    );
    await expectRefused(
      id,
      () => brand().post(`${reports}/no-such-report/confirmation`, { confirmedOn: '2027-04-01' }),
      404,
      'sales_report.not_found',
    );
    await expectRefused(
      id,
      () => operator().post(`${reports}/${reportId}/confirmation`, { confirmedOn: '2027-04-01' }),
      403,
      'access.not_your_side',
    );

    const statements = `/contracts/${id}/statements`;
    await expectRefused(
      id,
      () => operator().post(statements, { month: '2027-03', issuedOn: '2027-03-31' }),
      422,
      'statement.period_not_over',
    );
    await expectRefused(
      id,
      () => operator().post(statements, { month: '2026-12', issuedOn: '2027-01-05' }),
      422,
      'statement.outside_service',
    );
    await expectRefused(id, () => operator().post(statements, { month: '2027-13', issuedOn: '2027-04-05' }), 400, 'request.invalid');
    const incomplete = await expectRefused(
      id,
      () => operator().post(statements, { month: '2027-03', issuedOn: '2027-04-05' }),
      409,
      'statement.reports_incomplete',
    );
    expect(incomplete.body.blockers).toEqual([
      { shop: SHOP, from: '2027-03-01', to: '2027-03-31', reason: 'awaiting_confirmation', reportId },
    ]);
    await expectRefused(
      id,
      () => operator().post(`/contracts/${id}/promotion-spend`, { month: '2030-01', spentFen: 1, documentRef: 'X' }),
      422,
      'promotion_spend.outside_service',
    );

    await brand().post(`${reports}/${reportId}/confirmation`, { confirmedOn: '2027-04-01' });
    await expectRefused(
      id,
      () => brand().post(`${reports}/${reportId}/dispute`, { reason: 'too late', disputedOn: '2027-04-02' }),
      409,
      'sales_report.already_confirmed',
    );
    const { statementId } = (await operator().post(statements, { month: '2027-03', issuedOn: '2027-04-05' })).body;
    await expectRefused(
      id,
      () => operator().post(reports, { ...MARCH, grossSalesFen: 1, supersedes: reportId }),
      409,
      'sales_report.already_stated',
    );
    const payments = `/contracts/${id}/statements/${statementId}/payments`;
    const tooMuch = await expectRefused(
      id,
      () => brand().post(payments, { amountFen: 30_600_001, paidOn: '2027-04-20', paymentRef: 'P' }),
      422,
      'payment.exceeds_open',
    );
    expect(tooMuch.body.openFen).toBe(30_600_000);
    await expectRefused(
      id,
      () => brand().post(payments, { amountFen: 1, paidOn: '2027-04-04', paymentRef: 'P' }),
      422,
      'payment.before_statement',
    );
    await expectRefused(id, () => brand().post(payments, { amountFen: 0, paidOn: '2027-04-20', paymentRef: 'P' }), 400, 'request.invalid');
    await expectRefused(
      id,
      () => brand().post(`/contracts/${id}/statements/no-such-statement/payments`, { amountFen: 1, paidOn: '2027-04-20', paymentRef: 'P' }),
      404,
      'statement.not_found',
    );
    await expectRefused(
      id,
      () => operator().post(payments, { amountFen: 1, paidOn: '2027-04-20', paymentRef: 'P' }),
      403,
      'access.not_your_side',
    );
    // A stated month's figures never change: an amendment of the commission within it is refused.
    await expectRefused(
      id,
      () =>
        brand().post(`/contracts/${id}/amendments`, {
          proposedBy: 'brand',
          documentRef: 'SA-RATE',
          effectiveOn: '2027-03-15',
          changes: [{ type: 'change_commission_rate', commissionRateBp: 1500 }],
        }),
      409,
      'ledger.month_already_stated',
    );
  });

  it('refuses a report across a change of commission with the day to split it at', async () => {
    const id = await draftAndActivate(api);
    await agree(api, id, {
      documentRef: 'SA-RATE',
      effectiveOn: '2027-06-15',
      changes: [{ type: 'change_commission_rate', commissionRateBp: 1000 }],
    });
    const june = { ...MARCH, periodStart: '2027-06-01', periodEnd: '2027-06-30' };
    const refused = await expectRefused(
      id,
      () => operator().post(`/contracts/${id}/sales-reports`, june),
      422,
      'sales_report.straddles_commission_change',
    );
    expect(refused.body.splitAt).toBe('2027-06-15');
    await reportedAndConfirmed(id, { ...june, periodEnd: '2027-06-14' });
    await reportedAndConfirmed(id, { ...june, periodStart: '2027-06-15' });
    const { statementId } = (await operator().post(`/contracts/${id}/statements`, { month: '2027-06', issuedOn: '2027-07-01' })).body;
    const statement = await api.get(`/contracts/${id}/statements/${statementId}`);
    expect(statement.body.lines.map((line: { commissionRateBp?: number }) => line.commissionRateBp)).toEqual([undefined, 1200, 1000]);
  });

  it('blocks the statement of a disputed month until a correction is confirmed; the corrected report reads as superseded', async () => {
    const id = await draftAndActivate(api);
    const reportId = (await operator().post(`/contracts/${id}/sales-reports`, MARCH)).body.reportId;
    const disputed = await brand().post(`/contracts/${id}/sales-reports/${reportId}/dispute`, {
      reason: 'Refunds of the 15 March recall are missing',
      disputedOn: '2027-04-02',
    });
    expect(disputed.body).toMatchObject({ recorded: ['SalesReportDisputed'] });
    await expectRefused(
      id,
      () => brand().post(`/contracts/${id}/sales-reports/${reportId}/confirmation`, { confirmedOn: '2027-04-02' }),
      409,
      'sales_report.disputed',
    );
    const blocked = await expectRefused(
      id,
      () => operator().post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' }),
      409,
      'statement.reports_incomplete',
    );
    expect(blocked.body.blockers).toEqual([expect.objectContaining({ reason: 'disputed', reportId })]);

    const correction = await operator().post(`/contracts/${id}/sales-reports`, { ...MARCH, refundsFen: 20_000_000, supersedes: reportId });
    expect(correction.status).toBe(201);
    await expectRefused(
      id,
      () => brand().post(`/contracts/${id}/sales-reports/${reportId}/dispute`, { reason: 'again', disputedOn: '2027-04-03' }),
      409,
      'sales_report.superseded',
    );
    await brand().post(`/contracts/${id}/sales-reports/${correction.body.reportId}/confirmation`, { confirmedOn: '2027-04-03' });
    expect((await operator().post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' })).status).toBe(201);

    const { reports, months } = (await operator().get(`/contracts/${id}/ledger`)).body;
    expect(reports).toEqual([
      expect.objectContaining({
        reportId,
        status: 'superseded',
        supersededBy: [correction.body.reportId],
        dispute: { reason: 'Refunds of the 15 March recall are missing', disputedOn: '2027-04-02' },
      }),
      expect.objectContaining({ reportId: correction.body.reportId, status: 'confirmed', revision: 2, supersedes: reportId }),
    ]);
    // 12% of (2,500,000 - 200,000 - 80,000) yuan.
    expect(months[2]).toMatchObject({ commissionFen: 26_640_000, reports: { confirmed: 1, awaitingConfirmation: 0, disputed: 0 } });
  });

  it("shows the ledger to the contract's brand and operator, auditors and admins; a coordinator gets 403, anyone else 404", async () => {
    const id = await draftAndActivate(api);
    await reportedAndConfirmed(id);
    const { statementId } = (await operator().post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' })).body;
    const reads = [`/contracts/${id}/ledger`, `/contracts/${id}/statements/${statementId}`];
    const statusesOf = async (principal: string) => Promise.all(reads.map(async (path) => (await api.as(principal).get(path)).status));
    for (const principal of [BRAND, OPERATOR, 'auditor', 'admin'])
      expect({ principal, statuses: await statusesOf(principal) }).toEqual({ principal, statuses: [200, 200] });
    for (const principal of ['brand:brand-other', 'operator:op-other', 'coordinator'])
      expect({ principal, statuses: await statusesOf(principal) }).toEqual({ principal, statuses: [404, 404] });
    expect((await api.call('GET', reads[0])).status).toBe(401);

    await operator().post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      conditionId: '12.3',
      effectiveOn: '2027-06-30',
    });
    // In the handover a coordinator sees the contract and its checklist, never its money.
    expect((await api.as('coordinator').get(`/contracts/${id}/handover`)).status).toBe(200);
    for (const path of reads) {
      expect((await api.as('coordinator').get(path)).body).toMatchObject({ status: 403, code: 'access.ledger_forbidden' });
    }
    expect((await api.as('brand:brand-other').get(reads[0])).body).toMatchObject({ status: 404, code: 'contract.not_found' });
    expect((await brand().get(`/contracts/${id}/statements/no-such-statement`)).body).toMatchObject({
      status: 404,
      code: 'statement.not_found',
    });
    expect((await api.as('auditor').get(`/contracts/${id}/ledger`)).body.serviceDays).toEqual({ first: '2027-01-01', last: '2027-06-30' });
  });

  it('reads after the write it names and refuses a position no write answered', async () => {
    const id = await draftAndActivate(api);
    const written = await operator().post(`/contracts/${id}/sales-reports`, MARCH);
    const read = await api.as('auditor').get(`/contracts/${id}/ledger?minPosition=${written.body.position}`);
    expect(read.body.reports).toHaveLength(1);
    expect(read.headers.get('etag')).toBe(`"${written.body.revision}"`);
    for (const path of [`/contracts/${id}/ledger`, '/ledger/receivables']) {
      expect((await operator().get(`${path}?minPosition=99999999999999999999`)).body).toMatchObject({
        status: 400,
        code: 'request.position_ahead',
      });
    }
  });

  describe('as CSV that Excel opens with its Chinese text', () => {
    /** A store whose name holds Chinese, a comma, quotes, and starts like a formula. */
    const HOSTILE_SHOP = { platform: 'tmall', name: '=飞跃,"旗舰"店' };

    it('exports a statement: byte order mark, CRLF, quoting, the formula guard, yuan and fen', async () => {
      const { body } = await brand().post('/contracts', { ...DRAFT, shops: [HOSTILE_SHOP] });
      const id: string = body.contractId;
      await brand().post(`/contracts/${id}/signatures`, { party: 'brand', signatory: '张伟', signedOn: '2026-12-01' });
      await operator().post(`/contracts/${id}/signatures`, { party: 'operator', signatory: '李娜', signedOn: '2026-12-03' });
      await reportedAndConfirmed(id, { ...MARCH, shopName: HOSTILE_SHOP.name });
      const issued = await operator().post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' });

      const csv = await rawGet(BRAND, `/contracts/${id}/statements/${issued.body.statementId}?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="statement-${id}-2027-03.csv"`);
      expect(csv.headers.get('etag')).toBe(issued.headers.get('etag'));
      expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = csv.bytes.subarray(3).toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      const records = text.slice(0, -2).split('\r\n');
      expect(records).toHaveLength(1 + 2 + 5);
      expect(records[0]).toContain('类别 Kind,平台 Platform,店铺 Shop,起 From,止 To');
      expect(records[0]).toContain('金额(元) Amount (yuan),金额(分) Amount (fen)');
      expect(records[1]).toMatch(/^服务费 Service fee,,,2027-03-01,2027-03-31,31,31,30000.00,3000000,/);
      expect(records[2]).toContain(`佣金 Commission,tmall,"'=飞跃,""旗舰""店",2027-03-01,2027-03-31,`);
      expect(records[2]).toContain(',扣除运费 Net of shipping,2300000.00,230000000,12,276000.00,27600000,');
      expect(records.slice(3)).toEqual([
        expect.stringMatching(/^服务费合计 Service fees,(,)+30000.00,3000000,$/),
        expect.stringMatching(/^佣金合计 Commission,(,)+276000.00,27600000,$/),
        expect.stringMatching(/^合计 Total,(,)+306000.00,30600000,$/),
        expect.stringMatching(/^已付 Paid,(,)+0.00,0,$/),
        expect.stringMatching(/^未付 Open,(,)+306000.00,30600000,$/),
      ]);
      const columns = records[0].split(',').length;
      expect(records.map((record) => record.replace(/"([^"]|"")*"/g, 'x').split(',').length)).toEqual(records.map(() => columns));

      // Accept: text/csv asks for the same; ?format=json wins over it.
      const accepted = await rawGet(OPERATOR, `/contracts/${id}/statements/${issued.body.statementId}`, { accept: 'text/csv' });
      expect(accepted.bytes).toEqual(csv.bytes);
      const json = await rawGet(OPERATOR, `/contracts/${id}/statements/${issued.body.statementId}?format=json`, { accept: 'text/csv' });
      expect(json.headers.get('content-type')).toContain('application/json');
    });

    it('exports the ledger month by month with a totals row', async () => {
      const id = await draftAndActivate(api);
      await reportedAndConfirmed(id);
      await operator().post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' });
      const csv = await rawGet('auditor', `/contracts/${id}/ledger`, { accept: 'text/csv' });
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="ledger-${id}.csv"`);
      expect(csv.headers.get('etag')).toBe(await revisionOf(api, id));
      expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const records = csv.bytes.subarray(3).toString('utf8').slice(0, -2).split('\r\n');
      expect(records).toHaveLength(1 + 36 + 1);
      const header = records[0].split(',');
      expect(header.slice(0, 3)).toEqual(['月份 Month', '服务起始 Service from', '服务截止 Service to']);
      const cell = (record: string, name: string) => record.split(',')[header.indexOf(name)];
      expect(cell(records[3], '月份 Month')).toBe('2027-03');
      expect(cell(records[3], '结算金额(元) Charged (yuan)')).toBe('306000.00');
      expect(cell(records[3], '未付(分) Open (fen)')).toBe('30600000');
      expect(cell(records[3], '推广支出(分) Promotion spent (fen)')).toBe('');
      expect(cell(records[4], '结算金额(分) Charged (fen)')).toBe('0');
      expect(cell(records[37], '月份 Month')).toBe('合计 Total');
      expect(cell(records[37], '承诺推广预算(元) Promotion committed (yuan)')).toBe('3600000.00');
      expect(cell(records[37], '结算金额(分) Charged (fen)')).toBe('30600000');
      expect(cell(records[37], '已确认报告 Confirmed reports')).toBe('1');
    });
  });

  it("sums an operator's receivables and a brand's payables across their contracts from the read model", async () => {
    const operatorKey = 'operator:op-ledger';
    const parties = (brandId: string) => ({
      ...DRAFT,
      brand: { partyId: brandId, name: brandId },
      operator: { partyId: 'op-ledger', name: 'Ledger Operator' },
    });
    const contracts: string[] = [];
    for (const brandId of ['brand-ledger-a', 'brand-ledger-b']) {
      const id = (await api.as(`brand:${brandId}`).post('/contracts', parties(brandId))).body.contractId;
      await api.as(`brand:${brandId}`).post(`/contracts/${id}/signatures`, { party: 'brand', signatory: 'a', signedOn: '2026-12-01' });
      await api.as(operatorKey).post(`/contracts/${id}/signatures`, { party: 'operator', signatory: 'b', signedOn: '2026-12-01' });
      const reportId = (await api.as(operatorKey).post(`/contracts/${id}/sales-reports`, MARCH)).body.reportId;
      await api.as(`brand:${brandId}`).post(`/contracts/${id}/sales-reports/${reportId}/confirmation`, { confirmedOn: '2027-04-01' });
      const { statementId } = (await api.as(operatorKey).post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' }))
        .body;
      if (brandId.endsWith('a'))
        await api.as(`brand:${brandId}`).post(`/contracts/${id}/statements/${statementId}/payments`, {
          amountFen: 600_000,
          paidOn: '2027-04-10',
          paymentRef: 'P-1',
        });
      contracts.push(id);
    }
    // A draft has no ledger: it is not among the receivables.
    await api.as('brand:brand-ledger-a').post('/contracts', parties('brand-ledger-a'));

    const receivables = await api.as(operatorKey).get('/ledger/receivables');
    expect(receivables.status).toBe(200);
    expect(receivables.body).toEqual({
      side: 'operator',
      partyId: 'op-ledger',
      contracts: [...contracts].sort().map((contractId) => ({
        contractId,
        status: 'active',
        brand: expect.objectContaining({ partyId: contractId === contracts[0] ? 'brand-ledger-a' : 'brand-ledger-b' }),
        operator: { partyId: 'op-ledger', name: 'Ledger Operator' },
        chargedFen: 30_600_000,
        paidFen: contractId === contracts[0] ? 600_000 : 0,
        openFen: contractId === contracts[0] ? 30_000_000 : 30_600_000,
      })),
      totals: { chargedFen: 61_200_000, paidFen: 600_000, openFen: 60_600_000 },
    });
    expect((await api.as('auditor').get('/ledger/receivables?operatorId=op-ledger')).body).toEqual(receivables.body);
    expect((await api.as(operatorKey).get('/ledger/receivables?operatorId=op-ledger')).body).toEqual(receivables.body);

    const payables = await api.as('brand:brand-ledger-a').get('/ledger/payables');
    expect(payables.body).toMatchObject({
      side: 'brand',
      partyId: 'brand-ledger-a',
      contracts: [{ contractId: contracts[0], chargedFen: 30_600_000, paidFen: 600_000, openFen: 30_000_000 }],
      totals: { chargedFen: 30_600_000, paidFen: 600_000, openFen: 30_000_000 },
    });
    expect((await api.as('admin').get('/ledger/payables?brandId=brand-ledger-b')).body.totals).toEqual({
      chargedFen: 30_600_000,
      paidFen: 0,
      openFen: 30_600_000,
    });
    expect((await api.as('auditor').get('/ledger/payables?brandId=nobody')).body).toEqual({
      side: 'brand',
      partyId: 'nobody',
      contracts: [],
      totals: { chargedFen: 0, paidFen: 0, openFen: 0 },
    });

    const refusals: Array<[string, string, number, string]> = [
      [operatorKey, '/ledger/receivables?operatorId=op-yunshang', 403, 'access.not_your_party'],
      ['brand:brand-ledger-a', '/ledger/payables?brandId=brand-ledger-b', 403, 'access.not_your_party'],
      ['brand:brand-ledger-a', '/ledger/receivables', 403, 'access.role'],
      [operatorKey, '/ledger/payables', 403, 'access.role'],
      ['coordinator', '/ledger/receivables?operatorId=op-ledger', 403, 'access.role'],
      ['auditor', '/ledger/receivables', 400, 'ledger.party_required'],
      ['admin', '/ledger/payables', 400, 'ledger.party_required'],
      ['auditor', '/ledger/payables?brandId=not%20an%20id', 400, 'request.invalid'],
    ];
    for (const [principal, path, status, code] of refusals) {
      const answer = await api.as(principal).get(path);
      expect({ principal, path, status: answer.status, code: answer.body.code }).toEqual({ principal, path, status, code });
    }
  });

  describe('the final settlement of the handover', () => {
    const evidence = (figures: SettlementFigures) => ({ evidence: finalSettlement(figures, '2027-03-31') });

    it('is refused with the differences until the ledger is settled, then agrees with it', async () => {
      const id = await draftAndActivate(api);
      await operator().post(`/contracts/${id}/termination`, {
        initiatedBy: 'operator',
        grounds: 'stipulated_condition',
        conditionId: '12.3',
        effectiveOn: '2027-03-10',
      });
      const completion = `/contracts/${id}/handover/items/final-settlement/completion`;
      const refused = await expectRefused(
        id,
        () => operator().post(completion, evidence({ serviceFeesFen: 3_000_000, commissionFen: 1_850_000 })),
        422,
        'handover.settlement_differs',
      );
      expect(refused.body.differences).toEqual([
        { kind: 'statement_missing', month: '2027-01' },
        { kind: 'statement_missing', month: '2027-02' },
        { kind: 'statement_missing', month: '2027-03' },
        { kind: 'service_fees', ledgerOpenFen: 0, settledFen: 3_000_000 },
        { kind: 'commission', ledgerOpenFen: 0, settledFen: 1_850_000 },
      ]);

      // The operator reports, the brand confirms, the operator states each month served, through the termination's day.
      const settled = await settleLedger(api, id);
      // January and February in full, 10 of March's 31 days (967,741.94 yuan, rounded half up to the fen);
      // commission 12% of 930 yuan a day (1,000 gross less 50 refunded and 20 shipping) over 31 + 28 + 10 days.
      expect(settled).toEqual({ serviceFeesFen: 3_000_000 + 3_000_000 + 967_742, commissionFen: 11_160 * (31 + 28 + 10) });
      expect(salesOver(10)).toEqual({ grossSalesFen: 1_000_000, refundsFen: 50_000, shippingCostFen: 20_000 });

      const wrongCommission = await expectRefused(
        id,
        () => operator().post(completion, evidence({ ...settled, commissionFen: settled.commissionFen + 1 })),
        422,
        'handover.settlement_differs',
      );
      expect(wrongCommission.body.differences).toEqual([
        { kind: 'commission', ledgerOpenFen: settled.commissionFen, settledFen: settled.commissionFen + 1 },
      ]);
      const done = await brand().post(completion, evidence(settled));
      expect(done.status).toBe(201);
      expect(done.body.recorded).toEqual(['HandoverItemCompleted']);

      // The ledger still runs in the handover: a payment goes to the service fees first.
      const { statements } = (await brand().get(`/contracts/${id}/ledger`)).body;
      await brand().post(`/contracts/${id}/statements/${statements[0].statementId}/payments`, {
        amountFen: 3_100_000,
        paidOn: '2027-03-20',
        paymentRef: 'P-JAN',
      });
      expect((await brand().get(`/contracts/${id}/ledger`)).body.totals).toMatchObject({
        openServiceFeesFen: settled.serviceFeesFen - 3_000_000,
        openCommissionFen: settled.commissionFen - 100_000,
      });
    });
  });

  it("says when a statement no longer agrees with the contract's history", async () => {
    const id = await draftAndActivate(api);
    await reportedAndConfirmed(id);
    const { statementId } = (await operator().post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' })).body;
    // A fee change within the stated month, written behind the service's back (the decider refuses it).
    plantEvent(api.dataDir, id, 'ContractAmended', {
      amendmentId: 'planted',
      documentRef: 'SA-PLANTED',
      effectiveOn: '2027-03-16',
      changes: [{ type: 'change_service_fee', serviceFeeMonthlyFen: 6_200_000 }],
    });
    // The service sees the planted event with its next write.
    await operator().post(`/contracts/${id}/promotion-spend`, { month: '2027-03', spentFen: 1, documentRef: 'ZTC' });
    const head = await api.app.get(EventStore).headPosition();
    const statement = await api.as('auditor').get(`/contracts/${id}/statements/${statementId}?minPosition=${head!.commit}`);
    expect(statement.body.serviceFeesFen).toBe(SERVICE_FEE_FEN);
    // 15 days of 3,000,000 and 16 of 6,200,000 fen a month, of 31: 1,451,613 + 3,200,000.
    expect(statement.body.verification).toEqual({
      matches: false,
      recomputed: { serviceFeesFen: 4_651_613, commissionFen: MARCH_COMMISSION_FEN, totalFen: 4_651_613 + MARCH_COMMISSION_FEN },
    });
  });
});
