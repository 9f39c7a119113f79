import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyEntry } from '../../src/audit/history';
import { draftAndActivate, OPERATOR } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';
import { chainedAfter, LEGACY_HISTORY } from '../support/legacy-history';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The README's "Verify a contract's chain yourself" script, run as written by python3 on an export. */
describe("the README's chain verifier, outside this codebase", () => {
  const folder = mkdtempSync(join(tmpdir(), 'verify-chain-'));
  const script = join(folder, 'verify_chain.py');
  let api: TestApi;
  beforeAll(async () => {
    const code = /<!-- verify-chain:start -->\n```python\n([\s\S]*?)```\n<!-- verify-chain:end -->/.exec(README)?.[1];
    if (code === undefined) throw new Error('README.md has no verify-chain block');
    writeFileSync(script, code);
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  function verify(contractId: string, ndjson: string) {
    const run = spawnSync('python3', [script, contractId], { input: ndjson, encoding: 'utf8', timeout: 30_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it("recomputes every hash of a contract's export, and names the first revision altered in it", async () => {
    const id = await draftAndActivate(api);
    await api.as(OPERATOR).post(`/contracts/${id}/breaches`, {
      breachingParty: 'brand',
      clause: '品牌方义务第2条: 每日发货',
      description: 'Orders of 8–12 March not shipped: "急" \\ \u0007',
      evidenceRef: 'EV-1',
      noticedOn: '2028-03-12',
    });
    const exported = await api.as('auditor').get(`/contracts/${id}/events?format=ndjson`);
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    const head = (await api.get(`/contracts/${id}/integrity`)).body.head;
    expect(verify(id, exported.body)).toEqual({ status: 0, stdout: `ok: 5 events, head ${head.hash}\n`, stderr: '' });

    const lines = (exported.body as string).trimEnd().split('\n');
    const altered = JSON.parse(lines[2]);
    lines[2] = JSON.stringify({ ...altered, data: { ...altered.data, signatory: 'Mallory' } });
    expect(verify(id, lines.join('\n'))).toEqual({ status: 1, stdout: '', stderr: 'BROKEN at revision 2\n' });
    expect(verify(id, [lines[0], ...lines.slice(2)].join('\n'))).toMatchObject({ status: 1, stderr: 'BROKEN at revision 2\n' });
  });

  it('verifies events hashed before RFC 8785 and after, with keys whose orders differ', () => {
    const continued = chainedAfter(LEGACY_HISTORY, { shops: { '10': 'tmall', '2': 'jd' }, '\u{1F600}': 1, '\ufb33': 2 });
    const ndjson = [...LEGACY_HISTORY, continued].map((event) => `${JSON.stringify(historyEntry(event))}\n`).join('');
    expect(verify('legacy', ndjson)).toEqual({
      status: 0,
      stdout: `ok: 3 events, head ${continued.metadata.hash as string}\n`,
      stderr: '',
    });
  });
});
