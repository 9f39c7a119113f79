import type { ContractCommand } from '../../src/contracts/domain/commands';
import { ContractRefused } from '../../src/contracts/domain/errors';
import type { ContractEvent } from '../../src/contracts/domain/events';
import { addDays } from '../../src/shared/calendar';
import { ledgerMonths, serviceDaysOf, statementBalance, type StatementData } from '../../src/contracts/domain/ledger';
import { fold, type ExistingContract } from '../../src/contracts/domain/state';
import type { AmendmentChange, Shop } from '../../src/contracts/domain/terms';
import {
  aCompletedHandover,
  aContractInHandover,
  aContractTerminatedOn,
  aDraftedContract,
  agreement,
  amended,
  anActiveContract,
  anAgreementInForce,
  aSettledLedger,
  confirmSales,
  decided,
  disputeSales,
  draftTerms,
  finalSettlementEvidence,
  FLAGSHIP,
  given,
  issueStatement,
  proposeAmendment,
  recordPayment,
  refusal,
  reportSales,
} from '../support/contract-fixtures';

/**
 * The monthly settlement ledger, rule by rule: sales reports and their
 * corrections, the brand's confirmation or dispute, promotion spend,
 * statements computed from the terms in force, payments, and the final
 * settlement checked against it all. Figures are worked out by hand in the
 * comments, from the draft terms: a 30,000 yuan monthly fee, 12% commission
 * net of shipping, and a month of 500,000 yuan sold, 20,000 refunded and
 * 15,000 of shipping (commission 12% x 465,000 = 55,800 yuan).
 */

const ACTIVE = anActiveContract();
const JD_STORE: Shop = { platform: 'jd', name: 'Feiyue JD self-run store' };

/** The history followed by the events the commands record, one after the other. */
const followedBy = (history: ContractEvent[], ...commands: ContractCommand[]): ContractEvent[] => [
  ...history,
  ...decided(history, commands),
];

const ratesTo = (commissionRateBp: number): AmendmentChange[] => [{ type: 'change_commission_rate', commissionRateBp }];
const reportSpend = (month: string, spentFen: number): ContractCommand => ({
  type: 'ReportPromotionSpend',
  month,
  spentFen,
  documentRef: `PS-${month}`,
});

/** The contract the history leaves. */
function contractOf(history: ContractEvent[]): ExistingContract {
  const state = fold(history);
  if (state.status === 'none') throw new Error('no contract');
  return state;
}

/** The one statement the command records, for its figures. */
function statementOf(events: ContractEvent[] | ContractRefused): StatementData {
  if (events instanceof ContractRefused) throw new Error(`expected a statement, got ${events.code}: ${JSON.stringify(events.extensions)}`);
  const [event] = events;
  if (event?.type !== 'StatementIssued') throw new Error(`expected a statement, got ${JSON.stringify(events)}`);
  return event.data;
}

/** A shop's days reported and confirmed on their last day (the flagship store's unless another is named). */
const confirmedSales = (reportId: string, from: string, to: string, more?: Parameters<typeof reportSales>[3]): ContractCommand[] => [
  reportSales(reportId, from, to, more),
  confirmSales(reportId, to),
];

/** The statement of a month, once the commands are taken, issued the day after its last service day. */
function stated(history: ContractEvent[], month: string, ...commands: ContractCommand[]): StatementData {
  const before = followedBy(history, ...commands);
  const issuedOn = addDays(serviceDaysOf(contractOf(before), month)!.to, 1);
  return statementOf(given(before).when(issueStatement('st', month, issuedOn)));
}

/** March 2027 of the flagship store reported whole, by report r-1. */
const MARCH_REPORTED = followedBy(ACTIVE, reportSales('r-1', '2027-03-01', '2027-03-31'));
const MARCH_CONFIRMED = followedBy(MARCH_REPORTED, confirmSales('r-1', '2027-04-01'));
/** March 2027 stated by st-2027-03: 30,000 fee + 55,800 commission = 85,800 yuan. */
const MARCH_STATED = followedBy(MARCH_CONFIRMED, issueStatement('st-2027-03', '2027-03', '2027-04-02'));
const MARCH_TOTAL = 8_580_000;
/** The commission line of March reported whole: 12% of 465,000 yuan. */
const MARCH_COMMISSION_LINE: StatementData['lines'][number] = {
  kind: 'commission',
  reportIds: ['r-1'],
  shop: FLAGSHIP,
  from: '2027-03-01',
  to: '2027-03-31',
  grossSalesFen: 50_000_000,
  refundsFen: 2_000_000,
  shippingCostFen: 1_500_000,
  commissionBase: 'net_of_shipping',
  baseFen: 46_500_000,
  commissionRateBp: 1200,
  amountFen: 5_580_000,
};

