import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../shared/errors';
import { appender, type QueuedAppend } from './sqlite-appends';

/**
 * The embedded store's writer thread (started by SqliteEventStore): its own
 * connection to the file, WAL with synchronous=FULL, so each batch it
 * answers has been fsynced; the commit, its fsync and WAL checkpoints block
 * this thread, not the service's event loop.
 */

/** What the store sends: a batch to commit, or the last word. */
export type WriterRequest = { readonly batch: readonly QueuedAppend[]; readonly recordedAt: number } | { readonly close: true };

const port = parentPort!;
const db = new Database((workerData as { file: string }).file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// Another process (the keys or audit command line) may hold the write lock for a moment.
db.pragma('busy_timeout = 5000');
const commit = appender(db);

port.on('message', (request: WriterRequest) => {
  if ('close' in request) {
    db.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ outcomes: commit(request.batch, request.recordedAt) });
  } catch (error) {
    // The commit itself failed (I/O, disk full): nothing of the batch is stored.
    port.postMessage({ failed: errorMessage(error) });
  }
});
