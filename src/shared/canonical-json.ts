/**
 * RFC 8785 (JSON Canonicalization Scheme): object keys sorted by their UTF-16
 * code units at every level, strings escaped as JSON.stringify escapes them,
 * numbers as ECMAScript writes them, no whitespace. Equal values give equal
 * strings, and anyone can recompute them outside this codebase.
 *
 * Written by hand because JavaScript objects put integer-like keys ("2",
 * "10") first whatever order they were added in, so no object handed to
 * JSON.stringify can carry the RFC's order. Properties whose value is
 * undefined are left out, as JSON.stringify (and so the store) leaves them out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`JSON has no ${value}`);
    // ECMAScript Number::toString, which RFC 8785 adopts: 1e+21, 1e-7, and -0 as 0.
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    // The default sort compares strings by UTF-16 code units, the RFC's order.
    const keys = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  throw new TypeError(`JSON has no ${typeof value}`);
}

/**
 * The sorted-key JSON this service hashed with before RFC 8785: keys sorted,
 * then re-read through objects, which put integer-like keys first. Kept only
 * to verify the hashes of events recorded then (see event-store/hash-chain).
 */
export function legacyCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}
