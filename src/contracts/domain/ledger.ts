import { z } from 'zod';
import { addDays, daysFromTo, daysInMonth, firstDayOf, lastDayOf, monthOf, MONTH_PATTERN, monthsFromTo } from '../../shared/calendar';
import { calendarDate, id, text, type Infer } from './schema';
import { commissionBaseSchema, shopSchema, termsInForce, type Amendment, type CommissionBase, type Shop, type Terms } from './terms';

/**
 * The monthly settlement ledger (月结): the operator reports each shop's
 * sales, the brand confirms or disputes them, the operator issues a
 * statement per calendar month computed from the confirmed reports and the
 * terms in force, and the brand pays against statements.
 *
 * The one rounding rule: each line of a statement is rounded once, to the
 * fen, half up (amounts are never negative); the totals are the sums of the
 * rounded lines, so the lines always add up exactly to the total. Arithmetic
 * is exact (integers, BigInt where a product or a sum could pass 2^53); a
 * statement whose total would pass it is never stated (see MAX_LEDGER_FEN).
 *
 * Service days: the term's days, from its start through its end, or through
 * the termination's effective date when the contract is terminated earlier
 * (that day is served). The service fee of a month is charged pro rata by
 * the month's service days, per stretch of days with one fee in force.
 * Commission is charged per shop and per stretch of days with one commission
 * rate and base in force, on the sum of the shop's confirmed reports of the
 * stretch: how the operator splits a month into reports never changes it.
 */

/** Amounts on a sales report: up to 10 billion yuan a shop and period, so a shop's sums over a month stay exact. */
export const MAX_REPORTED_FEN = 1_000_000_000_000;
const reportedFen = z.int().min(0).max(MAX_REPORTED_FEN);
export const monthSchema = z.string().regex(MONTH_PATTERN, 'must be a calendar month YYYY-MM');

/** The data of the ledger's events, added to the contract's events (events.ts). */
export const LEDGER_EVENT_DATA = {
  /** The operator reports one shop's sales for a period within a calendar month; a correction supersedes an earlier report. */
  SalesReported: z.strictObject({
    reportId: id,
    shop: shopSchema,
    periodStart: calendarDate,
    periodEnd: calendarDate,
    grossSalesFen: reportedFen,
    refundsFen: reportedFen,
    shippingCostFen: reportedFen,
    documentRef: text(),
    /** 1 for a first report, one more than the report it corrects for a correction. */
    revision: z.int().min(1),
    supersedes: id.optional(),
  }),
  SalesReportConfirmed: z.strictObject({ reportId: id, confirmedOn: calendarDate }),
  SalesReportDisputed: z.strictObject({ reportId: id, reason: text(1000), disputedOn: calendarDate }),
  /** The operator's promotion spend of a month; a later report of the same month replaces it in the ledger. */
  PromotionSpendReported: z.strictObject({ month: monthSchema, spentFen: reportedFen, documentRef: text() }),
  /** A month's statement with everything it was computed from, so that anyone can compute it again. */
  StatementIssued: z.strictObject({
    statementId: id,
    month: monthSchema,
    issuedOn: calendarDate,
    /** The sales reports it used, each at its revision. */
    inputs: z.array(z.strictObject({ reportId: id, revision: z.int().min(1) })).max(2000),
    /** The money terms in force, per stretch of the month's service days. */
    terms: z
      .array(
        z.strictObject({
          from: calendarDate,
          to: calendarDate,
          serviceFeeMonthlyFen: z.int().min(0),
          commissionRateBp: z.int().min(0).max(10_000),
          commissionBase: commissionBaseSchema,
        }),
      )
      .min(1)
      .max(31),
    lines: z
      .array(
        z.discriminatedUnion('kind', [
          z.strictObject({
            kind: z.literal('service_fee'),
            from: calendarDate,
            to: calendarDate,
            days: z.int().min(1).max(31),
            daysInMonth: z.int().min(28).max(31),
            serviceFeeMonthlyFen: z.int().min(0),
            amountFen: z.int().min(0),
          }),
          /** A shop's confirmed reports over a stretch of days with one commission rate and base, summed. */
          z.strictObject({
            kind: z.literal('commission'),
            /** The reports summed, in the order of their periods. */
            reportIds: z.array(id).min(1).max(31),
            shop: shopSchema,
            from: calendarDate,
            to: calendarDate,
            grossSalesFen: z.int().min(0),
            refundsFen: z.int().min(0),
            shippingCostFen: z.int().min(0),
            commissionBase: commissionBaseSchema,
            baseFen: z.int().min(0),
            commissionRateBp: z.int().min(0).max(10_000),
            amountFen: z.int().min(0),
          }),
        ]),
      )
      .min(1)
      .max(2100),
    serviceFeesFen: z.int().min(0),
    commissionFen: z.int().min(0),
    totalFen: z.int().min(0),
  }),
  /** The brand pays (part of) a statement. */
  PaymentRecorded: z.strictObject({
    paymentId: id,
    statementId: id,
    amountFen: z.int().min(1),
    paidOn: calendarDate,
    paymentRef: text(),
  }),
};

