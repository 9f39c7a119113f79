import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * The read models' checkpoint thread (started by the projections module):
 * on each word from the service it copies the read-model file's WAL into the
 * file on a connection of its own (a PASSIVE checkpoint: it never waits for
 * the service's readers or writer), so that the copy and its fsyncs block
 * this thread rather than the service's event loop, which would otherwise
 * checkpoint, on a commit, every 1,000 pages.
 */

/** `checkpoint`, or `close`: the last word. */
export type CheckpointRequest = 'checkpoint' | 'close';

const port = parentPort!;
const db = new Database((workerData as { file: string }).file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');

port.on('message', (request: CheckpointRequest) => {
  if (request === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // The next one tries again; a WAL left long is only slower to read, and the service's close checkpoints it.
  }
});
