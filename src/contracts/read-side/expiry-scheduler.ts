import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { EventStore } from '../../event-store/event-store.port';
import { ProjectionRunner } from '../../projections/projection-runner';
import { CLOCK, dateIn, type Clock } from '../../shared/clock';
import { errorMessage, Refusal } from '../../shared/errors';
import type { Principal } from '../../shared/identity';
import { ContractWriter } from '../application/command-handlers';
import { ReadModels } from './read-models';

/** Expiries one pass records at most, so that a pass stays short however many terms end on one day: the next pass goes on. */
export const EXPIRIES_PER_PASS = 100;

/** The service itself records expiries: no party's key may, an admin's may. */
const SCHEDULER: Principal = { keyId: 'expiry-scheduler', role: 'admin' };
const SCHEDULER_ACTOR = 'service:expiry-scheduler';

/** What one pass did. */
export interface ExpiryPass {
  /** The contracts whose expiry it recorded. */
  readonly recorded: readonly string[];
  /** The contracts it could not record an expiry for (each logged why): a later pass tries again. */
  readonly refused: readonly string[];
}

/**
 * Records the expiry of every active contract whose term has ended, once the
 * read models serve on start and every EXPIRY_CHECK_INTERVAL_MS after. It
 * keeps nothing a restart would lose: the read models say which contracts
 * are due, and the write path decides on each contract's stream and appends
 * at the revision it read. So when two instances record the same expiry, the
 * second append conflicts, the write path decides again on the stream as the
 * first left it, and a contract that has ended has nothing left to record:
 * each expiry is recorded once, whatever the instances.
 */
@Injectable()
export class ExpiryScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ExpiryScheduler');
  private timer?: NodeJS.Timeout;
  /** The pass under way, or the last one: each pass waits for the one before, so that one instance never runs two at once. */
  private last: Promise<unknown> = Promise.resolve();
  private stopping = false;
  /**
   * The contract id the next pass starts after: a pass takes up where the one
   * before left off, and from the first once that one reached the last, so
   * that contracts refused at every pass (a malformed history) never hold the
   * others back. Forgetting it (a restart) only means starting from the first.
   */
  private after = '';

  constructor(
    @Inject(ContractWriter) private readonly writer: ContractWriter,
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** The first hook of a shutdown, before anything a pass uses is closed: no pass after this, and the one under way stops after its current contract. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.last;
  }

  /**
   * One pass, run after any pass under way: the contracts due today in the
   * business time zone, up to `limit`, each asked to record its expiry.
   * Rejects when the read models cannot say which contracts are due.
   */
  runOnce(limit = EXPIRIES_PER_PASS): Promise<ExpiryPass> {
    const pass = this.last.then(() => this.pass(limit));
    this.last = pass.catch(() => undefined);
    return pass;
  }

  /** The next timed pass; the interval counts from the end of the one before, so timed passes never pile up. */
  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((error: unknown) =>
          this.log.warn(`Expiry check skipped, the next one is in ${this.config.expiryCheckIntervalMs} ms: ${errorMessage(error)}`),
        )
        .finally(() => {
          if (!this.stopping) this.schedule(this.config.expiryCheckIntervalMs);
        });
    }, delayMs);
  }

  private async pass(limit: number): Promise<ExpiryPass> {
    // The read models first reach the log as it is now: on start they may still be catching up,
    // and a term extended a moment ago must not look ended (the decider would refuse, but why ask).
    const head = await this.store.headPosition();
    if (head) await this.runner.waitFor(head, this.config.projectionWaitMs);
    const today = dateIn(this.clock.now(), this.config.timeZone);
    // One more than the pass takes, to know whether the next pass goes on after this one's last or starts over.
    const page = this.readModels.expiriesDue(today, limit + 1, this.after);
    const due = page.slice(0, limit);
    this.after = page.length > limit ? due[limit - 1] : '';

    const correlationId = randomUUID();
    const recorded: string[] = [];
    const refused: string[] = [];
    for (const contractId of due) {
      if (this.stopping) break;
      try {
        const { events } = await this.writer.write(
          contractId,
          { type: 'RecordExpiry', today },
          {
            principal: SCHEDULER,
            actor: SCHEDULER_ACTOR,
            correlationId,
            commandId: randomUUID(),
            receivedAt: this.clock.now().toISOString(),
          },
        );
        for (const event of events) {
          if (event.type !== 'ContractExpired') continue;
          recorded.push(contractId);
          this.log.log(`Recorded the expiry of contract ${contractId}: its term ended on ${event.data.expiredOn}`);
        }
      } catch (error) {
        refused.push(contractId);
        const code = error instanceof Refusal ? ` (${error.code})` : '';
        this.log.warn(`Could not record the expiry of contract ${contractId}${code}: ${errorMessage(error)}`);
      }
    }
    return { recorded, refused };
  }
}