type Data<Type extends keyof typeof LEDGER_EVENT_DATA> = Infer<(typeof LEDGER_EVENT_DATA)[Type]>;
export type StatementData = Data<'StatementIssued'>;
export type StatementLine = StatementData['lines'][number];
/** A ledger event: one of the types above with its data. */
export type LedgerEvent = {
  [Type in keyof typeof LEDGER_EVENT_DATA]: { readonly type: Type; readonly data: Data<Type> };
}[keyof typeof LEDGER_EVENT_DATA];

/** A sales report as it stands: reported, then confirmed or disputed by the brand, or superseded by a correction. */
export type SalesReport = Data<'SalesReported'> & {
  readonly status: 'reported' | 'confirmed' | 'disputed';
  readonly confirmedOn?: string;
  readonly dispute?: { readonly reason: string; readonly disputedOn: string };
  /** The corrections that replace it (more than one when a correction splits its period). */
  readonly supersededBy?: readonly string[];
};
export type PromotionSpend = Data<'PromotionSpendReported'>;
export type Statement = StatementData;
export type Payment = Data<'PaymentRecorded'>;

export interface Ledger {
  readonly reports: readonly SalesReport[];
  readonly promotionSpends: readonly PromotionSpend[];
  readonly statements: readonly Statement[];
  readonly payments: readonly Payment[];
  /** What all statements charged and all payments paid, kept as they come so that no read sums the history. */
  readonly chargedFen: number;
  readonly paidFen: number;
}

export const emptyLedger: Ledger = { reports: [], promotionSpends: [], statements: [], payments: [], chargedFen: 0, paidFen: 0 };

/** Folds a ledger event into the ledger. Total, like `evolve`. */
export function evolveLedger(ledger: Ledger, event: LedgerEvent): Ledger {
  const updateReport = (reportId: string, change: (report: SalesReport) => SalesReport): Ledger => ({
    ...ledger,
    reports: ledger.reports.map((report) => (report.reportId === reportId ? change(report) : report)),
  });
  switch (event.type) {
    case 'SalesReported': {
      const { supersedes } = event.data;
      const reported: SalesReport = { ...event.data, status: 'reported' };
      const reports = supersedes
        ? ledger.reports.map((report) =>
            report.reportId === supersedes ? { ...report, supersededBy: [...(report.supersededBy ?? []), event.data.reportId] } : report,
          )
        : ledger.reports;
      return { ...ledger, reports: [...reports, reported] };
    }
    case 'SalesReportConfirmed':
      return updateReport(event.data.reportId, (report) => ({ ...report, status: 'confirmed', confirmedOn: event.data.confirmedOn }));
    case 'SalesReportDisputed': {
      const { reason, disputedOn } = event.data;
      return updateReport(event.data.reportId, (report) => ({ ...report, status: 'disputed', dispute: { reason, disputedOn } }));
    }
    case 'PromotionSpendReported':
      return { ...ledger, promotionSpends: [...ledger.promotionSpends, event.data] };
    case 'StatementIssued':
      return { ...ledger, statements: [...ledger.statements, event.data], chargedFen: ledger.chargedFen + event.data.totalFen };
    case 'PaymentRecorded':
      return { ...ledger, payments: [...ledger.payments, event.data], paidFen: ledger.paidFen + event.data.amountFen };
  }
}

