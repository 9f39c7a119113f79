import { Module } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { READ_MODEL_DB } from '../projections/projections.module';
import { GetContractQueryHandler, RecordContractCommandHandler } from './application/contract-bus';
import { ContractsController } from './http/contracts.controller';
import { ReadModels } from './read-side/read-models';

/** The contract lifecycle: REST commands through the CommandBus to the one write path. */
@Module({
  controllers: [ContractsController],
  providers: [
    RecordContractCommandHandler,
    GetContractQueryHandler,
    { provide: ReadModels, inject: [READ_MODEL_DB], useFactory: (db: Database.Database) => new ReadModels(db) },
  ],
})
export class ContractsModule {}
