import { Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, type Clock } from '../shared/clock';
import type { AppConfig } from './app-config';
import { APP_CONFIG } from './app-config.token';

/** Makes the validated configuration and the clock injectable everywhere as {@link APP_CONFIG} and {@link CLOCK}. */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}
