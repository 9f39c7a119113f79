/**
 * A cache that forgets its least recently kept entries once they weigh more
 * than `maxWeight` in all (a weight is the caller's estimate of the heap an
 * entry holds). An entry heavier than that on its own is not kept: keeping it
 * would mean forgetting every other, and then itself.
 */
export class WeighedLru<Key, Value> {
  /** Least recently kept first. */
  private readonly entries = new Map<Key, { readonly value: Value; readonly weight: number }>();
  private weight = 0;

  constructor(private readonly maxWeight: number) {}

  get(key: Key): Value | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: Key): boolean {
    return this.entries.has(key);
  }

  /** Keeps the value as the most recently kept, in place of any kept under its key. */
  keep(key: Key, value: Value, weight: number): void {
    this.delete(key);
    if (weight > this.maxWeight) return;
    this.entries.set(key, { value, weight });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }

  delete(key: Key): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}
