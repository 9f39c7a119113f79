import type { SchemaObject } from '@nestjs/swagger';
import { MONTH_PATTERN } from '../../shared/calendar';
import {
  arrayOf,
  boolean,
  date,
  integer,
  json,
  object,
  oneOfValues,
  ref,
  text,
  uuid,
  type OpenApiContribution,
} from '../../http/openapi-parts';
import { AUTHENTICATED, merge, QUERY, ROLE_GATED, type ProblemCodes } from '../../http/openapi-problems';
import { propertiesOf, type Schemas } from '../../http/openapi-schemas';
import { COMMISSION_BASES, PARTIES } from '../domain/terms';
import { CONTRACT, contractWrite, creating, NOT_A_PARTY, ONE_SIDE, READ_MODELS, write, WRITTEN } from './openapi';

/** The ledger's routes in the OpenAPI document; the examples are the seed story's (the sports-shoe brand and its operator). */

/** The ledger runs from activation through the handover; payments go on after the contract is closed. */
const PAYMENT_WRITE: ProblemCodes = merge(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.not_active'] });
const LEDGER_WRITE: ProblemCodes = merge(PAYMENT_WRITE, { 409: ['contract.closed'] });
const SALES_REPORT: ProblemCodes = { 404: ['sales_report.not_found'], 409: ['sales_report.superseded'] };
/** A contract's money: its parties, auditors and admins; a coordinator sees the contract but not this. */
const LEDGER_READ: ProblemCodes = merge(AUTHENTICATED, QUERY, CONTRACT, READ_MODELS, { 403: ['access.ledger_forbidden'] });
/** A party's receivables or payables: its own for a brand or operator key; an auditor or admin names the party. */
const PARTY_READ: ProblemCodes = merge(AUTHENTICATED, QUERY, ROLE_GATED, READ_MODELS, {
  400: ['ledger.party_required'],
  403: ['access.not_your_party'],
});
const CSV = { 'text/csv': text };

const month: SchemaObject = { type: 'string', pattern: MONTH_PATTERN.source, example: '2028-03' };
const rateBp: SchemaObject = { type: 'integer', minimum: 0, maximum: 10_000 };

function ledgerSchemas(requests: Schemas): Schemas {
  const status = propertiesOf(requests.ContractListQueryDto).status;
  const shop = ref('ShopDto');
  const base = oneOfValues(COMMISSION_BASES);
  const parties = { brand: ref('PartyRefDto'), operator: ref('PartyRefDto') };
  const balance = {
    chargedFen: integer,
    paidFen: integer,
    openFen: integer,
    openServiceFeesFen: integer,
    openCommissionFen: integer,
  };
  const figures = { serviceFeesFen: integer, commissionFen: integer, totalFen: integer };
  const blocker = object(
    {
      shop,
      from: date,
      to: date,
      reason: oneOfValues(['not_reported', 'awaiting_confirmation', 'disputed', 'straddles_commission_change', 'beyond_service']),
    },
    { reportId: uuid, splitAt: date },
  );
  return {
    Ledger: object({
      contractId: uuid,
      status,
      ...parties,
      serviceDays: object({ first: date, last: date }),
      months: arrayOf(
        object(
          {
            month,
            serviceDays: object({ from: date, to: date }),
            reports: object({ confirmed: integer, awaitingConfirmation: integer, disputed: integer }),
            serviceFeesFen: integer,
            commissionFen: integer,
            chargedFen: integer,
            paidFen: integer,
            openFen: integer,
            promotion: object({ committedFen: integer }, { spentFen: integer, shortfallFen: integer }),
          },
          { statementId: uuid },
        ),
      ),
      totals: object({
        serviceFeesFen: integer,
        commissionFen: integer,
        ...balance,
        promotionCommittedFen: integer,
        promotionSpentFen: integer,
      }),
      reports: arrayOf(
        object(
          {
            reportId: uuid,
            shop,
            periodStart: date,
            periodEnd: date,
            grossSalesFen: integer,
            refundsFen: integer,
            shippingCostFen: integer,
            documentRef: text,
            revision: integer,
            status: oneOfValues(['reported', 'confirmed', 'disputed', 'superseded']),
          },
          { supersedes: uuid, confirmedOn: date, dispute: object({ reason: text, disputedOn: date }), supersededBy: arrayOf(uuid) },
        ),
      ),
      promotionSpends: arrayOf(object({ month, spentFen: integer, documentRef: text })),
      statements: arrayOf(object({ statementId: uuid, month, issuedOn: date, ...figures, ...balance })),
      payments: arrayOf(object({ paymentId: uuid, statementId: uuid, amountFen: integer, paidOn: date, paymentRef: text })),
    }),
    Statement: object({
      contractId: uuid,
      ...parties,
      statementId: uuid,
      month,
      issuedOn: date,
      inputs: arrayOf(object({ reportId: uuid, revision: integer })),
      terms: arrayOf(object({ from: date, to: date, serviceFeeMonthlyFen: integer, commissionRateBp: rateBp, commissionBase: base })),
      lines: arrayOf({
        oneOf: [
          object({
            kind: oneOfValues(['service_fee']),
            from: date,
            to: date,
            days: integer,
            daysInMonth: integer,
            serviceFeeMonthlyFen: integer,
            amountFen: integer,
          }),
          object({
            kind: oneOfValues(['commission']),
            reportIds: arrayOf(uuid),
            shop,
            from: date,
            to: date,
            grossSalesFen: integer,
            refundsFen: integer,
            shippingCostFen: integer,
            commissionBase: base,
            baseFen: integer,
            commissionRateBp: rateBp,
            amountFen: integer,
          }),
        ],
      }),
      ...figures,
      balance: object(balance),
      verification: object({ matches: boolean }, { blockers: arrayOf(blocker), recomputed: object(figures) }),
    }),
    PartyLedger: object({
      side: oneOfValues(PARTIES),
      partyId: text,
      contracts: arrayOf(
        object(
          { contractId: uuid, status, ...parties, chargedFen: integer, paidFen: integer, openFen: integer },
          { quarantined: { type: 'boolean', enum: [true] } },
        ),
      ),
      totals: object({ chargedFen: integer, paidFen: integer, openFen: integer }),
    }),
  };
}

export const ledgerOpenApi: OpenApiContribution = {
  schemas: ledgerSchemas,
  operations: {
    LedgerController_reportSales: write(
      creating('reportId'),
      contractWrite(LEDGER_WRITE, {
        404: ['sales_report.not_found'],
        409: ['sales_report.period_already_reported', 'sales_report.already_stated', 'sales_report.already_exists'],
        422: [
          'sales_report.period_reversed',
          'sales_report.spans_months',
          'sales_report.outside_service',
          'sales_report.unknown_shop',
          'sales_report.straddles_commission_change',
          'sales_report.correction_other_shop',
          'sales_report.correction_outside_period',
        ],
      }),
      {
        platform: 'tmall',
        shopName: 'Feiyue Tmall flagship store',
        periodStart: '2028-03-01',
        periodEnd: '2028-03-31',
        grossSalesFen: 250_000_000,
        refundsFen: 12_000_000,
        shippingCostFen: 8_000_000,
        documentRef: 'TMALL-SETTLE-2028-03',
      },
    ),
    LedgerController_confirmSalesReport: write(
      WRITTEN,
      contractWrite(LEDGER_WRITE, SALES_REPORT, { 409: ['sales_report.disputed'], 422: ['sales_report.confirmed_early'] }),
      { confirmedOn: '2028-04-03' },
    ),
    LedgerController_disputeSalesReport: write(
      WRITTEN,
      contractWrite(LEDGER_WRITE, SALES_REPORT, {
        409: ['sales_report.already_confirmed', 'sales_report.already_disputed'],
        422: ['sales_report.disputed_early'],
      }),
      { reason: 'Refunds of the 15 March recall are missing', disputedOn: '2028-04-03' },
    ),
    LedgerController_reportPromotionSpend: write(WRITTEN, contractWrite(LEDGER_WRITE, { 422: ['promotion_spend.outside_service'] }), {
      month: '2028-03',
      spentFen: 9_200_000,
      documentRef: 'ZTC-2028-03',
    }),
    LedgerController_issueStatement: write(
      creating('statementId'),
      contractWrite(LEDGER_WRITE, {
        409: ['statement.reports_incomplete', 'statement.already_issued', 'statement.already_exists'],
        422: ['statement.outside_service', 'statement.period_not_over', 'statement.too_large'],
      }),
      { month: '2028-03', issuedOn: '2028-04-05' },
    ),
    LedgerController_recordPayment: write(
      creating('paymentId'),
      contractWrite(PAYMENT_WRITE, {
        404: ['statement.not_found'],
        409: ['payment.already_exists'],
        422: ['payment.before_statement', 'payment.exceeds_open'],
      }),
      { amountFen: 5_856_000, paidOn: '2028-04-20', paymentRef: 'ALIPAY-20280420-0001' },
    ),
    LedgerController_getLedger: {
      answers: [
        {
          status: 200,
          description: 'The ledger month by month, with totals; CSV for a spreadsheet with `format=csv` or `Accept: text/csv`',
          content: { ...json('Ledger'), ...CSV },
          headers: ['ETag'],
        },
      ],
      problems: LEDGER_READ,
    },
    LedgerController_getStatement: {
      answers: [
        {
          status: 200,
          description: 'The statement, its balance and its verification against the history; CSV with `format=csv` or `Accept: text/csv`',
          content: { ...json('Statement'), ...CSV },
          headers: ['ETag'],
        },
      ],
      problems: merge(LEDGER_READ, { 404: ['statement.not_found'] }),
    },
    LedgerController_receivables: {
      answers: [{ status: 200, description: "An operator's contracts: charged, paid and open, and in all", content: json('PartyLedger') }],
      problems: PARTY_READ,
    },
    LedgerController_payables: {
      answers: [{ status: 200, description: "A brand's contracts: charged, paid and open, and in all", content: json('PartyLedger') }],
      problems: PARTY_READ,
    },
  },
};
