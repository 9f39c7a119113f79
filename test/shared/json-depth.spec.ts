import { jsonDepth, MAX_JSON_DEPTH } from '../../src/shared/json-depth';

describe('the nesting depth of a JSON body, counted before parsing', () => {
  it.each([
    ['1', 0],
    ['"x"', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['[[],[[]],[]]', 3],
  ])('%s nests %d deep', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"a":"[[[{{{","b":"\\"[[[","c":"\\\\"}')).toBe(1);
  });

  it('stops counting just past the limit, so a body of a million brackets costs one short scan', () => {
    const text = '['.repeat(1_000_000);
    expect(jsonDepth(text)).toBe(MAX_JSON_DEPTH + 1);
    expect(jsonDepth('['.repeat(5) + ']'.repeat(5), 4)).toBe(5);
  });
});
