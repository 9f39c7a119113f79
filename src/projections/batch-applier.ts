import type Database from 'better-sqlite3';
import { comparePositions, type Position, type RecordedEvent } from '../event-store/event-store.port';
import { failureOf, guardedApply } from './guarded-apply';
import type { InstalledProjection, Projection } from './projection';
import { checkpointWriter, type EventFailure, type ProjectionLedger } from './read-model-db';

/** Where a projection stands after a batch. */
export interface BatchResult {
  readonly name: string;
  /** Its checkpoint: the last event it applied or passed over. */
  readonly position: Position | undefined;
  /** The streams whose rows it changed, or stopped serving (quarantined), each once, in log order. */
  readonly changed: ReadonlySet<string>;
  /** The streams it quarantined in this batch, with the event each failed on. */
  readonly quarantined: readonly EventFailure[];
  /** Why it cannot go on (a database failure, a failure on an event no stream owns): it applied nothing from that event on. */
  readonly stopped?: { readonly failure: EventFailure; readonly error: unknown };
}

interface Member {
  readonly projection: Projection;
  readonly installed: InstalledProjection;
  readonly apply: ReturnType<typeof guardedApply>;
  result: BatchResult;
}

/** A row held by a batch failed to write: the batch is rolled back and applied again row by row. */
class HeldRowsFailed extends Error {}

/**
 * Applies the log to several projections a batch of events at a time, each
 * batch in one transaction with their checkpoints. Every event goes through
 * each projection's guard in log order, exactly as when it was applied alone;
 * what a batch saves is the transactions, and the writes of a row that
 * several of its events change (written once, at the end). A projection
 * whose checkpoint is already past an event passes it: the projections may
 * stand at different places in the log.
 */
export class BatchApplier {
  private readonly members: Member[];
  private readonly saveCheckpoint: ReturnType<typeof checkpointWriter>;

  constructor(
    private readonly db: Database.Database,
    projections: readonly { readonly projection: Projection; readonly position: Position | undefined }[],
    ledger: ProjectionLedger,
  ) {
    this.members = projections.map(({ projection, position }) => {
      const installed = projection.install(db);
      const result = { name: projection.name, position, changed: new Set<string>(), quarantined: [] };
      return { projection, installed, apply: guardedApply(db, projection, installed, ledger), result };
    });
    this.saveCheckpoint = checkpointWriter(db);
  }

  /** Where the log must be read from for every projection still applying: the earliest checkpoint. */
  readFrom(): Position | undefined {
    let earliest: Position | undefined;
    for (const { result } of this.members) {
      if (result.stopped) continue;
      if (result.position === undefined) return undefined;
      if (!earliest || comparePositions(result.position, earliest) < 0) earliest = result.position;
    }
    return earliest;
  }

  /** Applies the events to each projection still applying; returns where each of those now stands. Never throws. */
  apply(events: readonly RecordedEvent[]): BatchResult[] {
    const applying = this.members.filter(({ result }) => !result.stopped);
    const from = applying.map(({ result }) => ({ ...result, changed: new Set<string>(), quarantined: [] }));
    const results = this.commit(applying, from, events, 'hold');
    applying.forEach((member, index) => (member.result = results[index]));
    return results;
  }

  private commit(members: Member[], from: BatchResult[], events: readonly RecordedEvent[], how: 'hold' | 'apply'): BatchResult[] {
    try {
      return this.db.transaction(() => this.applyAll(members, from, events, how))();
    } catch (error) {
      // Again with each row written as each event changes it, so that the event blamed is the one that makes the row fail.
      if (error instanceof HeldRowsFailed) return this.commit(members, from, events, 'apply');
      // The transaction itself failed (the checkpoint or the commit: the database): one transaction per
      // event, so that each projection applies what it can and stops at the event it could not commit.
      if (events.length > 1) return events.reduce((results, event) => this.commit(members, results, [event], how), from);
      return from.map((result) =>
        result.stopped || !behind(result, events[0]) ? result : { ...result, stopped: { failure: failureOf(events[0], error), error } },
      );
    }
  }

  /** Inside the batch's transaction: works on copies of `from`, so that a rollback leaves it as it was. */
  private applyAll(members: Member[], from: BatchResult[], events: readonly RecordedEvent[], how: 'hold' | 'apply'): BatchResult[] {
    const results = from.map((result) => ({ ...result, changed: new Set(result.changed), quarantined: [...result.quarantined] }));
    for (const event of events) {
      members.forEach((member, index) => {
        const result = results[index];
        if (result.stopped || !behind(result, event)) return;
        try {
          const outcome = member.apply(event, how);
          if (outcome.kind === 'applied' && outcome.changed) result.changed.add(event.stream);
          if (outcome.kind === 'quarantined') {
            result.quarantined.push(outcome.failure);
            result.changed.add(outcome.failure.stream);
          }
          result.position = event.position;
        } catch (error) {
          results[index] = { ...result, stopped: { failure: failureOf(event, error), error } };
        }
      });
    }
    if (how === 'hold') {
      // Every batch is flushed, whatever fails, so that none holds rows into the next.
      const failed = members.filter(({ installed }) => !attempt(() => installed.batch?.flush()));
      if (failed.length > 0) throw new HeldRowsFailed(`${failed.map(({ projection }) => projection.name).join(', ')}: a held row failed`);
    }
    results.forEach((result, index) => {
      if (result.position && result.position !== from[index].position) this.saveCheckpoint(result.name, result.position);
    });
    return results;
  }
}

/** The projection has not yet applied (nor passed over) the event. */
function behind(result: BatchResult, event: RecordedEvent): boolean {
  return result.position === undefined || comparePositions(event.position, result.position) > 0;
}

function attempt(action: () => void): boolean {
  try {
    action();
    return true;
  } catch {
    return false;
  }
}
