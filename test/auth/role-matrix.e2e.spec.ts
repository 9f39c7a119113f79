import { startTestApp, type HttpAnswer, type TestApi } from '../support/http-client';
import { CALLERS, MATRIX, type Caller, type Route } from '../support/route-catalog';

/** 2xx, or an answer about the contract's state or rules, means the access check passed. */
function outcome(status: number): string {
  if (status === 401 || status === 403 || status === 404) return String(status);
  return (status >= 200 && status < 300) || status === 409 || status === 412 || status === 422 ? 'ok' : `unexpected ${status}`;
}

/**
 * Every route against every kind of caller. `ok` means the access check let
 * the request through (2xx, or a business answer such as 409 on the contract's
 * state); 401, 403 and 404 are the refusals. A contract a caller may not see
 * answers 404: its existence is not leaked.
 */
describe('the role matrix: every route against every caller', () => {
  let api: TestApi;
  beforeAll(async () => {
    // Every route by every caller, each on a contract of its own: more than a key's default rate.
    api = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000000' });
  });
  afterAll(async () => {
    await api.stop();
  });

  async function send(caller: Caller, request: ReturnType<Route['request']>): Promise<number> {
    const headers: Record<string, string> = caller === 'none' ? {} : { authorization: `Bearer ${(await api.keyOf(caller)).key}` };
    if (request.path.endsWith('/stream')) {
      const abort = new AbortController();
      const response = await fetch(`${api.url}${request.path}`, { headers, signal: abort.signal });
      abort.abort();
      return response.status;
    }
    const answer: HttpAnswer = await api.call(request.method, request.path, request.body, headers);
    return answer.status;
  }

  it.each(MATRIX.map((row) => [row.route, row] as const))('%s', async (_, row) => {
    const expected = row.expected.split(' ');
    const seen: string[] = [];
    for (const caller of CALLERS) {
      const setup = await row.setup(api);
      seen.push(outcome(await send(caller, row.request(setup))));
    }
    expect(Object.fromEntries(CALLERS.map((caller, index) => [caller, seen[index]]))).toEqual(
      Object.fromEntries(CALLERS.map((caller, index) => [caller, expected[index]])),
    );
  });
});
