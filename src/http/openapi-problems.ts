/**
 * The problem codes an operation can answer, by status: the groups every
 * route shares here, each feature's own in its http/openapi.ts (category ->
 * status in problem-details.filter.ts). test/app/openapi-problems.e2e.spec.ts
 * fails when a code raised anywhere in src is documented on no route, or one
 * documented is raised nowhere.
 */
export type ProblemCodes = Readonly<Partial<Record<number, readonly string[]>>>;

/** Every route behind the API key: the keys are read from the event store. */
export const AUTHENTICATED: ProblemCodes = {
  401: ['auth.missing_key', 'auth.invalid_key'],
  429: ['rate_limited'],
  503: ['event_store.unavailable'],
};
/** Admin and auditor routes, refused to other roles before anything else. */
export const ROLE_GATED: ProblemCodes = { 403: ['access.role'] };
/** Any request may carry a body, even one whose route reads none: it is parsed (JSON only, size, depth) before routing. */
export const PARSED: ProblemCodes = {
  400: ['request.invalid', 'request.too_deep'],
  413: ['request.too_large'],
  415: ['request.unsupported_media_type'],
};
/** A JSON body the route reads: its shape and secrets are checked too, before the handler runs. */
export const BODY: ProblemCodes = merge(PARSED, { 400: ['request.secret_refused'] });
/** A query object validated like a body. */
export const QUERY: ProblemCodes = { 400: ['request.invalid'] };
/** The groups of codes of an operation, as one. */
export function merge(...parts: ProblemCodes[]): ProblemCodes {
  const merged: Record<number, string[]> = {};
  for (const part of parts) {
    for (const [status, codes] of Object.entries(part))
      merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...(codes ?? [])])];
  }
  return merged;
}
