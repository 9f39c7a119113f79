import fc from 'fast-check';
import {
  addDays,
  daysFromTo,
  daysInMonth,
  firstDayOf,
  lastDayOf,
  monthAt,
  monthIndex,
  monthOf,
  monthsFromTo,
} from '../../src/shared/calendar';
import type { ContractCommand } from '../../src/contracts/domain/commands';
import { decide } from '../../src/contracts/domain/decide';
import { ContractRefused } from '../../src/contracts/domain/errors';
import { commissionChangeWithin, computeStatement, serviceDaysOf, type StatementData } from '../../src/contracts/domain/ledger';
import { evolve, fold, type ExistingContract } from '../../src/contracts/domain/state';
import { termsInForce, type AmendmentChange, type Fees, type Shop } from '../../src/contracts/domain/terms';
import {
  amended,
  agreement,
  anActiveContract,
  confirmSales,
  decided,
  draftTerms,
  issueStatement,
  recordPayment,
  reportSales,
  type SalesFigures,
} from '../support/contract-fixtures';

/**
 * Properties of the ledger over generated histories: terms with random
 * dates, fees, rates and bases; supplementary agreements changing them
 * mid-term; sometimes an early termination; every month of every shop
 * reported in random pieces (split where the commission changes),
 * confirmed, stated, and partly paid, one month after the other, as decide
 * takes them. The expected figures are computed here day by day, apart from
 * the ledger's own stretches.
 */

const fee = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(0, 1, 3_000_000, 3_000_001, 99_999_999));
const rate = fc.oneof(fc.integer({ min: 500, max: 3000 }), fc.integer({ min: 0, max: 10_000 }));
const base = fc.constantFrom('gross' as const, 'net_of_shipping' as const);
const fees: fc.Arbitrary<Fees> = fc.record({ serviceFeeMonthlyFen: fee, commissionRateBp: rate, commissionBase: base });
const commissionChange: fc.Arbitrary<AmendmentChange> = fc.oneof(
  fc.record({ type: fc.constant('change_commission_rate' as const), commissionRateBp: rate }),
  fc.record({ type: fc.constant('change_commission_base' as const), commissionBase: base }),
);
const feeChange: fc.Arbitrary<AmendmentChange> = fc.record({ type: fc.constant('change_service_fee' as const), serviceFeeMonthlyFen: fee });
const figures: fc.Arbitrary<SalesFigures> = fc.record({
  grossSalesFen: fc.oneof(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 1_000_000_000_000 })),
  // Refunds above sales now and then: the base is then clamped to 0.
  refundsFen: fc.integer({ min: 0, max: 120_000_000 }),
  shippingCostFen: fc.integer({ min: 0, max: 10_000_000 }),
});
/** Where within the term something takes effect, in thousandths of its days. */
const withinTerm = fc.integer({ min: 0, max: 999 });

/** What a generated history is made of; dates are drawn relative to the term. */
interface Plan {
  readonly startsOn: string;
  readonly endsOn: string;
  readonly fees: Fees;
  readonly shops: number;
  readonly amendments: readonly { readonly at: number; readonly change: AmendmentChange }[];
  readonly terminationAt?: number;
  /** The lengths, in days, of the pieces a month of a shop is reported in, taken in turn. */
  readonly pieces: readonly number[];
  readonly figures: readonly SalesFigures[];
  /** The percentage of each statement paid, taken in turn. */
  readonly paid: readonly number[];
  /** What is tried after each statement, taken in turn: most of it would change a stated month, and decide must refuse that. */
  readonly afterwards: readonly Afterwards[];
}

type Afterwards =
  | { readonly kind: 'amend'; readonly at: number; readonly change: AmendmentChange }
  | { readonly kind: 'terminate' | 'correct'; readonly at: number };

const planParts = {
  fees,
  shops: fc.integer({ min: 1, max: 3 }),
  pieces: fc.array(fc.integer({ min: 1, max: 31 }), { minLength: 1, maxLength: 6 }),
  figures: fc.array(figures, { minLength: 1, maxLength: 6 }),
  paid: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 }),
  afterwards: fc.constant<Afterwards[]>([]),
};