describe('sales reports', () => {
  it('records one shop’s sales for a month, as revision 1', () => {
    expect(given(ACTIVE).when(reportSales('r-1', '2027-03-01', '2027-03-31'))).toEqual([
      {
        type: 'SalesReported',
        data: {
          reportId: 'r-1',
          shop: FLAGSHIP,
          periodStart: '2027-03-01',
          periodEnd: '2027-03-31',
          grossSalesFen: 50_000_000,
          refundsFen: 2_000_000,
          shippingCostFen: 1_500_000,
          documentRef: 'SR-r-1',
          revision: 1,
        },
      },
    ]);
  });

  it('records part of a month, down to a single day', () => {
    expect(given(ACTIVE).when(reportSales('r-1', '2027-03-10', '2027-03-20'))).toHaveLength(1);
    expect(given(ACTIVE).when(reportSales('r-1', '2027-03-10', '2027-03-10'))).toHaveLength(1);
  });

  it('refuses a period that ends before it starts', () => {
    expect(given(ACTIVE).when(reportSales('r-1', '2027-03-20', '2027-03-10'))).toEqual(refusal('sales_report.period_reversed', 'invalid'));
  });

  it('refuses a period across months, naming the two periods to report instead', () => {
    const refused = given(ACTIVE).when(reportSales('r-1', '2027-03-20', '2027-04-10'));
    expect(refused).toEqual(refusal('sales_report.spans_months', 'invalid'));
    expect((refused as Error).message).toContain('report 2027-03-20 to 2027-03-31 and 2027-04-01 to 2027-04-10 apart');
  });

  it('refuses days outside the service: before the term, after it, after a termination', () => {
    const outside = refusal('sales_report.outside_service', 'invalid');
    expect(given(ACTIVE).when(reportSales('r-1', '2026-12-01', '2026-12-31'))).toEqual(outside);
    expect(given(ACTIVE).when(reportSales('r-1', '2030-01-01', '2030-01-31'))).toEqual(outside);
    const terminated = aContractTerminatedOn('2028-04-10');
    const refused = given(terminated).when(reportSales('r-1', '2028-04-01', '2028-04-11'));
    expect(refused).toEqual(outside);
    expect((refused as Error).message).toContain('from 2027-01-01 through 2028-04-10');
    // The termination's effective date is the last day served, and the ledger runs on through the handover.
    expect(given(terminated).when(reportSales('r-1', '2028-04-01', '2028-04-10'))).toHaveLength(1);
  });

  it('refuses a shop the contract does not run', () => {
    expect(given(ACTIVE).when(reportSales('r-1', '2027-03-01', '2027-03-31', { shop: JD_STORE }))).toEqual(
      refusal('sales_report.unknown_shop', 'invalid'),
    );
  });

  it.each<[string, AmendmentChange]>([
    ['commission rate', { type: 'change_commission_rate', commissionRateBp: 1500 }],
    ['commission base', { type: 'change_commission_base', commissionBase: 'gross' }],
  ])('refuses a period across a change of the %s, with the day to split at', (_, change) => {
    const history = [...ACTIVE, amended([change], '2028-03-15')];
    const refused = given(history).when(reportSales('r-1', '2028-03-01', '2028-03-31'));
    expect(refused).toEqual(refusal('sales_report.straddles_commission_change', 'invalid', { splitAt: '2028-03-15' }));
    expect((refused as Error).message).toContain('report 2028-03-01 to 2028-03-14 and 2028-03-15 to 2028-03-31 apart');
    expect(given(history).when(reportSales('r-1', '2028-03-01', '2028-03-14'))).toHaveLength(1);
    expect(given(history).when(reportSales('r-1', '2028-03-15', '2028-03-31'))).toHaveLength(1);
  });

  it('takes a period across a change of the service fee alone: the fee is not charged on sales', () => {
    const history = [...ACTIVE, amended([{ type: 'change_service_fee', serviceFeeMonthlyFen: 2_400_000 }], '2028-03-15')];
    expect(given(history).when(reportSales('r-1', '2028-03-01', '2028-03-31'))).toHaveLength(1);
  });

  it('refuses a second report over days of the shop already reported, naming the report that covers them', () => {
    const refused = given(MARCH_REPORTED).when(reportSales('r-2', '2027-03-15', '2027-03-20'));
    expect(refused).toEqual(refusal('sales_report.period_already_reported', 'conflict'));
    expect((refused as Error).message).toContain('Report r-1 already covers 2027-03-01 to 2027-03-31');
  });

  it('takes the same period for another shop, and the next days of the same shop', () => {
    const twoShops = followedBy(
      anActiveContract(draftTerms({ shops: [FLAGSHIP, JD_STORE] })),
      reportSales('r-1', '2027-03-01', '2027-03-15'),
    );
    expect(given(twoShops).when(reportSales('r-2', '2027-03-01', '2027-03-15', { shop: JD_STORE }))).toHaveLength(1);
    expect(given(twoShops).when(reportSales('r-2', '2027-03-16', '2027-03-31'))).toHaveLength(1);
  });

  it('does nothing for a retry with the same data, whatever became of the report, and refuses other data under its id', () => {
    const retry = reportSales('r-1', '2027-03-01', '2027-03-31');
    expect(given(MARCH_REPORTED).when(retry)).toEqual([]);
    expect(given(MARCH_CONFIRMED).when(retry)).toEqual([]);
    expect(given(MARCH_REPORTED).when(reportSales('r-1', '2027-03-01', '2027-03-31', { refundsFen: 1 }))).toEqual(
      refusal('sales_report.already_exists', 'conflict'),
    );
    // An id is the client's: reusing it for another period is not a new report either.
    expect(given(MARCH_REPORTED).when(reportSales('r-1', '2027-04-01', '2027-04-30'))).toEqual(
      refusal('sales_report.already_exists', 'conflict'),
    );
  });
});

describe('corrections', () => {
  const correct = (reportId: string, supersedes: string, from = '2027-03-01', to = '2027-03-31', refundsFen = 3_000_000) =>
    reportSales(reportId, from, to, { supersedes, refundsFen });

  it('supersede the report they correct, one revision up', () => {
    const events = given(MARCH_REPORTED).when(correct('r-2', 'r-1'));
    expect(events).toEqual([
      {
        type: 'SalesReported',
        data: expect.objectContaining({ reportId: 'r-2', supersedes: 'r-1', revision: 2, refundsFen: 3_000_000 }) as unknown,
      },
    ]);
    const corrected = [...MARCH_REPORTED, ...(events as ContractEvent[])];
    expect(contractOf(corrected).ledger.reports).toEqual([
      expect.objectContaining({ reportId: 'r-1', supersededBy: ['r-2'] }),
      expect.objectContaining({ reportId: 'r-2', status: 'reported' }),
    ]);
    // A correction of a correction goes one revision further.
    expect(given(corrected).when(correct('r-3', 'r-2'))).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ supersedes: 'r-2', revision: 3 }) }),
    ]);
  });

  it('may be two that split the report’s period, each a revision of it', () => {
    const first = followedBy(MARCH_CONFIRMED, correct('r-2', 'r-1', '2027-03-01', '2027-03-14'));
    const split = followedBy(first, correct('r-3', 'r-1', '2027-03-15', '2027-03-31'));
    expect(contractOf(split).ledger.reports.map(({ reportId, revision, supersededBy }) => ({ reportId, revision, supersededBy }))).toEqual([
      { reportId: 'r-1', revision: 1, supersededBy: ['r-2', 'r-3'] },
      { reportId: 'r-2', revision: 2, supersededBy: undefined },
      { reportId: 'r-3', revision: 2, supersededBy: undefined },
    ]);
    // The days of the first correction stay reported: a third cannot cover them again.
    expect(given(first).when(correct('r-3', 'r-1', '2027-03-10', '2027-03-31'))).toEqual(
      refusal('sales_report.period_already_reported', 'conflict'),
    );
  });

  it('refuse correcting a report that does not exist', () => {
    expect(given(MARCH_REPORTED).when(correct('r-2', 'r-9'))).toEqual(refusal('sales_report.not_found', 'not_found'));
  });

  it('refuse correcting a report of another shop', () => {
    const twoShops = followedBy(
      anActiveContract(draftTerms({ shops: [FLAGSHIP, JD_STORE] })),
      reportSales('r-1', '2027-03-01', '2027-03-31'),
    );
    expect(given(twoShops).when(reportSales('r-2', '2027-03-01', '2027-03-31', { shop: JD_STORE, supersedes: 'r-1' }))).toEqual(
      refusal('sales_report.correction_other_shop', 'invalid'),
    );
  });

  it('refuse days outside the period of the report corrected', () => {
    const partOfMarch = followedBy(ACTIVE, reportSales('r-1', '2027-03-01', '2027-03-15'));
    expect(given(partOfMarch).when(correct('r-2', 'r-1', '2027-03-01', '2027-03-16'))).toEqual(
      refusal('sales_report.correction_outside_period', 'invalid'),
    );
  });

  it('refuse correcting a report a statement used', () => {
    const refused = given(MARCH_STATED).when(correct('r-2', 'r-1'));
    expect(refused).toEqual(refusal('sales_report.already_stated', 'conflict'));
    expect((refused as Error).message).toContain('on the statement of 2027-03');
  });
});

