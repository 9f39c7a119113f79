import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { agree, draftAndActivate } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';

const ROOT = join(__dirname, '../..');

describe('the auditor’s command line', () => {
  let api: TestApi;
  let id: string;
  let apiHistory: Array<{ revision: number; recordedAt: string }>;

  beforeAll(async () => {
    api = await startTestApp();
    id = await draftAndActivate(api);
    await agree(api, id, { documentRef: 'SA-1', effectiveOn: '2027-06-01', changes: [{ type: 'remove_scope', scope: 'logistics' }] });
    apiHistory = (await api.get(`/contracts/${id}/events?format=ndjson`)).body
      .trim()
      .split('\n')
      .map((line: string) => JSON.parse(line));
    await api.app.close();
  });
  afterAll(() => rmSync(api.dataDir, { recursive: true, force: true }));

  function audit(...args: string[]) {
    return spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/cli/audit.ts'), ...args], {
      env: { ...process.env, DATA_DIR: api.dataDir, EVENTSTORE_CONNECTION_STRING: '' },
      encoding: 'utf8',
    });
  }

  it('history: every event in order with who and when', () => {
    const run = audit('history', id);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`History of contract ${id} (8 events)`);
    // Proposed by the brand, in force when the operator countersigned it.
    expect(lines[5]).toMatch(/^#4 +\S+ +AmendmentProposed +by brand:brand-feiyue:[0-9a-f]{16} +effective 2027-06-01$/);
    expect(lines[7]).toMatch(/^#6 +\S+ +ContractAmended +by operator:op-yunshang:[0-9a-f]{16} +effective 2027-06-01$/);
  });

  it('as-of: the contract before the logistics amendment, by revision and by time', () => {
    for (const cut of [
      ['--revision', '3'],
      ['--at', apiHistory[3].recordedAt],
    ]) {
      const run = audit('as-of', id, ...cut);
      expect(run.status).toBe(0);
      const view = JSON.parse(run.stdout.slice(run.stdout.indexOf('\n') + 1));
      expect(view.contract.terms.scopes).toContain('logistics');
      expect(view.contract.status).toBe('active');
    }
  });

  it('export: the same NDJSON as the API', () => {
    const run = audit('export', id);
    expect(run.status).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(apiHistory);
  });

  it('verify: ok, then the altered event after an edit behind the service’s back', () => {
    expect(audit('verify', id)).toMatchObject({ status: 0, stdout: expect.stringContaining('OK: the hash chain of 8 events is intact') });
    const db = new Database(join(api.dataDir, 'events.sqlite'));
    db.prepare(`UPDATE events SET data = json_set(data, '$.signedOn', '2026-11-30') WHERE stream = ? AND revision = 2`).run(
      `contract-${id}`,
    );
    db.close();
    const broken = audit('verify', id);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^BROKEN at revision 2 \(event [0-9a-f-]{36}\): its content does not match its hash/);
  });

  it('explains its usage when asked wrongly', () => {
    const run = audit('history');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: npm run audit -- <command> <contractId>');
  });
});
