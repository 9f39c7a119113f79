import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { problem } from './problem-details';

/**
 * How deep a JSON body may nest objects and arrays. Our deepest body (an
 * amendment's `changes[i].shipping`) is 3 levels; 32 leaves room for any
 * future shape while keeping every recursive walk after the parser
 * (class-transformer, class-validator, the secret check) far from the stack's end.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of `[` and `{` in JSON text, counted once over the raw
 * text without recursion, stopping as soon as it passes `limit` (so the
 * answer is at most `limit + 1`). Brackets inside strings do not count.
 * Malformed text is left to the parser: this only bounds what it would build.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index += 1;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return deepest;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

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
