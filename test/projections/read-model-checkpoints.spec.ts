import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointInThread, openReadModelDb } from '../../src/projections/read-model-db';

describe('read-model checkpoints in a thread', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'read-model-checkpoints-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('copies the WAL into the file off the connection that commits, and stops', async () => {
    const file = join(folder, 'read-models.sqlite');
    const db = openReadModelDb(file);
    const checkpoints = checkpointInThread(db, file);
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO rows (value) VALUES (?)');
      db.transaction(() => {
        for (let i = 0; i < 2_000; i += 1) insert.run('x'.repeat(2_000));
      })();
      // Past SQLite's own threshold (1,000 pages), yet the committing connection copied nothing into the file.
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(4_000_000);
      expect(statSync(file).size).toBeLessThan(1_000_000);
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < 4_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(statSync(file).size).toBeGreaterThan(4_000_000);
    } finally {
      await checkpoints.stop();
      db.close();
    }
  });
});
