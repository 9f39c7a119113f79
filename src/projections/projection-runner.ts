import type Database from 'better-sqlite3';
import { BehaviorSubject, combineLatest, firstValueFrom, Subject, type Observable, type Subscription } from 'rxjs';
import { filter, timeout } from 'rxjs/operators';
import {
  comparePositions,
  formatPosition,
  type EventStore,
  type Position,
  type SubscriptionMessage,
} from '../event-store/event-store.port';
import { errorMessage, Refusal } from '../shared/errors';
import { BatchApplier, type BatchResult } from './batch-applier';
import type { Projection } from './projection';
import { adoptVersion, ProjectionLedger, readCheckpoint, type ProjectionFailure } from './read-model-db';

export interface ProjectionStatus {
  readonly name: string;
  readonly state: 'catching_up' | 'live' | 'stopped';
  /** The checkpoint: the last event applied or passed over. */
  readonly position: string | null;
  /** Why it stopped: the event it could not apply, or the subscription's failure. */
  readonly failure?: ProjectionFailure;
  /**
   * How many streams it no longer applies, and how many events an operator
   * chose to leave out. Counts only: health is public, and which contracts
   * and why is for operators (`npm run projections:skip -- --list`).
   */
  readonly quarantined: number;
  readonly skipped: number;
}

/** A read model's rows for a stream changed, or stopped being served (the stream was quarantined). */
export interface ReadModelChange {
  readonly projection: string;
  readonly stream: string;
}

/** A read asked for a position past the end of the log: no write answered it. */
export class PositionAheadError extends Refusal {
  readonly code = 'request.position_ahead';
  readonly category = 'bad_request';
  constructor(position: Position, head: Position | undefined) {
    super(
      `minPosition ${formatPosition(position)} is past the last event of the log (${head ? formatPosition(head) : 'none yet'}): pass the position a write answered.`,
    );
  }
}

/** A read asked for a position the read models did not reach in time. */
export class ReadModelsBehindError extends Refusal {
  readonly code = 'read_models.behind';
  readonly category = 'unavailable';
  constructor(position: Position, waitedMs: number) {
    super(`The read models have not reached position ${formatPosition(position)} after ${waitedMs} ms; retry shortly.`);
  }
}

/** A read model stopped: it serves nothing until fixed and rebuilt. */
export class ReadModelStoppedError extends Refusal {
  readonly code = 'read_models.stopped';
  readonly category = 'unavailable';
  constructor(name: string) {
    super(`The ${name} read model has stopped (see /health); it needs fixing and a rebuild (npm run projections:rebuild).`);
  }
}

interface Running {
  readonly projection: Projection;
  readonly position: BehaviorSubject<Position | undefined>;
  state: ProjectionStatus['state'];
  failure?: ProjectionFailure;
}

/** Events applied in one transaction at most. */
const MAX_BATCH = 2_000;

/**
 * Keeps each read model current from the event store: one catch-up
 * subscription to the global log from the earliest checkpoint feeds every
 * projection, and the events it delivers in one turn of the event loop are
 * applied on the next, in one transaction with the checkpoints (at-least-once
 * delivery, exactly-once effect). So a write's answer does not wait for its
 * projection, and a read that must see it waits for the position (`waitFor`).
 * An event a projection cannot apply quarantines its stream (see
 * `guardedApply`); a failure of the database stops the projection, recorded
 * beside the checkpoint so that it stays stopped across restarts until an
 * operator rebuilds. Nothing is ever skipped silently.
 */
export class ProjectionRunner {
  private readonly running: Running[];
  private readonly ledger: ProjectionLedger;
  private readonly changes = new Subject<ReadModelChange>();
  /** Which contract each applied event changed, once per batch, after the batch is committed. */
  readonly changes$: Observable<ReadModelChange> = this.changes.asObservable();
  private applier?: BatchApplier;
  private subscription?: Subscription;
  /** Delivered by the subscription, not yet applied. */
  private queue: SubscriptionMessage[] = [];
  private scheduled?: NodeJS.Immediate;

  constructor(
    private readonly store: EventStore,
    private readonly db: Database.Database,
    projections: readonly Projection[],
    private readonly log: { error(message: string): void } = console,
  ) {
    this.ledger = new ProjectionLedger(db);
    for (const projection of projections) {
      if (adoptVersion(db, projection))
        log.error(
          `Projection ${projection.name} was written by another version: rebuilding it from the log (version ${projection.version})`,
        );
    }
    this.running = projections.map((projection) => ({
      projection,
      position: new BehaviorSubject(readCheckpoint(db, projection.name)),
      state: 'catching_up',
    }));
  }

