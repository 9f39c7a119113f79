import { z } from 'zod';
import { assertNever } from '../../shared/errors';
import { handoverEvidenceSchema, handoverItemSchema } from './handover';
import { LEDGER_EVENT_DATA } from './ledger';
import { calendarDate, describeIssues, fen, id, instant, text, type Infer } from './schema';
import { amendmentSchema, partyRefSchema, partySchema, termsSchema } from './terms';

/**
 * Everything that can happen to a contract, as runtime schemas: the types
 * below are inferred from them, and the event store refuses any contract
 * event that does not match its schema. The `type` strings are the stored
 * contract: they never change once written; a breaking change gets a new type.
 */

/** Kinds of account the operator runs for the brand. */
export const accountKindSchema = z.enum([
  'shop_master_account',
  'sub_account',
  'alipay_account',
  'site_admin',
  'logistics_account',
  'other',
]);
export type AccountKind = Infer<typeof accountKindSchema>;
export const ACCOUNT_KINDS: readonly AccountKind[] = accountKindSchema.options;

/** Authorization documents the brand issues to the operator. */
export const authorizationTypeSchema = z.enum(['online_distribution', 'rights_enforcement', 'shop_operation', 'trademark_use']);
export type AuthorizationType = Infer<typeof authorizationTypeSchema>;
export const AUTHORIZATION_TYPES: readonly AuthorizationType[] = authorizationTypeSchema.options;

/** Paid by the brand before signing, for the operator's tailored plan. */
export const consultingFeeSchema = z.strictObject({ amountFen: fen, paidOn: calendarDate });
export type ConsultingFee = Infer<typeof consultingFeeSchema>;

export const terminationGroundsSchema = z.discriminatedUnion('type', [
  /** The other party breached: names one of its uncured breaches. */
  z.strictObject({ type: z.literal('breach'), breachId: id }),
  z.strictObject({ type: z.literal('mutual_agreement'), documentRef: text(), brandSignatory: text(), operatorSignatory: text() }),
  /** The term ran out: only on or after its end. */
  z.strictObject({ type: z.literal('expiry') }),
  /** A termination condition the contract stipulates. */
  z.strictObject({ type: z.literal('stipulated_condition'), clause: text() }),
]);
export type TerminationGrounds = Infer<typeof terminationGroundsSchema>;
export type TerminationGroundsType = TerminationGrounds['type'];
export const TERMINATION_GROUNDS: readonly TerminationGroundsType[] = terminationGroundsSchema.options.map(
  (option) => option.shape.type.value,
);

/** The data of each event type. Commands reuse them, so a command and the event it records cannot drift apart. */
export const EVENT_DATA = {
  ContractDrafted: z.strictObject({
    contractId: id,
    brand: partyRefSchema,
    operator: partyRefSchema,
    terms: termsSchema,
    consultingFee: consultingFeeSchema.optional(),
  }),
  ContractSigned: z.strictObject({ party: partySchema, signatory: text(), signedOn: calendarDate }),
  /** Both parties have signed: the contract is in force. */
  ContractActivated: z.strictObject({ activatedOn: calendarDate }),
  ContractAmended: amendmentSchema,
  AccountRegistered: z.strictObject({ accountId: id, platform: text(50), accountName: text(), accountKind: accountKindSchema }),
  AccountDeregistered: z.strictObject({ accountId: id }),
  AuthorizationGranted: z.strictObject({
    authorizationId: id,
    authorizationType: authorizationTypeSchema,
    platform: text(50),
    documentRef: text(),
  }),
  AuthorizationRevoked: z.strictObject({ authorizationId: id, documentRef: text(), revokedOn: calendarDate }),
  BreachRecorded: z.strictObject({
    breachId: id,
    breachingParty: partySchema,
    clause: text(),
    description: text(2000),
    occurredOn: calendarDate,
    evidenceRef: text(),
  }),
  BreachCured: z.strictObject({ breachId: id, curedOn: calendarDate }),
  ContractTerminated: z.strictObject({ initiatedBy: partySchema, grounds: terminationGroundsSchema, effectiveOn: calendarDate }),
  /** The checklist, derived from the whole history at termination. */
  HandoverStarted: z.strictObject({ items: z.array(handoverItemSchema) }),
  HandoverItemCompleted: z.strictObject({ itemId: text(120), evidence: handoverEvidenceSchema, completedBy: text(), completedAt: instant }),
  HandoverSignedOff: z.strictObject({ party: partySchema, signatory: text(), signedOffOn: calendarDate }),
  /** Both parties signed off a complete handover. */
  ContractClosed: z.strictObject({ closedOn: calendarDate }),
  /** The monthly settlement ledger (ledger.ts). */
  ...LEDGER_EVENT_DATA,
};

