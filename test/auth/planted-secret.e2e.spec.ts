import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore } from '../../src/event-store/event-store.port';
import { draftAndActivate } from '../support/contract-api';
import { captureLogs, startTestApp, type HttpAnswer, type TestApi } from '../support/http-client';
import { everyWrite, fields, replaced, type Json, type Write } from '../http/write-bodies';

/** The secret every form carries; what must be found nowhere afterwards. */
const NEEDLE = 'S3cretNeedle2028';
const BASIC = Buffer.from(`admin:${NEEDLE}`).toString('base64');
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIke${NEEDLE}In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`;
const API_KEY = `chk_${NEEDLE}XbX0kE3oXzfl7Q0Yk2lqzNnV3n0x7bq`;
const AWS_KEY = 'AKIA2E0A8F3B244C9986';

interface Form {
  readonly name: string;
  readonly text: string;
  /** What to look for afterwards, when the form does not show NEEDLE as it is. */
  readonly needle?: string;
}

/** Every disguise a secret came in during the fuzz run, and the plain forms. */
const FORMS: readonly Form[] = [
  { name: 'plain', text: `password: ${NEEDLE}` },
  { name: 'sentence', text: `the password is ${NEEDLE}` },
  { name: 'simplified Chinese', text: `密码: ${NEEDLE}` },
  { name: 'traditional Chinese', text: `密碼: ${NEEDLE}` },
  { name: 'Chinese with a space', text: `密 码: ${NEEDLE}` },
  { name: 'koulìng, fullwidth colon', text: `口令：${NEEDLE}` },
  { name: 'traditional key', text: `密鑰=${NEEDLE}` },
  { name: 'Taiwanese key', text: `金鑰: ${NEEDLE}` },
  { name: 'zero-width space', text: `pass\u200Bword: ${NEEDLE}` },
  { name: 'fullwidth letters', text: `ｐａｓｓｗｏｒｄ: ${NEEDLE}` },
  { name: 'prefixed name', text: `shop_password=${NEEDLE}` },
  { name: 'passcode', text: `passcode: ${NEEDLE}` },
  { name: 'pw', text: `pw: ${NEEDLE}` },
  { name: 'pwd', text: `pwd=${NEEDLE}` },
  { name: 'api key', text: `api_key=${NEEDLE}` },
  { name: 'client secret', text: `client_secret=${NEEDLE}` },
  { name: 'token', text: `token: ${NEEDLE}` },
  { name: 'URL user info', text: `https://admin:${NEEDLE}@shop.example.com/login` },
  { name: 'bearer header', text: `Authorization: Bearer ${NEEDLE}` },
  { name: 'basic header', text: `Authorization: Basic ${BASIC}`, needle: BASIC },
  { name: 'JSON in a string', text: `{"password":"${NEEDLE}"}` },
  { name: 'percent-encoded =', text: `password%3D${NEEDLE}` },
  { name: 'percent-encoded ": "', text: `password%3A%20${NEEDLE}` },
  { name: 'decimal entity', text: `password&#58; ${NEEDLE}` },
  { name: 'named entity', text: `password&colon;${NEEDLE}` },
  { name: 'private key', text: `-----BEGIN PRIVATE KEY-----\n${NEEDLE}\n-----END PRIVATE KEY-----` },
  { name: 'JWT', text: JWT, needle: JWT },
  { name: 'our API key', text: API_KEY, needle: API_KEY },
  { name: 'AWS key id', text: AWS_KEY, needle: AWS_KEY },
];

/** Field names that mean a secret, however they are spelled. */
const NAMES = [
  'password',
  'newPassword',
  'pass\u200Bword',
  'ｐａｓｓｗｏｒｄ',
  '密碼',
  'shop_password',
  'passcode',
  'pw',
  'api_key',
  'apiKey',
  'token',
  'client_secret',
  'pin',
];

/**
 * Header values: every form (percent-encoded where it is not Latin-1, as a
 * client would have to send it), and the secrets that fit the token format.
 */
const HEADER_FORMS: readonly Form[] = [
  ...FORMS.map((form) => ({ ...form, text: /^[\x20-\xff]*$/.test(form.text) ? form.text : encodeURIComponent(form.text) })),
  ...['password_', 'pwd-', 'secret-', 'token_', 'apikey-', 'Bearer-'].map((prefix) => ({
    name: `${prefix}token`,
    text: `${prefix}${NEEDLE}`,
  })),
];

