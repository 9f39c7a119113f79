import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '../../event-store/event-store.port';
import type { ContractCommand } from '../domain/commands';
import { loadContract, type CommandContext, type LoadedContract } from './contract-stream';
import { executeContractCommand, type CommandOutcome } from './execute-command';

/**
 * The typed bus messages. Every contract command goes through one handler
 * around the one write path: the domain command says what, the context who.
 */
export class RecordContractCommand extends Command<CommandOutcome> {
  constructor(
    readonly contractId: string,
    readonly command: ContractCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordContractCommand)
export class RecordContractCommandHandler implements ICommandHandler<RecordContractCommand, CommandOutcome> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  execute({ contractId, command, context }: RecordContractCommand): Promise<CommandOutcome> {
    return executeContractCommand(this.store, contractId, command, context);
  }
}

/** The contract folded from its whole stream: the exact view time travel starts from, not a read model. */
export class GetContractQuery extends Query<LoadedContract> {
  constructor(readonly contractId: string) {
    super();
  }
}

@QueryHandler(GetContractQuery)
export class GetContractQueryHandler implements IQueryHandler<GetContractQuery, LoadedContract> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  execute({ contractId }: GetContractQuery): Promise<LoadedContract> {
    return loadContract(this.store, contractId);
  }
}