/** What the ledger computations need of a contract. */
export interface LedgerSource {
  readonly originalTerms: Terms;
  readonly amendments: readonly Amendment[];
  readonly termination?: { readonly effectiveOn: string };
  readonly ledger: Ledger;
}

/** The contract's service days: from the term's start through its end, or through the termination's effective date. */
export function serviceDays(source: LedgerSource): { readonly first: string; readonly last: string } {
  const { term } = termsInForce(source.originalTerms, source.amendments);
  const ended = source.termination?.effectiveOn;
  return { first: term.startsOn, last: ended !== undefined && ended < term.endsOn ? ended : term.endsOn };
}

/** The service days of a month, if it has any. */
export function serviceDaysOf(source: LedgerSource, month: string): { readonly from: string; readonly to: string } | undefined {
  const { first, last } = serviceDays(source);
  const from = firstDayOf(month) > first ? firstDayOf(month) : first;
  const to = lastDayOf(month) < last ? lastDayOf(month) : last;
  return from <= to ? { from, to } : undefined;
}

/** Every month with service days, in order. */
export function serviceMonths(source: LedgerSource): string[] {
  const { first, last } = serviceDays(source);
  return monthsFromTo(monthOf(first), monthOf(last));
}

/**
 * The stretches of days from `from` through `to` over which `key` of the
 * terms in force stays the same, with those terms: split where an amendment
 * that changes it takes effect.
 */
export function stretches(
  source: LedgerSource,
  from: string,
  to: string,
  key: (terms: Terms) => string,
): { readonly from: string; readonly to: string; readonly terms: Terms }[] {
  const result: { from: string; to: string; terms: Terms }[] = [];
  const starts = [from, ...new Set(source.amendments.map((amendment) => amendment.effectiveOn).filter((day) => day > from && day <= to))];
  for (const start of starts) {
    const terms = termsInForce(source.originalTerms, source.amendments, start);
    const last = result.at(-1);
    if (last && key(last.terms) === key(terms)) continue;
    if (last) last.to = addDays(start, -1);
    result.push({ from: start, to, terms });
  }
  return result;
}

const commissionKey = ({ fees }: Terms) => `${fees.commissionRateBp}/${fees.commissionBase}`;
const moneyKey = ({ fees }: Terms) => `${fees.serviceFeeMonthlyFen}/${fees.commissionRateBp}/${fees.commissionBase}`;
const shopKey = (shop: Shop) => `${shop.platform}\n${shop.name}`;

/** Where a period crosses a change of the commission rate or base: the first day under the new one. */
export function commissionChangeWithin(source: LedgerSource, from: string, to: string): string | undefined {
  return stretches(source, from, to, commissionKey)[1]?.from;
}

/** `numerator / denominator` rounded to the nearest integer, halves up; both non-negative. */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

type SalesFigures = Pick<SalesReport, 'grossSalesFen' | 'refundsFen' | 'shippingCostFen'>;

/** The commission base of sales: gross less refunds, less shipping when the base is net of it; never below zero. */
function commissionBaseOf(sales: SalesFigures, base: CommissionBase): number {
  const net = sales.grossSalesFen - sales.refundsFen - (base === 'net_of_shipping' ? sales.shippingCostFen : 0);
  return Math.max(0, net);
}

/** The reports that stand: neither superseded nor replaced. */
export function standingReports(ledger: Ledger): SalesReport[] {
  return ledger.reports.filter((report) => report.supersededBy === undefined);
}

