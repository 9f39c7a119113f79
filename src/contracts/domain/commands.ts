import { z } from 'zod';
import { EVENT_DATA } from './events';
import { invalid } from './errors';
import { describeIssues, type Infer } from './schema';
import { LEDGER_COMMANDS } from './settlement';

/**
 * What a brand, an operator or a coordinator asks of a contract. Ids and
 * times come in with the command, so that deciding stays pure and a retry
 * decides the same. Each command carries the data of the event it records
 * when granted, so its schema is that event's data with the command's type.
 */
const command = <Type extends string, Shape extends z.ZodRawShape>(type: Type, data: z.ZodObject<Shape>) =>
  data.extend({ type: z.literal(type) });

export const contractCommandSchema = z.discriminatedUnion('type', [
  command('DraftContract', EVENT_DATA.ContractDrafted),
  command('SignContract', EVENT_DATA.ContractSigned),
  command('AmendContract', EVENT_DATA.ContractAmended),
  command('RegisterAccount', EVENT_DATA.AccountRegistered),
  command('DeregisterAccount', EVENT_DATA.AccountDeregistered),
  command('GrantAuthorization', EVENT_DATA.AuthorizationGranted),
  command('RevokeAuthorization', EVENT_DATA.AuthorizationRevoked),
  command('RecordBreach', EVENT_DATA.BreachRecorded),
  command('CureBreach', EVENT_DATA.BreachCured),
  command('TerminateContract', EVENT_DATA.ContractTerminated),
  command('CompleteHandoverItem', EVENT_DATA.HandoverItemCompleted),
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
