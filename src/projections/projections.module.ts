import {
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { AppConfig } from '../config/app-config';
import { EventStore } from '../event-store/event-store.port';
import { PROJECTIONS } from './contract-projections';
import { ProjectionRunner } from './projection-runner';
import { openReadModelDb } from './read-model-db';
import { ReadModels } from './read-models';

const READ_MODEL_DB = Symbol('READ_MODEL_DB');

/** The read side: projections kept current from the store, and queries over them. */
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      providers: [
        { provide: READ_MODEL_DB, useFactory: () => openReadModelDb(config.readModelsFile) },
        {
          provide: ProjectionRunner,
          inject: [EventStore, READ_MODEL_DB],
          useFactory: (store: EventStore, db: Database.Database) => new ProjectionRunner(store, db, PROJECTIONS, new Logger('Projections')),
        },
        { provide: ReadModels, inject: [READ_MODEL_DB], useFactory: (db: Database.Database) => new ReadModels(db) },
      ],
      exports: [ProjectionRunner, ReadModels],
    };
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  /** Before the HTTP server closes: ends live event streams, which would otherwise hold it open. */
  beforeApplicationShutdown(): void {
    this.runner.close();
  }

  onApplicationShutdown(): void {
    this.db.close();
  }
}
