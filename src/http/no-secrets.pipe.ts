import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { problem } from './problem-details';

/** Field names that mean a secret is being sent. */
const SECRET_NAME = /pass(word|wd|phrase)?$|secret|token|^pin$|pin_?code|private_?key|api_?key|credential/i;

/** Values that look like a secret: "password: ...", key material, bearer tokens, our own API keys. */
const SECRET_VALUE = [
  /\b(pass(word|wd)?|pwd|secret|token|pin(code)?)\b\s*(is|was|[:=：])\s*\S+/i,
  /(口令|密码)\s*(是|为|[:=：])\s*\S+/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/, // a JWT
  /\bchk_[\w-]{20,}/, // an API key of this service
  /\bAKIA[0-9A-Z]{16}\b/, // an AWS access key id
];

export const NO_SECRETS_SENTENCE =
  'Never send a secret: record that the credentials were rotated and who received the account, not the password itself.';

/** The path of the first field whose name or value looks like a secret, if any. */
export function findSecret(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return SECRET_VALUE.some((pattern) => pattern.test(value)) ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecret(item, `${path}.${index}`.replace(/^\./, ''));
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (SECRET_NAME.test(key)) return field;
      const found = findSecret(item, field);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses any request body holding something that looks like a credential,
 * by field name or by value, before validation: nothing of it can reach an
 * event, a read model or a log.
 */
@Injectable()
export class NoSecretsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    const field = findSecret(value);
    if (field) throw new BadRequestException(problem(400, 'request.secret_refused', NO_SECRETS_SENTENCE, { field }));
    return value;
  }
}
