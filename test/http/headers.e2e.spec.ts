import { randomUUID } from 'node:crypto';
import { isSafeToken } from '../../src/http/headers';
import { EventStore } from '../../src/event-store/event-store.port';
import { draftAndActivate, OPERATOR } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
/** Header values that must never be stored or logged: bad format, or a credential in the token format. */
const REFUSED = [
  'Password=Feiyue2028',
  JWT,
  'chk_4q9r2n1XbX0kE3oXzfl7Q0Yk2lqzNnV3n0x7bqzkP1w',
  'AKIAIOSFODNN7EXAMPLE',
  'password_Feiyue2028',
  'shop-pwd-2028',
  'my-api_key-1',
  'x'.repeat(65),
  'a b',
  'a.b',
  'k:1',
  '',
  'cl\u00e9',
];
const ACCEPTED = [randomUUID(), 'acc-1', 'draft-feiyue-2027', 'k', 'req_breach_1', 'A'.repeat(64)];

describe('header values that are stored and logged', () => {
  it('are plain tokens that do not look like secrets', () => {
    expect(ACCEPTED.filter((value) => !isSafeToken(value))).toEqual([]);
    expect(REFUSED.filter((value) => isSafeToken(value))).toEqual([]);
    expect(isSafeToken(undefined)).toBe(false);
  });
});

describe('Idempotency-Key, X-Request-Id and If-Match at the edge', () => {
  let api: TestApi;
  let id: string;
  beforeAll(async () => {
    api = await startTestApp();
    id = await draftAndActivate(api);
  });
  afterAll(async () => {
    await api.stop();
  });
  const account = (headers: Record<string, string>) =>
    api
      .as(OPERATOR)
      .post(`/contracts/${id}/accounts`, { platform: 'tmall', accountName: `shop-${randomUUID()}`, kind: 'sub_account' }, headers);
  const lastEvent = async () => {
    const read = await api.app.get(EventStore).readStream(`contract-${id}`, { direction: 'backwards', maxCount: 1 });
    return read.found ? read.events[0] : undefined;
  };

  it('refuses an Idempotency-Key that is not a plain token, or looks like a secret, with 400 and writes nothing', async () => {
    const before = (await lastEvent())?.revision;
    for (const key of REFUSED) {
      const answer = await account({ 'idempotency-key': key });
      expect({ key, status: answer.status, code: answer.body.code, header: answer.body.header }).toEqual({
        key,
        status: 400,
        code: 'request.invalid_header',
        header: 'Idempotency-Key',
      });
    }
    expect((await lastEvent())?.revision).toBe(before);
    const key = randomUUID();
    expect((await account({ 'idempotency-key': key })).status).toBe(201);
    expect((await lastEvent())?.metadata).toMatchObject({ idempotencyKey: key });
  });

  it('uses an X-Request-Id as correlation id only when it is a plain token that is not secret-looking; otherwise a fresh UUID, and the write goes on', async () => {
    for (const requestId of REFUSED.filter((value) => value !== '')) {
      const answer = await account({ 'x-request-id': requestId });
      const echoed = answer.headers.get('x-request-id');
      expect({ requestId, status: answer.status, echoed }).toEqual({
        requestId,
        status: 201,
        echoed: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect((await lastEvent())?.metadata.correlationId).toBe(echoed);
    }
    for (const requestId of ACCEPTED) {
      const answer = await account({ 'x-request-id': requestId });
      expect(answer.headers.get('x-request-id')).toBe(requestId);
      expect((await lastEvent())?.metadata.correlationId).toBe(requestId);
    }
  });

  it('refuses an If-Match that is not a revision with 400, and a stale one with 412', async () => {
    for (const ifMatch of ['*', '"abc"', '"1", "2"', '"1234567890123456789"', '-1', '"1"x']) {
      const answer = await account({ 'if-match': ifMatch });
      expect({ ifMatch, status: answer.status, code: answer.body.code }).toEqual({ ifMatch, status: 400, code: 'request.invalid_header' });
    }
    expect((await account({ 'if-match': '"0"' })).status).toBe(412);
  });
});