describe('confirming and disputing a report', () => {
  it('records the brand’s confirmation; confirming again does nothing', () => {
    expect(given(MARCH_REPORTED).when(confirmSales('r-1', '2027-04-01'))).toEqual([
      { type: 'SalesReportConfirmed', data: { reportId: 'r-1', confirmedOn: '2027-04-01' } },
    ]);
    expect(given(MARCH_CONFIRMED).when(confirmSales('r-1', '2027-04-05'))).toEqual([]);
  });

  it('refuses a confirmation before the period is over; its last day will do', () => {
    expect(given(MARCH_REPORTED).when(confirmSales('r-1', '2027-03-30'))).toEqual(refusal('sales_report.confirmed_early', 'invalid'));
    expect(given(MARCH_REPORTED).when(confirmSales('r-1', '2027-03-31'))).toHaveLength(1);
  });

  it('records a dispute with its reason; the same dispute again does nothing, another is refused', () => {
    const dispute = disputeSales('r-1', '2027-04-03');
    const events = given(MARCH_REPORTED).when(dispute);
    expect(events).toEqual([
      {
        type: 'SalesReportDisputed',
        data: { reportId: 'r-1', reason: 'Refunds of the 618 promotion are missing', disputedOn: '2027-04-03' },
      },
    ]);
    const disputed = [...MARCH_REPORTED, ...(events as ContractEvent[])];
    expect(given(disputed).when(dispute)).toEqual([]);
    expect(given(disputed).when(disputeSales('r-1', '2027-04-03', 'Shipping is overstated'))).toEqual(
      refusal('sales_report.already_disputed', 'conflict'),
    );
  });

  it('refuses a dispute dated before the period starts; its first day will do', () => {
    const refused = given(MARCH_REPORTED).when(disputeSales('r-1', '2027-02-28'));
    expect(refused).toEqual(refusal('sales_report.disputed_early', 'invalid'));
    expect((refused as Error).message).toContain('starts on 2027-03-01');
    expect(given(MARCH_REPORTED).when(disputeSales('r-1', '2027-03-01'))).toHaveLength(1);
  });

  it('refuses disputing a confirmed report, and confirming a disputed one', () => {
    expect(given(MARCH_CONFIRMED).when(disputeSales('r-1', '2027-04-03'))).toEqual(refusal('sales_report.already_confirmed', 'conflict'));
    const disputed = followedBy(MARCH_REPORTED, disputeSales('r-1', '2027-04-03'));
    expect(given(disputed).when(confirmSales('r-1', '2027-04-05'))).toEqual(refusal('sales_report.disputed', 'conflict'));
  });

  it('refuses confirming or disputing a superseded report, naming its corrections, or one that does not exist', () => {
    const corrected = followedBy(MARCH_REPORTED, reportSales('r-2', '2027-03-01', '2027-03-31', { supersedes: 'r-1', refundsFen: 0 }));
    const refused = given(corrected).when(confirmSales('r-1', '2027-04-01'));
    expect(refused).toEqual(refusal('sales_report.superseded', 'conflict'));
    expect((refused as Error).message).toContain('corrected by r-2');
    expect(given(corrected).when(disputeSales('r-1', '2027-04-01'))).toEqual(refusal('sales_report.superseded', 'conflict'));
    expect(given(ACTIVE).when(confirmSales('r-9', '2027-04-01'))).toEqual(refusal('sales_report.not_found', 'not_found'));
    expect(given(ACTIVE).when(disputeSales('r-9', '2027-04-01'))).toEqual(refusal('sales_report.not_found', 'not_found'));
  });

  it('unblocks the month once a disputed report is corrected and the correction confirmed', () => {
    const disputed = followedBy(MARCH_REPORTED, disputeSales('r-1', '2027-04-03'));
    expect(given(disputed).when(issueStatement('st-2027-03', '2027-03', '2027-04-10'))).toEqual(
      refusal('statement.reports_incomplete', 'conflict', {
        blockers: [{ shop: FLAGSHIP, from: '2027-03-01', to: '2027-03-31', reason: 'disputed', reportId: 'r-1' }],
      }),
    );
    const statement = stated(
      disputed,
      '2027-03',
      ...confirmedSales('r-2', '2027-03-01', '2027-03-31', { supersedes: 'r-1', refundsFen: 3_000_000 }),
    );
    // The corrected figures: 12% x (500,000 - 30,000 - 15,000) = 54,600 yuan.
    expect(statement.inputs).toEqual([{ reportId: 'r-2', revision: 2 }]);
    expect(statement.commissionFen).toBe(5_460_000);
  });
});

describe('promotion spend', () => {
  it('records the month’s spend; a later report replaces it in the ledger, against the budget in force', () => {
    const first = given(ACTIVE).when(reportSpend('2027-03', 8_000_000));
    expect(first).toEqual([{ type: 'PromotionSpendReported', data: { month: '2027-03', spentFen: 8_000_000, documentRef: 'PS-2027-03' } }]);
    const reported = [...ACTIVE, ...(first as ContractEvent[])];
    const promotionOf = (history: ContractEvent[]) => {
      return ledgerMonths(contractOf(history)).find((month) => month.month === '2027-03')?.promotion;
    };
    // The budget committed is 100,000 yuan a month: 80,000 spent leaves 20,000 short.
    expect(promotionOf(reported)).toEqual({ committedFen: 10_000_000, spentFen: 8_000_000, shortfallFen: 2_000_000 });
    const replaced = followedBy(reported, reportSpend('2027-03', 12_000_000));
    expect(promotionOf(replaced)).toEqual({ committedFen: 10_000_000, spentFen: 12_000_000, shortfallFen: 0 });
  });

  it('does nothing when the latest report of the month says the same; going back to an earlier figure is a new report', () => {
    const twice = followedBy(ACTIVE, reportSpend('2027-03', 8_000_000), reportSpend('2027-03', 12_000_000));
    expect(given(twice).when(reportSpend('2027-03', 12_000_000))).toEqual([]);
    expect(given(twice).when(reportSpend('2027-03', 8_000_000))).toHaveLength(1);
  });

  it('refuses a month without service days', () => {
    expect(given(ACTIVE).when(reportSpend('2026-12', 1))).toEqual(refusal('promotion_spend.outside_service', 'invalid'));
    expect(given(aContractTerminatedOn('2028-04-10')).when(reportSpend('2028-05', 1))).toEqual(
      refusal('promotion_spend.outside_service', 'invalid'),
    );
  });
});

