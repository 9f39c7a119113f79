import type Database from 'better-sqlite3';
import { BehaviorSubject, combineLatest, firstValueFrom, Subject, type Observable, type Subscription } from 'rxjs';
import { filter, takeWhile, timeout } from 'rxjs/operators';
import { comparePositions, formatPosition, type EventStore, type Position, type RecordedEvent } from '../event-store/event-store.port';
import { errorMessage, Refusal } from '../shared/errors';
import { failureOf, guardedApply, type GuardedOutcome } from './guarded-apply';
import type { Projection } from './projection';
import { adoptVersion, checkpointWriter, ProjectionLedger, readCheckpoint, type ProjectionFailure } from './read-model-db';

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
  subscription?: Subscription;
}

/**
 * Keeps each read model current from the event store: a catch-up subscription
 * to the global log from the projection's checkpoint, each event applied in
 * one transaction with the checkpoint (at-least-once delivery, exactly-once
 * effect). An event it cannot apply quarantines its stream (see
 * `guardedApply`); a failure of the database stops the projection, recorded
 * beside the checkpoint so that it stays stopped across restarts until an
 * operator rebuilds. Nothing is ever skipped silently.
 */
export class ProjectionRunner {
  private readonly running: Running[];
  private readonly ledger: ProjectionLedger;
  private readonly changes = new Subject<ReadModelChange>();
  /** Which contract each applied event changed, as it is applied. */
  readonly changes$: Observable<ReadModelChange> = this.changes.asObservable();

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
    const saveCheckpoint = checkpointWriter(this.db);
    for (const run of this.running) {
      const { name } = run.projection;
      const stopped = this.ledger.stopOf(name);
      if (stopped) {
        this.stop(run, stopped);
        continue;
      }
      const apply = guardedApply(this.db, run.projection, run.projection.install(this.db), this.ledger);
      const applyWithCheckpoint = this.db.transaction((event: RecordedEvent): GuardedOutcome => {
        const outcome = apply(event);
        saveCheckpoint(name, event.position);
        return outcome;
      });
      run.subscription = this.store
        .subscribeToAll({ after: run.position.value })
        // A store may deliver the catch-up synchronously, before `subscribe` returns the
        // subscription `stop` would end: nothing after a stop may reach the projection.
        .pipe(takeWhile(() => run.state !== 'stopped'))
        .subscribe({
          next: (message) => {
            if (message.type === 'caught_up') {
              run.state = 'live';
              return;
            }
            const { event } = message;
            let outcome: GuardedOutcome;
            try {
              outcome = applyWithCheckpoint(event);
            } catch (error) {
              this.stop(run, failureOf(event, error), { durable: true });
              return;
            }
            run.position.next(event.position);
            if (outcome.kind === 'quarantined') {
              const { failure } = outcome;
              this.log.error(
                `Projection ${name} quarantined ${failure.stream} at position ${failure.position} (revision ${failure.revision}, ${failure.eventType}): ${failure.message}`,
              );
              // Live readers of that stream learn it is no longer served.
              this.changes.next({ projection: name, stream: failure.stream });
            }
            if (outcome.kind === 'applied' && outcome.changed) this.changes.next({ projection: name, stream: event.stream });
          },
          // The store failed, not the projection: a restart resumes from the checkpoint.
          error: (error: unknown) => this.stop(run, { message: errorMessage(error), at: new Date().toISOString() }),
        });
    }
  }

  private stop(run: Running, failure: ProjectionFailure, { durable = false } = {}): void {
    run.state = 'stopped';
    run.failure = failure;
    run.subscription?.unsubscribe();
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

  close(): void {
    for (const run of this.running) run.subscription?.unsubscribe();
    this.changes.complete();
  }
}
