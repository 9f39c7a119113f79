import type Database from 'better-sqlite3';
import { BehaviorSubject, combineLatest, firstValueFrom, Subject, type Observable, type Subscription } from 'rxjs';
import { filter, timeout } from 'rxjs/operators';
import {
  comparePositions,
  formatPosition,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '../event-store/event-store.port';
import { errorMessage } from '../shared/errors';
import type { Projection } from './projection';
import { checkpointWriter, readCheckpoint } from './read-model-db';

export interface ProjectionStatus {
  readonly name: string;
  readonly state: 'catching_up' | 'live' | 'stopped';
  /** The checkpoint: the last event applied. */
  readonly position: string | null;
  /** Why it stopped: the event it could not apply, or the subscription's failure. */
  readonly failure?: { readonly message: string; readonly position?: string; readonly stream?: string; readonly revision?: number };
}

export interface ReadModelChange {
  readonly projection: string;
  readonly contractId: string;
}

/** A read asked for a position the read models did not reach in time. */
export class ReadModelsBehindError extends Error {
  readonly code = 'read_models.behind';
  constructor(position: Position, waitedMs: number) {
    super(`The read models have not reached position ${formatPosition(position)} after ${waitedMs} ms; retry shortly.`);
  }
}

/** A read model stopped on an event it could not apply: it serves nothing until fixed and rebuilt. */
export class ReadModelStoppedError extends Error {
  readonly code = 'read_models.stopped';
  constructor(name: string) {
    super(`The ${name} read model has stopped (see /health); it needs fixing and a rebuild.`);
  }
}

interface Running {
  readonly projection: Projection;
  readonly position: BehaviorSubject<Position | undefined>;
  state: ProjectionStatus['state'];
  failure?: ProjectionStatus['failure'];
  subscription?: Subscription;
}

/**
 * Keeps each read model current from the event store: a catch-up subscription
 * to the global log from the projection's checkpoint, each event applied in
 * one transaction with the checkpoint (at-least-once delivery, exactly-once
 * effect). A failing event stops that projection, logged with its position,
 * and reported by `status()`; it is never skipped.
 */
export class ProjectionRunner {
  private readonly running: Running[];
  private readonly changes = new Subject<ReadModelChange>();
  /** Which contract each applied event changed, as it is applied. */
  readonly changes$: Observable<ReadModelChange> = this.changes.asObservable();

  constructor(
    private readonly store: EventStore,
    private readonly db: Database.Database,
    projections: readonly Projection[],
    private readonly log: { error(message: string): void } = console,
  ) {
    this.running = projections.map((projection) => ({
      projection,
      position: new BehaviorSubject(readCheckpoint(db, projection.name)),
      state: 'catching_up',
    }));
  }

  start(): void {
    const saveCheckpoint = checkpointWriter(this.db);
    for (const run of this.running) {
      const apply = run.projection.install(this.db);
      const applyWithCheckpoint = this.db.transaction((event: RecordedEvent) => {
        const changed = apply(event);
        saveCheckpoint(run.projection.name, event.position);
        return changed;
      });
      run.subscription = this.store.subscribeToAll({ after: run.position.value }).subscribe({
        next: (message) => {
          if (message.type === 'caught_up') {
            run.state = 'live';
            return;
          }
          const { event } = message;
          let changed: string | undefined;
          try {
            changed = applyWithCheckpoint(event);
          } catch (error) {
            this.stop(run, {
              message: errorMessage(error),
              position: formatPosition(event.position),
              stream: event.stream,
              revision: Number(event.revision),
            });
            return;
          }
          run.position.next(event.position);
          if (changed) this.changes.next({ projection: run.projection.name, contractId: changed });
        },
        error: (error: unknown) => this.stop(run, { message: errorMessage(error) }),
      });
    }
  }

  private stop(run: Running, failure: NonNullable<Running['failure']>): void {
    run.state = 'stopped';
    run.failure = failure;
    run.subscription?.unsubscribe();
    const where = failure.position ? ` at position ${failure.position} (${failure.stream}@${failure.revision})` : '';
    this.log.error(`Projection ${run.projection.name} stopped${where}: ${failure.message}`);
  }

  status(): ProjectionStatus[] {
    return this.running.map(({ projection, position, state, failure }) => ({
      name: projection.name,
      state,
      position: position.value ? formatPosition(position.value) : null,
      ...(failure ? { failure } : {}),
    }));
  }

  /** Resolves once every read model has applied the event at `position`; bounded by `waitMs`. */
  async waitFor(position: Position, waitMs: number): Promise<void> {
    const stopped = this.running.find((run) => run.state === 'stopped');
    if (stopped) throw new ReadModelStoppedError(stopped.projection.name);
    const reached = (current: Position | undefined) => current !== undefined && comparePositions(current, position) >= 0;
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