describe('statements', () => {
  it('state a whole month: the fee, the commission on the shop’s confirmed reports, the inputs and the terms applied', () => {
    expect(given(MARCH_CONFIRMED).when(issueStatement('st-2027-03', '2027-03', '2027-04-02'))).toEqual([
      {
        type: 'StatementIssued',
        data: {
          statementId: 'st-2027-03',
          month: '2027-03',
          issuedOn: '2027-04-02',
          inputs: [{ reportId: 'r-1', revision: 1 }],
          terms: [
            {
              from: '2027-03-01',
              to: '2027-03-31',
              serviceFeeMonthlyFen: 3_000_000,
              commissionRateBp: 1200,
              commissionBase: 'net_of_shipping',
            },
          ],
          lines: [
            {
              kind: 'service_fee',
              from: '2027-03-01',
              to: '2027-03-31',
              days: 31,
              daysInMonth: 31,
              serviceFeeMonthlyFen: 3_000_000,
              amountFen: 3_000_000,
            },
            MARCH_COMMISSION_LINE,
          ],
          serviceFeesFen: 3_000_000,
          commissionFen: 5_580_000,
          totalFen: MARCH_TOTAL,
        },
      },
    ]);
  });

  it('refuse a month without service days', () => {
    const outside = refusal('statement.outside_service', 'invalid');
    expect(given(ACTIVE).when(issueStatement('st', '2026-12', '2027-01-02'))).toEqual(outside);
    expect(given(ACTIVE).when(issueStatement('st', '2030-01', '2030-02-02'))).toEqual(outside);
    expect(given(aContractTerminatedOn('2028-04-10')).when(issueStatement('st', '2028-05', '2028-06-02'))).toEqual(outside);
  });

  it('refuse a month before its last service day is over; a termination ends it early', () => {
    expect(given(MARCH_CONFIRMED).when(issueStatement('st', '2027-03', '2027-03-31'))).toEqual(
      refusal('statement.period_not_over', 'invalid'),
    );
    const terminated = followedBy(aContractTerminatedOn('2028-04-10'), ...confirmedSales('r-1', '2028-04-01', '2028-04-10'));
    expect(given(terminated).when(issueStatement('st', '2028-04', '2028-04-10'))).toEqual(refusal('statement.period_not_over', 'invalid'));
    expect(given(terminated).when(issueStatement('st', '2028-04', '2028-04-11'))).toHaveLength(1);
  });

  it('list, as blockers, the days of each shop no report covers', () => {
    expect(given(ACTIVE).when(issueStatement('st', '2027-03', '2027-04-02'))).toEqual(
      refusal('statement.reports_incomplete', 'conflict', {
        blockers: [{ shop: FLAGSHIP, from: '2027-03-01', to: '2027-03-31', reason: 'not_reported' }],
      }),
    );
  });

  it('list gaps, reports awaiting confirmation and disputed reports, each with its report', () => {
    const history = followedBy(
      ACTIVE,
      ...confirmedSales('r-1', '2027-03-01', '2027-03-10'),
      reportSales('r-2', '2027-03-14', '2027-03-20'),
      disputeSales('r-2', '2027-03-21'),
      reportSales('r-3', '2027-03-21', '2027-03-31'),
    );
    expect(given(history).when(issueStatement('st', '2027-03', '2027-04-02'))).toEqual(
      refusal('statement.reports_incomplete', 'conflict', {
        blockers: [
          { shop: FLAGSHIP, from: '2027-03-11', to: '2027-03-13', reason: 'not_reported' },
          { shop: FLAGSHIP, from: '2027-03-14', to: '2027-03-20', reason: 'disputed', reportId: 'r-2' },
          { shop: FLAGSHIP, from: '2027-03-21', to: '2027-03-31', reason: 'awaiting_confirmation', reportId: 'r-3' },
        ],
      }),
    );
  });

  it('list a report that a later amendment makes straddle a change of commission, with the day to split at', () => {
    // Reported and confirmed first; the supplementary agreement came later, effective mid-month.
    const confirmed = followedBy(ACTIVE, ...confirmedSales('r-1', '2028-03-01', '2028-03-31'));
    const straddling = followedBy(confirmed, ...agreement(ratesTo(1500), { effectiveOn: '2028-03-15' }));
    expect(given(straddling).when(issueStatement('st', '2028-03', '2028-04-02'))).toEqual(
      refusal('statement.reports_incomplete', 'conflict', {
        blockers: [
          {
            shop: FLAGSHIP,
            from: '2028-03-01',
            to: '2028-03-31',
            reason: 'straddles_commission_change',
            reportId: 'r-1',
            splitAt: '2028-03-15',
          },
        ],
      }),
    );
    // Two corrections split it; each half is charged at its own rate: 12% and 15% of 465,000 yuan.
    const statement = stated(
      straddling,
      '2028-03',
      ...confirmedSales('r-2', '2028-03-01', '2028-03-14', { supersedes: 'r-1' }),
      ...confirmedSales('r-3', '2028-03-15', '2028-03-31', { supersedes: 'r-1' }),
    );
    expect(statement.lines.filter((line) => line.kind === 'commission').map((line) => [line.commissionRateBp, line.amountFen])).toEqual([
      [1200, 5_580_000],
      [1500, 6_975_000],
    ]);
    expect(statement.terms.map(({ from, to, commissionRateBp }) => ({ from, to, commissionRateBp }))).toEqual([
      { from: '2028-03-01', to: '2028-03-14', commissionRateBp: 1200 },
      { from: '2028-03-15', to: '2028-03-31', commissionRateBp: 1500 },
    ]);
    expect(statement.inputs).toEqual([
      { reportId: 'r-2', revision: 2 },
      { reportId: 'r-3', revision: 2 },
    ]);
  });

  it('charge the fee pro rata from a term that starts mid-month: 17 of 31 days of 30,000 yuan', () => {
    const startsMidJanuary = anActiveContract(draftTerms({ term: { startsOn: '2027-01-15', endsOn: '2029-12-31' } }));
    const statement = stated(startsMidJanuary, '2027-01', ...confirmedSales('r-1', '2027-01-15', '2027-01-31'));
    // 3,000,000 x 17 / 31 = 1,645,161.29 fen.
    expect(statement.lines[0]).toEqual({
      kind: 'service_fee',
      from: '2027-01-15',
      to: '2027-01-31',
      days: 17,
      daysInMonth: 31,
      serviceFeeMonthlyFen: 3_000_000,
      amountFen: 1_645_161,
    });
  });

  it('charge the fee pro rata to a term that ends mid-month: 20 of 31 days', () => {
    const endsMidDecember = anActiveContract(draftTerms({ term: { startsOn: '2027-01-01', endsOn: '2029-12-20' } }));
    const statement = stated(endsMidDecember, '2029-12', ...confirmedSales('r-1', '2029-12-01', '2029-12-20'));
    // 3,000,000 x 20 / 31 = 1,935,483.87 fen.
    expect(statement.lines[0]).toEqual(expect.objectContaining({ from: '2029-12-01', to: '2029-12-20', days: 20, amountFen: 1_935_484 }));
  });

  it('charge the fee through a termination’s effective date, rounding the half fen up', () => {
    const oddFee = anActiveContract(draftTerms({ fees: { ...draftTerms().fees, serviceFeeMonthlyFen: 3_000_001 } }));
    const statement = stated(aContractTerminatedOn('2028-04-15', oddFee), '2028-04', ...confirmedSales('r-1', '2028-04-01', '2028-04-15'));
    // 3,000,001 x 15 / 30 = 1,500,000.5 fen: the half goes up, once, on the line.
    expect(statement.lines[0]).toEqual(
      expect.objectContaining({ from: '2028-04-01', to: '2028-04-15', days: 15, daysInMonth: 30, amountFen: 1_500_001 }),
    );
    expect(statement.serviceFeesFen).toBe(1_500_001);
  });

  it('charge a year that starts mid-month by calendar days, not as twelve fees: 29 February 2028 to 28 February 2029', () => {
    const leapYear = anActiveContract(draftTerms({ term: { startsOn: '2028-02-29', endsOn: '2029-02-28' } }));
    const { ledger } = contractOf([...leapYear, ...aSettledLedger(leapYear)]);
    // 3,000,000 x 1/29 = 103,448.28 fen for its one day of February 2028, then March 2028 to February 2029 whole.
    expect(ledger.statements.map((statement) => statement.serviceFeesFen)).toEqual([103_448, ...Array<number>(12).fill(3_000_000)]);
    expect(ledger.statements.reduce((sum, statement) => sum + statement.serviceFeesFen, 0)).toBe(36_103_448);
  });

  it('split the fee where a new fee takes effect mid-month, each stretch pro rata', () => {
    const newFee = [...ACTIVE, amended([{ type: 'change_service_fee', serviceFeeMonthlyFen: 2_400_000 }], '2028-02-10')];
    const statement = stated(newFee, '2028-02', ...confirmedSales('r-1', '2028-02-01', '2028-02-29'));
    // A leap February: 3,000,000 x 9 / 29 = 931,034.48 and 2,400,000 x 20 / 29 = 1,655,172.41 fen.
    expect(statement.lines.filter((line) => line.kind === 'service_fee')).toEqual([
      {
        kind: 'service_fee',
        from: '2028-02-01',
        to: '2028-02-09',
        days: 9,
        daysInMonth: 29,
        serviceFeeMonthlyFen: 3_000_000,
        amountFen: 931_034,
      },
      {
        kind: 'service_fee',
        from: '2028-02-10',
        to: '2028-02-29',
        days: 20,
        daysInMonth: 29,
        serviceFeeMonthlyFen: 2_400_000,
        amountFen: 1_655_172,
      },
    ]);
    expect(statement.terms.map(({ from, to, serviceFeeMonthlyFen }) => ({ from, to, serviceFeeMonthlyFen }))).toEqual([
      { from: '2028-02-01', to: '2028-02-09', serviceFeeMonthlyFen: 3_000_000 },
      { from: '2028-02-10', to: '2028-02-29', serviceFeeMonthlyFen: 2_400_000 },
    ]);
    expect(statement.serviceFeesFen).toBe(2_586_206);
    expect(statement.totalFen).toBe(2_586_206 + 5_580_000);
  });

  it('need every shop reported, and charge a commission line per shop', () => {
    const twoShops = anActiveContract(draftTerms({ shops: [FLAGSHIP, JD_STORE] }));
    const flagshipOnly = followedBy(twoShops, ...confirmedSales('r-1', '2027-03-01', '2027-03-31'));
    expect(given(flagshipOnly).when(issueStatement('st', '2027-03', '2027-04-01'))).toEqual(
      refusal('statement.reports_incomplete', 'conflict', {
        blockers: [{ shop: JD_STORE, from: '2027-03-01', to: '2027-03-31', reason: 'not_reported' }],
      }),
    );
    const jdSales = { shop: JD_STORE, grossSalesFen: 10_000_000, refundsFen: 0, shippingCostFen: 0 };
    const statement = stated(flagshipOnly, '2027-03', ...confirmedSales('r-2', '2027-03-01', '2027-03-31', jdSales));
    // 12% of 465,000 and of 100,000 yuan; one fee for the contract, whatever the number of shops.
    expect(statement.lines.map((line) => [line.kind, line.amountFen])).toEqual([
      ['service_fee', 3_000_000],
      ['commission', 5_580_000],
      ['commission', 1_200_000],
    ]);
    expect(statement.totalFen).toBe(9_780_000);
  });

  it('take shipping off the base only when the contract says net of shipping', () => {
    const gross = anActiveContract(draftTerms({ fees: { ...draftTerms().fees, commissionBase: 'gross' } }));
    const line = stated(gross, '2027-03', ...confirmedSales('r-1', '2027-03-01', '2027-03-31')).lines[1];
    // Gross of shipping: 12% of (500,000 - 20,000) = 57,600 yuan, against 55,800 net of it.
    expect(line).toEqual(expect.objectContaining({ commissionBase: 'gross', baseFen: 48_000_000, amountFen: 5_760_000 }));
  });

  it('never charge commission on a negative base: refunds above sales make it 0', () => {
    const refunded = { grossSalesFen: 2_000_000, refundsFen: 1_900_000, shippingCostFen: 150_000 };
    const statement = stated(ACTIVE, '2027-03', ...confirmedSales('r-1', '2027-03-01', '2027-03-31', refunded));
    expect(statement.lines[1]).toEqual(expect.objectContaining({ baseFen: 0, amountFen: 0 }));
    expect(statement.totalFen).toBe(3_000_000);
  });

  it('sum a shop’s reports of a stretch with one commission into one line, with their ids, before clamping and rounding', () => {
    const thirds = [
      ...confirmedSales('r-1', '2027-03-01', '2027-03-10', { grossSalesFen: 20_000_000, refundsFen: 0, shippingCostFen: 500_000 }),
      ...confirmedSales('r-2', '2027-03-11', '2027-03-20', { grossSalesFen: 0, refundsFen: 2_000_000, shippingCostFen: 0 }),
      ...confirmedSales('r-3', '2027-03-21', '2027-03-31', { grossSalesFen: 30_000_000, refundsFen: 0, shippingCostFen: 1_000_000 }),
    ];
    const statement = stated(ACTIVE, '2027-03', ...thirds);
    // The month of the one-report story in three reports: the same 12% x 465,000 yuan.
    expect(statement.lines[1]).toEqual({ ...MARCH_COMMISSION_LINE, reportIds: ['r-1', 'r-2', 'r-3'] });
    expect(statement.inputs).toEqual(['r-1', 'r-2', 'r-3'].map((reportId) => ({ reportId, revision: 1 })));
  });

  it('charge the same commission however the month is split into reports: refunds of one half offset sales of the other', () => {
    // 10,000 yuan sold and 10,000 refunded: nothing to charge, as one report or as two halves.
    const whole = stated(
      ACTIVE,
      '2027-03',
      ...confirmedSales('r-1', '2027-03-01', '2027-03-31', { grossSalesFen: 1_000_000, refundsFen: 1_000_000, shippingCostFen: 0 }),
    );
    const halves = stated(
      ACTIVE,
      '2027-03',
      ...confirmedSales('r-1', '2027-03-01', '2027-03-15', { grossSalesFen: 1_000_000, refundsFen: 0, shippingCostFen: 0 }),
      ...confirmedSales('r-2', '2027-03-16', '2027-03-31', { grossSalesFen: 0, refundsFen: 1_000_000, shippingCostFen: 0 }),
    );
    expect(whole.commissionFen).toBe(0);
    expect(halves.commissionFen).toBe(0);
    const eighth = anActiveContract(draftTerms({ fees: { serviceFeeMonthlyFen: 0, commissionRateBp: 1250, commissionBase: 'gross' } }));
    const pennies = { grossSalesFen: 4, refundsFen: 0, shippingCostFen: 0 };
    const fourFenThrice = stated(
      eighth,
      '2027-03',
      ...confirmedSales('r-1', '2027-03-01', '2027-03-10', pennies),
      ...confirmedSales('r-2', '2027-03-11', '2027-03-20', pennies),
      ...confirmedSales('r-3', '2027-03-21', '2027-03-31', pennies),
    );
    // 12.5% of 12 fen = 1.5 fen: 2 fen on the one line, where each report alone (0.5 fen) would have rounded to 1 fen, 3 in all.
    expect(fourFenThrice.commissionFen).toBe(2);
  });

  it('round each commission line once, halves up', () => {
    const eighth = anActiveContract(draftTerms({ fees: { serviceFeeMonthlyFen: 0, commissionRateBp: 1250, commissionBase: 'gross' } }));
    const sales = { grossSalesFen: 100_004, refundsFen: 0, shippingCostFen: 0 };
    // 12.5% of 100,004 fen = 12,500.5 fen.
    expect(stated(eighth, '2027-03', ...confirmedSales('r-1', '2027-03-01', '2027-03-31', sales)).commissionFen).toBe(12_501);
  });

  it('refuse a statement whose total, or the contract’s statements’ total with it, would pass 2^53 - 1 fen, summing exactly', () => {
    const hugeFee = (commissionRateBp: number) =>
      anActiveContract(
        draftTerms({ fees: { serviceFeeMonthlyFen: Number.MAX_SAFE_INTEGER, commissionRateBp, commissionBase: 'net_of_shipping' } }),
      );
    // The whole fee and 55,800 yuan of commission: a sum no JSON number holds exactly.
    const withCommission = followedBy(hugeFee(1200), ...confirmedSales('r-1', '2027-01-01', '2027-01-31'));
    const refused = given(withCommission).when(issueStatement('st-1', '2027-01', '2027-02-01'));
    expect(refused).toEqual(refusal('statement.too_large', 'invalid'));
    expect((refused as Error).message).toBe(
      '2027-01 would total 9007199260320991 fen, more than the 9007199254740991 fen (2^53 - 1) the ledger holds exactly.',
    );
    // Without commission, January is exactly the largest amount; February would take the contract past it.
    const january = followedBy(
      hugeFee(0),
      ...confirmedSales('r-1', '2027-01-01', '2027-01-31'),
      issueStatement('st-1', '2027-01', '2027-02-01'),
      ...confirmedSales('r-2', '2027-02-01', '2027-02-28'),
    );
    expect(contractOf(january).ledger.chargedFen).toBe(Number.MAX_SAFE_INTEGER);
    expect(given(january).when(issueStatement('st-2', '2027-02', '2027-03-01'))).toEqual(refusal('statement.too_large', 'invalid'));
  });

  it('do nothing when the same statement is issued again (a retry), and refuse a second statement of the month, naming the first', () => {
    expect(given(MARCH_STATED).when(issueStatement('st-2027-03', '2027-03', '2027-04-02'))).toEqual([]);
    expect(given(MARCH_STATED).when(issueStatement('st-again', '2027-03', '2027-05-01'))).toEqual(
      refusal('statement.already_issued', 'conflict', { statementId: 'st-2027-03' }),
    );
  });

  it('refuse an id already given to the statement of another month', () => {
    const april = followedBy(MARCH_STATED, ...confirmedSales('r-2', '2027-04-01', '2027-04-30'));
    expect(given(april).when(issueStatement('st-2027-03', '2027-04', '2027-05-02'))).toEqual(
      refusal('statement.already_exists', 'conflict'),
    );
  });
});

