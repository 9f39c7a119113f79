import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import type { Position } from '../../src/event-store/event-store.port';
import type { Projection } from '../../src/projections/projection';
import { ProjectionRunner, ReadModelStoppedError } from '../../src/projections/projection-runner';
import { openReadModelDb, readCheckpoint } from '../../src/projections/read-model-db';
import { anEvent, uniqueStream } from '../support/event-store-helpers';

/** Records each event id once: applying an event twice would break its primary key and stop the projection. */
function counting(name: string, poison?: string): Projection {
  return {
    name,
    tables: [name],
    install(db: Database.Database) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${name} (event_id TEXT PRIMARY KEY)`);
      const insert = db.prepare<[string]>(`INSERT INTO ${name} (event_id) VALUES (?)`);
      return (event) => {
        if (event.type === poison) throw new Error(`cannot read ${event.type}`);
        insert.run(event.id);
        return undefined;
      };
    },
  };
}

describe('projection runner', () => {
  let folder: string;
  let store: SqliteEventStore;
  let db: Database.Database;
  const runners: ProjectionRunner[] = [];
  const errors: string[] = [];
  const log = { error: (message: string) => errors.push(message) };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'projections-'));
    store = new SqliteEventStore(join(folder, 'events.sqlite'));
    db = openReadModelDb(join(folder, 'read-models.sqlite'));
    errors.length = 0;
  });
  afterEach(async () => {
    runners.splice(0).forEach((runner) => runner.close());
    db.close();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function run(...projections: Projection[]): ProjectionRunner {
    const runner = new ProjectionRunner(store, db, projections, log);
    runners.push(runner);
    runner.start();
    return runner;
  }

  async function append(count: number, type = 'Happened'): Promise<Position> {
    let position: Position | undefined;
    for (let i = 0; i < count; i += 1) position = (await store.appendToStream(uniqueStream(), [anEvent(type)], 'no_stream')).position;
    return position!;
  }

  const rows = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('applies each event once, with its checkpoint, and resumes after a restart without applying any twice', async () => {
    const first = run(counting('seen'));
    const fifth = await append(5);
    await first.waitFor(fifth, 5_000);
    first.close();
    expect(readCheckpoint(db, 'seen')).toEqual(fifth);

    const eighth = await append(3);
    const second = run(counting('seen'));
    await second.waitFor(eighth, 5_000);
    expect(rows('seen')).toBe(8);
    expect(second.status()).toEqual([{ name: 'seen', state: 'live', position: eighth.commit.toString() }]);
  });

  it('stops a projection on an event it cannot apply, reports where, and never skips it', async () => {
    const runner = run(counting('fragile', 'Poison'), counting('sturdy'));
    const healthy = await append(1);
    const poison = await append(1, 'Poison');
    const after = await append(1);
    while (runner.status()[1].position !== after.commit.toString()) await new Promise((resolve) => setTimeout(resolve, 5));

    const [fragile, sturdy] = runner.status();
    expect(fragile).toMatchObject({ name: 'fragile', state: 'stopped', position: healthy.commit.toString() });
    expect(fragile.failure).toMatchObject({ message: 'cannot read Poison', position: poison.commit.toString(), revision: 0 });
    expect(sturdy).toMatchObject({ state: 'live', position: after.commit.toString() });
    expect(rows('fragile')).toBe(1);
    expect(readCheckpoint(db, 'fragile')).toEqual(healthy);
    expect(errors).toEqual([expect.stringContaining(`Projection fragile stopped at position ${poison.commit}`)]);
    await expect(runner.waitFor(after, 100)).rejects.toBeInstanceOf(ReadModelStoppedError);
  });
});
