import { Module } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { EventStore } from '../event-store/event-store.port';
import { READ_MODEL_DB } from '../projections/projections.module';
import { ContractWriter, DraftContractHandler, RecordContractHandler } from './application/command-handlers';
import { ContractHistories } from './application/contract-histories';
import { ContractCommandsController } from './http/contract-commands.controller';
import { ContractReadsController } from './http/contract-reads.controller';
import { DutiesController } from './http/duties.controller';
import { HandoverStreamController } from './http/handover-stream.controller';
import { LedgerCommandsController } from './http/ledger-commands.controller';
import { LedgerReadsController } from './http/ledger-reads.controller';
import { ExpiryScheduler } from './read-side/expiry-scheduler';
import { CONTRACT_QUERY_HANDLERS } from './read-side/queries';
import { ReadModels } from './read-side/read-models';

/** The contract lifecycle: commands through the CommandBus to the one write path, reads through the QueryBus, expiries recorded on time. */
@Module({
  controllers: [
    ContractCommandsController,
    ContractReadsController,
    DutiesController,
    HandoverStreamController,
    LedgerCommandsController,
    LedgerReadsController,
  ],
  providers: [
    { provide: ContractHistories, inject: [EventStore], useFactory: (store: EventStore) => new ContractHistories(store) },
    ContractWriter,
    DraftContractHandler,
    RecordContractHandler,
    ...CONTRACT_QUERY_HANDLERS,
    { provide: ReadModels, inject: [READ_MODEL_DB], useFactory: (db: Database.Database) => new ReadModels(db) },
    ExpiryScheduler,
  ],
})
export class ContractsModule {}
