import type { Principal } from '../shared/identity';

/**
 * The one place the API key lives: memory, and the tab's sessionStorage so
 * that a reload keeps the session. Never localStorage, a cookie or a URL:
 * closing the tab forgets it, and it travels only in the Authorization header.
 */
const KEY_SLOT = 'desk.apiKey';
let apiKey: string | undefined = sessionStorage.getItem(KEY_SLOT) ?? undefined;

export const hasKey = () => apiKey !== undefined;
export const authorization = () => ({ authorization: `Bearer ${apiKey ?? ''}` });

export function rememberKey(key: string): void {
  apiKey = key;
  sessionStorage.setItem(KEY_SLOT, key);
}

export function forgetKey(): void {
  apiKey = undefined;
  sessionStorage.removeItem(KEY_SLOT);
}

/** A refusal of the API (problem details), in the words shown to people. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The API's own sentence, written for people. */
    readonly detail: string,
    /** Per field, what is wrong with it (400 `request.invalid`). */
    readonly fields: ReadonlyArray<{ field: string; problems: string[] }> = [],
  ) {
    super(detail);
  }

  /** What kind of no it is, in plain words. */
  get headline(): string {
    if (this.status === 0) return 'The service could not be reached.';
    return HEADLINES[this.status] ?? (this.status >= 500 ? 'The service could not do this just now.' : 'The service refused this.');
  }
}

const HEADLINES: Record<number, string> = {
  400: 'Something in the request is not acceptable.',
  401: 'This key was not accepted.',
  403: 'Your key may not do this.',
  404: 'Not found, or not visible to your key.',
  409: 'Not possible in the contract’s current state.',
  412: 'Someone changed this meanwhile: reload and try again.',
  422: 'This goes against the contract’s rules.',
  429: 'Too many requests: wait a moment.',
  503: 'The service is busy catching up: try again shortly.',
};

/** An answer the API sent as problem details, or a stand-in when it sent none. */
export async function refusalOf(response: Response): Promise<Refusal> {
  const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string; errors?: Refusal['fields'] };
  return new Refusal(response.status, body.code ?? `http.${response.status}`, body.detail ?? response.statusText, body.errors);
}

/** Reads of your own writes: each write's `position`, passed on as `minPosition` (see README, "Read your own writes"). */
let lastPosition: string | undefined;

/** A JSON call with the key; a refusal throws {@link Refusal}. */
export async function call<Answer>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const url = method === 'GET' && lastPosition ? `${path}${path.includes('?') ? '&' : '?'}minPosition=${lastPosition}` : path;
  const response = await fetch(url, {
    method,
    headers: { ...authorization(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(() => undefined);
  if (!response) throw new Refusal(0, 'network', 'Check the connection and try again.');
  if (!response.ok) throw await refusalOf(response);
  const answer = (await response.json()) as Answer & { position?: string };
  if (method === 'POST' && typeof answer.position === 'string') lastPosition = answer.position;
  return answer;
}

export const whoami = () => call<Principal>('GET', '/me');