/** Any term (start and end on any day, up to about two years), amendments of fee, rate and base, sometimes a termination. */
const anyPlan: fc.Arbitrary<Plan> = fc
  .record({
    ...planParts,
    start: fc.integer({ min: 0, max: 730 }),
    length: fc.integer({ min: 1, max: 760 }),
    amendments: fc.array(fc.record({ at: withinTerm, change: fc.oneof(feeChange, commissionChange) }), { maxLength: 4 }),
    terminationAt: fc.option(withinTerm, { nil: undefined }),
    afterwards: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('amend' as const), at: withinTerm, change: fc.oneof(feeChange, commissionChange) }),
        fc.record({ kind: fc.constantFrom('terminate' as const, 'correct' as const), at: withinTerm }),
      ),
      { maxLength: 4 },
    ),
  })
  .map(({ start, length, ...plan }) => ({
    ...plan,
    startsOn: addDays('2027-01-01', start),
    endsOn: addDays('2027-01-01', start + length),
  }));

/** A full term, from the 1st of a month to the last day of a later one, whose fee never changes (the commission may). */
const fullTermPlan: fc.Arbitrary<Plan> = fc
  .record({
    ...planParts,
    firstMonth: fc.integer({ min: 0, max: 24 }),
    months: fc.integer({ min: 2, max: 30 }),
    amendments: fc.array(fc.record({ at: withinTerm, change: commissionChange }), { maxLength: 3 }),
  })
  .map(({ firstMonth, months, ...plan }) => {
    const first = monthIndex('2027-01') + firstMonth;
    return { ...plan, startsOn: firstDayOf(monthAt(first)), endsOn: lastDayOf(monthAt(first + months - 1)) };
  });

/** A history as it grew: the contract after each statement, and at the end. */
interface Lived {
  readonly statements: readonly StatementData[];
  /** The contract as the statement of the same index left it. */
  readonly afterStatement: readonly ExistingContract[];
  readonly final: ExistingContract;
}

/**
 * Lives a plan month by month: the agreements and termination taking effect
 * in a month are recorded before it is stated (later, decide refuses them);
 * an agreement that changes nothing, comes out of order or after the
 * termination is refused and left out. Every report, confirmation, statement
 * and payment must be taken; what is tried afterwards may be refused.
 */
function live(plan: Plan): Lived {
  const shops: Shop[] = Array.from({ length: plan.shops }, (_, index) => ({ platform: 'tmall', name: `shop ${index + 1}` }));
  const active = anActiveContract(draftTerms({ term: { startsOn: plan.startsOn, endsOn: plan.endsOn }, fees: plan.fees, shops }));
  let state = fold(active) as ExistingContract;
  const record = (command: ContractCommand) => {
    state = decide(command, state).reduce(evolve, state) as ExistingContract;
  };
  const attempt = (command: ContractCommand) => {
    try {
      record(command);
    } catch (error) {
      if (!(error instanceof ContractRefused)) throw error;
    }
  };
  const termDays = daysFromTo(plan.startsOn, plan.endsOn);
  const dayAt = (thousandths: number) => addDays(plan.startsOn, Math.floor((thousandths * termDays) / 1000));
  const amendments = plan.amendments
    .map(({ at, change }, index) => ({ effectiveOn: dayAt(at), change, documentRef: `SA-${index}` }))
    .sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : 0));
  const terminatedOn = plan.terminationAt === undefined ? undefined : dayAt(plan.terminationAt);
  let turn = 0;
  const next = <T>(values: readonly T[]): T => values[(turn += 1) % values.length];

  const statements: StatementData[] = [];
  const afterStatement: ExistingContract[] = [];
  for (const month of monthsFromTo(monthOf(plan.startsOn), monthOf(plan.endsOn))) {
    for (const { effectiveOn, change, documentRef } of amendments.filter((amendment) => monthOf(amendment.effectiveOn) === month)) {
      // Proposed and countersigned; a proposal refused leaves nothing to countersign, and that is refused too.
      agreement([change], { effectiveOn, documentRef }).forEach(attempt);
    }
    if (terminatedOn && monthOf(terminatedOn) === month) {
      const grounds = { type: 'mutual_agreement', documentRef: 'TA-1', brandSignatory: 'a', operatorSignatory: 'b' } as const;
      // Refused only when a termination tried afterwards already ended the contract.
      attempt({ type: 'TerminateContract', initiatedBy: 'brand', grounds, effectiveOn: terminatedOn });
    }
    const days = serviceDaysOf(state, month);
    if (!days) break;
    for (const shop of shops) {
      for (let from = days.from; from <= days.to;) {
        const pieceEnd = addDays(from, next(plan.pieces) - 1);
        const end = pieceEnd < days.to ? pieceEnd : days.to;
        const splitAt = commissionChangeWithin(state, from, end);
        const to = splitAt ? addDays(splitAt, -1) : end;
        const reportId = `${shop.name}/${from}`;
        record(reportSales(reportId, from, to, { ...next(plan.figures), shop }));
        record(confirmSales(reportId, to));
        from = addDays(to, 1);
      }
    }
    record(issueStatement(`st-${month}`, month, addDays(days.to, 1)));
    const statement = state.ledger.statements.at(-1)!;
    statements.push(statement);
    afterStatement.push(state);
    const amountFen = Math.floor((statement.totalFen * next(plan.paid)) / 100);
    if (amountFen > 0) record(recordPayment(`pay-${month}`, statement.statementId, amountFen, addDays(days.to, 5)));
    if (plan.afterwards.length > 0) afterwards(next(plan.afterwards), statement, `${month}-after`).forEach(attempt);
  }
  return { statements, afterStatement, final: state };

  /** An amendment or termination effective any day of the term, or a correction of the statement's first report. */
  function afterwards(attempted: Afterwards, statement: StatementData, ref: string): ContractCommand[] {
    switch (attempted.kind) {
      case 'amend':
        return agreement([attempted.change], { effectiveOn: dayAt(attempted.at), documentRef: ref });
      case 'terminate': {
        const grounds = { type: 'stipulated_condition', conditionId: '12.3' } as const;
        return [{ type: 'TerminateContract', initiatedBy: 'operator', grounds, effectiveOn: dayAt(attempted.at) }];
      }
      case 'correct': {
        const corrected = state.ledger.reports.find((report) => report.reportId === statement.inputs[0].reportId)!;
        const { periodStart, periodEnd, shop } = corrected;
        return [reportSales(ref, periodStart, periodEnd, { shop, supersedes: corrected.reportId, refundsFen: 0 })];
      }
    }
  }
}

