import { z } from 'zod';
import { addDays, firstDayOf, lastDayOf, monthOf, nextMonth } from '../../shared/calendar';
import { canonicalJson } from '../../shared/canonical-json';
import { conflict, invalid, notFound, withFacts } from './errors';
import {
  commissionChangeWithin,
  computeStatement,
  LEDGER_EVENT_DATA,
  MAX_LEDGER_FEN,
  serviceDays,
  serviceDaysOf,
  serviceMonths,
  shopInForce,
  standingReports,
  statementBalance,
  type LedgerEvent,
  type LedgerSource,
  type SalesReport,
} from './ledger';
import { calendarDate, id, type Infer } from './schema';

/** The ledger's commands: each carries its event's data, except what the decider computes (a report's revision, a statement's lines). */
export const LEDGER_COMMANDS = [
  LEDGER_EVENT_DATA.SalesReported.omit({ revision: true }).extend({ type: z.literal('ReportSales') }),
  LEDGER_EVENT_DATA.SalesReportConfirmed.extend({ type: z.literal('ConfirmSalesReport') }),
  LEDGER_EVENT_DATA.SalesReportDisputed.extend({ type: z.literal('DisputeSalesReport') }),
  LEDGER_EVENT_DATA.PromotionSpendReported.extend({ type: z.literal('ReportPromotionSpend') }),
  z.strictObject({
    type: z.literal('IssueStatement'),
    statementId: id,
    month: LEDGER_EVENT_DATA.StatementIssued.shape.month,
    issuedOn: calendarDate,
  }),
  LEDGER_EVENT_DATA.PaymentRecorded.extend({ type: z.literal('RecordPayment') }),
] as const;
export type LedgerCommand = Infer<(typeof LEDGER_COMMANDS)[number]>;
type Command<T extends LedgerCommand['type']> = Extract<LedgerCommand, { type: T }>;

/** Decides a ledger command on a contract in force or in handover (the last months are settled during the handover). */
export function decideLedger(command: LedgerCommand, contract: LedgerSource): LedgerEvent[] {
  switch (command.type) {
    case 'ReportSales':
      return reportSales(command, contract);
    case 'ConfirmSalesReport':
      return confirmReport(command, contract);
    case 'DisputeSalesReport':
      return disputeReport(command, contract);
    case 'ReportPromotionSpend':
      return reportPromotionSpend(command, contract);
    case 'IssueStatement':
      return issueStatement(command, contract);
    case 'RecordPayment':
      return recordPayment(command, contract);
  }
}

function reportSales(command: Command<'ReportSales'>, contract: LedgerSource): LedgerEvent[] {
  const { type: _type, ...report } = command;
  const { reportId, shop, periodStart, periodEnd, supersedes } = report;
  const existing = contract.ledger.reports.find((candidate) => candidate.reportId === reportId);
  if (existing) return sameReport(existing, report);
  if (periodEnd < periodStart)
    throw invalid('sales_report.period_reversed', `The period ends (${periodEnd}) before it starts (${periodStart}).`);
  if (monthOf(periodStart) !== monthOf(periodEnd)) {
    throw invalid(
      'sales_report.spans_months',
      `A report covers one calendar month or part of one: report ${periodStart} to ${lastDayOf(monthOf(periodStart))} and ${firstDayOf(nextMonth(monthOf(periodStart)))} to ${periodEnd} apart.`,
    );
  }
  const { first, last } = serviceDays(contract);
  if (periodStart < first || periodEnd > last) {
    throw invalid(
      'sales_report.outside_service',
      `The contract serves from ${first} through ${last}; the period ${periodStart} to ${periodEnd} is not within it.`,
    );
  }
  if (!shopInForce(contract, shop, periodStart) || !shopInForce(contract, shop, periodEnd)) {
    throw invalid('sales_report.unknown_shop', `The contract does not run ${shop.platform} shop "${shop.name}" over that period.`);
  }
  const splitAt = commissionChangeWithin(contract, periodStart, periodEnd);
  if (splitAt) {
    throw withFacts(
      invalid(
        'sales_report.straddles_commission_change',
        `The commission changes on ${splitAt}: report ${periodStart} to ${addDays(splitAt, -1)} and ${splitAt} to ${periodEnd} apart.`,
      ),
      { splitAt },
    );
  }
  const corrected = supersedes === undefined ? undefined : correctable(contract, report);
  const overlapping = standingReports(contract.ledger).find(
    (other) =>
      other.reportId !== supersedes &&
      shopKeyOf(other) === shopKeyOf(report) &&
      other.periodStart <= periodEnd &&
      periodStart <= other.periodEnd,
  );
  if (overlapping) {
    throw conflict(
      'sales_report.period_already_reported',
      `Report ${overlapping.reportId} already covers ${overlapping.periodStart} to ${overlapping.periodEnd} for this shop: a correction names it in "supersedes".`,
    );
  }
  return [{ type: 'SalesReported', data: { ...report, revision: corrected ? corrected.revision + 1 : 1 } }];
}

