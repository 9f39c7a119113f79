import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { EventStore, EventStoreUnavailableError } from '../event-store/event-store.port';
import { ApiKeys, type IssuedKey } from './api-keys';
import { AuthGuard, RATE_LIMITS, type RateLimits } from './http/auth.guard';
import { KeysController } from './http/keys.controller';
import { MeController } from './http/me.controller';
import { IssueKeyCommandHandler, ListKeysQueryHandler, RevokeKeyCommandHandler } from './key-bus';
import { RateLimiter } from './rate-limiter';

export const ANNOUNCE_FIRST_KEY = Symbol('ANNOUNCE_FIRST_KEY');
export type AnnounceFirstKey = (key: IssuedKey) => void;

const MINUTE = 60_000;
const BOOTSTRAP_RETRY_MS = 5_000;

/** Authentication by API key on every route, rate limits, and the admin key API. */
@Module({})
export class AuthModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Auth');
  constructor(
    @Inject(ApiKeys) private readonly keys: ApiKeys,
    @Inject(ANNOUNCE_FIRST_KEY) private readonly announce: AnnounceFirstKey,
  ) {}

  static forRoot(config: AppConfig, announce: AnnounceFirstKey): DynamicModule {
    const limits: RateLimits = {
      perPrincipal: new RateLimiter(config.rateLimitPerMinute, MINUTE),
      failedAuthentication: new RateLimiter(config.authFailuresPerMinute, MINUTE),
    };
    return {
      module: AuthModule,
      global: true,
      controllers: [KeysController, MeController],
      providers: [
        { provide: ApiKeys, inject: [EventStore], useFactory: (store: EventStore) => new ApiKeys(store) },
        { provide: RATE_LIMITS, useValue: limits },
        { provide: ANNOUNCE_FIRST_KEY, useValue: announce },
        { provide: APP_GUARD, useClass: AuthGuard },
        IssueKeyCommandHandler,
        RevokeKeyCommandHandler,
        ListKeysQueryHandler,
      ],
      exports: [ApiKeys],
    };
  }

  private stopped = false;

  /**
   * On first start (no key store yet), issues the admin key and shows it this
   * once. A store that does not answer yet does not stop the start: it is
   * tried again in the background until it answers.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (await this.tryBootstrap()) return;
    void (async () => {
      while (!this.stopped) {
        await sleep(BOOTSTRAP_RETRY_MS, undefined, { ref: false });
        if (this.stopped || (await this.tryBootstrap())) return;
      }
    })();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async tryBootstrap(): Promise<boolean> {
    try {
      const first = await this.keys.bootstrapAdmin();
      if (first) this.announce(first);
      return true;
    } catch (error) {
      if (!(error instanceof EventStoreUnavailableError)) throw error;
      this.logger.warn(`Cannot check for the first-start admin key yet: ${error.message}`);
      return false;
    }
  }
}
