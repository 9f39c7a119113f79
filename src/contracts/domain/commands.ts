import { z } from 'zod';
import { EVENT_DATA } from './events';
import { invalid } from './errors';
import { calendarDate, commandSchema as command, describeIssues, id, text, type Infer } from './schema';
import { DUTY_COMMANDS } from './duties';
import { partySchema } from './terms';
import { LEDGER_COMMANDS } from './settlement';

/**
 * What a brand, an operator or a coordinator asks of a contract. Ids and
 * times come in with the command, so that deciding stays pure and a retry
 * decides the same. Each command carries the data of the event it records
 * when granted, so its schema is that event's data with the command's type.
 */
export const contractCommandSchema = z.discriminatedUnion('type', [
  command('DraftContract', EVENT_DATA.ContractDrafted),
  command('WithdrawDraft', EVENT_DATA.DraftWithdrawn),
  command('SignContract', EVENT_DATA.ContractSigned),
  command('ProposeAmendment', EVENT_DATA.AmendmentProposed),
  command('CountersignAmendment', EVENT_DATA.AmendmentCountersigned),
  command('RejectAmendment', EVENT_DATA.AmendmentRejected),
  command('WithdrawAmendment', EVENT_DATA.AmendmentWithdrawn),
  command('RegisterAccount', EVENT_DATA.AccountRegistered),
  /** The operator asks (the brand acknowledges); the brand deregisters outright. */
  command('DeregisterAccount', z.strictObject({ accountId: id, party: partySchema, reason: text(1000) })),
  command('GrantAuthorization', EVENT_DATA.AuthorizationGranted),
  command('RevokeAuthorization', EVENT_DATA.AuthorizationRevoked),
  ...DUTY_COMMANDS,
  command('TerminateContract', EVENT_DATA.ContractTerminated),
  /** The expiry scheduler records that the term ran out, as of the business date it runs on. */
  command('RecordExpiry', z.strictObject({ today: calendarDate })),
  command('CompleteHandoverItem', EVENT_DATA.HandoverItemCompleted),
  command('ProposeItemWaiver', EVENT_DATA.HandoverItemWaiverProposed.omit({ proposedBy: true }).extend({ party: partySchema })),
  command('AgreeItemWaiver', z.strictObject({ handoverId: id.optional(), itemId: text(120), party: partySchema, signatory: text() })),
  command('DisputeHandoverItem', EVENT_DATA.HandoverItemDisputed.omit({ disputedBy: true }).extend({ party: partySchema })),
  command('SignOffHandover', EVENT_DATA.HandoverSignedOff),
  ...LEDGER_COMMANDS,
]);
export type ContractCommand = Infer<typeof contractCommandSchema>;

/** The command as its schema defines it, or a refusal (`command.invalid`) naming each malformed field. */
export function parseCommand(candidate: unknown): ContractCommand {
  const parsed = contractCommandSchema.safeParse(candidate);
  if (!parsed.success) throw invalid('command.invalid', `The command is malformed: ${describeIssues(parsed.error)}.`);
  return parsed.data;
}
