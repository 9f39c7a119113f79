import { Module } from '@nestjs/common';
import { GetContractQueryHandler, RecordContractCommandHandler } from './application/contract-bus';
import { ContractsController } from './http/contracts.controller';

/** The contract lifecycle: REST commands through the CommandBus to the one write path. */
@Module({
  controllers: [ContractsController],
  providers: [RecordContractCommandHandler, GetContractQueryHandler],
})
export class ContractsModule {}
