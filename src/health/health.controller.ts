import { Controller, Get, Inject, ServiceUnavailableException, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { Public } from '../auth/http/auth.guard';
import { describeEventStore, type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { EventStore } from '../event-store/event-store.port';
import { ProjectionRunner } from '../projections/projection-runner';
import { errorMessage } from '../shared/errors';

/** How long readiness waits for the read models to reach the head of the log. */
const READY_WAIT_MS = 1_000;

/**
 * Liveness (the process answers) and readiness (the event store answers and
 * every read model has caught up with the log and none has stopped), in
 * Terminus's format: 200 `status: ok`, or 503 `status: error` with details.
 * A quarantined contract keeps the instance ready (`degraded: true`, each
 * projection counting its quarantines): every instance meets the same event,
 * so taking them out of rotation would take every contract down for one.
 */
@Controller('health')
@Public()
export class HealthController implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
  ) {}

  /**
   * Terminus's answer to a check of nothing, written out: its machinery
   * (several promises and generators) was the largest cost of this, the most
   * called route. Like Terminus, 503 `shutting_down` once the service stops.
   */
  @Get('live')
  @HealthCheck()
  live(): HealthCheckResult {
    const answer: HealthCheckResult = { status: 'ok', info: {}, error: {}, details: {} };
    if (this.shuttingDown) throw new ServiceUnavailableException({ ...answer, status: 'shutting_down' });
    return answer;
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  /** `/health` is readiness too, for load balancers that probe one path. */
  @Get(['', 'ready'])
  @HealthCheck()
  ready() {
    return this.health.check([() => this.eventStore(), () => this.readModels()]);
  }

  private async eventStore(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('eventStore');
    const where = { kind: this.config.eventStore.kind, where: describeEventStore(this.config) };
    try {
      await this.store.ping();
      return check.up(where);
    } catch (error) {
      return check.down({ ...where, reason: errorMessage(error) });
    }
  }

  private async readModels(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('readModels');
    try {
      const head = await this.store.headPosition();
      if (head) await this.runner.waitFor(head, Math.min(READY_WAIT_MS, this.config.projectionWaitMs));
      const projections = this.runner.status();
      return check.up({ degraded: projections.some((projection) => projection.quarantined > 0), projections });
    } catch (error) {
      return check.down({ projections: this.runner.status(), reason: errorMessage(error) });
    }
  }
}
