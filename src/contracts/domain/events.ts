import { z } from 'zod';
import { assertNever } from '../../shared/errors';
import { handoverEvidenceSchema, handoverItemSchema } from './handover';
import { LEDGER_EVENT_DATA } from './ledger';
import { DUTY_EVENT_DATA } from './duties';
import { calendarDate, describeIssues, fen, id, identifier, instant, text, type Infer } from './schema';
import { amendmentSchema, partyRefSchema, partySchema, scopeSchema, termsSchema } from './terms';

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
  /**
   * A termination condition the contract stipulates: `conditionId` names one
   * of the terms' terminationConditions (every termination since the terms
   * list them cites one); `clause` is the free text cited before they did.
   */
  z
    .strictObject({ type: z.literal('stipulated_condition'), conditionId: identifier.optional(), clause: text().optional() })
    .refine(({ conditionId, clause }) => (conditionId === undefined) !== (clause === undefined), 'cites either a conditionId or a clause'),
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
    /** The party that drafted it (absent when an admin did): the one that may withdraw it before both sign. */
    draftedBy: partySchema.optional(),
  }),
  /** The drafting party withdrew the draft before both parties signed: it never takes effect. */
  DraftWithdrawn: z.strictObject({ party: partySchema, reason: text(1000), withdrawnOn: calendarDate }),
  ContractSigned: z.strictObject({ party: partySchema, signatory: text(), signedOn: calendarDate }),
  /** Both parties have signed: the contract is in force. */
  ContractActivated: z.strictObject({ activatedOn: calendarDate }),
  /** A supplementary agreement in force: the other party countersigned it (AmendmentCountersigned comes first). */
  ContractAmended: amendmentSchema,
  /** One party proposes a supplementary agreement; it takes effect only once the other countersigns. */
  AmendmentProposed: amendmentSchema.extend({ proposedBy: partySchema }),
  AmendmentCountersigned: z.strictObject({ amendmentId: id, party: partySchema, signatory: text(), countersignedOn: calendarDate }),
  AmendmentRejected: z.strictObject({ amendmentId: id, party: partySchema, reason: text(1000), rejectedOn: calendarDate }),
  /** The proposing party takes its proposal back before the other answers. */
  AmendmentWithdrawn: z.strictObject({ amendmentId: id, withdrawnOn: calendarDate }),
  /** An agreement in force took scopes back: what the operator held for them comes back now, not at the end. */
  PartialHandoverStarted: z.strictObject({
    handoverId: id,
    scopes: z.array(scopeSchema).min(1).max(9),
    effectiveOn: calendarDate,
    items: z.array(handoverItemSchema).min(1),
  }),
  /** An account the operator runs for the brand, declared by the operator, or by the brand that knows the operator holds it. */
  AccountRegistered: z.strictObject({
    accountId: id,
    platform: text(50),
    accountName: text(),
    accountKind: accountKindSchema,
    declaredBy: partySchema.optional(),
  }),
  /** The operator asks to take an account off the contract; it stays on what must come back until the brand acknowledges. */
  AccountDeregistrationRequested: z.strictObject({ accountId: id, reason: text(1000) }),
  /** The account is off the contract: the brand deregistered it, or acknowledged the operator's request. */
  AccountDeregistered: z.strictObject({ accountId: id }),
  AuthorizationGranted: z.strictObject({
    authorizationId: id,
    authorizationType: authorizationTypeSchema,
    platform: text(50),
    documentRef: text(),
  }),
  AuthorizationRevoked: z.strictObject({ authorizationId: id, documentRef: text(), revokedOn: calendarDate }),
  /** Duty incidents, breach notices and their cure (duties.ts). */
  ...DUTY_EVENT_DATA,
  ContractTerminated: z.strictObject({ initiatedBy: partySchema, grounds: terminationGroundsSchema, effectiveOn: calendarDate }),
  /** The term ran out with nothing else ending the contract: the expiry scheduler records it on the end date. */
  ContractExpired: z.strictObject({ expiredOn: calendarDate }),
  /** The checklist, derived from the whole history at termination. */
  HandoverStarted: z.strictObject({ items: z.array(handoverItemSchema) }),
  HandoverItemCompleted: z.strictObject({
    /** The partial handover the item belongs to; without it, the final one. */
    handoverId: id.optional(),
    itemId: text(120),
    evidence: handoverEvidenceSchema,
    completedBy: text(),
    completedAt: instant,
  }),
  /** One party proposes that an item does not apply (the brand kept its own Alipay ...); the other agrees or not. */
  HandoverItemWaiverProposed: z.strictObject({ handoverId: id.optional(), itemId: text(120), proposedBy: partySchema, reason: text(1000) }),
  /** Both parties agreed that the item does not apply: it counts as done without evidence. */
  HandoverItemWaived: z.strictObject({
    handoverId: id.optional(),
    itemId: text(120),
    proposedBy: partySchema,
    reason: text(1000),
    agreedBy: partySchema,
    signatory: text(),
  }),
  /** A party disputes an open item; completing or waiving it resolves the dispute. */
  HandoverItemDisputed: z.strictObject({ handoverId: id.optional(), itemId: text(120), disputedBy: partySchema, reason: text(1000) }),
  HandoverSignedOff: z.strictObject({ handoverId: id.optional(), party: partySchema, signatory: text(), signedOffOn: calendarDate }),
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
  /** 2: terms.noticePeriodDays; 3: terms.curePeriodDays, handoverPeriodDays, terminationConditions. */
  ContractDrafted: 3,
  DraftWithdrawn: 1,
  ContractSigned: 1,
  ContractActivated: 1,
  ContractAmended: 1,
  AmendmentProposed: 1,
  AmendmentCountersigned: 1,
  AmendmentRejected: 1,
  AmendmentWithdrawn: 1,
  PartialHandoverStarted: 1,
  HandoverItemWaiverProposed: 1,
  HandoverItemWaived: 1,
  HandoverItemDisputed: 1,
  AccountRegistered: 1,
  AccountDeregistrationRequested: 1,
  AccountDeregistered: 1,
  AuthorizationGranted: 1,
  AuthorizationRevoked: 1,
  DutyIncidentReported: 1,
  DutyIncidentAcknowledged: 1,
  DutyIncidentContested: 1,
  /** 2: the breach notice, with its cure deadline (1 recorded a breach acted on the same day). */
  BreachRecorded: 2,
  BreachAcknowledged: 1,
  BreachContested: 1,
  BreachCureClaimed: 1,
  BreachCureRejected: 1,
  /** 2: the cure as the notifying party accepted it, and when (1 had the cure's date only). */
  BreachCured: 2,
  ContractTerminated: 1,
  ContractExpired: 1,
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
    case 'AmendmentProposed':
    case 'PartialHandoverStarted':
    case 'ContractTerminated':
      return event.data.effectiveOn;
    case 'AmendmentCountersigned':
      return event.data.countersignedOn;
    case 'AmendmentRejected':
      return event.data.rejectedOn;
    case 'AmendmentWithdrawn':
    case 'DraftWithdrawn':
      return event.data.withdrawnOn;
    case 'AuthorizationRevoked':
      return event.data.revokedOn;
    case 'DutyIncidentReported':
      return event.data.occurredOn;
    case 'DutyIncidentAcknowledged':
    case 'BreachAcknowledged':
      return event.data.acknowledgedOn;
    case 'DutyIncidentContested':
    case 'BreachContested':
      return event.data.contestedOn;
    case 'BreachRecorded':
      return event.data.noticedOn;
    case 'BreachCureClaimed':
      return event.data.curedOn;
    case 'BreachCureRejected':
      return event.data.rejectedOn;
    case 'BreachCured':
      return event.data.acceptedOn;
    case 'ContractExpired':
      return event.data.expiredOn;
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
    case 'AccountDeregistrationRequested':
    case 'AuthorizationGranted':
    case 'HandoverStarted':
    case 'HandoverItemCompleted':
    case 'HandoverItemWaiverProposed':
    case 'HandoverItemWaived':
    case 'HandoverItemDisputed':
    case 'SalesReported':
    case 'PromotionSpendReported':
      return undefined;
    default:
      return assertNever(event);
  }
}
