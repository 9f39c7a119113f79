import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { describeEventStore, type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { EventStore } from '../event-store/event-store.port';
import { errorMessage } from '../shared/errors';

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly eventStore: {
    readonly status: 'up' | 'down';
    readonly kind: AppConfig['eventStore']['kind'];
    readonly where: string;
    readonly reason?: string;
  };
}

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 200 when the service and its event store answer; 503 with the reason otherwise. */
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const store = { kind: this.config.eventStore.kind, where: describeEventStore(this.config) };
    try {
      await this.store.ping();
      return { status: 'ok', eventStore: { status: 'up', ...store } };
    } catch (error) {
      reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable', eventStore: { status: 'down', ...store, reason: errorMessage(error) } };
    }
  }
}
