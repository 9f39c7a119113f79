import { jsonDepth, MAX_JSON_DEPTH } from './json-depth';

/**
 * What looks like a credential, in a field name or in text. Pure: the
 * request pipe, the header checks and the tests share it.
 *
 * Text is normalized before the check, so that a secret cannot slip past in
 * disguise: compatibility forms (fullwidth letters, `：`) folded, accents
 * and invisible format characters (zero-width spaces ...) removed,
 * traditional Chinese mapped to simplified, and percent-, HTML-entity- and
 * `\u`-escapes decoded until nothing changes (a few rounds at most). A string
 * that is itself JSON is parsed and walked like a body.
 */

/** Field names that mean a secret is being sent. */
const SECRET_NAME =
  /pass(word|wd|phrase|code)?$|passw|passcode|^pwd$|^pw$|secret|token|^pin$|pin_?code|private_?key|api_?key|access_?key|credential|authorization|密码|口令|密钥|凭证/i;

/** Words for a secret, then a separator, then something: the secret itself. */
const KEYWORD =
  '(?:[a-z]*p[\\s._-]?a[\\s._-]?s[\\s._-]?s[\\s._-]?w[\\s._-]?o[\\s._-]?r[\\s._-]?d|[a-z]*passw(?:or)?d|[a-z]*passcode|[a-z]*passphrase|pwd|pw|pin(?:[\\s_-]?code)?|[a-z]*secret|[a-z]*token|api[\\s_-]?key|access[\\s_-]?key|private[\\s_-]?key)';
/** A word of a sentence ends at a space, at the end, or at punctuation that ends it: "no-hunter2" and "pending.abc1" are values. */
const WORD_ENDS = '(?=\\s|$|[.,;:!?](?:\\s|$))';
/**
 * Words that say what happened to a password rather than what it is
 * ("password: rotated on 2 April", "the password was reset"): business text.
 */
const WHAT_HAPPENED = `(?:rotated|changed|reset|updated|revoked|handed|given|sent|received|requested|required|expired|unchanged|pending|set|not|never|none|no|being|been|already|successfully|now|also|still)${WORD_ENDS}`;
/** After "is" or "was", also the words of a sentence going on ("the password is the one on file"). */
const SENTENCE_GOES_ON = `(?:the|a|an|to|by|on|in|at|of|for|and|or|with|correct|wrong|invalid|missing|unknown|empty)${WORD_ENDS}`;
const SECRET_VALUE: readonly RegExp[] = [
  new RegExp(`(?<![a-z0-9])${KEYWORD}["']?\\s*(?:[:=]|=>|->)\\s*["']?(?!${WHAT_HAPPENED})[^\\s"',;]+`, 'i'),
  new RegExp(`(?<![a-z0-9])${KEYWORD}\\s+(?:is|was)\\s+["']?(?!${WHAT_HAPPENED}|${SENTENCE_GOES_ON})[^\\s"',;]+`, 'i'),
  /(?:密\s*码|口\s*令|密\s*钥|凭\s*证)\s*(?:是|为|[:=])\s*\S+/,
  // A secret word straight before a value of letters and digits, no separator: "密码hunter2", "登录密码 123456".
  new RegExp(`(?:密\\s*码|口\\s*令|密\\s*钥)\\s*(?!${WHAT_HAPPENED})[\\w!@#$%^&*.+-]{4,}`, 'i'),
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  // A JWT, wherever it starts but inside a run of letters and digits. Its header part is short:
  // bounding it keeps "eyJ-eyJ-..." linear (each start scans at most that far).
  /(?<![a-z0-9])eyJ[\w-]{8,512}\.[\w-]{8,}\.[\w-]{8,}/i,
  /\bchk_[\w-]{20,}/, // an API key of this service
  /\bAKIA[0-9A-Z]{16}\b/, // an AWS access key id
  /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s/@:]{1,256}:[^\s/@]{1,256}@/i, // a URL with user and password: scheme://user:pass@host
  /\bauthorization\s*[:=]\s*(?:bearer|basic|digest|token|apikey|negotiate)\b/i, // an authorization header's text
  /\bbearer\s+(?=[\w.~+/=-]*[\d._~+/=-])[\w.~+/=-]{8,}/i, // a bearer token: has a digit or punctuation, unlike "bearer shipments"
];
const BASIC_CREDENTIALS = /\bbasic\s+([a-z0-9+/]{6,}={0,2})(?![\w+/=])/gi;
/**
 * Something every pattern above needs, in its own letters: text with none of
 * these (most names and business text) cannot match any, and is let through
 * without running them. KEYWORD's words all hold "p·a·s" (the password words),
 * "pw", "pin", "api", "private", "secret", "token" or "access".
 */
