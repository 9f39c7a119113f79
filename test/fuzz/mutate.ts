import { isRecord, Random, stringKind, type Generated, type JsonPath, type Slot } from './generate';

/**
 * Mutations of a schema-valid request: field by field in the body, the body
 * as a whole, its headers, its path ids and its query. Every mutation has a
 * label, so a failure says what was done to the valid request.
 */

/** JSON text put verbatim in a body (numbers JSON.stringify cannot write, deep nesting built as text). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a body that may hold RawJson nodes. */
export function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) =>
    item instanceof RawJson ? `\u0000raw${raws.push(item.text) - 1}\u0000` : item,
  );
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_, index: string) => raws[Number(index)]);
}

export const BAD_DATES = [
  '2027-13-01',
  '2027-00-10',
  '2027-02-30',
  '2027-01-32',
  '2027-02-29',
  '2027-1-1',
  '27-01-01',
  '2027/01/01',
  '0000-01-01',
  '9999-12-31',
  '+275760-09-13',
  '2027-01-01T00:00:00Z',
  '20270101',
  'now',
  ' 2027-01-01',
];
export const BAD_INSTANTS = [
  '2027-01-01T25:00:00Z',
  '2027-01-01T10:00:00',
  '2027-02-30T10:00:00+08:00',
  '2027-01-01T10:00:00+25:00',
  '2027-01-01',
  '1e3',
  'Thu, 01 Jan 2027 00:00:00 GMT',
];
const ODD_NUMBERS: readonly unknown[] = [
  -1,
  -0.5,
  0.5,
  1.5,
  1e-7,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 53 + 2,
  10_001,
  Number.MAX_SAFE_INTEGER,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '0x10',
  '12',
  '',
  new RawJson('1e400'),
  new RawJson('-0'),
  new RawJson('1.0'),
  new RawJson('123456789012345678901234567890'),
];
const UNICODE = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200b',
  '\ufeff',
  'é',
  'e\u0301',
  '🦄',
  'Z\u0364\u0351\u0313',
  '\u0085',
  '\u2028',
  '\u3000',
  'null',
  'undefined',
  '<script>alert(1)</script>',
  "'; DROP TABLE events;--",
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  '{{7*7}}',
];

/**
 * Values a credential would take: each must be refused (400), never
 * recorded. Some are spelled as the pattern expects; the others are the same
 * secret in Unicode compatibility forms (full width, no-break spaces) that
 * NFKC normalization sees through.
 */
export const SECRET_VALUES = [
  'ｐａｓｓｗｏｒｄ: hunter2',
  'password: hunter2',
  'Password=x',
  'PIN is 1234',
  '密码：hunter2',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'chk_0123456789abcdef0123456789abcdef',
  'AKIAIOSFODNN7EXAMPLE',
  'ｐａｓｓｗｏｒｄ＝hunter2',
  'Password\u00a0: hunter2',
  '-----BEGIN\u00a0PRIVATE KEY-----',
  'ｅｙＪhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N',
];
/** Field names that say a secret is being sent, plain and disguised. */
export const SECRET_NAMES = ['password', 'apiKey', 'privateKey', 'secret', 'pin', 'ｐａｓｓｗｏｒｄ', 'pass\u200bword', 'PASSWORD'];

/** Whether JSON text still holds a planted secret, as a value (perhaps with text appended) or as a key. */
function carriesSecret(text: string): boolean {
  return (
    SECRET_VALUES.some((secret) => text.includes(JSON.stringify(secret).slice(0, -1))) ||
    SECRET_NAMES.some((name) => text.includes(`${JSON.stringify(name)}:`))
  );
}

export interface MutatedBody {
  readonly value: unknown;
  readonly labels: readonly string[];
  /** A secret was put in the body: the answer must not be 2xx. */
  readonly plantedSecret: boolean;
}

const deepArray = (depth: number) => new RawJson('['.repeat(depth) + ']'.repeat(depth));
const deepObject = (depth: number) => new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
const pathName = (path: JsonPath) => (path.length === 0 ? '(body)' : path.map(String).join('.'));