const NEEDLES = [...new Set([NEEDLE, ...FORMS.map((form) => form.needle ?? NEEDLE)])];

describe('a secret planted in every stored field of every write route, and in the headers that are kept', () => {
  let api: TestApi;
  let writes: Write[];
  let authorization: Record<string, string>;
  const logs = captureLogs();
  beforeAll(async () => {
    api = await startTestApp({ LOG_LEVEL: 'trace', RATE_LIMIT_PER_MINUTE: '1000000' }, { logDestination: logs });
    authorization = { authorization: `Bearer ${(await api.keyOf('admin')).key}` };
    writes = await everyWrite(api);
  });
  afterAll(async () => {
    await api.stop();
  });

  /** Sends the requests `parallel` at a time: thousands of them, each refused at once. */
  async function sendAll(requests: ReadonlyArray<{ label: string; send: () => Promise<HttpAnswer> }>, parallel = 8) {
    const answers: Array<{ label: string; answer: HttpAnswer }> = [];
    for (let start = 0; start < requests.length; start += parallel) {
      const batch = requests.slice(start, start + parallel);
      answers.push(...(await Promise.all(batch.map(async ({ label, send }) => ({ label, answer: await send() })))));
    }
    return answers;
  }
  const refusedAsSecret = (answers: Array<{ label: string; answer: HttpAnswer }>) =>
    answers
      .filter(
        ({ answer }) =>
          answer.status !== 400 ||
          answer.body?.code !== 'request.secret_refused' ||
          !String(answer.body?.detail).includes('record that the credentials were rotated'),
      )
      .map(({ label, answer }) => `${label}: ${answer.status} ${answer.body?.code}`);

  // The table: every form in every write route, and every stored field of each route planted at least
  // once, the forms taking turns over the fields (the detector is the same for every field, so the
  // full product would repeat the same check thousands of times).
  it('is refused in every write route in every form, and in every string field of every body', async () => {
    const requests = writes
      .filter((write) => write.body !== undefined)
      .flatMap(({ route, method, path, body }) => {
        const strings = fields(body as Json).filter((field) => typeof field.value === 'string');
        return Array.from({ length: Math.max(strings.length, FORMS.length) }, (_, turn) => {
          const [field, form] = [strings[turn % strings.length], FORMS[turn % FORMS.length]];
          return {
            label: `${route} ${field.path.join('.')} ${form.name}`,
            send: () => api.call(method, path, replaced(body as Json, field.path, `${field.value as string} ${form.text}`), authorization),
          };
        });
      });
    const planted = new Set(requests.map(({ label }) => label));
    for (const { route } of writes.filter((write) => write.body !== undefined)) {
      expect({
        route,
        forms: FORMS.filter((form) => ![...planted].some((label) => label.startsWith(`${route} `) && label.endsWith(` ${form.name}`))).map(
          (form) => form.name,
        ),
      }).toEqual({ route, forms: [] });
    }
    expect(refusedAsSecret(await sendAll(requests))).toEqual([]);
  });

  it('is refused as a field name, at the top and inside evidence', async () => {
    const requests = writes
      .filter((write) => write.body !== undefined)
      .flatMap(({ route, method, path, body }) =>
        NAMES.flatMap((name) => [
          { label: `${route} ${name}`, send: () => api.call(method, path, { ...body, [name]: NEEDLE }, authorization) },
          ...('evidence' in body!
            ? [
                {
                  label: `${route} evidence.${name}`,
                  send: () => api.call(method, path, { evidence: { ...(body.evidence as object), [name]: NEEDLE } }, authorization),
                },
              ]
            : []),
        ]),
      );
    expect(refusedAsSecret(await sendAll(requests))).toEqual([]);
  });

  it('is refused in an Idempotency-Key on every write route, and never kept from an X-Request-Id', async () => {
    // Only contract writes read the key (and would keep it in the event's metadata): every form on
    // one of them, and every one of them with the secrets that fit the token format.
    const id = await draftAndActivate(api);
    const account = (index: number) => ({ platform: 'tmall', accountName: `shop-${index}`, kind: 'sub_account' });
    const recording = writes.filter((write) => write.path.startsWith('/contracts'));
    const keys = await sendAll([
      ...HEADER_FORMS.map((form, index) => ({
        label: `POST /contracts/:id/accounts ${form.name}`,
        send: () => api.call('POST', `/contracts/${id}/accounts`, account(index), { ...authorization, 'idempotency-key': form.text }),
      })),
      ...recording.flatMap(({ route, method, path, body }) =>
        [API_KEY, AWS_KEY, `password_${NEEDLE}`].map((key) => ({
          label: `${route} ${key}`,
          send: () => api.call(method, path, body, { ...authorization, 'idempotency-key': key }),
        })),
      ),
    ]);
    expect(
      keys.filter(({ answer }) => answer.body?.code !== 'request.invalid_header').map(({ label, answer }) => `${label}: ${answer.status}`),
    ).toEqual([]);

    // A tracing header never fails a write: the write is recorded, under a fresh correlation id.
    const traced = await sendAll(
      HEADER_FORMS.map((form, index) => ({
        label: form.name,
        send: () => api.call('POST', `/contracts/${id}/accounts`, account(index), { ...authorization, 'x-request-id': form.text }),
      })),
      1,
    );
    expect(
      traced.map(({ label, answer }) => ({
        label,
        status: answer.status,
        echoed: /^[0-9a-f-]{36}$/.test(answer.headers.get('x-request-id') ?? ''),
      })),
    ).toEqual(HEADER_FORMS.map((form) => ({ label: form.name, status: 201, echoed: true })));
  });

  // After the tests above: everything they sent was refused or recorded without the secret.
  it('is found in no event, read-model row, store file or log line', async () => {
    // The one write without a body (a key's revocation): a secret in its query string is not kept either.
    const deletion = writes.find((write) => write.method === 'DELETE')!;
    expect((await api.call('DELETE', `${deletion.path}?note=${encodeURIComponent(FORMS[0].text)}`, undefined, authorization)).status).toBe(
      200,
    );
    // Nor one pasted into a path segment of a contract write (an id is the client's to choose): the request log redacts it.
    const deregistration = writes.find((write) => write.path.endsWith('/deregistration'))!;
    const accounts = deregistration.path.split('/').slice(0, -2).join('/');
    const deregister = (account: string) => api.call('POST', `${accounts}/${account}/deregistration`, deregistration.body, authorization);
    for (const form of FORMS) expect((await deregister(encodeURIComponent(form.text))).status).toBeGreaterThanOrEqual(400);
    // Across segments too, unencoded where a path allows it, as a URL with user info would be.
    for (const form of FORMS.filter(({ text }) => !/[?#%\s]/.test(text))) {
      expect((await deregister(`${form.text}/x`)).status).toBeGreaterThanOrEqual(400);
    }
    await api.get('/contracts');

    const events = JSON.stringify(await api.app.get(EventStore).readAll({ maxCount: 100_000 }), (_key, value: unknown) =>
      typeof value === 'bigint' ? String(value) : value,
    );
    expect(events).toContain('AccountRegistered');
    const db = new Database(join(api.dataDir, 'read-models.sqlite'), { readonly: true });
    const readModels = JSON.stringify([
      ...['contract_summaries', 'contract_summaries_parts', 'handover_checklists', 'handover_checklists_parts'].map((table) =>
        db.prepare(`SELECT * FROM ${table}`).all(),
      ),
    ]);
    db.close();
    const files = ['events.sqlite', 'events.sqlite-wal', 'read-models.sqlite', 'read-models.sqlite-wal']
      .map((name) => join(api.dataDir, name))
      .filter(existsSync);
    const found = NEEDLES.flatMap((needle) => [
      ...(events.includes(needle) ? [`event: ${needle}`] : []),
      ...(readModels.includes(needle) ? [`read model: ${needle}`] : []),
      ...files.filter((file) => readFileSync(file).includes(needle)).map((file) => `${file}: ${needle}`),
      ...logs.lines.filter((line) => line.includes(needle)).map((line) => `log: ${line}`),
    ]);
    expect(found).toEqual([]);
    expect(logs.lines.length).toBeGreaterThan(1000);
    expect(logs.lines.filter((line) => /bearer|"authorization"/i.test(line))).toEqual([]);
  });
});
