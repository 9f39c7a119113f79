import { EventStore } from '../../src/event-store/event-store.port';
import { MAX_JSON_DEPTH } from '../../src/shared/json-depth';
import { draftAndActivate } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';
import { EVIDENCE, everyWrite, fields, replaced, type Body, type Json, type Write } from './write-bodies';

/**
 * What a hostile client with a valid key sends to every write route: bodies
 * too deep to walk, poisoned prototypes, impossible dates, nulls and lists
 * where objects belong. Every answer is a 4xx problem naming what is wrong,
 * never a 500, and nothing of it is written.
 */
const BAD_DATES = [
  '2027-00-10',
  '2027-13-01',
  '2027-01-00',
  '2027-01-32',
  '2027-02-30',
  '2027-02-29',
  '2027-04-31',
  '10000-01-01',
  '2027-1-1',
];
const BAD_INSTANTS = [
  '2028-13-01T10:00:00+08:00',
  '2028-02-30T10:00:00Z',
  '2028-01-01T24:00:00Z',
  '2028-01-01T10:60:00Z',
  '2028-01-01T10:00:60Z',
  '2028-01-01T10:00:00+15:00',
  '2028-01-01T10:00:00',
];
/** What does not belong where an object or a list of objects does. */
const NOT_AN_OBJECT: Json[] = [null, [], [{}], 'x', 1, true];
const NOT_A_LIST_OF_OBJECTS: Json[] = [null, [null], [[]], [1], ['x'], 'x', {}, [{}]];