export type ContractEventType = keyof typeof EVENT_DATA;

/**
 * The current version of each event type's data shape, stamped on every
 * appended event (`metadata.schemaVersion`). A breaking change to a shape
 * bumps its version here and adds the step from the old version to
 * `UPCASTERS` (upcasters.ts), so stored events are read in the current shape.
 */
export const SCHEMA_VERSIONS: { readonly [Type in ContractEventType]: number } = {
  /** 2: terms.noticePeriodDays. */
  ContractDrafted: 2,
  ContractSigned: 1,
  ContractActivated: 1,
  ContractAmended: 1,
  AccountRegistered: 1,
  AccountDeregistered: 1,
  AuthorizationGranted: 1,
  AuthorizationRevoked: 1,
  BreachRecorded: 1,
  BreachCured: 1,
  ContractTerminated: 1,
  HandoverStarted: 1,
  HandoverItemCompleted: 1,
  HandoverSignedOff: 1,
  ContractClosed: 1,
  SalesReported: 1,
  SalesReportConfirmed: 1,
  SalesReportDisputed: 1,
  PromotionSpendReported: 1,
  StatementIssued: 1,
  PaymentRecorded: 1,
};

/** A fact about a contract: one of the event types with its data. */
export type ContractEvent = {
  [Type in ContractEventType]: { readonly type: Type; readonly data: Infer<(typeof EVENT_DATA)[Type]> };
}[ContractEventType];

/** The event if its type is a contract event type and its data matches that type's schema; why not otherwise. */
export function checkContractEvent(type: string, data: unknown): { event: ContractEvent } | { problem: string } {
  if (!Object.hasOwn(EVENT_DATA, type)) return { problem: `${type} is not a contract event type` };
  const parsed = EVENT_DATA[type as ContractEventType].safeParse(data);
  if (!parsed.success) return { problem: `${type} data is malformed: ${describeIssues(parsed.error)}` };
  return { event: { type, data: parsed.data } as ContractEvent };
}

/** The business date an event takes effect on, where the domain has one (for audit metadata). */
export function effectiveDateOf(event: ContractEvent): string | undefined {
  switch (event.type) {
    case 'ContractSigned':
      return event.data.signedOn;
    case 'ContractActivated':
      return event.data.activatedOn;
    case 'ContractAmended':
    case 'ContractTerminated':
      return event.data.effectiveOn;
    case 'AuthorizationRevoked':
      return event.data.revokedOn;
    case 'BreachRecorded':
      return event.data.occurredOn;
    case 'BreachCured':
      return event.data.curedOn;
    case 'HandoverSignedOff':
      return event.data.signedOffOn;
    case 'ContractClosed':
      return event.data.closedOn;
    case 'SalesReportConfirmed':
      return event.data.confirmedOn;
    case 'SalesReportDisputed':
      return event.data.disputedOn;
    case 'StatementIssued':
      return event.data.issuedOn;
    case 'PaymentRecorded':
      return event.data.paidOn;
    case 'ContractDrafted':
    case 'AccountRegistered':
    case 'AccountDeregistered':
    case 'AuthorizationGranted':
    case 'HandoverStarted':
    case 'HandoverItemCompleted':
    case 'SalesReported':
    case 'PromotionSpendReported':
      return undefined;
    default:
      return assertNever(event);
  }
}