describe('reports of days a termination took out of the service', () => {
  // Sales are reported after the days they cover, and a termination may take effect on an earlier day than it is recorded.
  const APRIL_CONFIRMED = followedBy(ACTIVE, ...confirmedSales('r-1', '2028-04-01', '2028-04-30'));

  it('block the month on a report running past the last day served, until a correction covers only the days served', () => {
    const ended = aContractTerminatedOn('2028-04-10', APRIL_CONFIRMED);
    expect(given(ended).when(issueStatement('st', '2028-04', '2028-04-11'))).toEqual(
      refusal('statement.reports_incomplete', 'conflict', {
        blockers: [
          { shop: FLAGSHIP, from: '2028-04-01', to: '2028-04-30', reason: 'beyond_service', reportId: 'r-1', splitAt: '2028-04-11' },
        ],
      }),
    );
    const correction = { supersedes: 'r-1', grossSalesFen: 20_000_000 };
    const statement = stated(ended, '2028-04', ...confirmedSales('r-2', '2028-04-01', '2028-04-10', correction));
    // 12% of (200,000 - 20,000 - 15,000) yuan, for the ten days served only.
    expect(statement.inputs).toEqual([{ reportId: 'r-2', revision: 2 }]);
    expect(statement.commissionFen).toBe(1_980_000);
  });

  it('leave out a report of days all after the last day served: the month is stated from the days served', () => {
    const lateApril = followedBy(ACTIVE, ...confirmedSales('r-1', '2028-04-15', '2028-04-30'));
    const statement = stated(
      aContractTerminatedOn('2028-04-10', lateApril),
      '2028-04',
      ...confirmedSales('r-2', '2028-04-01', '2028-04-10'),
    );
    expect(statement.inputs).toEqual([{ reportId: 'r-2', revision: 1 }]);
    expect(statement.totalFen).toBe(1_000_000 + 5_580_000);
  });
});

