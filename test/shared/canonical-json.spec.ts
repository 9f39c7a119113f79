import { canonicalJson, legacyCanonicalJson } from '../../src/shared/canonical-json';

describe('canonical JSON (RFC 8785)', () => {
  it("writes the RFC's own example (section 3.2.2): sorted keys, ECMAScript numbers, JSON.stringify escapes, no whitespace", () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (section 3.2.3): an emoji before U+FB33, unlike code-point order', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\u{1F600}': 'Emoji',
      '\u0080': 'Control',
      '\u00f6': 'o umlaut',
    };
    expect(canonicalJson(input).match(/"([^"]*)":/g)).toEqual([
      '"\\r":',
      '"1":',
      '"\u0080":',
      '"\u00f6":',
      '"\u20ac":',
      '"\u{1F600}":',
      '"\ufb33":',
    ]);
  });

  it('puts integer-like keys in string order, where JavaScript objects put them first', () => {
    const value = { b: 1, '10': 2, '2': 3, a: { '1': [], z: null, '01': true } };
    expect(canonicalJson(value)).toBe('{"10":2,"2":3,"a":{"01":true,"1":[],"z":null},"b":1}');
    expect(legacyCanonicalJson(value)).toBe('{"2":3,"10":2,"a":{"1":[],"01":true,"z":null},"b":1}');
  });

  it('writes numbers as ECMAScript does (appendix B): -0 as 0, exponents from 1e21 and below 1e-6', () => {
    expect(canonicalJson([-0, 1e21, 1e20, 1e-7, 0.000001, 9007199254740991, -1.5, 5e-324])).toBe(
      '[0,1e+21,100000000000000000000,1e-7,0.000001,9007199254740991,-1.5,5e-324]',
    );
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(Infinity)).toThrow(TypeError);
  });

  it('nests arrays and objects, and leaves out properties that are undefined, as the store does', () => {
    expect(canonicalJson({ list: [[1, [2, { y: 1, x: [] }]], {}], gone: undefined, '': '' })).toBe(
      '{"":"","list":[[1,[2,{"x":[],"y":1}]],{}]}',
    );
  });
});
