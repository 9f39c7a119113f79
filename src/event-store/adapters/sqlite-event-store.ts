import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Observable, Subject } from 'rxjs';
import { assertNever, errorMessage } from '../../shared/errors';
import { assertAppendable, planAppend, type StreamHead } from '../append-rules';
import {
  EventStore,
  EventStoreUnavailableError,
  RevisionConflictError,
  type AppendResult,
  type EventData,
  type ExpectedRevision,
  type JsonObject,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type SubscriptionMessage,
} from '../event-store.port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY,
    stream      TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    event_id    TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (stream, revision)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS events_by_stream_and_id ON events (stream, event_id);
`;

/** Appends waiting for the next group commit, at most this many in one transaction. */
const MAX_APPENDS_PER_COMMIT = 512;
/** Events a catch-up subscription reads at a time before yielding the event loop. */
const SUBSCRIPTION_BATCH = 256;

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: number;
}

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly EventData[];
  readonly expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: Error): void;
}

/**
 * The embedded event store: one SQLite file, WAL with synchronous=FULL, so an
 * acknowledged append has been fsynced. Positions are SQLite rowids assigned
 * inside the write transaction, so readers never see a gap.
 *
 * Group commit: appends are queued and written by one transaction (one fsync)
 * on the next turn of the event loop; each runs in its own savepoint, checked
 * against its own expected revision, and fails alone.
 *
 * One process owns the file: live subscriptions are woken by this process's
 * own commits.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<SqliteEventStore['prepareStatements']>;
  private readonly commits = new Subject<void>();
  /** Group-commit figures since the store was opened: appends per transaction is their ratio. */
  readonly commitStats = { transactions: 0, appends: 0 };
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(file: string) {
    super();
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // Another process (the keys or audit command line) may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.statements = this.prepareStatements();
  }

  private prepareStatements() {
    const db = this.db;
    return {
      lastRevision: db.prepare<[string], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
      revisionOfId: db.prepare<[string, string], { revision: number }>(
        'SELECT revision FROM events WHERE stream = ? AND event_id = ? ORDER BY revision LIMIT 1',
      ),
      idsFrom: db.prepare<[string, bigint, number], { event_id: string }>(
        'SELECT event_id FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      positionAt: db.prepare<[string, bigint], { position: number }>('SELECT position FROM events WHERE stream = ? AND revision = ?'),
      insert: db.prepare<[string, bigint, string, string, string, string, number]>(
        `INSERT INTO events (stream, revision, event_id, type, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      streamForwards: db.prepare<[string, bigint, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?',
      ),
      streamBackwards: db.prepare<[string, bigint, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
      ),
      head: db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
      allAfter: db.prepare<[bigint, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position ASC LIMIT ?'),
    };
  }

  async appendToStream(stream: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(stream, events);
    if (this.closed) throw new EventStoreUnavailableError('the embedded store is closed');
    return new Promise((resolve, reject) => {
      this.pending.push({ stream, events, expected: expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes every queued append in one transaction, then settles each. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending.splice(0, MAX_APPENDS_PER_COMMIT);
    if (this.pending.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0) return;
    const recordedAt = Date.now();
    let settlements: Array<() => void>;
    try {
      settlements = this.db.transaction(() => batch.map((append) => this.applyInSavepoint(append, recordedAt)))();
    } catch (error) {
      // The commit itself failed (I/O, disk full): nothing of the batch is stored.
      const unavailable = new EventStoreUnavailableError(errorMessage(error));
      for (const append of batch) append.reject(unavailable);
      return;
    }
    this.commitStats.transactions += 1;
    this.commitStats.appends += batch.length;
    for (const settle of settlements) settle();
    this.commits.next();
  }

  /** Returns how to settle the append once the shared transaction has committed. */
  private applyInSavepoint(append: PendingAppend, recordedAt: number): () => void {
    try {
      const result = this.db.transaction(() => this.apply(append, recordedAt))();
      return result instanceof Error ? () => append.reject(result) : () => append.resolve(result);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      return () => append.reject(failure);
    }
  }

  private apply(append: PendingAppend, recordedAt: number): AppendResult | RevisionConflictError {
    const { stream, events, expected } = append;
    const plan = planAppend(
      expected,
      events.map((event) => event.id),
      this.headOf(stream),
    );
    switch (plan.outcome) {
      case 'conflict':
        return new RevisionConflictError(stream, expected, plan.actual);
      case 'already_written':
        return { nextExpectedRevision: plan.lastRevision, position: this.positionAt(stream, plan.lastRevision) };
      case 'write': {
        let revision = plan.firstRevision;
        let position = 0n;
        for (const event of events) {
          const info = this.statements.insert.run(
            stream,
            revision,
            event.id,
            event.type,
            JSON.stringify(event.data),
            JSON.stringify(event.metadata),
            recordedAt,
          );
          position = BigInt(info.lastInsertRowid);
          revision += 1n;
        }
        return { nextExpectedRevision: revision - 1n, position: { commit: position, prepare: position } };
      }
      default:
        return assertNever(plan);
    }
  }

  private headOf(stream: string): StreamHead {
    const last = this.statements.lastRevision.get(stream)?.revision ?? null;
    return {
      current: last === null ? 'no_stream' : BigInt(last),
      revisionOf: (eventId) => {
        const row = this.statements.revisionOfId.get(stream, eventId);
        return row === undefined ? undefined : BigInt(row.revision);
      },
      idsFrom: (revision, count) => this.statements.idsFrom.all(stream, revision, count).map((row) => row.event_id),
    };
  }

  private positionAt(stream: string, revision: bigint): Position {
    const position = BigInt(this.statements.positionAt.get(stream, revision)!.position);
    return { commit: position, prepare: position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    const { direction = 'forwards', maxCount = Number.MAX_SAFE_INTEGER } = options;
    return this.guard(() => {
      const last = this.statements.lastRevision.get(stream)?.revision ?? null;
      if (last === null) return { found: false };
      // Nothing after the last event: the common "anything new?" read of a kept history (keys, contracts) stops here.
      if (direction === 'forwards' && options.fromRevision !== undefined && options.fromRevision > BigInt(last)) {
        return { found: true, events: [] };
      }
      const rows =
        direction === 'forwards'
          ? this.statements.streamForwards.all(stream, options.fromRevision ?? 0n, maxCount)
          : this.statements.streamBackwards.all(stream, options.fromRevision ?? BigInt(last), maxCount);
      return { found: true, events: rows.map(toRecordedEvent) };
    });
  }

  async readAll({ after, maxCount }: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    return this.guard(() => this.readAllNow(after, maxCount));
  }

  private readAllNow(after: Position | undefined, maxCount: number): RecordedEvent[] {
    return this.statements.allAfter.all(after?.commit ?? 0n, maxCount).map(toRecordedEvent);
  }

  subscribeToAll(options: { readonly after?: Position } = {}): Observable<SubscriptionMessage> {
    return new Observable<SubscriptionMessage>((subscriber) => {
      let position = options.after;
      let caughtUp = false;
      let pumping = false;
      let woken = false;

      const pump = async (): Promise<void> => {
        if (pumping) {
          woken = true;
          return;
        }
        pumping = true;
        try {
          do {
            woken = false;
            for (;;) {
              const batch = this.guard(() => this.readAllNow(position, SUBSCRIPTION_BATCH));
              for (const event of batch) {
                if (subscriber.closed) return;
                subscriber.next({ type: 'event', event });
                position = event.position;
              }
              if (batch.length < SUBSCRIPTION_BATCH) break;
              await nextTurn();
            }
            if (!caughtUp && !subscriber.closed) {
              caughtUp = true;
              subscriber.next({ type: 'caught_up' });
            }
          } while (woken && !subscriber.closed);
        } catch (error) {
          subscriber.error(error);
        } finally {
          pumping = false;
        }
      };

      const live = this.commits.subscribe({
        next: () => void pump(),
        complete: () => subscriber.complete(),
      });
      void pump();
      return () => live.unsubscribe();
    });
  }

  async headPosition(): Promise<Position | undefined> {
    const last = this.guard(() => this.statements.head.get())?.position ?? null;
    return last === null ? undefined : { commit: BigInt(last), prepare: BigInt(last) };
  }

  async ping(): Promise<void> {
    this.guard(() => this.db.prepare('SELECT 1').get());
  }

  /** Writes what is still queued, ends live subscriptions, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.pending.length > 0) this.flush();
    this.closed = true;
    this.commits.complete();
    this.db.close();
  }

  /** Runs a read, reporting a closed or broken database as the port's error. */
  private guard<T>(read: () => T): T {
    if (this.closed) throw new EventStoreUnavailableError('the embedded store is closed');
    try {
      return read();
    } catch (error) {
      throw new EventStoreUnavailableError(errorMessage(error));
    }
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  const position = BigInt(row.position);
  return {
    id: row.event_id,
    type: row.type,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject,
    stream: row.stream,
    revision: BigInt(row.revision),
    position: { commit: position, prepare: position },
    recordedAt: new Date(row.recorded_at),
  };
}