describe('payments', () => {
  it('are recorded against a statement, and the ledger keeps what was charged and paid', () => {
    const events = given(MARCH_STATED).when(recordPayment('p-1', 'st-2027-03', 2_000_000, '2027-04-10'));
    expect(events).toEqual([
      {
        type: 'PaymentRecorded',
        data: { paymentId: 'p-1', statementId: 'st-2027-03', amountFen: 2_000_000, paidOn: '2027-04-10', paymentRef: 'BANK-p-1' },
      },
    ]);
    const state = contractOf([...MARCH_STATED, ...(events as ContractEvent[])]);
    expect(state.ledger).toEqual(expect.objectContaining({ chargedFen: MARCH_TOTAL, paidFen: 2_000_000 }));
    expect(ledgerMonths(state).find((month) => month.month === '2027-03')).toEqual(
      expect.objectContaining({ statementId: 'st-2027-03', chargedFen: MARCH_TOTAL, paidFen: 2_000_000, openFen: 6_580_000 }),
    );
  });

  it('refuse a statement that does not exist, and a payment dated before the statement', () => {
    expect(given(MARCH_STATED).when(recordPayment('p-1', 'st-9', 1, '2027-04-10'))).toEqual(refusal('statement.not_found', 'not_found'));
    expect(given(MARCH_STATED).when(recordPayment('p-1', 'st-2027-03', 1, '2027-04-01'))).toEqual(
      refusal('payment.before_statement', 'invalid'),
    );
    expect(given(MARCH_STATED).when(recordPayment('p-1', 'st-2027-03', 1, '2027-04-02'))).toHaveLength(1);
  });

  it('may be partial, up to what is open, and refuse more with the amount open', () => {
    expect(given(MARCH_STATED).when(recordPayment('p-1', 'st-2027-03', MARCH_TOTAL + 1, '2027-04-10'))).toEqual(
      refusal('payment.exceeds_open', 'invalid', { openFen: MARCH_TOTAL }),
    );
    const partly = followedBy(MARCH_STATED, recordPayment('p-1', 'st-2027-03', 2_000_000, '2027-04-10'));
    expect(given(partly).when(recordPayment('p-2', 'st-2027-03', 6_580_001, '2027-04-20'))).toEqual(
      refusal('payment.exceeds_open', 'invalid', { openFen: 6_580_000 }),
    );
    const paid = followedBy(partly, recordPayment('p-2', 'st-2027-03', 6_580_000, '2027-04-20'));
    expect(given(paid).when(recordPayment('p-3', 'st-2027-03', 1, '2027-04-30'))).toEqual(
      refusal('payment.exceeds_open', 'invalid', { openFen: 0 }),
    );
  });

  it('do nothing when retried with the same data, and refuse other data under the same id', () => {
    const paid = followedBy(MARCH_STATED, recordPayment('p-1', 'st-2027-03', 2_000_000, '2027-04-10'));
    expect(given(paid).when(recordPayment('p-1', 'st-2027-03', 2_000_000, '2027-04-10'))).toEqual([]);
    expect(given(paid).when(recordPayment('p-1', 'st-2027-03', 2_000_001, '2027-04-10'))).toEqual(
      refusal('payment.already_exists', 'conflict'),
    );
  });

  it('go to the service fee first, then to the commission', () => {
    const balanceAfter = (...amounts: number[]) => {
      const payments = amounts.map((amount, index) => recordPayment(`p-${index}`, 'st-2027-03', amount, '2027-04-10'));
      const { ledger } = contractOf(followedBy(MARCH_STATED, ...payments));
      return statementBalance(ledger, ledger.statements[0]);
    };
    expect(balanceAfter(2_000_000)).toEqual({
      chargedFen: MARCH_TOTAL,
      paidFen: 2_000_000,
      openFen: 6_580_000,
      openServiceFeesFen: 1_000_000,
      openCommissionFen: 5_580_000,
    });
    expect(balanceAfter(2_000_000, 2_000_000)).toEqual(
      expect.objectContaining({ openFen: 4_580_000, openServiceFeesFen: 0, openCommissionFen: 4_580_000 }),
    );
  });
});

