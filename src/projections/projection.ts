import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/event-store.port';

/**
 * A read model fed from the global log. The runner applies each event inside
 * the transaction that also moves the projection's checkpoint, so an event
 * delivered twice (delivery is at least once) changes nothing the second time.
 */
export interface Projection {
  readonly name: string;
  /**
   * What its tables hold, as a number: bump it when that changes (a new
   * column, a state folded differently). A read-model file written by another
   * version is rebuilt from the log when the runner starts.
   */
  readonly version: number;
  /** Creates its tables if missing; returns how to apply one event and how to forget a stream. */
  install(db: Database.Database): InstalledProjection;
  /**
   * The stream whose rows an event changes, and no other rows: what a failure
   * on that event quarantines. Undefined when the event cannot be attributed
   * to one stream: a failure on it stops the whole projection.
   */
  streamOf(event: RecordedEvent): string | undefined;
  /** Its tables, for a rebuild's comparison and swap. */
  readonly tables: readonly string[];
}

export interface InstalledProjection {
  /** Applies one event; returns which contract it changed, if any. Throws on an event it cannot apply. */
  apply(event: RecordedEvent): string | undefined;
  /** Deletes what it holds for a stream, to fold that stream again. */
  forget(stream: string): void;
  /** Optional: how to apply a batch of events with one write per row they change. */
  readonly batch?: BatchedApply;
}

/**
 * Applying many events in one transaction: `hold` folds each like `apply`
 * (and throws where `apply` would) but writes nothing, keeping the rows it
 * changes in memory; `flush`, called before the transaction commits, writes
 * each row once. A row that fails to write cannot say which of its events
 * made it fail: the caller then rolls back and applies those events again one
 * by one with `apply`.
 */
export interface BatchedApply {
  hold(event: RecordedEvent): string | undefined;
  /** Writes the rows held; afterwards it holds none, even when it throws. */
  flush(): void;
}
