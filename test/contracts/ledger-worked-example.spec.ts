import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../../src/contracts/domain/decide';
import type { ContractCommand } from '../../src/contracts/domain/commands';
import type { ContractEvent } from '../../src/contracts/domain/events';
import { statementBalance, type Statement } from '../../src/contracts/domain/ledger';
import { fold, type ContractState } from '../../src/contracts/domain/state';
import { lastDayOf, nextMonth } from '../../src/shared/calendar';
import { agreement, anActiveContract } from '../support/contract-fixtures';

/**
 * The README's worked example, computed by the domain: the figures a reader
 * checks by hand must be the ones the service computes, and the README must
 * show exactly these.
 */
const SHOP = { platform: 'tmall', name: 'Feiyue Tmall flagship store' };
const MONTHLY_SALES = { grossSalesFen: 85_600_000, refundsFen: 2_350_000, shippingCostFen: 1_824_000 };

function theWorkedExample() {
  let history: ContractEvent[] = anActiveContract();
  const run = (command: ContractCommand) => {
    const events = decide(command, fold(history));
    history = [...history, ...events];
    return events;
  };
  const statements = new Map<string, Statement>();
  const settle = (month: string, periodEnd: string, sales: typeof MONTHLY_SALES, dayAfter: string) => {
    const reportId = `report-${month}`;
    run({ type: 'ReportSales', reportId, shop: SHOP, periodStart: `${month}-01`, periodEnd, ...sales, documentRef: `SR-${month}` });
    run({ type: 'ConfirmSalesReport', reportId, confirmedOn: dayAfter });
    const [issued] = run({ type: 'IssueStatement', statementId: `statement-${month}`, month, issuedOn: dayAfter });
    if (issued.type !== 'StatementIssued') throw new Error(`no statement for ${month}`);
    statements.set(month, issued.data);
    return issued.data;
  };

  // The brand takes logistics back and the fee drops, by a supplementary agreement the operator countersigns.
  agreement(
    [
      { type: 'remove_scope', scope: 'logistics' },
      { type: 'change_service_fee', serviceFeeMonthlyFen: 2_500_000 },
    ],
    { effectiveOn: '2027-06-16', documentRef: 'SA-2027-06', proposedBy: 'brand' },
  ).forEach(run);
  for (let month = '2027-01'; month <= '2028-03'; month = nextMonth(month)) {
    const statement = settle(month, lastDayOf(month), MONTHLY_SALES, `${nextMonth(month)}-01`);
    if (month < '2028-03') {
      run({
        type: 'RecordPayment',
        paymentId: `pay-${month}`,
        statementId: statement.statementId,
        amountFen: statement.totalFen,
        paidOn: `${nextMonth(month)}-01`,
        paymentRef: `BANK-${month}`,
      });
    }
  }
  run({
    type: 'ReportDutyIncident',
    incidentId: 'incident-1',
    duty: 'daily_shipping',
    reportedBy: 'operator',
    occurredOn: '2028-03-01',
    description: 'Not shipped',
    evidenceRef: 'EV-1',
  });
  // Noticed on 2 March: the 30-day cure period runs out on the termination's date.
  run({
    type: 'NoticeBreach',
    breachId: 'breach-1',
    breachingParty: 'brand',
    incidentIds: ['incident-1'],
    description: 'Not shipped',
    evidenceRef: 'EV-1',
    noticedOn: '2028-03-02',
  });
  run({ type: 'TerminateContract', initiatedBy: 'operator', grounds: { type: 'breach', breachId: 'breach-1' }, effectiveOn: '2028-04-01' });
  settle('2028-04', '2028-04-01', { grossSalesFen: 2_800_000, refundsFen: 0, shippingCostFen: 61_000 }, '2028-04-02');
  return { state: fold(history), statements };
}

function openAtHandover(state: ContractState) {
  if (state.status === 'none') throw new Error('no contract');
  const balances = state.ledger.statements.map((statement) => statementBalance(state.ledger, statement));
  return {
    serviceFeesFen: balances.reduce((sum, balance) => sum + balance.openServiceFeesFen, 0),
    commissionFen: balances.reduce((sum, balance) => sum + balance.openCommissionFen, 0),
  };
}

const amounts = (statement: Statement | undefined) => statement?.lines.map((line) => line.amountFen);

describe("the README's worked example of the ledger", () => {
  const { state, statements } = theWorkedExample();

  it('splits June 2027 at the amendment: 15 days at 30,000 yuan, 15 at 25,000, and 12% of sales net of refunds and shipping', () => {
    expect(amounts(statements.get('2027-06'))).toEqual([1_500_000, 1_250_000, 9_771_120]);
    expect(statements.get('2027-06')?.totalFen).toBe(12_521_120);
    expect(statements.get('2027-05')?.totalFen).toBe(12_771_120);
    expect(statements.get('2027-07')?.totalFen).toBe(12_271_120);
  });

  it('charges the one day of April 2028 pro rata, rounded half up to the fen', () => {
    expect(amounts(statements.get('2028-04'))).toEqual([83_333, 328_680]);
    expect(statements.get('2028-04')?.totalFen).toBe(412_013);
  });

  it('leaves March and April open for the final settlement', () => {
    expect(openAtHandover(state)).toEqual({ serviceFeesFen: 2_583_333, commissionFen: 10_099_800 });
  });

  it('is the example the README shows, figure for figure', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const example = /### Worked example[\s\S]*?\n## /.exec(readme)?.[0] ?? '';
    const shown = (fen: number) => fen.toLocaleString('en-US');
    for (const fen of [
      1_500_000, 1_250_000, 9_771_120, 12_521_120, 12_771_120, 12_271_120, 83_333, 328_680, 412_013, 2_583_333, 10_099_800,
    ]) {
      expect(example).toContain(shown(fen));
    }
    // The walkthrough settles with exactly the open figures.
    expect(readme).toContain('"serviceFeesFen":2583333,"commissionFen":10099800');
  });
});
