import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventStore } from '../../event-store/event-store.port';
import { KeyedSerializer, QueueFullError } from '../../shared/keyed-serializer';
import type { ContractCommand } from '../domain/commands';
import { uuidFrom, type CommandContext } from './contract-stream';
import { ContentionError, executeContractCommand, type CommandOutcome } from './execute-command';

/** The field holding the id of what a command creates: the service assigns it, never the client. */
interface CreatedId {
  DraftContract: 'contractId';
  AmendContract: 'amendmentId';
  RegisterAccount: 'accountId';
  GrantAuthorization: 'authorizationId';
  RecordBreach: 'breachId';
}

/** A contract command as a client asks it: without the id of what it creates. */
export type ContractRequest = {
  [Type in ContractCommand['type']]: Type extends keyof CreatedId
    ? Omit<Extract<ContractCommand, { type: Type }>, CreatedId[Type]>
    : Extract<ContractCommand, { type: Type }>;
}[ContractCommand['type']];

/** Drafts a new contract; its id is assigned here. */
export class DraftContractCommand extends Command<CommandOutcome> {
  constructor(
    readonly request: Extract<ContractRequest, { type: 'DraftContract' }>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Any other command, on an existing contract. */
export class RecordContractCommand extends Command<CommandOutcome> {
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

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async write(contractId: string, command: ContractCommand, context: CommandContext): Promise<CommandOutcome> {
    try {
      return await this.perContract.run(contractId, () => executeContractCommand(this.store, contractId, command, context));
    } catch (error) {
      if (error instanceof QueueFullError) throw new ContentionError(contractId);
      throw error;
    }
  }
}

/** The id of something a command creates: derived from the Idempotency-Key when there is one, so that a retry decides the same. */
function newId(context: CommandContext, scope: string): string {
  return context.idempotency ? uuidFrom(`${scope}\n${context.idempotency.key}\nnew`) : randomUUID();
}

@CommandHandler(DraftContractCommand)
export class DraftContractHandler implements ICommandHandler<DraftContractCommand, CommandOutcome> {
  constructor(@Inject(ContractWriter) private readonly writer: ContractWriter) {}

  execute({ request, context }: DraftContractCommand): Promise<CommandOutcome> {
    // A retried draft with the same Idempotency-Key must land on the same contract.
    const contractId = context.idempotency ? uuidFrom(`draft\n${context.actor}\n${context.idempotency.key}`) : randomUUID();
    return this.writer.write(contractId, { ...request, contractId }, context);
  }
}

/** What a command does is the decider's business: every command on an existing contract goes through this one handler. */
@CommandHandler(RecordContractCommand)
export class RecordContractHandler implements ICommandHandler<RecordContractCommand, CommandOutcome> {
  constructor(@Inject(ContractWriter) private readonly writer: ContractWriter) {}

  execute({ contractId, request, context }: RecordContractCommand): Promise<CommandOutcome> {
    return this.writer.write(contractId, withCreatedId(request, newId(context, contractId)), context);
  }
}

function withCreatedId(request: RecordContractCommand['request'], id: string): ContractCommand {
  switch (request.type) {
    case 'AmendContract':
      return { ...request, amendmentId: id };
    case 'RegisterAccount':
      return { ...request, accountId: id };
    case 'GrantAuthorization':
      return { ...request, authorizationId: id };
    case 'RecordBreach':
      return { ...request, breachId: id };
    default:
      return request;
  }
}
