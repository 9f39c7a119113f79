import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';

/**
 * Child process of the crash test: appends to a few streams concurrently,
 * forever, and prints one JSON line per acknowledged append. The test kills
 * it with SIGKILL at a random moment and checks the file.
 *
 * Each event's data describes itself (stream, revision, a filler and its
 * length), so the test can tell a complete event from a torn one.
 */
const STREAMS = ['crash-a', 'crash-b', 'crash-c', 'crash-d'];

export interface Ack {
  readonly stream: string;
  readonly firstRevision: string;
  readonly ids: readonly string[];
  readonly lastPosition: string;
}

async function writeForever(store: SqliteEventStore, stream: string): Promise<never> {
  const head = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
  let last = head.found ? head.events[0].revision : -1n;
  for (;;) {
    const count = 1 + Math.floor(Math.random() * 3);
    const batch = Array.from({ length: count }, (_, index) => {
      const filler = 'x'.repeat(Math.floor(Math.random() * 4000));
      const revision = (last + 1n + BigInt(index)).toString();
      return { id: randomUUID(), type: 'CrashTested', data: { stream, revision, filler, length: filler.length }, metadata: {} };
    });
    const result = await store.appendToStream(stream, batch, last === -1n ? 'no_stream' : last);
    const ack: Ack = {
      stream,
      firstRevision: (last + 1n).toString(),
      ids: batch.map((event) => event.id),
      lastPosition: result.position.commit.toString(),
    };
    // Synchronous write: once the line is out, the test may rely on it.
    writeSync(1, `${JSON.stringify(ack)}\n`);
    last = result.nextExpectedRevision;
  }
}

const store = new SqliteEventStore(process.argv[2]);
for (const stream of STREAMS) void writeForever(store, stream);
