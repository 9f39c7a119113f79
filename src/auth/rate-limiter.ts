/**
 * A fixed-window counter per key (principal or client address): at most
 * `limit` hits per window. Small and in memory: each instance limits what it serves.
 */
export class RateLimiter {
  private windowStart = 0;
  private readonly hits = new Map<string, number>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit; says whether it is allowed and, if not, when the window ends. */
  hit(key: string): { allowed: boolean; retryAfterSeconds: number } {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.hits.clear();
    }
    const count = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, count);
    return { allowed: count <= this.limit, retryAfterSeconds: Math.ceil((this.windowStart + this.windowMs - now) / 1000) };
  }

  /** Whether the key is already over its limit, without counting. */
  exhausted(key: string): boolean {
    return this.now() - this.windowStart < this.windowMs && (this.hits.get(key) ?? 0) >= this.limit;
  }
}
