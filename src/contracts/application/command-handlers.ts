import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { BUSINESS_CALENDAR, type BusinessCalendar } from '../../shared/clock';
import { KeyedSerializer, QueueFullError } from '../../shared/keyed-serializer';
import type { ContractCommand } from '../domain/commands';
import { ContractHistories } from './contract-histories';
import { uuidFrom, type CommandContext } from './contract-stream';
import { ContentionError, executeContractCommand, type CommandOutcome } from './execute-command';

/** The field holding the id of what a command creates: the service assigns it, never the client. */
const CREATED_ID = {
  DraftContract: 'contractId',
  ProposeAmendment: 'amendmentId',
  RegisterAccount: 'accountId',
  GrantAuthorization: 'authorizationId',
  ReportDutyIncident: 'incidentId',
  NoticeBreach: 'breachId',
  ReportSales: 'reportId',
  IssueStatement: 'statementId',
  RecordPayment: 'paymentId',
} as const satisfies Partial<Record<ContractCommand['type'], string>>;

/** Fields the service fills in: who completed a handover item and when, the business date a termination is decided on. */
interface StampedFields {
  CompleteHandoverItem: 'completedBy' | 'completedAt';
  TerminateContract: 'today';
}
type Assigned = { [Type in keyof typeof CREATED_ID]: (typeof CREATED_ID)[Type] } & StampedFields;

/** A contract command as a client asks it: without what the service assigns. */
type ContractRequest = {
  [Type in ContractCommand['type']]: Type extends keyof Assigned
    ? Omit<Extract<ContractCommand, { type: Type }>, Assigned[Type]>
    : Extract<ContractCommand, { type: Type }>;
}[ContractCommand['type']];

/** What a contract command answers: the write path's outcome and the ids of what it created. */
export interface ContractCommandOutcome extends CommandOutcome {
  readonly created: Readonly<Record<string, string>>;
}

/** Drafts a new contract; its id is assigned here. */
export class DraftContractCommand extends Command<ContractCommandOutcome> {
  constructor(
    readonly request: Extract<ContractRequest, { type: 'DraftContract' }>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Any other command, on an existing contract. */
export class RecordContractCommand extends Command<ContractCommandOutcome> {
  constructor(
    readonly contractId: string,
    readonly request: Exclude<ContractRequest, { type: 'DraftContract' }>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Writes waiting for one contract in this process before more are refused as contention (409, retry). */
const MAX_QUEUED_PER_CONTRACT = 256;

/**
 * The one write path as the handlers share it: commands on one contract run
 * one after another within this process, so writers here never race each
 * other to the same revision (which would cost a failed append and a
 * re-decision each); writers in other processes still meet as revision
 * conflicts, which the write path decides again.
 */
@Injectable()
export class ContractWriter {
  private readonly perContract = new KeyedSerializer(MAX_QUEUED_PER_CONTRACT);

  constructor(@Inject(ContractHistories) private readonly histories: ContractHistories) {}

  async write(contractId: string, command: ContractCommand, context: CommandContext): Promise<ContractCommandOutcome> {
    try {
      const outcome = await this.perContract.run(contractId, () => executeContractCommand(this.histories, contractId, command, context));
      return { ...outcome, created: createdIds(command, outcome) };
    } catch (error) {
      if (error instanceof QueueFullError) throw new ContentionError(contractId);
      throw error;
    }
  }
}

@CommandHandler(DraftContractCommand)
export class DraftContractHandler implements ICommandHandler<DraftContractCommand, ContractCommandOutcome> {
  constructor(@Inject(ContractWriter) private readonly writer: ContractWriter) {}

  execute({ request, context }: DraftContractCommand): Promise<ContractCommandOutcome> {
    // A retried draft with the same Idempotency-Key must land on the same contract.
    const contractId = context.idempotency ? uuidFrom(`draft\n${context.actor}\n${context.idempotency.key}`) : randomUUID();
    return this.writer.write(contractId, { ...request, contractId }, context);
  }
}

/**
 * Every command on an existing contract: what each one does is the
 * decider's case for it, and around the decider the path is the same for all
 * (load, decide, append), so one handler serves them rather than one
 * copy of it per command.
 */
@CommandHandler(RecordContractCommand)
export class RecordContractHandler implements ICommandHandler<RecordContractCommand, ContractCommandOutcome> {
  constructor(
    @Inject(ContractWriter) private readonly writer: ContractWriter,
    @Inject(BUSINESS_CALENDAR) private readonly calendar: BusinessCalendar,
  ) {}

  execute({ contractId, request, context }: RecordContractCommand): Promise<ContractCommandOutcome> {
    return this.writer.write(contractId, assign(request, contractId, context, this.calendar), context);
  }
}

/** The command with what the service assigns: ids of what it creates, who completed an item and when, the date it decides on. */
function assign(
  request: RecordContractCommand['request'],
  contractId: string,
  context: CommandContext,
  calendar: BusinessCalendar,
): ContractCommand {
  // Derived from the Idempotency-Key when there is one, so that a retry decides the same.
  const newId = () => (context.idempotency ? uuidFrom(`${contractId}\n${context.idempotency.key}\nnew`) : randomUUID());
  switch (request.type) {
    case 'ProposeAmendment':
      return { ...request, amendmentId: newId() };
    case 'RegisterAccount':
      return { ...request, accountId: newId() };
    case 'GrantAuthorization':
      return { ...request, authorizationId: newId() };
    case 'ReportDutyIncident':
      return { ...request, incidentId: newId() };
    case 'NoticeBreach':
      return { ...request, breachId: newId() };
    case 'ReportSales':
      return { ...request, reportId: newId() };
    case 'IssueStatement':
      return { ...request, statementId: newId() };
    case 'RecordPayment':
      return { ...request, paymentId: newId() };
    case 'CompleteHandoverItem':
      return { ...request, completedBy: context.actor, completedAt: context.receivedAt };
    case 'TerminateContract':
      return { ...request, today: calendar.today() };
    default:
      return request;
  }
}

/**
 * The id of what the command created, as its recorded event holds it (none
 * when there was nothing to do): only that one, never the ids an event names
 * of what it acts on (a confirmation's report, a payment's statement, a
 * cure's breach), which the client already named in the path.
 */
function createdIds(command: ContractCommand, { events }: CommandOutcome): Record<string, string> {
  const field: string | undefined = (CREATED_ID as Partial<Record<ContractCommand['type'], string>>)[command.type];
  if (field === undefined) return {};
  const id = events.map((event) => (event.data as Record<string, unknown>)[field]).find((value) => typeof value === 'string');
  return typeof id === 'string' ? { [field]: id } : {};
}
