import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { jsonDepth, MAX_JSON_DEPTH } from '../shared/json-depth';
import { problem } from './problem-details';

const tooDeep = () =>
  new BadRequestException(problem(400, 'request.too_deep', `The body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels.`));

const notJson = () =>
  new BadRequestException(
    problem(
      400,
      'request.invalid',
      'The body is not valid JSON, or it holds a "__proto__" or "constructor.prototype" key, which is never accepted.',
    ),
  );

const notUtf8 = () => new BadRequestException(problem(400, 'request.invalid', 'The body is not UTF-8 text.'));

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8(body: string | Buffer): string | undefined {
  if (typeof body === 'string') return body;
  try {
    return UTF8.decode(body);
  } catch {
    return undefined;
  }
}

/**
 * Replaces Fastify's `application/json` parser with one that
 * - refuses a body that is not UTF-8, rather than storing replacement characters;
 * - takes an empty (or blank) body as no body: HTTP clients send
 *   `Content-Type: application/json` with an empty DELETE; a POST without a
 *   body then meets validation like an empty object and gets its 400 field by field;
 * - refuses nesting deeper than MAX_JSON_DEPTH before parsing, so nothing
 *   after it can overflow the stack (which answered 500);
 * - parses with Fastify's own parser, which refuses prototype-poisoning keys.
 */
export function useSafeJsonParser(instance: FastifyInstance): void {
  const parse = instance.getDefaultJsonParser('error', 'error');
  instance.removeContentTypeParser('application/json');
  // As bytes: read as a string, invalid UTF-8 became U+FFFD and the answer a confusing Content-Length mismatch.
  instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const text = utf8(body);
    if (text === undefined) return done(notUtf8(), undefined);
    if (text.trim() === '') return done(null, undefined);
    if (jsonDepth(text) > MAX_JSON_DEPTH) return done(tooDeep(), undefined);
    void parse(request, text, (error, parsed) => (error ? done(notJson(), undefined) : done(null, parsed)));
  });
}