const COULD_BE_SECRET =
  /p[\s._-]?a[\s._-]?s|pw|pin|api|private|secret|token|access|[密口凭]|-----BEGIN|eyj|chk_|akia|:\/\/|authorization|bearer|basic/i;
/** Text normalization leaves as it is: ASCII (no accents, no format characters, no fullwidth forms) with no `%`, `&` or `\` to decode. */
const NOTHING_TO_NORMALIZE = /^[\0-\x24\x27-\x5b\x5d-\x7f]*$/;

/** Traditional forms of the words above, to their simplified form. */
const SIMPLIFIED: Record<string, string> = { 碼: '码', 鑰: '钥', 金: '密', 憑: '凭', 證: '证' };

const NAMED_ENTITIES: Record<string, string> = {
  colon: ':',
  equals: '=',
  quot: '"',
  apos: "'",
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: ' ',
  sol: '/',
  commat: '@',
  num: '#',
  semi: ';',
  comma: ',',
  lowbar: '_',
  period: '.',
  hyphen: '-',
  dash: '-',
};

const DECODING_ROUNDS = 5;
/** How many strings-inside-strings deep a JSON string value is opened. */
const NESTED_JSON_LEVELS = 3;

/** The text as the check sees it (never stored): see the module comment. */
export function normalizeForSecrets(text: string): string {
  if (NOTHING_TO_NORMALIZE.test(text)) return text;
  let current = fold(text);
  for (let round = 0; round < DECODING_ROUNDS; round += 1) {
    const decoded = fold(decodeEscapes(current));
    if (decoded === current) break;
    current = decoded;
  }
  return current;
}

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}]/gu, '')
    .replace(/[碼鑰憑證]|金(?=\s*[鑰钥])/g, (char) => SIMPLIFIED[char] ?? char)
    .normalize('NFC');
}

function decodeEscapes(text: string): string {
  return text
    .replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run; // not UTF-8: left as it is
      }
    })
    .replace(/&#x([0-9a-f]{1,6});?|&#(\d{1,7});?|&([a-z]+);/gi, (entity, hex?: string, decimal?: string, name?: string) => {
      if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
      const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
      return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    })
    .replace(/\\u([0-9a-f]{4})|\\x([0-9a-f]{2})/gi, (_escape, u?: string, x?: string) => String.fromCharCode(parseInt(u ?? x ?? '', 16)));
}

/** True when the text, once normalized, holds something that looks like a credential. */
export function looksLikeSecret(text: string): boolean {
  const normalized = normalizeForSecrets(text);
  if (!COULD_BE_SECRET.test(normalized)) return false;
  return SECRET_VALUE.some((pattern) => pattern.test(normalized)) || hasBasicCredentials(normalized);
}

/** `Basic <base64 of user:password>`; "Basic warehouse" decodes to no `user:password`. */
function hasBasicCredentials(text: string): boolean {
  for (const [, encoded] of text.matchAll(BASIC_CREDENTIALS)) {
    if (/^[^\s:]+:\S+$/.test(Buffer.from(encoded, 'base64').toString('latin1'))) return true;
  }
  return false;
}

/** True for a field name that means a secret, however it is spelled (`newPassword`, `api-key`, `ｐｗｄ`, `密碼`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(normalizeForSecrets(name).replace(/[\s-]/g, '_'));
}

/**
 * The path of the first field whose name or value looks like a secret, if
 * any. Walks without recursion; a string that is JSON is opened and walked
 * too, a few levels at most, and what is found inside it is reported at the
 * field that holds the string.
 */
export function findSecret(body: unknown): string | undefined {
  const pending: Array<{ value: unknown; path: string; level: number; holder?: string }> = [{ value: body, path: '', level: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, level } = next;
    const at = next.holder ?? (path || '(body)');
    if (typeof value === 'string') {
      if (looksLikeSecret(value)) return at;
      const inner = level < NESTED_JSON_LEVELS ? parseJsonText(value) : undefined;
      if (inner !== undefined) pending.push({ value: inner, path, level: level + 1, holder: at });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      const named = entries.find(([key]) => isSecretName(key) || looksLikeSecret(key));
      if (named) return next.holder ?? (path ? `${path}.${named[0]}` : named[0]);
      // Pushed in reverse, so the values are checked in order and the first secret one is named.
      for (const [key, item] of entries.reverse()) {
        pending.push({
          value: item,
          path: path ? `${path}.${key}` : key,
          level,
          ...(next.holder === undefined ? {} : { holder: next.holder }),
        });
      }
    }
  }
  return undefined;
}

/** A string that is a JSON object, array or string (JSON encoded twice), parsed (depth-checked first), or undefined. */
function parseJsonText(text: string): unknown {
  const trimmed = normalizeForSecrets(text).trim();
  if (!/^["[{]/.test(trimmed) || jsonDepth(trimmed) > MAX_JSON_DEPTH) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}
