import { Module, type DynamicModule } from '@nestjs/common';
import { BUSINESS_CALENDAR, businessCalendar, CLOCK, type Clock } from '../shared/clock';
import type { AppConfig } from './app-config';
import { APP_CONFIG } from './app-config.token';

/** Makes the validated configuration, the clock and the business calendar injectable everywhere. */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: BUSINESS_CALENDAR, useValue: businessCalendar(clock, config.timeZone) },
      ],
      exports: [APP_CONFIG, CLOCK, BUSINESS_CALENDAR],
    };
  }
}
