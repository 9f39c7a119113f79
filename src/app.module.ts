import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from './audit/audit.module';
import { AuthModule, type AnnounceFirstKey } from './auth/auth.module';
import type { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { loggingModule } from './logging/logging.module';
import type { DestinationStream } from 'pino';
import { ContractsModule } from './contracts/contracts.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { ProjectionsModule } from './projections/projections.module';
import { PROJECTIONS, STREAM_SCHEMAS } from './catalog';
import type { Clock } from './shared/clock';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, announceFirstKey: AnnounceFirstKey, logDestination: DestinationStream, clock: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config, clock),
        loggingModule(config, logDestination),
        CqrsModule.forRoot(),
        EventStoreModule.forRoot(config, STREAM_SCHEMAS),
        ProjectionsModule.forRoot(config, PROJECTIONS),
        AuthModule.forRoot(config, announceFirstKey),
        ContractsModule,
        AuditModule,
        HealthModule,
      ],
    };
  }
}