/** `numerator / denominator` to the fen, halves up, computed apart from the ledger's own rounding. */
const halfUp = (numerator: bigint, denominator: bigint) => Number((numerator * 2n + denominator) / (denominator * 2n));

/** The service-fee lines of a month as the fee in force each day makes them: one line per run of days under one fee. */
function feeLinesDayByDay(contract: ExistingContract, month: string) {
  const days = serviceDaysOf(contract, month)!;
  const runs: { from: string; to: string; fee: number }[] = [];
  for (let day = days.from; day <= days.to; day = addDays(day, 1)) {
    const dayFee = termsInForce(contract.originalTerms, contract.amendments, day).fees.serviceFeeMonthlyFen;
    const last = runs.at(-1);
    if (last && last.fee === dayFee) last.to = day;
    else runs.push({ from: day, to: day, fee: dayFee });
  }
  return runs.map(({ from, to, fee: monthlyFee }) => ({
    kind: 'service_fee',
    from,
    to,
    days: daysFromTo(from, to),
    daysInMonth: daysInMonth(month),
    serviceFeeMonthlyFen: monthlyFee,
    amountFen: halfUp(BigInt(monthlyFee) * BigInt(daysFromTo(from, to)), BigInt(daysInMonth(month))),
  }));
}

const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);
const figuresOf = ({ statementId: _id, issuedOn: _on, ...figures }: StatementData) => figures;