/** A property defined as an own key, so `__proto__` is sent as a key rather than setting a prototype. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function getAt(root: unknown, path: JsonPath): unknown {
  return path.reduce<unknown>(
    (node, part) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[part] : undefined),
    root,
  );
}

/** Sets (or with `undefined`, deletes) the value at a path; returns the new root. */
function setAt(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent === null || typeof parent !== 'object') return root;
  if (value === undefined) {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete (parent as Record<string, unknown>)[String(last)];
  } else if (typeof last === 'string') defineKey(parent as Record<string, unknown>, last, value);
  else (parent as unknown[])[last] = value;
  return root;
}

interface FieldMutation {
  readonly name: string;
  /** The new value at the slot (undefined drops it), or a change made in place. */
  readonly apply: (current: unknown, slot: Slot, random: Random, bodyLimit: number) => unknown;
  readonly when?: (slot: Slot, current: unknown) => boolean;
  readonly secret?: boolean;
}

const isDate = (slot: Slot) =>
  stringKind(slot.schema, String(slot.path.filter((part) => typeof part === 'string').at(-1) ?? '')) !== 'text';
/** Free text (a name, a reference): a secret put there is the only thing wrong with the request, so a 2xx means it was accepted. */
const isFreeText = (slot: Slot) =>
  slot.schema.type === 'string' && slot.schema.enum === undefined && slot.schema.pattern === undefined && !isDate(slot);

const FIELD_MUTATIONS: readonly FieldMutation[] = [
  { name: 'drop', apply: () => undefined, when: (slot) => slot.path.length > 0 },
  { name: 'null', apply: () => null },
  { name: 'wrong type', apply: (current, _slot, random) => random.pick([0, true, 'text', {}, [], [current], { value: current }]) },
  {
    name: 'null in array',
    apply: (current, _slot, random) => random.pick([[null], [...(current as unknown[]), null], [null, ...(current as unknown[])]]),
    when: (_slot, current) => Array.isArray(current),
  },
  {
    name: 'array of null for object',
    apply: (current, _slot, random) => random.pick([[null], [current, null], [[]]]),
    when: (slot, current) => isRecord(current) && slot.path.length > 0,
  },
  {
    name: 'array in array',
    apply: (current, _slot, random) =>
      random.pick([[[]], [...(current as unknown[]), []], [[], ...(current as unknown[])], [[...(current as unknown[])]]]),
    when: (_slot, current) => Array.isArray(current),
  },
  { name: 'array for object', apply: (current) => (isRecord(current) ? [current] : Array.isArray(current) ? { ...current } : [current]) },
  { name: 'empty string', apply: (_current, _slot, random) => random.pick(['', ' ', '\t\n']) },
  {
    name: 'huge string',
    apply: (_current, slot, random, bodyLimit) =>
      'x'.repeat(random.pick([(slot.schema.maxLength ?? 200) + 1, 10_000, bodyLimit - 600, bodyLimit + 10])),
  },
  {
    name: 'bad date',
    apply: (_current, slot, random) =>
      random.pick(stringKind(slot.schema, String(slot.path.at(-1))) === 'date-time' ? BAD_INSTANTS : BAD_DATES),
    when: isDate,
  },
  { name: 'bad date', apply: (_current, _slot, random) => random.pick([...BAD_DATES, ...BAD_INSTANTS]) },
  {
    name: 'prototype key',
    apply: (current, _slot, random) => {
      const target = isRecord(current) ? current : {};
      defineKey(
        target,
        random.pick(['__proto__', 'constructor', 'prototype']),
        random.pick([{}, { polluted: true }, { prototype: { polluted: true } }, 'x', null]),
      );
      return target;
    },
  },
  {
    name: 'extra property',
    apply: (current, _slot, random) => {
      if (!isRecord(current)) return current;
      defineKey(
        current,
        random.pick(['x', 'isAdmin', 'actor', 'contractId', 'revision', '', ' ', '$where', 'a.b', '0']),
        random.pick([1, 'x', true, null, {}]),
      );
      return current;
    },
    when: (_slot, current) => isRecord(current),
  },
  {
    name: 'deep nesting',
    apply: (_current, _slot, random) => (random.chance(0.5) ? deepArray : deepObject)(random.pick([2000, 100, 5000])),
  },
  { name: 'odd number', apply: (_current, _slot, random) => random.pick(ODD_NUMBERS) },
  {
    name: 'out of range',
    apply: (_current, slot, random) =>
      random.pick([(slot.schema.maximum ?? 10_000) + 1, (slot.schema.minimum ?? 0) - 1, -(2 ** 31), 2 ** 64]),
    when: (slot) => slot.schema.type === 'integer' || slot.schema.type === 'number',
  },
  {
    name: 'unicode',
    apply: (current, _slot, random) =>
      typeof current === 'string' && random.chance(0.5) ? `${current}${random.pick(UNICODE)}` : random.pick(UNICODE),
  },
  {
    name: 'odd enum',
    apply: (current, _slot, random) =>
      random.pick([String(current).toUpperCase(), ` ${String(current)}`, `${String(current)}\u0000`, 'other']),
    when: (slot) => slot.schema.enum !== undefined,
  },
  {
    name: 'too many items',
    apply: (current, slot) =>
      Array.from({ length: (slot.schema.maxItems ?? 100) + 1 }, (_, index) =>
        Array.isArray(current) && current.length > 0 ? current[index % current.length] : index,
      ),
    when: (slot) => slot.schema.type === 'array',
  },
  { name: 'secret value', apply: (_current, _slot, random) => random.pick(SECRET_VALUES), when: isFreeText, secret: true },
  {
    name: 'secret field',
    apply: (current, _slot, random) => {
      if (isRecord(current)) defineKey(current, random.pick(SECRET_NAMES), 'hunter2');
      return current;
    },
    when: (_slot, current) => isRecord(current),
    secret: true,
  },
];