describe('hostile input at the HTTP edge', () => {
  let api: TestApi;
  let key: string;
  let writes: Write[];
  beforeAll(async () => {
    api = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000000' });
    key = (await api.keyOf('admin')).key;
    writes = await everyWrite(api);
  });
  afterAll(async () => {
    await api.stop();
  });

  const send = (method: string, path: string, body: string | Uint8Array | undefined, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body,
    }).then(async (response) => ({
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as { code?: string; errors?: Array<{ field: string }> },
    }));
  const post = (path: string, body: Json) => send('POST', path, JSON.stringify(body));
  const head = async () => (await api.app.get(EventStore).headPosition())?.commit;

  it('refuses bodies nested past the limit before parsing them, on every JSON route', async () => {
    const before = await head();
    const deep = [
      '['.repeat(5000) + ']'.repeat(5000),
      '{"a":'.repeat(1300) + '1' + '}'.repeat(1300),
      JSON.stringify({ evidence: { kind: 'final_settlement', settlementRef: '['.repeat(5000) } }).replace(
        '"settlementRef":',
        '"x":' + '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH) + ',"settlementRef":',
      ),
    ];
    for (const { route, method, path } of writes.filter((write) => write.method === 'POST')) {
      for (const body of deep) {
        const answer = await send(method, path, body);
        expect({ route, status: answer.status, code: answer.body.code, type: answer.type }).toEqual({
          route,
          status: 400,
          code: 'request.too_deep',
          type: expect.stringContaining('application/problem+json'),
        });
      }
    }
    // Brackets inside strings are text, not nesting: this one reaches validation and its field is named.
    const inString = await post('/admin/keys', { role: 'brand', partyId: 'brand-x', label: 'x', nested: '['.repeat(5000) });
    expect(inString.body).toMatchObject({ code: 'request.invalid', errors: [{ field: 'nested' }] });
    expect(await head()).toBe(before);
  });

  it('refuses prototype poisoning and bodies that are not JSON objects, with 400, on every JSON route', async () => {
    const before = await head();
    for (const { route, path } of writes.filter((write) => write.method === 'POST')) {
      for (const body of [
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"admin":true}}}',
        '{"a":1',
        'null',
        '"x"',
        '[]',
        '1',
        '',
        '   ',
      ]) {
        const answer = await send('POST', path, body);
        expect({ route, body, status: answer.status, code: answer.body.code }).toEqual({
          route,
          body,
          status: 400,
          code: 'request.invalid',
        });
      }
    }
    // Not UTF-8 (a Latin-1 "é", one byte): refused, rather than stored as replacement characters.
    const latin1 = await send('POST', '/admin/keys', Buffer.from('{"role":"auditor","label":"caf\xe9"}', 'latin1'));
    expect(latin1).toMatchObject({ status: 400, body: { code: 'request.invalid', detail: 'The body is not UTF-8 text.' } });
    expect(await head()).toBe(before);
  });

  it('takes an empty JSON body on DELETE as no body, as HTTP clients send it', async () => {
    const { keyId } = (await api.as('admin').post('/admin/keys', { role: 'auditor', label: 'to revoke' })).body;
    const answer = await send('DELETE', `/admin/keys/${keyId}`, '');
    expect(answer).toMatchObject({ status: 200, body: { keyId, revoked: true } });
  });

  it('refuses impossible calendar dates and times in every date field of every write route, naming the field', async () => {
    const before = await head();
    let checked = 0;
    for (const { route, path, body } of writes.filter((write) => write.body !== undefined)) {
      for (const field of fields(body as Json)) {
        const bad =
          typeof field.value !== 'string'
            ? []
            : /^\d{4}-\d{2}-\d{2}$/.test(field.value)
              ? BAD_DATES
              : /^\d{4}-\d{2}-\d{2}T/.test(field.value)
                ? BAD_INSTANTS
                : [];
        for (const value of bad) {
          const answer = await post(path, replaced(body as Json, field.path, value));
          expect({ route, value, status: answer.status, fields: answer.body.errors?.map((error) => error.field) }).toEqual({
            route,
            value,
            status: 400,
            fields: [field.path.join('.')],
          });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(await head()).toBe(before);
  });

  it('refuses impossible dates in queries with 400, on the summary and the checklist', async () => {
    const id = await draftAndActivate(api);
    for (const query of [
      ...BAD_DATES.map((date) => `termsOn=${date}`),
      ...BAD_INSTANTS.map((instant) => `asOf=${encodeURIComponent(instant)}`),
      'asOf=now',
      'asOf=2028-01-01T10:00:00Z&asOf=2028-01-02T10:00:00Z',
    ]) {
      for (const path of [`/contracts/${id}?${query}`, ...(query.startsWith('asOf') ? [`/contracts/${id}/handover?${query}`] : [])]) {
        const answer = await send('GET', path, undefined, { 'content-type': '' });
        expect({ path, status: answer.status, code: answer.body.code }).toEqual({ path, status: 400, code: 'request.invalid' });
      }
    }
    expect((await send('GET', `/contracts/${id}?asOf=${encodeURIComponent('2000-01-01T00:00:00+14:00')}`, undefined)).status).toBe(404);
    expect(
      (await send('GET', `/contracts/${id}?asOf=${encodeURIComponent('2099-01-01T00:00:00+14:00')}&termsOn=2028-02-29`, undefined)).status,
    ).toBe(200);
  });

  it('refuses anything but an object of the right shape where one belongs, in every nested field and list', async () => {
    const before = await head();
    // The body the fuzz run got stored, corrupting the contract for good.
    const id = await draftAndActivate(api);
    const stored = await post(`/contracts/${id}/amendments`, {
      proposedBy: 'brand',
      documentRef: 'SA-X',
      effectiveOn: '2028-01-01',
      changes: [[]],
    });
    expect(stored).toMatchObject({ status: 400, body: { code: 'request.invalid', errors: [{ field: 'changes' }] } });
    const afterSetup = await head();

    let checked = 0;
    for (const { route, path, body } of writes.filter((write) => write.body !== undefined)) {
      for (const field of fields(body as Json)) {
        const isList = Array.isArray(field.value);
        if (field.value === null || typeof field.value !== 'object' || (isList && typeof (field.value as Json[])[0] !== 'object')) continue;
        for (const value of isList ? NOT_A_LIST_OF_OBJECTS : NOT_AN_OBJECT) {
          const answer = await post(path, replaced(body as Json, field.path, value));
          // An item of a list is named by the list ("each item of shops must be an object") or by its own path.
          const names =
            typeof field.path[field.path.length - 1] === 'number'
              ? [field.path.join('.'), field.path.slice(0, -1).join('.')]
              : [field.path.join('.')];
          const named = answer.body.errors?.some((error) =>
            names.some((name) => error.field === name || error.field.startsWith(`${name}.`)),
          );
          expect({ route, field: field.path.join('.'), value, status: answer.status, named }).toEqual({
            route,
            field: field.path.join('.'),
            value,
            status: 400,
            named: true,
          });
          checked += 1;
        }
      }
    }
    for (const list of [[null], [[]], [1]]) {
      const answer = await post(writes.find((write) => write.path.includes('/completion'))!.path, {
        evidence: { ...EVIDENCE[4], accountsRepointed: list },
      });
      expect({ list, status: answer.status, field: answer.body.errors?.[0]?.field }).toEqual({
        list,
        status: 400,
        field: 'evidence.accountsRepointed',
      });
    }
    expect(checked).toBeGreaterThan(100);
    expect(await head()).toBe(afterSetup);
    expect(before).not.toBe(afterSetup);
  });

  it('refuses null where an optional part may only be absent', async () => {
    const draft = writes.find((write) => write.path === '/contracts')!.body as Body;
    expect((await post('/contracts', { ...draft, consultingFee: null })).body).toMatchObject({
      status: 400,
      errors: [{ field: 'consultingFee' }],
    });
    expect((await post('/admin/keys', { role: 'brand', partyId: null, label: 'no party' })).body).toMatchObject({
      status: 400,
      errors: [{ field: 'partyId' }],
    });
  });

  it('refuses a property named like a method of the body or of Object, at any depth, like any unknown one', async () => {
    const before = await head();
    let checked = 0;
    for (const { route, path, body } of writes.filter((write) => write.body !== undefined)) {
      const objects = [
        [],
        ...fields(body as Json)
          .filter((field) => isObject(field.value))
          .map((field) => field.path),
      ];
      for (const at of objects) {
        for (const name of ['toString', 'valueOf', 'hasOwnProperty', 'toGrounds']) {
          const added = (part: Json) => ({ ...(part as Body), [name]: 'x' });
          const answer = await post(path, at.length ? replaced(body as Json, at, added(valueAt(body as Json, at))) : added(body as Json));
          const field = [...at, name].join('.');
          expect({ route, field, status: answer.status, named: answer.body.errors?.some((error) => error.field === field) }).toEqual({
            route,
            field,
            status: 400,
            named: true,
          });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(await head()).toBe(before);
  });
});

const isObject = (value: Json | undefined): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);
const valueAt = (body: Json, path: ReadonlyArray<string | number>): Json =>
  path.reduce<Json>((value, key) => (value as Record<string | number, Json>)[key], body);
