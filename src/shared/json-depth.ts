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