/** Changes to the body as a whole: not an object, not JSON, too deep, too big. */
const BODY_MUTATIONS: readonly { readonly name: string; readonly apply: (valid: unknown, random: Random, bodyLimit: number) => unknown }[] =
  [
    { name: 'body null', apply: () => null },
    { name: 'body array', apply: (valid, random) => random.pick([[], [valid], [null]]) },
    { name: 'body scalar', apply: (_valid, random) => random.pick(['text', 42, true, '']) },
    { name: 'body empty object', apply: () => ({}) },
    { name: 'body deep nesting', apply: (_valid, random) => (random.chance(0.5) ? deepArray : deepObject)(random.pick([2000, 10_000])) },
    {
      name: 'body not JSON',
      apply: (_valid, random) =>
        new RawJson(
          random.pick(['{', '{"a":', "{'a':1}", '{"a":1}garbage', '{"a":1,}', 'NaN', '\ufeff{}', '{"a":"\\x"}', '{"a":"\\ud800"}']),
        ),
    },
    {
      name: 'body duplicate keys',
      apply: (valid) =>
        new RawJson(
          isRecord(valid) && Object.keys(valid).length > 0
            ? `${toJson(valid).slice(0, -1)},${JSON.stringify(Object.keys(valid)[0])}:null}`
            : '{"a":1,"a":2}',
        ),
    },
    {
      name: 'body near the limit',
      apply: (valid, random, bodyLimit) => {
        const padding = bodyLimit - toJson(valid).length - random.pick([40, 20, -10]);
        return isRecord(valid) ? { ...valid, padding: 'p'.repeat(Math.max(padding, 1)) } : 'p'.repeat(bodyLimit);
      },
    },
  ];

/** Random choices, but each mutation takes its first (canonical, most hostile) form: `[[]]`, `[null]`, 2027-13-01, 2,000 levels. */
class Canonical extends Random {
  override pick<T>(items: readonly T[]): T {
    return items[0];
  }
}

const KINDS = FIELD_MUTATIONS.length + BODY_MUTATIONS.length;
/** The sweep each write route starts with: every mutation once in its canonical form, then once in a random form. */
export const SWEEP_LENGTH = 2 * KINDS;

/**
 * A schema-valid body with one to three field mutations, or a whole-body
 * one. With a sweep index below SWEEP_LENGTH, exactly that one mutation
 * (on a random field it applies to): every kind is tried even on a small budget.
 */