describe('the ledger, over generated histories', () => {
  // Only for terms from a month's 1st to a later month's last day: the fee is prorated by calendar days, so a term that
  // starts or ends mid-month (a year from 2028-02-29, say) is not an exact multiple of the fee.
  it('charges a full term, from a 1st to a month’s last day, without a fee change exactly months x the monthly fee', () => {
    fc.assert(
      fc.property(fullTermPlan, (plan) => {
        const { statements } = live(plan);
        expect(statements).toHaveLength(monthsOf(plan));
        for (const statement of statements) expect(statement.serviceFeesFen).toBe(plan.fees.serviceFeeMonthlyFen);
        expect(sum(statements.map((statement) => statement.serviceFeesFen))).toBe(monthsOf(plan) * plan.fees.serviceFeeMonthlyFen);
      }),
      { numRuns: 40, seed: 20270101 },
    );
  });

  it('charges commission at the rate in force, never negative, never above rate x gross rounded half up, per line', () => {
    let clamped = 0;
    forEveryStatement(
      anyPlan,
      (statement, { final }) => {
        for (const line of statement.lines) {
          if (line.kind !== 'commission') continue;
          const { fees: inForce } = termsInForce(final.originalTerms, final.amendments, line.from);
          expect([line.commissionRateBp, line.commissionBase]).toEqual([inForce.commissionRateBp, inForce.commissionBase]);
          expect(line.amountFen).toBeGreaterThanOrEqual(0);
          expect(line.amountFen).toBeLessThanOrEqual(halfUp(BigInt(line.grossSalesFen) * BigInt(line.commissionRateBp), 10_000n));
          expect(line.amountFen).toBe(halfUp(BigInt(line.baseFen) * BigInt(line.commissionRateBp), 10_000n));
          if (line.refundsFen > line.grossSalesFen) clamped += 1;
        }
      },
      { numRuns: 60, seed: 20270102 },
    );
    // Refunds above sales did come up, so the clamp to 0 was exercised.
    expect(clamped).toBeGreaterThan(0);
  });

  it('charges the same commission however a month is split into reports, the pieces summing to the same figures', () => {
    let offset = 0;
    fc.assert(
      fc.property(splitMonth, (plan) => {
        const { history, month, split, whole } = splitInto(plan);
        const commissionOf = (commands: ContractCommand[]) => {
          const computed = computeStatement(fold([...history, ...decided(history, commands)]) as ExistingContract, month);
          if (!('statement' in computed)) throw new Error(`not stated: ${JSON.stringify(computed)}`);
          const lines = computed.statement.lines.filter((line) => line.kind === 'commission');
          return { commissionFen: computed.statement.commissionFen, lines: lines.map(({ reportIds: _ids, ...line }) => line) };
        };
        const asSplit = commissionOf(split);
        expect(asSplit).toEqual(commissionOf(whole));
        // A piece's refunds above its sales, offset by another piece: charged per report, that would have differed.
        if (plan.pieces.some(({ figures: piece }) => piece.refundsFen > piece.grossSalesFen) && asSplit.commissionFen > 0) offset += 1;
      }),
      { numRuns: 60, seed: 20270106 },
    );
    expect(offset).toBeGreaterThan(0);
  });

  it('makes the lines add up exactly to the totals, the fee lines covering each service day once', () => {
    forEveryStatement(
      anyPlan,
      (statement, { final }) => {
        const feeLines = statement.lines.filter((line) => line.kind === 'service_fee');
        const commissionLines = statement.lines.filter((line) => line.kind === 'commission');
        expect(sum(feeLines.map((line) => line.amountFen))).toBe(statement.serviceFeesFen);
        expect(sum(commissionLines.map((line) => line.amountFen))).toBe(statement.commissionFen);
        expect(statement.totalFen).toBe(statement.serviceFeesFen + statement.commissionFen);
        const days = serviceDaysOf(final, statement.month)!;
        expect(sum(feeLines.map((line) => line.days))).toBe(daysFromTo(days.from, days.to));
      },
      { numRuns: 60, seed: 20270103 },
    );
  });

  it('keeps every stored statement equal to the statement the history computes later, whatever came after', () => {
    forEveryStatement(
      anyPlan,
      (statement, { afterStatement, final }, index) => {
        // Later amendments, terminations, corrections, other months' reports and statements, payments: none changes it.
        for (const later of [...afterStatement.slice(index), final]) {
          expect(computeStatement(later, statement.month)).toEqual({ statement: figuresOf(statement) });
        }
      },
      { numRuns: 40, seed: 20270104 },
    );
  });

  it('splits the service fee exactly where a new fee takes effect, each stretch pro rata by day', () => {
    let midMonth = 0;
    forEveryStatement(
      anyPlan,
      (statement, { final }) => {
        const feeLines = statement.lines.filter((line) => line.kind === 'service_fee');
        expect(feeLines).toEqual(feeLinesDayByDay(final, statement.month));
        if (feeLines.length > 1) midMonth += 1;
      },
      { numRuns: 60, seed: 20270105 },
    );
    // Fee changes did take effect mid-month, so some months were split.
    expect(midMonth).toBeGreaterThan(0);
  });
});

