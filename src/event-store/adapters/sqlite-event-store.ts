import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { Observable, Subject } from 'rxjs';
import { errorMessage } from '../../shared/errors';
import { startThread } from '../../shared/threads';
import { assertAppendable } from '../append-rules';
import type { AppendOutcome, QueuedAppend } from './sqlite-appends';
import type { WriterRequest } from './sqlite-writer';
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

/**
 * An event as the reads select it: a raw row of {@link EVENT_COLUMNS}, an array rather than an object
 * keyed by column, which better-sqlite3 builds for less (a rebuild reads every event of the log).
 */
type EventRow = [
  position: number,
  stream: string,
  revision: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: number,
];
const EVENT_COLUMNS = 'position, stream, revision, event_id, type, data, metadata, recorded_at';

interface PendingAppend {
  readonly queued: QueuedAppend;
  resolve(result: AppendResult): void;
  reject(error: Error): void;
}

/** The writer thread's answer to a batch. */
type WriterAnswer = { readonly outcomes: readonly AppendOutcome[] } | { readonly failed: string };

/**
 * The embedded event store: one SQLite file, WAL with synchronous=FULL, so an
 * acknowledged append has been fsynced. Positions are SQLite rowids assigned
 * inside the write transaction, so readers never see a gap.
 *
 * Group commit: appends are queued and written by one transaction (one fsync)
 * on the next turn of the event loop; each runs in its own savepoint, checked
 * against its own expected revision, and fails alone.
 *
 * The transactions run on a writer thread with its own connection
 * (sqlite-writer.ts), one batch at a time, so the event loop goes on while a
 * commit waits for its fsync (and while a WAL checkpoint runs); appends that
 * come meanwhile make the next batch. An append is settled when the thread
 * answers that its batch committed: durable, and visible to this
 * connection's reads, which start after it.
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
  private readonly writer: Worker;
  private readonly writerExited: Promise<unknown>;
  private pending: PendingAppend[] = [];
  /** The batch the writer thread is committing: one at a time. */
  private committing: PendingAppend[] | undefined;
  private flushScheduled = false;
  /** No more appends: close() has begun. */
  private closing = false;
  private closed = false;
  /** Why the writer thread is gone, if it is: every append fails with it. */
  private writerLost?: EventStoreUnavailableError;
  private readonly whenIdle: Array<() => void> = [];

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
    this.writer = startThread(__filename, 'sqlite-writer', { file });
    this.writerExited = new Promise((exited) => this.writer.once('exit', exited));
    // Idle, the thread does not keep the process alive; a batch being committed does (see flush).
    this.writer.unref();
    this.writer.on('message', (answer: WriterAnswer) => this.settle(answer));
    this.writer.on('error', (error) => this.lose(errorMessage(error)));
    this.writer.on('exit', () => this.lose('its writer thread stopped'));
  }

  private prepareStatements() {
    const db = this.db;
    return {
      lastRevision: db.prepare<[string], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
      streamForwards: db
        .prepare<[string, bigint, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
        )
        .raw(),
      streamBackwards: db
        .prepare<[string, bigint, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
        )
        .raw(),
      head: db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
      allAfter: db
        .prepare<[bigint, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`)
        .raw(),
    };
  }

  async appendToStream(stream: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(stream, events);
    if (this.closing) throw new EventStoreUnavailableError('the embedded store is closed');
    if (this.writerLost) throw this.writerLost;
    const queued: QueuedAppend = {
      stream,
      expected: expectedRevision,
      events: events.map(({ id, type, data, metadata }) => ({ id, type, data: JSON.stringify(data), metadata: JSON.stringify(metadata) })),
    };
    return new Promise((resolve, reject) => {
      this.pending.push({ queued, resolve, reject });
      if (!this.flushScheduled && !this.committing) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Sends what is queued (up to a batch) to the writer thread, unless it is committing a batch already. */
  private flush(): void {
    if (this.committing || this.pending.length === 0 || this.writerLost) return;
    this.committing = this.pending.splice(0, MAX_APPENDS_PER_COMMIT);
    // The thread keeps the process alive while it commits: a command line waits for its append.
    this.writer.ref();
    const request: WriterRequest = { batch: this.committing.map((append) => append.queued), recordedAt: Date.now() };
    this.writer.postMessage(request);
  }

  /** Settles the batch the writer thread answered for, then sends the appends that came meanwhile. */
  private settle(answer: WriterAnswer): void {
    const batch = this.committing ?? [];
    this.committing = undefined;
    this.writer.unref();
    if ('failed' in answer) {
      // The commit itself failed (I/O, disk full): nothing of the batch is stored.
      const unavailable = new EventStoreUnavailableError(answer.failed);
      for (const append of batch) append.reject(unavailable);
    } else {
      this.commitStats.transactions += 1;
      this.commitStats.appends += batch.length;
      answer.outcomes.forEach((outcome, index) => {
        const append = batch[index];
        if ('written' in outcome) append.resolve(outcome.written);
        else if ('conflict' in outcome)
          append.reject(new RevisionConflictError(append.queued.stream, append.queued.expected, outcome.conflict));
        else append.reject(new Error(outcome.failed));
      });
      this.commits.next();
    }
    this.flush();
    this.wakeIfIdle();
  }

  /** The writer thread failed or stopped: what it had and what waits fails, and so does every later append. */
  private lose(reason: string): void {
    if (this.writerLost || this.closed) return;
    this.writerLost = new EventStoreUnavailableError(reason);
    for (const append of [...(this.committing ?? []), ...this.pending.splice(0)]) append.reject(this.writerLost);
    this.committing = undefined;
    this.wakeIfIdle();
  }

  private wakeIfIdle(): void {
    if (this.committing || (this.pending.length > 0 && !this.writerLost)) return;
    for (const wake of this.whenIdle.splice(0)) wake();
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

  /** Writes what is still queued, ends live subscriptions, stops the writer thread and closes the file. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await new Promise<void>((idle) => {
      this.whenIdle.push(idle);
      this.flush();
      this.wakeIfIdle();
    });
    this.closed = true;
    this.commits.complete();
    if (!this.writerLost) {
      const request: WriterRequest = { close: true };
      this.writer.ref();
      this.writer.postMessage(request);
    }
    await this.writerExited;
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

function toRecordedEvent([position, stream, revision, id, type, data, metadata, recordedAt]: EventRow): RecordedEvent {
  const at = BigInt(position);
  return {
    id,
    type,
    data: JSON.parse(data) as JsonObject,
    metadata: JSON.parse(metadata) as JsonObject,
    stream,
    revision: BigInt(revision),
    position: { commit: at, prepare: at },
    recordedAt: new Date(recordedAt),
  };
}