  start(): void {
    const applying: Running[] = [];
    for (const run of this.running) {
      const stopped = this.ledger.stopOf(run.projection.name);
      if (stopped) this.stop(run, stopped);
      else applying.push(run);
    }
    if (applying.length === 0) return;
    const applier = new BatchApplier(
      this.db,
      applying.map(({ projection, position }) => ({ projection, position: position.value })),
      this.ledger,
    );
    this.applier = applier;
    this.subscription = this.store.subscribeToAll({ after: applier.readFrom() }).subscribe({
      next: (message) => {
        this.queue.push(message);
        this.scheduled ??= setImmediate(() => this.applyQueued());
      },
      // The store failed, not the projections: what it delivered is applied, and a restart resumes from the checkpoints.
      error: (error: unknown) => {
        this.applyQueued();
        const failure = { message: errorMessage(error), at: new Date().toISOString() };
        for (const run of this.running) if (run.state !== 'stopped') this.stop(run, failure);
      },
    });
  }

  /** Applies what the subscription delivered, in batches, and tells who waits. */
  private applyQueued(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const messages = this.queue;
    this.queue = [];
    const events = messages.flatMap((message) => (message.type === 'event' ? [message.event] : []));
    for (let start = 0; start < events.length && this.applier; start += MAX_BATCH) {
      for (const result of this.applier.apply(events.slice(start, start + MAX_BATCH))) this.publish(result);
    }
    if (messages.some((message) => message.type === 'caught_up'))
      for (const run of this.running) if (run.state === 'catching_up') run.state = 'live';
  }

  private publish({ name, position, changed, quarantined, stopped }: BatchResult): void {
    const run = this.running.find(({ projection }) => projection.name === name)!;
    for (const failure of quarantined)
      this.log.error(
        `Projection ${name} quarantined ${failure.stream} at position ${failure.position} (revision ${failure.revision}, ${failure.eventType}): ${failure.message}`,
      );
    if (position !== run.position.value) run.position.next(position);
    // Live readers learn what changed, and that a quarantined stream is no longer served.
    for (const stream of changed) this.changes.next({ projection: name, stream });
    if (stopped) this.stop(run, stopped.failure, { durable: true });
  }

  private stop(run: Running, failure: ProjectionFailure, { durable = false } = {}): void {
    run.state = 'stopped';
    run.failure = failure;
    if (this.running.every(({ state }) => state === 'stopped')) this.subscription?.unsubscribe();
    const where = failure.position ? ` at position ${failure.position} (${failure.stream}@${failure.revision})` : '';
    this.log.error(`Projection ${run.projection.name} stopped${where}: ${failure.message}`);
    if (!durable) return;
    try {
      this.ledger.recordStop(run.projection.name, failure);
    } catch (error) {
      this.log.error(`Projection ${run.projection.name}: could not record its stop: ${errorMessage(error)}`);
    }
  }

  status(): ProjectionStatus[] {
    return this.running.map(({ projection, position, state, failure }) => ({
      name: projection.name,
      state,
      position: position.value ? formatPosition(position.value) : null,
      ...(failure ? { failure } : {}),
      quarantined: this.ledger.quarantines(projection.name).length,
      skipped: this.ledger.skipped(projection.name).length,
    }));
  }

  /** Resolves once every read model has applied the event at `position`; bounded by `waitMs`. */
  async waitFor(position: Position, waitMs: number): Promise<void> {
    const stopped = this.running.find((run) => run.state === 'stopped');
    if (stopped) throw new ReadModelStoppedError(stopped.projection.name);
    const reached = (current: Position | undefined) => current !== undefined && comparePositions(current, position) >= 0;
    if (!this.running.every((run) => reached(run.position.value))) {
      // A position no write has answered yet is a client's mistake, not a reason to hold the request open.
      const head = await this.store.headPosition();
      if (!reached(head)) throw new PositionAheadError(position, head);
    }
    try {
      await firstValueFrom(
        combineLatest(this.running.map((run) => run.position)).pipe(
          filter((positions) => positions.every(reached)),
          timeout(waitMs),
        ),
      );
    } catch {
      throw new ReadModelsBehindError(position, waitMs);
    }
  }

  /** Applies what was delivered, then stops reading the log. */
  close(): void {
    this.subscription?.unsubscribe();
    this.applyQueued();
    this.applier = undefined;
    this.changes.complete();
  }
}
