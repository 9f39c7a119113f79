import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import type { IssuedKey } from '../../src/auth/api-keys';
import { loadConfig } from '../../src/config/app-config';
import { DRAFT } from '../support/contract-api';
import { discardLogs, startTestApp, type TestApi } from '../support/http-client';

const ROOT = join(__dirname, '../..');
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('authentication and keys', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApp();
  });
  afterEach(async () => {
    await api.stop();
  });

  it('creates an admin key on first start, shows it once, and not again on the next start', async () => {
    const first = api.firstKey();
    expect(first).toMatchObject({ role: 'admin', key: expect.stringMatching(/^chk_[\w-]{43}$/) });
    expect((await api.call('GET', '/admin/keys', undefined, bearer(first!.key))).status).toBe(200);

    const announced: IssuedKey[] = [];
    const second = await createApp(loadConfig({ DATA_DIR: api.dataDir }), {
      logDestination: discardLogs,
      announceFirstKey: (key) => announced.push(key),
    });
    await second.init();
    await second.close();
    expect(announced).toEqual([]);
  });

  it('answers 401 without a key or with a bad one, and names the scheme', async () => {
    const missing = await api.call('GET', '/contracts');
    expect(missing).toMatchObject({ status: 401, body: { code: 'auth.missing_key' } });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await api.call('GET', '/contracts', undefined, bearer('chk_not-a-real-key-at-all-000000000000000000'))).body).toMatchObject({
      status: 401,
      code: 'auth.invalid_key',
    });
    expect((await api.call('GET', '/health')).status).toBe(200);
  });

  it('issues, lists and revokes keys over the admin API; a revoked key stops working at once', async () => {
    const admin = api.as('admin');
    const issued = await admin.post('/admin/keys', { role: 'brand', partyId: 'brand-feiyue', label: 'Feiyue e-commerce team' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      role: 'brand',
      partyId: 'brand-feiyue',
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      key: expect.stringMatching(/^chk_/),
    });
    expect((await api.call('POST', '/contracts', DRAFT, bearer(issued.body.key))).status).toBe(201);

    const listed = await admin.get('/admin/keys');
    expect(listed.body.keys).toContainEqual(
      expect.objectContaining({ keyId: issued.body.keyId, role: 'brand', label: 'Feiyue e-commerce team' }),
    );
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);
    expect(JSON.stringify(listed.body)).not.toMatch(/keyHash/);

    expect((await admin.delete(`/admin/keys/${issued.body.keyId}`)).body).toEqual({ keyId: issued.body.keyId, revoked: true });
    expect((await api.call('GET', '/contracts', undefined, bearer(issued.body.key))).status).toBe(401);
    expect((await admin.post('/admin/keys', { role: 'brand', label: 'no party' })).body).toMatchObject({
      status: 400,
      code: 'keys.invalid_request',
    });
    expect((await api.as('auditor').post('/admin/keys', { role: 'admin', label: 'x' })).body).toMatchObject({
      status: 403,
      code: 'access.role',
    });
  });

  it('npm run keys -- create, list and revoke, on the same key store', async () => {
    const keys = (...args: string[]) =>
      spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/cli/keys.ts'), ...args], {
        env: { ...process.env, DATA_DIR: api.dataDir, EVENTSTORE_CONNECTION_STRING: '' },
        encoding: 'utf8',
      });
    const created = keys('create', '--role', 'operator', '--party', 'op-yunshang', '--label', 'Yunshang ops');
    expect(created.status).toBe(0);
    const key = /\n\s+(chk_\S+)\n/.exec(created.stdout)?.[1];
    const keyId = /key ([0-9a-f]{16})/.exec(created.stdout)?.[1];
    expect((await api.call('GET', '/contracts', undefined, bearer(key!))).status).toBe(200);
    expect(keys('list').stdout).toMatch(new RegExp(`${keyId}  operator +op-yunshang .* active  Yunshang ops`));
    expect(keys('revoke', keyId!).status).toBe(0);
    expect((await api.call('GET', '/contracts', undefined, bearer(key!))).status).toBe(401);
    expect(keys('create', '--role', 'brand', '--label', 'x')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('needs the party id'),
    });
  });
});

describe('limits and headers', () => {
  it('limits failed authentications per address, then requests per key', async () => {
    const api = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '5' });
    try {
      for (let i = 0; i < 3; i += 1) expect((await api.call('GET', '/contracts', undefined, bearer('chk_wrong'))).status).toBe(401);
      const blocked = await api.call('GET', '/contracts', undefined, bearer('chk_wrong'));
      expect(blocked).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);

      const other = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
      try {
        const statuses = [];
        for (let i = 0; i < 6; i += 1) statuses.push((await other.as('auditor').get('/contracts')).status);
        expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      } finally {
        await other.stop();
      }
    } finally {
      await api.stop();
    }
  });

  it('refuses a body over the limit with 413, and sends security headers', async () => {
    const api = await startTestApp();
    try {
      const huge = await api
        .as('brand:brand-feiyue')
        .post('/contracts', { ...DRAFT, shops: [{ platform: 'tmall', name: 'x'.repeat(70_000) }] });
      expect(huge.body).toMatchObject({ status: 413, code: 'request.too_large' });
      const health = await api.call('GET', '/health');
      expect(
        Object.fromEntries(
          ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy'].map((name) => [
            name,
            health.headers.get(name),
          ]),
        ),
      ).toEqual({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      });
      expect(health.headers.get('cache-control')).toContain('no-store');
    } finally {
      await api.stop();
    }
  });

  it('keeps CORS closed unless origins are configured', async () => {
    const preflight = (api: TestApi) =>
      api.call('OPTIONS', '/contracts', undefined, { origin: 'https://console.feiyue.example', 'access-control-request-method': 'POST' });
    const closed = await startTestApp();
    const open = await startTestApp({ CORS_ORIGINS: 'https://console.feiyue.example' });
    try {
      expect((await preflight(closed)).headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(open)).headers.get('access-control-allow-origin')).toBe('https://console.feiyue.example');
    } finally {
      await closed.stop();
      await open.stop();
    }
  });
});

describe('listing', () => {
  it('returns only the contracts the principal may see', async () => {
    const api = await startTestApp();
    try {
      const feiyue = (await api.as('brand:brand-feiyue').post('/contracts', DRAFT)).body.contractId;
      const huiliDraft = { ...DRAFT, brand: { partyId: 'brand-huili', name: 'Huili' } };
      const huili = (await api.as('brand:brand-huili').post('/contracts', huiliDraft)).body.contractId;
      const ids = async (caller: string) =>
        (await api.as(caller).get('/contracts')).body.items.map((item: { contractId: string }) => item.contractId).sort();

      expect(await ids('brand:brand-feiyue')).toEqual([feiyue]);
      expect(await ids('brand:brand-huili')).toEqual([huili]);
      expect(await ids('operator:op-yunshang')).toEqual([feiyue, huili].sort());
      expect(await ids('operator:op-other')).toEqual([]);
      expect(await ids('coordinator')).toEqual([]);
      expect(await ids('auditor')).toEqual([feiyue, huili].sort());
      expect(await ids('brand:brand-feiyue')).not.toContain(huili);
    } finally {
      await api.stop();
    }
  });
});