/** Why a month cannot be stated yet: per shop, the days no confirmed report covers and why. */
export interface StatementBlocker {
  readonly shop: Shop;
  readonly from: string;
  readonly to: string;
  /**
   * `beyond_service`: the report runs past the last day served (a termination
   * took effect within its period after it was reported), or past the last day
   * the contract ran the shop (an agreement removed it); a correction covers
   * the days served only.
   */
  readonly reason: 'not_reported' | 'awaiting_confirmation' | 'disputed' | 'straddles_commission_change' | 'beyond_service';
  readonly reportId?: string;
  /**
   * Where to split the report: for one across a change of commission, the
   * first day under the new terms; for one beyond the service, the first day not served.
   */
  readonly splitAt?: string;
}

/**
 * The largest amount the ledger holds: every figure is a JSON number, exact
 * only up to 2^53 - 1 (the service fee has no other bound).
 */
export const MAX_LEDGER_FEN = BigInt(Number.MAX_SAFE_INTEGER);

export type StatementComputation =
  | { readonly statement: Omit<Statement, 'statementId' | 'issuedOn'> }
  | { readonly blockers: readonly StatementBlocker[] }
  /** Its total, summed exactly, passes {@link MAX_LEDGER_FEN}: no statement can hold it. */
  | { readonly tooLarge: { readonly totalFen: bigint } };

/**
 * A month's statement as the history computes it, or why it cannot be
 * computed: every shop in force must be covered, day by day, by confirmed
 * reports that do not cross a change of commission nor run past the last day
 * served. Pure: the same history always gives the same statement.
 */
