import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/event-store.port';

/**
 * A read model fed from the global log. The runner applies each event inside
 * the transaction that also moves the projection's checkpoint, so an event
 * delivered twice (delivery is at least once) changes nothing the second time.
 */
export interface Projection {
  readonly name: string;
  /** Creates its tables if missing; returns how to apply one event, and which contract it changed, if any. */
  install(db: Database.Database): (event: RecordedEvent) => string | undefined;
  /** Its tables, for a rebuild's comparison and swap. */
  readonly tables: readonly string[];
}
