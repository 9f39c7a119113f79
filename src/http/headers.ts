import { BadRequestException } from '@nestjs/common';
import { problem } from './problem-details';
import { looksLikeSecret } from '../shared/secrets';

export function invalidHeader(name: string, expected: string): BadRequestException {
  return new BadRequestException(problem(400, 'request.invalid_header', `Header ${name} must be ${expected}.`, { header: name }));
}

/** What a stored or logged header value may be: a UUID fits. */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * Secret words and prefixes that fit the token format (our API keys start
 * `chk_`): a key named like this is a credential pasted in the wrong place.
 */
const SECRET_LIKE_TOKEN = /passw|passc|pwd|secret|token|api_?key|api-key|bearer|^basic|^chk_/i;

export const TOKEN_FORMAT = '1 to 64 letters, digits, "-" or "_" (a UUID fits), and nothing that looks like a secret';

/**
 * True for an Idempotency-Key or X-Request-Id value safe to keep: it is
 * stored in event metadata and written to the logs, so it is held to a
 * plain format and must not look like a secret.
 */
export function isSafeToken(value: string | undefined): value is string {
  return value !== undefined && TOKEN.test(value) && !SECRET_LIKE_TOKEN.test(value) && !looksLikeSecret(value);
}
