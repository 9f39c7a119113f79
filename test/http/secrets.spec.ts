import { findSecret, isSecretName, looksLikeSecret, normalizeForSecrets } from '../../src/shared/secrets';

const basic = (userAndPassword: string) => Buffer.from(userAndPassword).toString('base64');

describe('what looks like a secret', () => {
  it.each([
    [{ evidence: { password: 'x' } }, 'evidence.password'],
    [{ evidence: { newPassword: 'x' } }, 'evidence.newPassword'],
    [{ evidence: { 'pass\u200Bword': 'x' } }, 'evidence.pass\u200Bword'],
    [{ evidence: { ｐａｓｓｗｏｒｄ: 'x' } }, 'evidence.ｐａｓｓｗｏｒｄ'],
    [{ 'api-key': 'x' }, 'api-key'],
    [{ apiKey: 'x' }, 'apiKey'],
    [{ pin: '1234' }, 'pin'],
    [{ 密碼: 'x' }, '密碼'],
    [{ description: 'the password is Feiyue@2028!' }, 'description'],
    [{ description: 'login with pwd=hunter2 please' }, 'description'],
    [{ note: '新密码：Feiyue2028' }, 'note'],
    [{ evidenceRef: '-----BEGIN RSA PRIVATE KEY-----\nMIIE' }, 'evidenceRef'],
    [{ accounts: ['ok', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'] }, 'accounts.1'],
    [{ label: 'chk_4q9r2n1XbX0kE3oXzfl7Q0Yk2lqzNnV3n0x7bqzkP1w' }, 'label'],
    // A string holding JSON is opened: its fields are checked by name too.
    [{ description: '{"shop":"tmall","password":"hunter2"}' }, 'description'],
    [{ description: '["ok", "{\\"login\\": {\\"pwd\\": \\"x\\"}}"]' }, 'description'],
    // JSON encoded twice: a JSON string holding JSON.
    [{ description: '"{\\"password\\":\\"hunter2\\"}"' }, 'description'],
  ])('refuses %j at %s', (body, field) => {
    expect(findSecret(body)).toBe(field);
  });

  // Every disguise the fuzz run got stored, and the plain forms next to them.
  it.each([
    'password: hunter2',
    'Password=hunter2',
    '密码: hunter2',
    '密碼: hunter2',
    '密 码: hunter2',
    '口令：hunter2',
    '密鑰: hunter2',
    '金鑰=hunter2',
    '支付密码是 hunter2',
    'pass\u200Bword: hunter2',
    'pass\u00ADword: hunter2',
    'ｐａｓｓｗｏｒｄ: hunter2',
    'ｐａｓｓｗｏｒｄ：hunter2',
    'shop_password=hunter2',
    'passcode: 123456',
    'pw: hunter2',
    'PIN is 1234',
    'api_key=AbC123',
    'api-key: AbC123',
    'client_secret=AbC123',
    'access_token: AbC123',
    'see https://admin:S3cret@shop.example.com/login',
    'ftp://ops:hunter2@files.example.com',
    'Authorization: Bearer abcdef0123456789',
    'send it with bearer abc.def.ghi',
    `Authorization: Basic ${basic('admin:hunter2')}`,
    `use Basic ${basic('ops:S3cret')} on the portal`,
    '{"password":"hunter2"}',
    "{'password': 'hunter2'}",
    'password%3Dhunter2',
    'password%3A%20hunter2',
    'password%253Dhunter2',
    'password&#58; hunter2',
    'password&#x3A;hunter2',
    'password&colon;hunter2',
    // Excuse words only excuse as words: a value that starts with one is still a value.
    'password: no-hunter2',
    'token: pending.abc123XYZ',
    'api_key: now-4f9a8b7c',
    'secret: rotated-hunter2',
    // A Chinese secret word straight before its value, no separator.
    '密码hunter2',
    '密码 hunter2',
    '登录密码123456',
    // A JWT after a dash.
    'id-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'password\\u003ahunter2',
    'the token was AbC123',
    // After a colon, filler words do not excuse what follows: only words for what happened do.
    'password: the hunter2',
    'pwd = a1b2c3',
    // An AWS access key id on its own.
    'key id AKIAIOSFODNN7EXAMPLE',
  ])('finds the secret in %j', (text) => {
    expect(looksLikeSecret(text)).toBe(true);
  });

  it.each([
    'Brand duty 2: ship every day',
    'Orders of 8-12 March not shipped',
    'Orders of 8-12 March not shipped; the courier token system was down',
    'feiyue旗舰店',
    'feiyue旗舰店:cs01',
    '金飞跃旗舰店',
    'password reset was requested by the brand',
    'the password was rotated by Li Na on 2 April',
    'Password is required on first login',
    'Password: rotated on 2 April by Li Na',
    'shop password: reset, new one handed over in person',
    'the PIN was changed after the handover',
    'the bearer of this letter collects the stock',
    'Basic warehouse package',
    'Authorization: AUTH-DIST-2027 revoked',
    'SA-2028-01 (own warehouse logistics)',
    'https://shop.example.com/feiyue?tab=orders',
    'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'Clause 12.3: either party may end the contract on 30 days notice',
    '100% of orders: shipped',
    'Fish &amp; chips: 3 pallets',
  ])('lets %j through', (text) => {
    expect(looksLikeSecret(text)).toBe(false);
  });

  it.each([
    { documentRef: 'SA-2028-01 (own warehouse logistics)', effectiveOn: '2028-01-01' },
    {
      evidence: {
        kind: 'credential_handover',
        rotatedBy: 'op-yunshang:li.na',
        receivedBy: 'Zhang Wei',
        rotatedAt: '2028-04-02T10:00:00+08:00',
      },
    },
    {
      accountName: 'feiyue旗舰店:cs01',
      breachId: '9b2f6c1e-4a7d-4c55-9a63-3f1f2b8f1d2e',
      evidenceRef: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    },
    { description: 'Orders of 8-12 March not shipped; the courier token system was down' },
    { evidence: { kind: 'logistics_repointing', accountsRepointed: ['sf-express', 'cainiao'], confirmedBy: 'Li Na' } },
    { description: '{"orders": [1, 2, 3], "note": "shipped late"}' },
  ])('lets the body %j through', (body) => {
    expect(findSecret(body)).toBeUndefined();
  });

  it('names secret fields, however they are spelled, and not the fields of our bodies', () => {
    expect(
      [
        'password',
        'newPassword',
        'shop_password',
        'passcode',
        'pwd',
        'api-key',
        'client_secret',
        'accessToken',
        'privateKey',
        '支付密码',
        'ｐｗｄ',
      ].filter((name) => !isSecretName(name)),
    ).toEqual([]);
    const ours = [
      'documentRef',
      'revocationDocumentRef',
      'evidenceRef',
      'rotatedBy',
      'receivedBy',
      'accountsRepointed',
      'accountName',
      'signatory',
      'partyId',
      'breachId',
      'kind',
      'label',
      'position',
      'digest',
    ];
    expect(ours.filter(isSecretName)).toEqual([]);
  });

  it('normalizes by folding compatibility forms, invisible characters, traditional Chinese and escapes, in bounded rounds', () => {
    expect(normalizeForSecrets('ｐａｓｓ\u200Bｗｏｒｄ%253A&#32;x')).toBe('password: x');
    expect(normalizeForSecrets('密碼')).toBe('密码');
    // Percent-encoded ten times over: decoded five rounds deep, then left as it is rather than looping.
    const deep = Array.from({ length: 10 }).reduce<string>((text) => encodeURIComponent(text), 'password=x');
    expect(normalizeForSecrets(deep)).toContain('%');
    expect(normalizeForSecrets('%E0%A4%A')).toBe('%E0%A4%A');
  });

  it('walks a deeply nested value without recursion', () => {
    let deep: unknown = 'password: x';
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(findSecret(deep)).toBe(`${'0.'.repeat(100_000 - 1)}0`);
  });

  // Inputs that almost match, filling a whole body: a pattern that rescans from every start is quadratic
  // here ("eyJ-" repeated took 8 s before the JWT pattern was bounded). Not a performance claim: a guard
  // against catastrophic backtracking, with a bound a hundred times the linear time.
  it.each([
    '密码 ',
    'eyJ-',
    'eyJa.',
    'bearer a',
    'basic aaaaaaa_',
    'password ',
    'a://',
    'x://u:',
    'a.',
    'p-a-s-s-',
    '密 ',
    '%4',
    '&#',
    '{"a":"',
    'pw is the ',
  ])('checks 64 KiB of %j in linear time', (unit) => {
    const text = unit.repeat(Math.ceil(65_536 / unit.length));
    const started = Date.now();
    expect(findSecret({ text })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
