import { canonicalJson } from '../../shared/canonical-json';
import { notFound } from '../domain/errors';
import {
  computeStatement,
  ledgerMonths,
  serviceDays,
  statementBalance,
  type SalesReport,
  type Statement,
  type StatementComputation,
} from '../domain/ledger';
import type { ExistingContract } from '../domain/state';

/**
 * The ledger as the contract's parties, auditors and admins read it, rendered
 * from the state the contracts read model holds: every figure is the
 * domain's own computation (ledgerMonths, statementBalance, computeStatement),
 * never a second implementation of the rules.
 */

/** A report's standing: superseded by a correction, else as the brand left it. */
const standing = (report: SalesReport) => (report.supersededBy ? 'superseded' : report.status);

/** The contract's ledger: month by month, the totals, and every report, statement and payment. */
export function ledgerView(state: ExistingContract) {
  const { ledger } = state;
  const months = ledgerMonths(state);
  const statements = ledger.statements.map((statement) => {
    const { statementId, month, issuedOn, serviceFeesFen, commissionFen, totalFen } = statement;
    return { statementId, month, issuedOn, serviceFeesFen, commissionFen, totalFen, ...statementBalance(ledger, statement) };
  });
  const sum = <Row>(rows: readonly Row[], amount: (row: Row) => number) => rows.reduce((total, row) => total + amount(row), 0);
  return {
    contractId: state.contractId,
    status: state.status,
    brand: state.brand,
    operator: state.operator,
    serviceDays: serviceDays(state),
    months,
    totals: {
      serviceFeesFen: sum(statements, (statement) => statement.serviceFeesFen),
      commissionFen: sum(statements, (statement) => statement.commissionFen),
      chargedFen: sum(statements, (statement) => statement.chargedFen),
      paidFen: sum(statements, (statement) => statement.paidFen),
      openFen: sum(statements, (statement) => statement.openFen),
      openServiceFeesFen: sum(statements, (statement) => statement.openServiceFeesFen),
      openCommissionFen: sum(statements, (statement) => statement.openCommissionFen),
      promotionCommittedFen: sum(months, (month) => month.promotion.committedFen),
      promotionSpentFen: sum(months, (month) => month.promotion.spentFen ?? 0),
    },
    reports: ledger.reports.map((report) => ({ ...report, status: standing(report) })),
    promotionSpends: ledger.promotionSpends,
    statements,
    payments: ledger.payments,
  };
}

/**
 * One statement with its lines, what was paid against it, and whether the
 * contract's history as it stands computes the very same statement (the
 * figures, the inputs and the terms it applied): an auditor's check that
 * nothing the statement stands on has changed since it was issued.
 */
export function statementView(state: ExistingContract, statementId: string) {
  const statement = state.ledger.statements.find((candidate) => candidate.statementId === statementId);
  if (!statement) throw notFound('statement.not_found', `The contract has no statement ${statementId}.`);
  const { statementId: _id, issuedOn: _on, ...figures } = statement;
  const verification = verify(computeStatement(state, statement.month), figures);
  return {
    contractId: state.contractId,
    brand: state.brand,
    operator: state.operator,
    ...statement,
    balance: statementBalance(state.ledger, statement),
    verification,
  };
}

/** Whether the history computes the statement's figures again: the same, or what blocks or differs. */
function verify(recomputed: StatementComputation, figures: Omit<Statement, 'statementId' | 'issuedOn'>) {
  if ('blockers' in recomputed) return { matches: false, blockers: recomputed.blockers };
  // Too large to state: a stored statement never is, unless what it stands on changed.
  if ('tooLarge' in recomputed) return { matches: false };
  if (canonicalJson(recomputed.statement) === canonicalJson(figures)) return { matches: true };
  const { serviceFeesFen, commissionFen, totalFen } = recomputed.statement;
  return { matches: false, recomputed: { serviceFeesFen, commissionFen, totalFen } };
}

export type LedgerView = ReturnType<typeof ledgerView>;
export type StatementView = ReturnType<typeof statementView>;
