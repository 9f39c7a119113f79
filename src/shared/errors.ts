/** The message of anything thrown, for wrapping it in an error of our own. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Ends every `switch` over a discriminated union: adding a case without handling it fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${JSON.stringify(value)}`);
}

/**
 * What kind of answer a refusal is. One table (in the HTTP layer) maps each
 * to a status, so that the layer that answers knows no feature's errors.
 */
export type RefusalCategory =
  /** The request itself is malformed (400). */
  | 'bad_request'
  /** The caller may see this but may not do it (403). */
  | 'forbidden'
  /** The thing does not exist, or the caller may not know it does (404). */
  | 'not_found'
  /** The current state forbids it (409). */
  | 'conflict'
  /** The caller's precondition no longer holds, e.g. a stale If-Match (412). */
  | 'precondition_failed'
  /** The request contradicts the rules (422). */
  | 'invalid'
  /** Not now: the store or the read models cannot answer yet (503). */
  | 'unavailable';

/** An error that is an answer to the client, not a failure: a stable code, its category, a sentence for people. */
export abstract class Refusal extends Error {
  abstract readonly code: string;
  abstract readonly category: RefusalCategory;
  /** The revision of what exists that was refused, when the answer should carry it as its ETag. */
  readonly atRevision?: bigint;
  /** Fields the answer carries besides code and sentence (e.g. the current revision). */
  get extensions(): Readonly<Record<string, unknown>> {
    return {};
  }
}
