import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApi } from '../support/http-client';
import { operations, type Json } from './openapi-checks';

const SRC = join(__dirname, '../../src');
/** The domain's refusal helpers and the status problem-details.filter.ts gives their category. */
const STATUS_OF_HELPER: Record<string, number> = { notFound: 404, conflict: 409, invalid: 422, forbidden: 403 };

/** Codes in src that no route answers on purpose, and why. */
const NOT_ANSWERED: Record<string, string> = {
  'event_store.revision_conflict': 'the write paths decide again on fresh state; the port error never reaches the filter',
  internal: 'a bug: 500, with no code a client could act on',
  'access.no_rule': 'a command type without an access rule does not compile, and parseCommand refuses unknown types before authorize runs',
  'event_store.malformed_event':
    'an append the schema gate refuses is a bug of ours (500 internal); a stored one answers history.malformed',
  'access.service_only': 'no route records an expiry: the service does, as its own admin principal',
  'contract.not_expired': 'no route records an expiry: the expiry scheduler does, only on contracts whose term has ended',
};

function sources(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [{ file: path, text: readFileSync(path, 'utf8') }] : [];
  });
}

/**
 * Every problem code the source can raise, with its status where the source
 * says it: the domain's helpers, `problem(status, code ...)` at the HTTP edge
 * (a ternary of codes included), the domain's `refuse...` helpers that take
 * the code to raise (their status is their own business), the framework
 * refusals' table in the filter, and error classes' `code` fields (their
 * status is the filter's business).
 */
function raisedCodes(): Array<{ code: string; status?: number; file: string }> {
  const codesIn = (text: string) => [...text.matchAll(/'([a-z_]+(?:\.[a-z_]+)*)'/g)].map((match) => match[1]);
  return sources(SRC).flatMap(({ file, text }) => [
    ...[...text.matchAll(/\b(notFound|conflict|invalid|forbidden)\(\s*'([a-z_.]+)'/g)].map((match) => ({
      code: match[2],
      status: STATUS_OF_HELPER[match[1]],
      file,
    })),
    ...[...text.matchAll(/\bproblem\(\s*(\d{3}),([^,]+),/g)].flatMap((match) =>
      codesIn(match[2]).map((code) => ({ code, status: Number(match[1]), file })),
    ),
    ...[...text.matchAll(/\brefuse\w*\(([^)]*)\)/g)].flatMap((match) =>
      [...match[1].matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)].map((code) => ({ code: code[1], file })),
    ),
    ...[...text.matchAll(/readonly code = '([a-z_.]+)'/g)].map((match) => ({ code: match[1], file })),
    // The framework's own refusals (malformed JSON, size, media type); not `route.*`, which answers paths that are no route.
    ...[...(/CODE_OF_STATUS[^{]*\{([^}]*)\}/.exec(text)?.[1] ?? '').matchAll(/(\d{3}): '([a-z_.]+)'/g)]
      .filter((match) => !match[2].startsWith('route.'))
      .map((match) => ({ code: match[2], status: Number(match[1]), file })),
  ]);
}

describe('the problem codes in the OpenAPI document', () => {
  let api: TestApi;
  let documented: Array<{ code: string; status: number; operation: string }>;
  beforeAll(async () => {
    api = await startTestApp();
    const document: Json = (await api.call('GET', '/docs-json')).body;
    documented = operations(document).flatMap(([method, path, operation]) =>
      Object.entries(operation.responses as Record<string, Json>).flatMap(([status, response]) =>
        ((response.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties?.code?.enum ?? []) as string[]).map((code) => ({
          code,
          status: Number(status),
          operation: `${method} ${path}`,
        })),
      ),
    );
  });
  afterAll(async () => {
    await api.stop();
  });

  it('finds the codes it checks in the source', () => {
    const codes = raisedCodes().map(({ code }) => code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'termination.own_breach',
        'breach.outside_term',
        'request.invalid_id',
        'auth.missing_key',
        'auth.invalid_key',
        'read_models.behind',
        'request.too_large',
      ]),
    );
  });

  it('lists every code raised in src under some route, with the status it is raised with', () => {
    const isDocumented = ({ code, status }: { code: string; status?: number }) =>
      documented.some((entry) => entry.code === code && (status === undefined || entry.status === status));
    const missing = raisedCodes().filter((raised) => !(raised.code in NOT_ANSWERED) && !isDocumented(raised));
    expect(missing).toEqual([]);
  });

  it('lists no code that nothing raises', () => {
    const raised = new Set(raisedCodes().map(({ code }) => code));
    expect([...new Set(documented.map(({ code }) => code))].filter((code) => !raised.has(code))).toEqual([]);
  });

  it('answers every write on a contract with the codes of its refusals and of the write path', () => {
    const terminate = documented
      .filter(({ operation }) => operation === 'post /contracts/{id}/termination')
      .map(({ status, code }) => `${status} ${code}`);
    expect(terminate).toEqual(
      expect.arrayContaining([
        '409 contract.not_active',
        '422 termination.own_breach',
        '412 concurrency.stale_revision',
        '422 idempotency.key_reused',
        '400 request.invalid_header',
        '400 request.invalid_id',
        '503 event_store.unavailable',
      ]),
    );
  });
});