describe('the final settlement at handover', () => {
  /** Ended on 15 March 2027: January and February whole, 15 of March's 31 days. */
  const ENDED = aContractTerminatedOn('2027-03-15');
  const SETTLED = [...ENDED, ...aSettledLedger(ENDED)];
  /** 30,000 + 30,000 + 30,000 x 15/31 (14,516.13) yuan of fees; three reports at 55,800 yuan of commission. */
  const OPEN = { serviceFeesFen: 7_451_613, commissionFen: 16_740_000 };
  const settle = (figures: { serviceFeesFen: number; commissionFen: number }): ContractCommand => ({
    type: 'CompleteHandoverItem',
    itemId: 'final-settlement',
    evidence: { ...finalSettlementEvidence(fold(ENDED)), ...figures },
    completedBy: 'brand-feiyue:zhang.wei',
    completedAt: '2027-04-20T10:00:00+08:00',
  });

  it('is refused while months are not stated, listing each', () => {
    const january = [...ENDED, ...aSettledLedger(ENDED, { through: '2027-01' })];
    expect(given(january).when(settle({ serviceFeesFen: 3_000_000, commissionFen: 5_580_000 }))).toEqual(
      refusal('handover.settlement_differs', 'invalid', {
        differences: [
          { kind: 'statement_missing', month: '2027-02' },
          { kind: 'statement_missing', month: '2027-03' },
        ],
      }),
    );
  });

  it('is refused when its figures differ from what the ledger leaves open, listing both', () => {
    expect(given(SETTLED).when(settle({ serviceFeesFen: 7_451_612, commissionFen: 16_740_001 }))).toEqual(
      refusal('handover.settlement_differs', 'invalid', {
        differences: [
          { kind: 'service_fees', ledgerOpenFen: 7_451_613, settledFen: 7_451_612 },
          { kind: 'commission', ledgerOpenFen: 16_740_000, settledFen: 16_740_001 },
        ],
      }),
    );
  });

  it('is accepted with exactly the open service fees and commission', () => {
    expect(given(SETTLED).when(settle(OPEN))).toEqual([
      expect.objectContaining({ type: 'HandoverItemCompleted', data: expect.objectContaining({ itemId: 'final-settlement' }) }),
    ]);
  });

  it('counts payments made: what is paid is no longer open', () => {
    // January paid in full; February 40,000 yuan: its 30,000 fee, then 10,000 of its 55,800 commission.
    const paid = followedBy(
      SETTLED,
      recordPayment('p-1', 'statement-2027-01', 8_580_000, '2027-02-10'),
      recordPayment('p-2', 'statement-2027-02', 4_000_000, '2027-03-10'),
    );
    const stillOpen = { serviceFeesFen: 1_451_613, commissionFen: 4_580_000 + 5_580_000 };
    expect(given(paid).when(settle(stillOpen))).toHaveLength(1);
    expect(given(paid).when(settle(OPEN))).toEqual(
      refusal('handover.settlement_differs', 'invalid', {
        differences: [
          { kind: 'service_fees', ledgerOpenFen: stillOpen.serviceFeesFen, settledFen: OPEN.serviceFeesFen },
          { kind: 'commission', ledgerOpenFen: stillOpen.commissionFen, settledFen: OPEN.commissionFen },
        ],
      }),
    );
  });
});