export function computeStatement(source: LedgerSource, month: string): StatementComputation {
  const days = serviceDaysOf(source, month);
  if (!days) return { blockers: [] };
  const moneyStretches = stretches(source, days.from, days.to, moneyKey);
  // A report of days all after the last day served charges nothing and cannot be corrected into the service: it is left out.
  const reports = standingReports(source.ledger).filter((report) => monthOf(report.periodStart) === month && report.periodStart <= days.to);
  const blockers: StatementBlocker[] = [];
  /** Per shop, the confirmed reports that cover its days, in order. */
  const used: { shop: Shop; reports: SalesReport[] }[] = [];
  for (const run of shopDays(source, days.from, days.to)) {
    const { shop } = run;
    const ofShop = reports
      .filter((report) => shopKey(report.shop) === shopKey(shop) && report.periodStart >= run.from && report.periodStart <= run.to)
      .sort((a, b) => (a.periodStart < b.periodStart ? -1 : 1));
    const usedOfShop: SalesReport[] = [];
    used.push({ shop, reports: usedOfShop });
    let next = run.from;
    for (const report of ofShop) {
      if (report.periodStart > next) blockers.push({ shop, from: next, to: addDays(report.periodStart, -1), reason: 'not_reported' });
      next = addDays(report.periodEnd, 1);
      // Past the last day served, or past the last day the contract ran the shop (an agreement removed it).
      const beyond = report.periodEnd > run.to ? addDays(run.to, 1) : undefined;
      const splitAt = beyond ?? commissionChangeWithin(source, report.periodStart, report.periodEnd);
      const blocked = (reason: StatementBlocker['reason']) =>
        blockers.push({
          shop,
          from: report.periodStart,
          to: report.periodEnd,
          reason,
          reportId: report.reportId,
          ...(splitAt ? { splitAt } : {}),
        });
      if (beyond) blocked('beyond_service');
      else if (splitAt) blocked('straddles_commission_change');
      else if (report.status === 'reported') blocked('awaiting_confirmation');
      else if (report.status === 'disputed') blocked('disputed');
      else usedOfShop.push(report);
    }
    if (next <= run.to) blockers.push({ shop, from: next, to: run.to, reason: 'not_reported' });
  }
  if (blockers.length > 0) return { blockers };

  const monthDays = daysInMonth(month);
  const feeLines: StatementLine[] = stretches(source, days.from, days.to, (terms) => String(terms.fees.serviceFeeMonthlyFen)).map(
    ({ from, to, terms }) => {
      const fee = terms.fees.serviceFeeMonthlyFen;
      const serviced = daysFromTo(from, to);
      const amount = roundHalfUp(BigInt(fee) * BigInt(serviced), BigInt(monthDays));
      return {
        kind: 'service_fee',
        from,
        to,
        days: serviced,
        daysInMonth: monthDays,
        serviceFeeMonthlyFen: fee,
        amountFen: Number(amount),
      };
    },
  );
  // One line per shop and stretch of one commission: the sales are summed before the base is clamped at zero and
  // rounded, so however the operator splits the stretch into reports, the commission is the same.
  const commissionStretches = stretches(source, days.from, days.to, commissionKey);
  const commissionLines: StatementLine[] = used.flatMap(({ shop, reports: ofShop }) =>
    commissionStretches.flatMap(({ from, to, terms: { fees } }) => {
      const summed = ofShop.filter((report) => report.periodStart >= from && report.periodEnd <= to);
      if (summed.length === 0) return [];
      const sum = (figure: keyof SalesFigures) => summed.reduce((total, report) => total + report[figure], 0);
      const sales = { grossSalesFen: sum('grossSalesFen'), refundsFen: sum('refundsFen'), shippingCostFen: sum('shippingCostFen') };
      const baseFen = commissionBaseOf(sales, fees.commissionBase);
      const amount = roundHalfUp(BigInt(baseFen) * BigInt(fees.commissionRateBp), 10_000n);
      return [
        {
          kind: 'commission' as const,
          reportIds: summed.map((report) => report.reportId),
          // The days its reports cover: the stretch, or less where the contract ran the shop part of it.
          ...{ shop, from: summed[0].periodStart, to: summed[summed.length - 1].periodEnd, ...sales },
          commissionBase: fees.commissionBase,
          baseFen,
          commissionRateBp: fees.commissionRateBp,
          amountFen: Number(amount),
        },
      ];
    }),
  );
  // Each line is exact (a fee line is at most the monthly fee); their sums may not be, so they are summed as BigInt.
  const sum = (lines: StatementLine[]) => lines.reduce((total, line) => total + BigInt(line.amountFen), 0n);
  const [serviceFeesFen, commissionFen] = [sum(feeLines), sum(commissionLines)];
  const totalFen = serviceFeesFen + commissionFen;
  if (totalFen > MAX_LEDGER_FEN) return { tooLarge: { totalFen } };
  return {
    statement: {
      month,
      inputs: used.flatMap(({ reports: ofShop }) => ofShop.map(({ reportId, revision }) => ({ reportId, revision }))),
      terms: moneyStretches.map(({ from, to, terms: { fees } }) => ({ from, to, ...fees })),
      lines: [...feeLines, ...commissionLines],
      serviceFeesFen: Number(serviceFeesFen),
      commissionFen: Number(commissionFen),
      totalFen: Number(totalFen),
    },
  };
}

/**
 * The days from `from` through `to` on which the contract runs each shop, as
 * runs of consecutive days per shop: a shop an agreement adds or removes
 * mid-month is reported, and charged commission, for its own days only.
 */
function shopDays(source: LedgerSource, from: string, to: string): { shop: Shop; from: string; to: string }[] {
  const runs: { shop: Shop; from: string; to: string }[] = [];
  const open = new Map<string, { shop: Shop; from: string; to: string }>();
  for (const stretch of stretches(source, from, to, (terms) => terms.shops.map(shopKey).join('\n'))) {
    const inForce = new Set(stretch.terms.shops.map(shopKey));
    for (const key of open.keys()) if (!inForce.has(key)) open.delete(key);
    for (const shop of stretch.terms.shops) {
      const run = open.get(shopKey(shop));
      if (run) run.to = stretch.to;
      else {
        const started = { shop, from: stretch.from, to: stretch.to };
        open.set(shopKey(shop), started);
        runs.push(started);
      }
    }
  }
  return runs;
}

