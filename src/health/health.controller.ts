import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { describeEventStore, type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { Public } from '../auth/auth.guard';
import { EventStore } from '../event-store/event-store.port';
import { ProjectionRunner, type ProjectionStatus } from '../projections/projection-runner';
import { errorMessage } from '../shared/errors';

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  /** Each read model: catching up, live, or stopped (with the event it stopped on). */
  readonly projections: readonly ProjectionStatus[];
  readonly eventStore: {
    readonly status: 'up' | 'down';
    readonly kind: AppConfig['eventStore']['kind'];
    readonly where: string;
    readonly reason?: string;
  };
}

@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
  ) {}

  /** 200 when the service, its event store and every read model work; 503 with the reason otherwise. */
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const store = { kind: this.config.eventStore.kind, where: describeEventStore(this.config) };
    const projections = this.runner.status();
    const eventStore: HealthReport['eventStore'] = await this.store.ping().then(
      () => ({ status: 'up', ...store }),
      (error: unknown) => ({ status: 'down', ...store, reason: errorMessage(error) }),
    );
    const healthy = eventStore.status === 'up' && projections.every((projection) => projection.state !== 'stopped');
    if (!healthy) reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: healthy ? 'ok' : 'unavailable', eventStore, projections };
  }
}