/** The report a correction supersedes, if it may: same shop, within its period, not yet on a statement. */
function correctable(contract: LedgerSource, correction: Omit<Command<'ReportSales'>, 'type'>): SalesReport {
  const report = contract.ledger.reports.find((candidate) => candidate.reportId === correction.supersedes);
  if (!report) throw notFound('sales_report.not_found', `The contract has no sales report ${correction.supersedes}.`);
  if (shopKeyOf(report) !== shopKeyOf(correction))
    throw invalid('sales_report.correction_other_shop', 'A correction reports the same shop as the report it corrects.');
  if (correction.periodStart < report.periodStart || correction.periodEnd > report.periodEnd) {
    throw invalid(
      'sales_report.correction_outside_period',
      `A correction covers the period of the report it corrects, ${report.periodStart} to ${report.periodEnd}, or part of it.`,
    );
  }
  const stated = contract.ledger.statements.find((statement) => statement.inputs.some((input) => input.reportId === report.reportId));
  if (stated)
    throw conflict(
      'sales_report.already_stated',
      `Report ${report.reportId} is on the statement of ${stated.month}: it can no longer be corrected.`,
    );
  return report;
}

function sameReport(existing: SalesReport, report: Omit<Command<'ReportSales'>, 'type'>): LedgerEvent[] {
  const { status: _status, confirmedOn: _confirmed, dispute: _dispute, supersededBy: _by, revision: _revision, ...recorded } = existing;
  if (canonicalJson(recorded) === canonicalJson(report)) return [];
  throw conflict('sales_report.already_exists', `Report ${existing.reportId} was recorded with other figures.`);
}

const shopKeyOf = ({ shop }: { shop: { platform: string; name: string } }) => `${shop.platform}\n${shop.name}`;

/** The report to confirm or dispute: it must stand (not be superseded). */
function standingReport(contract: LedgerSource, reportId: string): SalesReport {
  const report = contract.ledger.reports.find((candidate) => candidate.reportId === reportId);
  if (!report) throw notFound('sales_report.not_found', `The contract has no sales report ${reportId}.`);
  if (report.supersededBy)
    throw conflict('sales_report.superseded', `Report ${reportId} was corrected by ${report.supersededBy.join(', ')}.`);
  return report;
}

function confirmReport(command: Command<'ConfirmSalesReport'>, contract: LedgerSource): LedgerEvent[] {
  const report = standingReport(contract, command.reportId);
  if (report.status === 'confirmed') return [];
  if (report.status === 'disputed') {
    throw conflict(
      'sales_report.disputed',
      `Report ${report.reportId} is disputed: the operator reports a correction, which the brand confirms.`,
    );
  }
  if (command.confirmedOn < report.periodEnd) {
    throw invalid('sales_report.confirmed_early', `The period runs through ${report.periodEnd}; it is confirmed on or after that day.`);
  }
  return [{ type: 'SalesReportConfirmed', data: { reportId: report.reportId, confirmedOn: command.confirmedOn } }];
}

function disputeReport(command: Command<'DisputeSalesReport'>, contract: LedgerSource): LedgerEvent[] {
  const report = standingReport(contract, command.reportId);
  if (report.status === 'confirmed')
    throw conflict('sales_report.already_confirmed', `Report ${report.reportId} was confirmed on ${report.confirmedOn}.`);
  if (report.status === 'disputed') {
    if (report.dispute?.reason === command.reason) return [];
    throw conflict('sales_report.already_disputed', `Report ${report.reportId} is already disputed: ${report.dispute?.reason}`);
  }
  const { reportId, reason, disputedOn } = command;
  // A dispute may come while the period runs (sales already missing), not before any of its days.
  if (disputedOn < report.periodStart) {
    throw invalid('sales_report.disputed_early', `The period starts on ${report.periodStart}; it is disputed on or after that day.`);
  }
  return [{ type: 'SalesReportDisputed', data: { reportId, reason, disputedOn } }];
}

function reportPromotionSpend(command: Command<'ReportPromotionSpend'>, contract: LedgerSource): LedgerEvent[] {
  const { type: _type, ...spend } = command;
  if (!serviceDaysOf(contract, spend.month)) {
    const { first, last } = serviceDays(contract);
    throw invalid('promotion_spend.outside_service', `The contract serves from ${first} through ${last}; ${spend.month} is not within it.`);
  }
  const latest = contract.ledger.promotionSpends.filter((candidate) => candidate.month === spend.month).at(-1);
  if (latest && canonicalJson(latest) === canonicalJson(spend)) return [];
  return [{ type: 'PromotionSpendReported', data: spend }];
}