/** Whether a shop is one the contract runs on a day. */
export function shopInForce(source: LedgerSource, shop: Shop, on: string): boolean {
  return termsInForce(source.originalTerms, source.amendments, on).shops.some((candidate) => shopKey(candidate) === shopKey(shop));
}

/** A statement's figures against what was paid: payments go to its service fee first, then to its commission. */
export function statementBalance(ledger: Ledger, statement: Statement) {
  const paidFen = ledger.payments
    .filter((payment) => payment.statementId === statement.statementId)
    .reduce((sum, { amountFen }) => sum + amountFen, 0);
  const feesPaid = Math.min(paidFen, statement.serviceFeesFen);
  return {
    chargedFen: statement.totalFen,
    paidFen,
    openFen: statement.totalFen - paidFen,
    openServiceFeesFen: statement.serviceFeesFen - feesPaid,
    openCommissionFen: statement.commissionFen - (paidFen - feesPaid),
  };
}

/** The committed promotion budget of a month: the budget in force, pro rata by service day like the fee. */
export function committedBudget(source: LedgerSource, month: string): number {
  const days = serviceDaysOf(source, month);
  if (!days) return 0;
  const monthDays = BigInt(daysInMonth(month));
  return stretches(source, days.from, days.to, (terms) => String(terms.promotion.monthlyBudgetFen)).reduce(
    (sum, { from, to, terms }) =>
      sum + Number(roundHalfUp(BigInt(terms.promotion.monthlyBudgetFen) * BigInt(daysFromTo(from, to)), monthDays)),
    0,
  );
}

/** One month of the ledger: what was reported, charged, paid and is still open, and promotion against budget. */
export interface LedgerMonth {
  readonly month: string;
  readonly serviceDays: { readonly from: string; readonly to: string };
  readonly reports: { readonly confirmed: number; readonly awaitingConfirmation: number; readonly disputed: number };
  readonly statementId?: string;
  readonly serviceFeesFen: number;
  readonly commissionFen: number;
  readonly chargedFen: number;
  readonly paidFen: number;
  readonly openFen: number;
  readonly promotion: { readonly committedFen: number; readonly spentFen?: number; readonly shortfallFen?: number };
}

/** The ledger month by month, over every month with service days. */
export function ledgerMonths(source: LedgerSource): LedgerMonth[] {
  const { ledger } = source;
  const standing = standingReports(ledger);
  return serviceMonths(source).map((month) => {
    const statement = ledger.statements.find((candidate) => candidate.month === month);
    const balance = statement ? statementBalance(ledger, statement) : undefined;
    const days = serviceDaysOf(source, month)!;
    // A report of days all after a termination recorded later is left out of the month, as its statement leaves it out.
    const ofMonth = standing.filter((report) => monthOf(report.periodStart) === month && report.periodStart <= days.to);
    const count = (status: SalesReport['status']) => ofMonth.filter((report) => report.status === status).length;
    const spent = ledger.promotionSpends.filter((spend) => spend.month === month).at(-1)?.spentFen;
    const committedFen = committedBudget(source, month);
    return {
      month,
      serviceDays: days,
      reports: { confirmed: count('confirmed'), awaitingConfirmation: count('reported'), disputed: count('disputed') },
      ...(statement ? { statementId: statement.statementId } : {}),
      serviceFeesFen: statement?.serviceFeesFen ?? 0,
      commissionFen: statement?.commissionFen ?? 0,
      chargedFen: balance?.chargedFen ?? 0,
      paidFen: balance?.paidFen ?? 0,
      openFen: balance?.openFen ?? 0,
      promotion: { committedFen, ...(spent === undefined ? {} : { spentFen: spent, shortfallFen: Math.max(0, committedFen - spent) }) },
    };
  });
}
