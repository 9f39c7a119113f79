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
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { checkpointInThread, openReadModelDb } from './read-model-db';

/** The read models' SQLite database, for the features' queries over their tables. */
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
/** Its WAL checkpoints, run in a thread of their own. */
const CHECKPOINTS = Symbol('READ_MODEL_CHECKPOINTS');

/** The read side's engine: the projections it is given, kept current from the store in one database. */
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    @Inject(CHECKPOINTS) private readonly checkpoints: ReturnType<typeof checkpointInThread>,
  ) {}

  static forRoot(config: AppConfig, projections: readonly Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      providers: [
        { provide: READ_MODEL_DB, useFactory: () => openReadModelDb(config.readModelsFile) },
        {
          provide: CHECKPOINTS,
          inject: [READ_MODEL_DB],
          useFactory: (db: Database.Database) => checkpointInThread(db, config.readModelsFile),
        },
        {
          provide: ProjectionRunner,
          inject: [EventStore, READ_MODEL_DB],
          useFactory: (store: EventStore, db: Database.Database) => new ProjectionRunner(store, db, projections, new Logger('Projections')),
        },
      ],
      exports: [ProjectionRunner, READ_MODEL_DB],
    };
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  /** Before the HTTP server closes: ends live event streams, which would otherwise hold it open. */
  beforeApplicationShutdown(): void {
    this.runner.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpoints.stop();
    this.db.close();
  }
}