function issueStatement(command: Command<'IssueStatement'>, contract: LedgerSource): LedgerEvent[] {
  const { statementId, month, issuedOn } = command;
  const issued = contract.ledger.statements.find((statement) => statement.month === month);
  if (issued) {
    // The same id is a retry. Another id would be a second statement of the month: never recorded, and the
    // refusal names the one there is (reading it recomputes it from the history, see ledger-views).
    if (issued.statementId === statementId) return [];
    throw withFacts(conflict('statement.already_issued', `${month} was stated by ${issued.statementId} on ${issued.issuedOn}.`), {
      statementId: issued.statementId,
    });
  }
  // Payments name the statement they pay: two statements under one id would share them.
  const sameId = contract.ledger.statements.find((statement) => statement.statementId === statementId);
  if (sameId)
    throw conflict('statement.already_exists', `Statement ${statementId} states ${sameId.month}; ${month} is stated under another id.`);
  const days = serviceDaysOf(contract, month);
  if (!days) {
    const { first, last } = serviceDays(contract);
    throw invalid('statement.outside_service', `The contract serves from ${first} through ${last}; ${month} is not within it.`);
  }
  if (issuedOn <= days.to)
    throw invalid('statement.period_not_over', `The service days of ${month} run through ${days.to}: its statement is issued after.`);
  const computed = computeStatement(contract, month);
  if ('blockers' in computed) {
    throw withFacts(
      conflict(
        'statement.reports_incomplete',
        `${month} cannot be stated yet: ${computed.blockers.length} stretch(es) of shop days lack a confirmed report.`,
      ),
      { blockers: computed.blockers },
    );
  }
  // Every figure of the ledger is a JSON number: past 2^53 - 1 it would no longer be exact.
  if ('tooLarge' in computed) throw tooLarge(`${month} would total ${computed.tooLarge.totalFen} fen`);
  const chargedFen = BigInt(contract.ledger.chargedFen) + BigInt(computed.statement.totalFen);
  if (chargedFen > MAX_LEDGER_FEN) throw tooLarge(`The contract's statements would total ${chargedFen} fen with ${month}`);
  return [{ type: 'StatementIssued', data: { statementId, issuedOn, ...computed.statement } }];
}

const tooLarge = (what: string) =>
  invalid('statement.too_large', `${what}, more than the ${MAX_LEDGER_FEN} fen (2^53 - 1) the ledger holds exactly.`);

function recordPayment(command: Command<'RecordPayment'>, contract: LedgerSource): LedgerEvent[] {
  const { type: _type, ...payment } = command;
  const existing = contract.ledger.payments.find((candidate) => candidate.paymentId === payment.paymentId);
  if (existing) {
    if (canonicalJson(existing) === canonicalJson(payment)) return [];
    throw conflict('payment.already_exists', `Payment ${payment.paymentId} was recorded with other figures.`);
  }
  const statement = contract.ledger.statements.find((candidate) => candidate.statementId === payment.statementId);
  if (!statement) throw notFound('statement.not_found', `The contract has no statement ${payment.statementId}.`);
  if (payment.paidOn < statement.issuedOn)
    throw invalid(
      'payment.before_statement',
      `Statement ${statement.statementId} was issued on ${statement.issuedOn}; a payment against it comes after.`,
    );
  const { openFen } = statementBalance(contract.ledger, statement);
  if (payment.amountFen > openFen) {
    throw withFacts(
      invalid(
        'payment.exceeds_open',
        `Statement ${statement.statementId} has ${openFen} fen open; the payment is ${payment.amountFen} fen.`,
      ),
      {
        openFen,
      },
    );
  }
  return [{ type: 'PaymentRecorded', data: payment }];
}

/** What a final settlement must agree with: a statement for every month served, and the open fees and commission. */
export function checkFinalSettlement(
  contract: LedgerSource,
  settled: { readonly serviceFeesFen: number; readonly commissionFen: number },
): void {
  const differences: Record<string, unknown>[] = [];
  const stated = new Set(contract.ledger.statements.map((statement) => statement.month));
  for (const month of serviceMonths(contract)) if (!stated.has(month)) differences.push({ kind: 'statement_missing', month });
  let openServiceFeesFen = 0;
  let openCommissionFen = 0;
  for (const statement of contract.ledger.statements) {
    const balance = statementBalance(contract.ledger, statement);
    openServiceFeesFen += balance.openServiceFeesFen;
    openCommissionFen += balance.openCommissionFen;
  }
  if (settled.serviceFeesFen !== openServiceFeesFen) {
    differences.push({ kind: 'service_fees', ledgerOpenFen: openServiceFeesFen, settledFen: settled.serviceFeesFen });
  }
  if (settled.commissionFen !== openCommissionFen)
    differences.push({ kind: 'commission', ledgerOpenFen: openCommissionFen, settledFen: settled.commissionFen });
  if (differences.length > 0) {
    throw withFacts(
      invalid('handover.settlement_differs', `The final settlement does not agree with the ledger: ${differences.length} difference(s).`),
      { differences },
    );
  }
}

/**
 * Whether a change of the terms or of the end of service would change a
 * month already stated: a statement is never recomputed differently.
 */
export function refuseIfStated(contract: LedgerSource, changedFrom: string, what: string): void {
  const stated = contract.ledger.statements.map((statement) => statement.month).filter((month) => lastDayOf(month) >= changedFrom);
  if (stated.length > 0) {
    throw conflict('ledger.month_already_stated', `${what} would change ${stated.sort().join(', ')}, already stated.`);
  }
}