export function mutateBody(generated: Generated, random: Random, bodyLimit: number, sweep?: number): MutatedBody {
  const swept = sweep !== undefined && sweep < SWEEP_LENGTH;
  const kind = (sweep ?? 0) % KINDS;
  const form = swept && sweep < KINDS ? new Canonical(random.int(0, 2 ** 31)) : random;
  if (swept ? kind >= FIELD_MUTATIONS.length : random.chance(0.12)) {
    const mutation = swept ? BODY_MUTATIONS[kind - FIELD_MUTATIONS.length] : random.pick(BODY_MUTATIONS);
    return { value: mutation.apply(clone(generated.value), form, bodyLimit), labels: [mutation.name], plantedSecret: false };
  }
  let value = clone(generated.value);
  const labels: string[] = [];
  let plantedSecret = false;
  const count = swept ? 1 : random.pick([1, 1, 1, 2, 3]);
  for (let index = 0; index < count; index++) {
    // The mutation first, then a field it applies to: each kind of mutation gets its share even on a
    // body with one array among thirty fields (so `changes` meets `[[]]` and `[null]` within a small budget).
    const mutation = swept ? FIELD_MUTATIONS[kind] : random.pick(FIELD_MUTATIONS);
    const slots = generated.slots.filter((slot) => mutation.when?.(slot, getAt(value, slot.path)) ?? true);
    if (slots.length === 0) continue;
    const slot = random.pick(slots);
    const current = getAt(value, slot.path);
    value = setAt(value, slot.path, mutation.apply(current, slot, form, bodyLimit));
    labels.push(`${pathName(slot.path)}: ${mutation.name}`);
    plantedSecret ||= mutation.secret === true;
  }
  // A later mutation may have overwritten the secret: it counts only if the body still carries it.
  return { value, labels, plantedSecret: plantedSecret && carriesSecret(toJson(value)) };
}

/** Content types other than JSON, or JSON said oddly. */
export const CONTENT_TYPES = [
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'application/merge-patch+json',
  'application/vnd.api+json',
  `application/json; ${'x='.repeat(500)}`,
  'application/json\u0000',
];

/** Odd header values; those with bytes an HTTP client refuses to send go over a raw socket. */
export const ODD_HEADERS: Readonly<Record<string, readonly string[]>> = {
  'if-match': [
    'abc',
    '"-1"',
    '"99999999999999999999"',
    '*',
    'W/"0"',
    '"0"',
    '"1"',
    '""',
    '"3", "4"',
    '0x10',
    'x'.repeat(8000),
    '"1\u0001"',
  ],
  'idempotency-key': [
    'x'.repeat(201),
    'x'.repeat(8000),
    'Password=x',
    'password: hunter2',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ24',
    'key with spaces',
    'caf\u00e9',
    '\u0001\u0002',
    'a\u007fb',
    '',
    ' ',
  ],
  'x-request-id': [
    '',
    'x'.repeat(129),
    'x'.repeat(8000),
    'a b',
    '../../etc',
    '<script>',
    'id\u0000',
    'caf\u00e9',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
  ],
  authorization: [
    '',
    'Bearer',
    'Bearer ',
    `Bearer ${'x'.repeat(5000)}`,
    'Basic YWRtaW46YWRtaW4=',
    'Bearer chk_0000000000000000000000000000000000000000000',
    'bearer chk_',
    'Bearer a\u0001b',
  ],
};

/** A header value Node's HTTP client would refuse (control characters): such requests go over a raw socket. */
export const needsRawSocket = (value: string) => /[^\t\x20-\x7e\x80-\xff]/.test(value);

/** Path ids that are not the target's: unknown, malformed, encoded oddly, or another contract's. */
export function badPathId(random: Random, otherIds: readonly string[]): string {
  return random.pick([
    random.uuid(),
    random.uuid().toUpperCase(),
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'x'.repeat(random.pick([300, 5000])),
    '%2e%2e',
    '..%2F..%2Fadmin',
    '%00',
    '%zz',
    '%F0%9F%A6%84',
    '__proto__',
    'constructor',
    '1;DROP',
    `${random.uuid()}%0A`,
    ...(otherIds.length > 0 ? [random.pick(otherIds), random.pick(otherIds)] : []),
  ]);
}

/** Bad query values for reads, besides the schema's own. */
export const ODD_QUERY_VALUES = [
  '2027-13-01',
  '2027-02-30',
  'garbage',
  '-1',
  '0',
  '',
  '1.5',
  '1e3',
  '99999999999999999999',
  '2027-01-01T25:00:00Z',
  'x'.repeat(3000),
  '%00',
  '%zz',
  'null',
  '[]',
  '{}',
  'true',
  '１２',
];
export const ODD_QUERY_KEYS = ['__proto__', 'constructor', 'prototype', 'foo', 'constructor[prototype][x]', '__proto__[x]', 'limit[]', ''];