describe('a stated month never changes', () => {
  /** Every month from January 2027 through March 2028 stated. */
  const STATED_TO_MARCH = [...ACTIVE, ...aSettledLedger(ACTIVE, { through: '2028-03' })];

  it.each<[string, AmendmentChange]>([
    ['service fee', { type: 'change_service_fee', serviceFeeMonthlyFen: 2_400_000 }],
    ['commission rate', { type: 'change_commission_rate', commissionRateBp: 1500 }],
    ['commission base', { type: 'change_commission_base', commissionBase: 'gross' }],
  ])('refuses an agreement changing the %s effective in a stated month, naming the months; the next month is free', (_, change) => {
    const refused = given(STATED_TO_MARCH).when(proposeAmendment([change], { effectiveOn: '2028-02-15' }));
    expect(refused).toEqual(refusal('ledger.month_already_stated', 'conflict'));
    expect((refused as Error).message).toBe('Supplementary agreement SA-1 would change 2028-02, 2028-03, already stated.');
    expect(given(STATED_TO_MARCH).when(...agreement([change], { effectiveOn: '2028-04-01' }))).toEqual(anAgreementInForce());
  });

  it('takes an agreement that changes no money, effective in a stated month', () => {
    expect(
      given(STATED_TO_MARCH).when(...agreement([{ type: 'remove_scope', scope: 'logistics' }], { effectiveOn: '2028-03-15' })),
    ).toEqual(anAgreementInForce());
  });

  it('refuses an agreement changing the promotion budget effective in a stated month: the month shows its spend against that budget', () => {
    expect(
      given(STATED_TO_MARCH).when(
        proposeAmendment([{ type: 'change_promotion_budget', monthlyBudgetFen: 1 }], { effectiveOn: '2028-03-15' }),
      ),
    ).toEqual(refusal('ledger.month_already_stated', 'conflict'));
  });

  it('refuses an agreement adding or removing a shop effective in a stated month: the month was stated on the shops run then', () => {
    const withJd = anActiveContract(draftTerms({ shops: [FLAGSHIP, JD_STORE] }));
    const cases: [ContractEvent[], AmendmentChange][] = [
      [STATED_TO_MARCH, { type: 'add_shop', shop: JD_STORE }],
      [[...withJd, ...aSettledLedger(withJd, { through: '2028-03' })], { type: 'remove_shop', shop: JD_STORE }],
    ];
    for (const [stated, change] of cases) {
      expect(given(stated).when(proposeAmendment([change], { effectiveOn: '2028-02-15' }))).toEqual(
        refusal('ledger.month_already_stated', 'conflict'),
      );
      expect(given(stated).when(...agreement([change], { effectiveOn: '2028-04-01' }))).toEqual(anAgreementInForce());
    }
  });

  it('refuses extending a term that ends mid-month once that month is stated; a term ending with its month extends', () => {
    const extend = agreement([{ type: 'extend_term', endsOn: '2027-12-31' }], { effectiveOn: '2027-06-01' });
    const midJune = anActiveContract(draftTerms({ term: { startsOn: '2027-01-01', endsOn: '2027-06-15' } }));
    const refused = given(midJune, aSettledLedger(midJune)).when(...extend);
    expect(refused).toEqual(refusal('ledger.month_already_stated', 'conflict'));
    expect((refused as Error).message).toContain('would change 2027-06, already stated');
    const endOfJune = anActiveContract(draftTerms({ term: { startsOn: '2027-01-01', endsOn: '2027-06-30' } }));
    expect(given(endOfJune, aSettledLedger(endOfJune)).when(...extend)).toEqual(anAgreementInForce());
  });

  it('refuses a termination that would end a stated month early; one at its end is taken', () => {
    const terminate = (effectiveOn: string): ContractCommand => ({
      type: 'TerminateContract',
      initiatedBy: 'brand',
      grounds: { type: 'stipulated_condition', conditionId: '12.3' },
      effectiveOn,
    });
    const refused = given(STATED_TO_MARCH).when(terminate('2028-03-15'));
    expect(refused).toEqual(refusal('ledger.month_already_stated', 'conflict'));
    expect((refused as Error).message).toBe('A termination effective 2028-03-15 would change 2028-03, already stated.');
    expect(given(STATED_TO_MARCH).when(terminate('2028-02-29'))).toEqual(refusal('ledger.month_already_stated', 'conflict'));
    expect(given(STATED_TO_MARCH).when(terminate('2028-03-31'))).toHaveLength(2);
  });
});

describe('the ledger over the contract’s life', () => {
  const LEDGER_COMMANDS: [string, ContractCommand][] = [
    ['ReportSales', reportSales('r-1', '2027-03-01', '2027-03-31')],
    ['ConfirmSalesReport', confirmSales('r-1', '2027-04-01')],
    ['DisputeSalesReport', disputeSales('r-1', '2027-04-01')],
    ['ReportPromotionSpend', reportSpend('2027-03', 1)],
    ['IssueStatement', issueStatement('st', '2027-03', '2027-04-02')],
    ['RecordPayment', recordPayment('p-1', 'st', 1, '2027-04-10')],
  ];

  it.each(LEDGER_COMMANDS)('refuses %s on a draft: the ledger starts once both have signed', (_, command) => {
    expect(given(aDraftedContract()).when(command)).toEqual(refusal('contract.not_active', 'conflict'));
  });

  const inHandover = aContractInHandover();
  const completed = [...inHandover, ...aCompletedHandover(inHandover)];
  const CLOSED = followedBy(
    completed,
    { type: 'SignOffHandover', party: 'brand', signatory: 'Zhang Wei', signedOffOn: '2028-05-01' },
    { type: 'SignOffHandover', party: 'operator', signatory: 'Li Na', signedOffOn: '2028-05-02' },
  );

  it.each(LEDGER_COMMANDS.filter(([type]) => type !== 'RecordPayment'))('refuses %s on a closed contract', (_, command) => {
    expect(fold(CLOSED).status).toBe('closed');
    expect(given(CLOSED).when(command)).toEqual(refusal('contract.closed', 'conflict'));
  });

  it('records payments on a closed contract: the brand pays what the final settlement left open', () => {
    const { ledger } = contractOf(CLOSED);
    const april = ledger.statements.find((statement) => statement.month === '2028-04')!;
    const { openFen } = statementBalance(ledger, april);
    expect(openFen).toBeGreaterThan(0);
    const payment = recordPayment('p-after', april.statementId, openFen, '2028-05-20');
    expect(given(CLOSED).when(payment)).toEqual([expect.objectContaining({ type: 'PaymentRecorded' })]);
    // Still never more than is open.
    expect(given(followedBy(CLOSED, payment)).when(recordPayment('p-more', april.statementId, 1, '2028-05-21'))).toEqual(
      refusal('payment.exceeds_open', 'invalid', { openFen: 0 }),
    );
  });

  it.each(LEDGER_COMMANDS)('refuses %s on a contract that does not exist', (_, command) => {
    expect(given().when(command)).toEqual(refusal('contract.not_found', 'not_found'));
  });

  it('reads the ledger of a term through 9999-12-31, drafted before terms had a limit: its months end there', () => {
    // Recorded as stored: decide now refuses such a draft (contract.term_too_long).
    const [drafted, ...signed] = anActiveContract();
    if (drafted.type !== 'ContractDrafted') throw new Error('expected the draft first');
    const term = { startsOn: '9990-01-01', endsOn: '9999-12-31' };
    const state = contractOf([{ ...drafted, data: { ...drafted.data, terms: draftTerms({ term }) } }, ...signed]);
    const months = ledgerMonths(state).map((month) => month.month);
    expect(months).toHaveLength(120);
    expect(months.at(-1)).toBe('9999-12');
  });

  it('runs through the handover, when the months up to the termination are settled', () => {
    const ended = aContractTerminatedOn('2028-04-10');
    const { ledger } = contractOf([...ended, ...aSettledLedger(ended)]);
    expect(ledger.statements.map((statement) => statement.month)).toHaveLength(16);
    // Fifteen whole months and 10 of April's 30 days (10,000 yuan), each month with a month of sales.
    expect(ledger.chargedFen).toBe(15 * 3_000_000 + 1_000_000 + 16 * 5_580_000);
  });
});
