import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureLogs, startTestApp, type TestApi } from '../support/http-client';
import { CALLERS, MATRIX } from '../support/route-catalog';

const PASSWORD = 'Feiyue@2028!Tmall';

/** A copy of the body with the password planted as a field and inside a free-text value. */
function plant(body: unknown): unknown[] {
  if (body === null || typeof body !== 'object') return [];
  const asField = { ...(body), password: PASSWORD };
  const inText = JSON.parse(JSON.stringify(body, (_key, value: unknown) => (typeof value === 'string' && value.length > 0 ? `${value} (password: ${PASSWORD})` : value)));
  const inEvidence = 'evidence' in body ? [{ ...(body as object), evidence: { ...(body as { evidence: object }).evidence, newPassword: PASSWORD } }] : [];
  return [asField, inText, ...inEvidence];
}

describe('a password planted in every write route', () => {
  let api: TestApi;
  const logs = captureLogs();
  beforeAll(async () => {
    api = await startTestApp({ LOG_LEVEL: 'trace' }, { logDestination: logs });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('is refused with the sentence to record the rotation, and is found in no event, read model or log line', async () => {
    const admin = CALLERS[CALLERS.length - 1];
    const key = (await api.keyOf(admin)).key;
    const planted = new Set<string>();
    for (const row of MATRIX) {
      const request = row.request(await row.setup(api));
      if (request.method === 'GET') continue;
      if (request.method === 'DELETE') {
        // No body to plant in: the password rides in the query string, which nothing keeps.
        const answer = await api.call('DELETE', `${request.path}?password=${encodeURIComponent(PASSWORD)}`, undefined, { authorization: `Bearer ${key}` });
        expect({ route: row.route, status: answer.status }).toEqual({ route: row.route, status: 200 });
        planted.add(row.route);
        continue;
      }
      for (const body of plant(request.body)) {
        const answer = await api.call(request.method, request.path, body, { authorization: `Bearer ${key}` });
        expect({ route: row.route, status: answer.status, code: answer.body?.code }).toEqual({ route: row.route, status: 400, code: 'request.secret_refused' });
        expect(answer.body.detail).toContain('record that the credentials were rotated');
        planted.add(row.route);
      }
    }
    expect([...planted]).toEqual(MATRIX.map((row) => row.route).filter((route) => /^(POST|DELETE) /.test(route)));
    await api.get('/contracts');

    const files = ['events.sqlite', 'events.sqlite-wal', 'read-models.sqlite', 'read-models.sqlite-wal'].map((name) => join(api.dataDir, name)).filter(existsSync);
    for (const file of files) expect({ file, found: readFileSync(file).includes(PASSWORD) }).toEqual({ file, found: false });
    const db = new Database(join(api.dataDir, 'read-models.sqlite'), { readonly: true });
    const readModels = JSON.stringify([db.prepare('SELECT * FROM contract_summaries').all(), db.prepare('SELECT * FROM handover_checklists').all()]);
    db.close();
    expect(readModels).not.toContain(PASSWORD);
    expect(logs.lines.length).toBeGreaterThan(40);
    expect(logs.lines.filter((line) => line.includes(PASSWORD) || line.includes(key) || /bearer|"authorization"/i.test(line))).toEqual([]);
  });
});
