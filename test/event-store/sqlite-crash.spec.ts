import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import type { Ack } from '../support/crash-writer';

const ROUNDS = 5;
const REGISTER_TS = join(__dirname, '../support/register-ts.js');
const WRITER = join(__dirname, '../support/crash-writer.ts');

/** Runs the writer until it has acknowledged some appends, kills it with SIGKILL a random moment later. */
async function runAndKill(file: string): Promise<{ acks: Ack[]; killAfterMs: number }> {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acks: Ack[] = [];
  const killAfterMs = 20 + Math.floor(Math.random() * 300);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    acks.push(JSON.parse(line) as Ack);
    if (acks.length === 1) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  expect(await exited).toBe('SIGKILL');
  return { acks, killAfterMs };
}

async function readWholeLog(file: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore(file);
  try {
    return [...(await store.readAll({ maxCount: Number.MAX_SAFE_INTEGER }))];
  } finally {
    await store.close();
  }
}

describe('embedded store crash safety (SIGKILL while appending)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'crash-'));
  const file = join(folder, 'events.sqlite');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it(`keeps every acknowledged append, in order, and nothing torn, over ${ROUNDS} kills of the same file`, async () => {
    let acknowledgedSoFar = 0;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const { acks, killAfterMs } = await runAndKill(file);
      const context = `round ${round}, killed ${killAfterMs} ms after the first ack`;
      expect({ context, acks: acks.length > 0 }).toEqual({ context, acks: true });

      const db = new Database(file, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();

      const log = await readWholeLog(file);
      // Positions are 1..N: no gap is visible, nothing half-written sits between.
      expect(log.map((event) => Number(event.position.commit))).toEqual(log.map((_, index) => index + 1));
      const byId = new Map(log.map((event) => [event.id, event]));
      const revisionsByStream = new Map<string, bigint[]>();
      for (const event of log) {
        const data = event.data as { stream: string; revision: string; filler: string; length: number };
        expect({ stream: data.stream, revision: data.revision, length: data.filler.length }).toEqual({
          stream: event.stream,
          revision: event.revision.toString(),
          length: data.length,
        });
        revisionsByStream.set(event.stream, [...(revisionsByStream.get(event.stream) ?? []), event.revision]);
      }
      for (const revisions of revisionsByStream.values()) {
        expect(revisions).toEqual(revisions.map((_, index) => BigInt(index)));
      }

      let previousPosition = 0n;
      for (const ack of acks) {
        const stored = ack.ids.map((id) => byId.get(id));
        expect({ context, missing: stored.some((event) => event === undefined) }).toEqual({ context, missing: false });
        stored.forEach((event, index) => {
          expect(event!.stream).toBe(ack.stream);
          expect(event!.revision).toBe(BigInt(ack.firstRevision) + BigInt(index));
        });
        const lastPosition = stored[stored.length - 1]!.position.commit;
        expect(lastPosition).toBe(BigInt(ack.lastPosition));
        expect(lastPosition).toBeGreaterThan(previousPosition);
        previousPosition = lastPosition;
      }
      expect(log.length).toBeGreaterThanOrEqual(acknowledgedSoFar);
      acknowledgedSoFar = log.length;
    }
  });
});
