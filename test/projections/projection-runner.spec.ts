import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import type { Position, RecordedEvent } from '../../src/event-store/event-store.port';
import type { Projection } from '../../src/projections/projection';
import { ProjectionRunner, ReadModelStoppedError } from '../../src/projections/projection-runner';
import { openReadModelDb, ProjectionLedger, readCheckpoint } from '../../src/projections/read-model-db';
import { rebuildReadModels } from '../../src/projections/rebuild';
import { skipQuarantinedEvent } from '../../src/projections/skip';
import { contractStream, toEventData, type CommandContext } from '../../src/contracts/application/contract-stream';
import { CONTRACT_PROJECTIONS } from '../../src/contracts/read-side/projections';
import { accountRegistered, anActiveContract, CONTRACT_ID } from '../support/contract-fixtures';
import { anEvent, uniqueStream } from '../support/event-store-helpers';

/**
 * Records each event id once (applying an event twice would break its primary
 * key), with its stream; throws on a `poison` event. `perStream: false` makes
 * every event unattributable, so a failure stops the projection.
 */
function counting(name: string, { poison, perStream = true }: { poison?: string; perStream?: boolean } = {}): Projection {
  return {
    name,
    version: 1,
    tables: [name],
    streamOf: (event) => (perStream ? event.stream : undefined),
    install(db: Database.Database) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${name} (event_id TEXT PRIMARY KEY, stream TEXT NOT NULL)`);
      const insert = db.prepare<[string, string]>(`INSERT INTO ${name} (event_id, stream) VALUES (?, ?)`);
      const remove = db.prepare<[string]>(`DELETE FROM ${name} WHERE stream = ?`);
      return {
        apply: (event) => {
          if (event.type === poison) throw new Error(`cannot read ${event.type}`);
          insert.run(event.id, event.stream);
          return undefined;
        },
        forget: (stream) => void remove.run(stream),
      };
    },
  };
}

/**
 * Like {@link counting}, but applies a batch with one write per event at its
 * end (`batch`), into a table that refuses a `Toxic` event's row: a failure
 * that shows only when the batch's rows are written.
 */
function holding(name: string): Projection {
  return {
    name,
    version: 1,
    tables: [name],
    streamOf: (event) => event.stream,
    install(db: Database.Database) {
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${name} (event_id TEXT PRIMARY KEY, stream TEXT NOT NULL, type TEXT NOT NULL CHECK (type <> 'Toxic'))`,
      );
      const insert = db.prepare<[string, string, string]>(`INSERT INTO ${name} (event_id, stream, type) VALUES (?, ?, ?)`);
      const remove = db.prepare<[string]>(`DELETE FROM ${name} WHERE stream = ?`);
      let held: RecordedEvent[] = [];
      const hold = (event: RecordedEvent) => void held.push(event);
      const flush = () => {
        const rows = held;
        held = [];
        for (const event of rows) insert.run(event.id, event.stream, event.type);
      };
      return {
        apply: (event) => {
          hold(event);
          flush();
          return undefined;
        },
        forget: (stream) => void remove.run(stream),
        batch: { hold, flush },
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

  function restart(runner: ProjectionRunner, ...projections: Projection[]): ProjectionRunner {
    runner.close();
    return run(...projections);
  }

  async function append(count: number, type = 'Happened', stream?: string): Promise<Position> {
    let position: Position | undefined;
    for (let i = 0; i < count; i += 1) position = (await store.appendToStream(stream ?? uniqueStream(), [anEvent(type)], 'any')).position;
    return position!;
  }

  const rows = (table: string, stream?: string) =>
    (db.prepare(`SELECT COUNT(*) AS n FROM ${table} ${stream ? 'WHERE stream = ?' : ''}`).get(...(stream ? [stream] : [])) as { n: number })
      .n;

  async function until(condition: () => boolean, withinMs = 10_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`the condition did not hold within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

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
    expect(second.status()).toEqual([{ name: 'seen', state: 'live', position: eighth.commit.toString(), quarantined: 0, skipped: 0 }]);
  });

  it('rebuilds a read model written by another version of its projection from the log, in place, and only then', async () => {
    const first = run(counting('seen'));
    const third = await append(3);
    await first.waitFor(third, 5_000);
    first.close();
    // A row the new version would not write: it must go with the old tables.
    db.prepare("INSERT INTO seen (event_id, stream) VALUES ('left-by-version-1', 'x')").run();

    const fifth = await append(2);
    const newer = run({ ...counting('seen'), version: 2 });
    await newer.waitFor(fifth, 5_000);
    expect(rows('seen')).toBe(5);
    expect(errors).toEqual([
      expect.stringContaining('Projection seen was written by another version: rebuilding it from the log (version 2)'),
    ]);

    // The same version again resumes from its checkpoint: nothing is rebuilt.
    newer.close();
    const sixth = await append(1);
    const again = run({ ...counting('seen'), version: 2 });
    await again.waitFor(sixth, 5_000);
    expect(rows('seen')).toBe(6);
    expect(errors).toHaveLength(1);
  });

  it('feeds projections that stand at different places in the log from one read, each applying each event once', async () => {
    const first = run(counting('current'), counting('renewed'));
    const third = await append(3);
    await first.waitFor(third, 5_000);
    first.close();

    // A new version of one is rebuilt from the start of the log while the other goes on from its checkpoint.
    const fifth = await append(2);
    const second = run(counting('current'), { ...counting('renewed'), version: 2 });
    await second.waitFor(fifth, 5_000);
    expect([rows('current'), rows('renewed')]).toEqual([5, 5]);
    // An event applied twice would break a primary key and quarantine its stream.
    expect(second.status().map(({ quarantined }) => quarantined)).toEqual([0, 0]);
  });

  it('blames the event whose row fails to write at the end of a batch, exactly as when events are applied one at a time', async () => {
    const runner = run(holding('held'), counting('seen'));
    const bad = uniqueStream();
    const good = uniqueStream();
    // One commit: the bad stream's four events and the good stream's two are applied in one batch.
    const [{ position: badEnd }, { position: goodEnd }] = await Promise.all([
      store.appendToStream(bad, [anEvent(), anEvent(), anEvent('Toxic'), anEvent()], 'no_stream'),
      store.appendToStream(good, [anEvent(), anEvent()], 'no_stream'),
    ]);
    const toxic = { commit: badEnd.commit - 1n, prepare: badEnd.prepare - 1n };
    await runner.waitFor(goodEnd.commit > badEnd.commit ? goodEnd : badEnd, 5_000);

    expect(new ProjectionLedger(db).quarantines('held')).toEqual([
      {
        stream: bad,
        skippedSince: 1,
        failure: expect.objectContaining({ stream: bad, revision: 2, eventType: 'Toxic', position: toxic.commit.toString() }),
      },
    ]);
    expect([rows('held', bad), rows('held', good), rows('seen')]).toEqual([2, 2, 6]);
    expect(runner.status().map(({ state, quarantined }) => [state, quarantined])).toEqual([
      ['live', 1],
      ['live', 0],
    ]);
    expect(errors).toEqual([expect.stringContaining(`Projection held quarantined ${bad} at position ${toxic.commit} (revision 2, Toxic)`)]);
  });

  it('leaves the contract read models as a rebuild makes them when a batch is rolled back and applied again', async () => {
    const projections = [...CONTRACT_PROJECTIONS, holding('held')];
    const runner = run(...projections);
    const stream = contractStream(CONTRACT_ID);
    const context: CommandContext = {
      principal: { keyId: 'test', role: 'admin' },
      actor: 'admin:test',
      correlationId: randomUUID(),
      commandId: randomUUID(),
      receivedAt: new Date(0).toISOString(),
    };
    const [drafted, ...activated] = toEventData(anActiveContract(), CONTRACT_ID, 'Test', context);
    // Two batches: the contract's row is written, then read once and kept in memory from its second batch on.
    await runner.waitFor((await store.appendToStream(stream, [drafted], 'no_stream')).position, 5_000);
    await runner.waitFor((await store.appendToStream(stream, activated, 0n)).position, 5_000);
    // One batch: the contract's next event, and another read model's row that fails to write, which rolls the batch back.
    const [registered, toxic] = await Promise.all([
      store.appendToStream(stream, toEventData([accountRegistered('acc-1')], CONTRACT_ID, 'Test', context), 3n),
      store.appendToStream(uniqueStream(), [anEvent('Toxic')], 'no_stream'),
    ]);
    await runner.waitFor(registered.position.commit > toxic.position.commit ? registered.position : toxic.position, 5_000);
    expect(runner.status().map(({ quarantined }) => quarantined)).toEqual([0, 0, 1]);

    const rebuilt = join(folder, 'rebuilt.sqlite');
    await rebuildReadModels(store, rebuilt, projections);
    const fresh = new Database(rebuilt, { readonly: true });
    try {
      for (const table of ['contract_summaries', 'handover_checklists']) {
        const all = (database: Database.Database) => database.prepare(`SELECT * FROM ${table} ORDER BY contract_id`).all();
        expect(all(db)).toEqual([expect.objectContaining({ contract_id: CONTRACT_ID, revision: 4 })]);
        expect(all(db)).toEqual(all(fresh));
        const parts = (database: Database.Database) => database.prepare(`SELECT * FROM ${table}_parts ORDER BY 1, 2, 3`).all();
        expect(parts(db)).toEqual(parts(fresh));
      }
    } finally {
      fresh.close();
    }
  });

  it('quarantines the stream of an event it cannot apply, passes over its later events, and goes on with the others', async () => {
    const runner = run(counting('fragile', { poison: 'Poison' }), counting('sturdy'));
    const bad = uniqueStream();
    await append(1, 'Happened', bad);
    const poison = await append(1, 'Poison', bad);
    await append(1, 'Happened', bad);
    const other = await append(2);
    await runner.waitFor(other, 5_000);

    const [fragile, sturdy] = runner.status();
    expect(fragile).toMatchObject({ name: 'fragile', state: 'live', position: other.commit.toString() });
    expect(fragile.quarantined).toBe(1);
    expect(new ProjectionLedger(db).quarantines('fragile')).toEqual([
      {
        stream: bad,
        skippedSince: 1,
        failure: {
          message: 'cannot read Poison',
          position: poison.commit.toString(),
          stream: bad,
          revision: 1,
          eventType: 'Poison',
          at: expect.any(String),
        },
      },
    ]);
    expect(sturdy).toMatchObject({ state: 'live', quarantined: 0 });
    expect([rows('fragile', bad), rows('fragile'), rows('sturdy')]).toEqual([1, 3, 5]);
    expect(errors).toEqual([
      expect.stringContaining(`Projection fragile quarantined ${bad} at position ${poison.commit} (revision 1, Poison)`),
    ]);

    // After a restart the stream is still quarantined: its new events are passed over, not applied.
    const again = restart(runner, counting('fragile', { poison: 'Poison' }));
    const later = await append(1, 'Happened', bad);
    await again.waitFor(later, 5_000);
    expect(again.status()[0].quarantined).toBe(1);
    expect(new ProjectionLedger(db).quarantines('fragile')).toEqual([expect.objectContaining({ stream: bad, skippedSince: 2 })]);
    expect(rows('fragile', bad)).toBe(1);
  });

  it('a skip records who, why and which event, and folds the stream again without that event only', async () => {
    const runner = run(counting('fragile', { poison: 'Poison' }));
    const bad = uniqueStream();
    await append(1, 'Happened', bad);
    const poison = await append(1, 'Poison', bad);
    const last = await append(2, 'Happened', bad);
    await runner.waitFor(last, 5_000);
    runner.close();

    const { skipped, quarantine } = await skipQuarantinedEvent(store, db, [counting('fragile', { poison: 'Poison' })], {
      projection: 'fragile',
      stream: bad,
      reason: 'amendment with no changes, refused by the write side since',
      by: 'ops-anna',
    });
    expect(quarantine).toBeUndefined();
    expect(skipped).toMatchObject({ stream: bad, revision: 1, position: poison.commit.toString(), eventType: 'Poison', by: 'ops-anna' });
    expect(rows('fragile', bad)).toBe(3);

    const after = run(counting('fragile', { poison: 'Poison' }));
    const next = await append(1, 'Happened', bad);
    await after.waitFor(next, 5_000);
    expect(after.status()[0]).toMatchObject({ state: 'live', quarantined: 0, skipped: 1 });
    expect(new ProjectionLedger(db).skipped('fragile')).toEqual([skipped]);
    expect(rows('fragile', bad)).toBe(4);

    // A rebuild keeps the skip and its audit record: the event stays out, nothing is quarantined.
    const rebuilt = join(folder, 'rebuilt.sqlite');
    const done = await rebuildReadModels(store, rebuilt, [counting('fragile', { poison: 'Poison' })], {
      previous: join(folder, 'read-models.sqlite'),
    });
    expect(done.quarantined).toEqual([]);
    const fresh = openReadModelDb(rebuilt);
    try {
      expect(fresh.prepare('SELECT COUNT(*) AS n FROM fragile WHERE stream = ?').get(bad)).toEqual({ n: 4 });
      expect(fresh.prepare('SELECT skip FROM skipped_events').all()).toEqual([{ skip: JSON.stringify(skipped) }]);
    } finally {
      fresh.close();
    }
  });

  it('a rebuild records again the streams that still fail, and not those that apply now', async () => {
    const runner = run(counting('fragile', { poison: 'Poison' }));
    const bad = uniqueStream();
    const last = await append(1, 'Poison', bad);
    await runner.waitFor(last, 5_000);
    expect(runner.status()[0].quarantined).toBe(1);

    const stillFailing = await rebuildReadModels(store, join(folder, 'a.sqlite'), [counting('fragile', { poison: 'Poison' })]);
    expect(stillFailing.quarantined).toEqual([{ projection: 'fragile', quarantine: expect.objectContaining({ stream: bad }) }]);
    const fixed = await rebuildReadModels(store, join(folder, 'b.sqlite'), [counting('fragile')]);
    expect(fixed.quarantined).toEqual([]);
  });

  it('an event it cannot attribute to a stream stops it where it failed, durably: nothing after it is applied, even after a restart', async () => {
    // Already in the log: delivered during the catch-up, as after a restart.
    const healthy = await append(1);
    const poison = await append(1, 'Poison');
    const after = await append(1);
    const runner = run(counting('fragile', { poison: 'Poison', perStream: false }), counting('sturdy'));
    await until(() => runner.status()[1].position === after.commit.toString());

    const [fragile, sturdy] = runner.status();
    expect(fragile).toMatchObject({ name: 'fragile', state: 'stopped', position: healthy.commit.toString() });
    expect(fragile.failure).toMatchObject({
      message: 'cannot read Poison',
      position: poison.commit.toString(),
      revision: 0,
      eventType: 'Poison',
    });
    expect(sturdy).toMatchObject({ state: 'live', position: after.commit.toString() });
    expect(rows('fragile')).toBe(1);
    expect(readCheckpoint(db, 'fragile')).toEqual(healthy);
    expect(errors).toEqual([expect.stringContaining(`Projection fragile stopped at position ${poison.commit}`)]);
    await expect(runner.waitFor(after, 100)).rejects.toBeInstanceOf(ReadModelStoppedError);

    const again = restart(runner, counting('fragile', { perStream: false }));
    await append(1);
    expect(again.status()[0]).toMatchObject({ state: 'stopped', position: healthy.commit.toString(), failure: fragile.failure });
    expect(rows('fragile')).toBe(1);
  });

  it('a failure of the read-model database stops the projection, durably', async () => {
    const runner = run(counting('fragile'));
    const first = await append(1);
    await runner.waitFor(first, 5_000);
    db.exec('DROP TABLE fragile');
    const second = await append(1);
    await until(() => runner.status()[0].state === 'stopped');
    expect(runner.status()[0]).toMatchObject({
      position: first.commit.toString(),
      failure: { message: expect.stringContaining('no such table'), position: second.commit.toString() },
    });
    expect(runner.status()[0].quarantined).toBe(0);

    const again = restart(runner, counting('fragile'));
    expect(again.status()[0]).toMatchObject({ state: 'stopped', failure: { position: second.commit.toString() } });
    await expect(again.waitFor(second, 100)).rejects.toBeInstanceOf(ReadModelStoppedError);
  });
});
