import { z } from 'zod';
import { calendarDate, commandSchema as command, id, text, type Infer } from './schema';
import { partySchema, type Party } from './terms';

/**
 * The vocabulary of what each party owes while the contract runs: the
 * duties, the incidents the other party reports against them, breach notices
 * and their cure, as events and commands (decided in notice-and-cure.ts).
 */

/**
 * The brand's four duties (no stock-outs or quality problems, ship every
 * day, confirm Alipay withdrawals and refunds, cooperate with promotions),
 * and the results the operator agreed to.
 */
export const dutySchema = z.enum([
  'product_supply',
  'daily_shipping',
  'alipay_confirmation',
  'promotion_cooperation',
  'customer_service_response',
  'shop_operation',
  'promotion_execution',
]);
export type Duty = Infer<typeof dutySchema>;
export const DUTIES: readonly Duty[] = dutySchema.options;

/** Who owes each duty: the other party reports its incidents. */
export const DUTY_OWED_BY: Readonly<Record<Duty, Party>> = {
  product_supply: 'brand',
  daily_shipping: 'brand',
  alipay_confirmation: 'brand',
  promotion_cooperation: 'brand',
  customer_service_response: 'operator',
  shop_operation: 'operator',
  promotion_execution: 'operator',
};

export const DUTY_EVENT_DATA = {
  /** The party owed a duty reports an incident of the other's: what, when, and the evidence. */
  DutyIncidentReported: z.strictObject({
    incidentId: id,
    duty: dutySchema,
    reportedBy: partySchema,
    occurredOn: calendarDate,
    description: text(2000),
    evidenceRef: text(),
  }),
  /** The party that owes the duty agrees it happened. */
  DutyIncidentAcknowledged: z.strictObject({ incidentId: id, acknowledgedOn: calendarDate }),
  /** The party that owes the duty says it did not happen as reported. */
  DutyIncidentContested: z.strictObject({ incidentId: id, reason: text(1000), contestedOn: calendarDate }),
  /**
   * A breach notice served on the breaching party (催告/违约通知): it cites
   * incidents, a clause, or both, and the breaching party has until the cure
   * deadline (the notice date plus the cure period in force then) to cure.
   */
  BreachRecorded: z.strictObject({
    breachId: id,
    breachingParty: partySchema,
    clause: text().optional(),
    incidentIds: z.array(id).max(50),
    description: text(2000),
    evidenceRef: text(),
    noticedOn: calendarDate,
    cureDeadline: calendarDate,
  }),
  BreachAcknowledged: z.strictObject({ breachId: id, acknowledgedOn: calendarDate }),
  BreachContested: z.strictObject({ breachId: id, reason: text(1000), contestedOn: calendarDate }),
  /** The breaching party says it cured the breach, with evidence; the notifying party accepts or rejects it. */
  BreachCureClaimed: z.strictObject({ breachId: id, curedOn: calendarDate, evidenceRef: text() }),
  BreachCureRejected: z.strictObject({ breachId: id, reason: text(1000), rejectedOn: calendarDate }),
  /** The notifying party accepted the cure: the breach is no ground to terminate any more. */
  BreachCured: z.strictObject({ breachId: id, curedOn: calendarDate, acceptedOn: calendarDate }),
};

export const DUTY_COMMANDS = [
  command('ReportDutyIncident', DUTY_EVENT_DATA.DutyIncidentReported),
  command('AcknowledgeDutyIncident', DUTY_EVENT_DATA.DutyIncidentAcknowledged),
  command('ContestDutyIncident', DUTY_EVENT_DATA.DutyIncidentContested),
  /** The cure deadline is the decider's to compute, from the cure period in force on the notice date. */
  command('NoticeBreach', DUTY_EVENT_DATA.BreachRecorded.omit({ cureDeadline: true })),
  command('AcknowledgeBreach', DUTY_EVENT_DATA.BreachAcknowledged),
  command('ContestBreach', DUTY_EVENT_DATA.BreachContested),
  command('ClaimBreachCure', DUTY_EVENT_DATA.BreachCureClaimed),
  command('AcceptBreachCure', z.strictObject({ breachId: id, acceptedOn: calendarDate })),
  command('RejectBreachCure', DUTY_EVENT_DATA.BreachCureRejected),
] as const;
export type DutyCommand = Infer<(typeof DUTY_COMMANDS)[number]>;

type DutyEventType = keyof typeof DUTY_EVENT_DATA;
export type DutyEvent = {
  [Type in DutyEventType]: { readonly type: Type; readonly data: Infer<(typeof DUTY_EVENT_DATA)[Type]> };
}[DutyEventType];
