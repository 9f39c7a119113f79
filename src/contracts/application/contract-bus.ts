import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '../../event-store/event-store.port';
import { KeyedSerializer, QueueFullError } from '../../shared/keyed-serializer';
import type { ContractCommand } from '../domain/commands';
import { loadContract, type CommandContext, type LoadedContract } from './contract-stream';
import { ContentionError, executeContractCommand, type CommandOutcome } from './execute-command';

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

/** Writes waiting for one contract in this process before more are refused as contention (409, retry). */
const MAX_QUEUED_PER_CONTRACT = 256;

/**
 * Commands on one contract run one after another within this process, so
 * writers here never race each other to the same revision (which would cost
 * a failed append and a re-decision each); writers in other processes still
 * meet as revision conflicts, which the write path decides again.
 */
@CommandHandler(RecordContractCommand)
export class RecordContractCommandHandler implements ICommandHandler<RecordContractCommand, CommandOutcome> {
  private readonly perContract = new KeyedSerializer(MAX_QUEUED_PER_CONTRACT);

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ contractId, command, context }: RecordContractCommand): Promise<CommandOutcome> {
    try {
      return await this.perContract.run(contractId, () => executeContractCommand(this.store, contractId, command, context));
    } catch (error) {
      if (error instanceof QueueFullError) throw new ContentionError(contractId);
      throw error;
    }
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
