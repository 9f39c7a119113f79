import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from './audit/audit.module';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/app-config.token';
import { ContractsModule } from './contracts/contracts.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forRoot(config), ContractsModule, AuditModule],
      controllers: [HealthController],
      providers: [{ provide: APP_CONFIG, useValue: config }],
    };
  }
}