/** A month of sales split into pieces, on a contract whose commission may change within the month. */
interface SplitMonth {
  readonly fees: Fees;
  readonly shops: number;
  /** Months after January 2027. */
  readonly month: number;
  readonly change?: { readonly day: number; readonly change: AmendmentChange };
  /** The pieces each stretch of one commission is reported in, taken in turn: their days and figures. */
  readonly pieces: readonly { readonly days: number; readonly figures: SalesFigures }[];
}

/** Figures of a piece: any day's sales up to 200 million yuan, so a month's sum is a report the schema takes (10 billion). */
const pieceFigures: fc.Arbitrary<SalesFigures> = fc.record({
  grossSalesFen: fc.oneof(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 20_000_000_000 })),
  refundsFen: fc.integer({ min: 0, max: 120_000_000 }),
  shippingCostFen: fc.integer({ min: 0, max: 10_000_000 }),
});

const splitMonth: fc.Arbitrary<SplitMonth> = fc.record(
  {
    fees,
    shops: fc.integer({ min: 1, max: 3 }),
    month: fc.integer({ min: 0, max: 35 }),
    change: fc.record({ day: fc.integer({ min: 2, max: 28 }), change: commissionChange }),
    pieces: fc.array(fc.record({ days: fc.integer({ min: 1, max: 31 }), figures: pieceFigures }), { minLength: 1, maxLength: 12 }),
  },
  { requiredKeys: ['fees', 'shops', 'month', 'pieces'] },
);

/**
 * The commands that report and confirm the month of every shop two ways: in
 * the plan's pieces, and as one report per stretch of one commission holding
 * the pieces' sums.
 */
function splitInto(plan: SplitMonth) {
  const shops: Shop[] = Array.from({ length: plan.shops }, (_, index) => ({ platform: 'tmall', name: `shop ${index + 1}` }));
  const month = monthAt(monthIndex('2027-01') + plan.month);
  const active = anActiveContract(draftTerms({ fees: plan.fees, shops }));
  // A change that changes nothing is no change: termsInForce skips it, and the month is then one stretch.
  const history = plan.change ? [...active, amended([plan.change.change], `${month}-${String(plan.change.day).padStart(2, '0')}`)] : active;
  const contract = fold(history) as ExistingContract;
  const split: ContractCommand[] = [];
  const whole: ContractCommand[] = [];
  const confirmed = (reportId: string, from: string, to: string, more: SalesFigures & { shop: Shop }) => [
    reportSales(reportId, from, to, more),
    confirmSales(reportId, to),
  ];
  let turn = 0;
  for (const shop of shops) {
    for (let start = firstDayOf(month); start <= lastDayOf(month);) {
      const splitAt = commissionChangeWithin(contract, start, lastDayOf(month));
      const end = splitAt ? addDays(splitAt, -1) : lastDayOf(month);
      const sum = { grossSalesFen: 0, refundsFen: 0, shippingCostFen: 0 };
      for (let from = start; from <= end;) {
        const piece = plan.pieces[turn++ % plan.pieces.length];
        const pieceEnd = addDays(from, piece.days - 1);
        const to = pieceEnd < end ? pieceEnd : end;
        split.push(...confirmed(`${shop.name}/${from}`, from, to, { ...piece.figures, shop }));
        for (const figure of ['grossSalesFen', 'refundsFen', 'shippingCostFen'] as const) sum[figure] += piece.figures[figure];
        from = addDays(to, 1);
      }
      whole.push(...confirmed(`${shop.name}/${start}/whole`, start, end, { ...sum, shop }));
      start = addDays(end, 1);
    }
  }
  return { history, month, split, whole };
}

/** Checks every statement of the histories lived from generated plans (its index among them too). */
function forEveryStatement(
  plans: fc.Arbitrary<Plan>,
  check: (statement: StatementData, lived: Lived, index: number) => void,
  parameters: fc.Parameters<[Plan]>,
): void {
  fc.assert(
    fc.property(plans, (plan) => {
      const lived = live(plan);
      lived.statements.forEach((statement, index) => check(statement, lived, index));
    }),
    parameters,
  );
}

const monthsOf = (plan: Plan) => monthsFromTo(monthOf(plan.startsOn), monthOf(plan.endsOn)).length;
