import { WeighedLru } from '../../src/shared/weighed-lru';

describe('WeighedLru', () => {
  it('forgets the least recently kept once the entries weigh more than the cap', () => {
    const lru = new WeighedLru<string, number>(10);
    lru.keep('a', 1, 4);
    lru.keep('b', 2, 4);
    lru.keep('a', 1, 4); // kept again: now the most recent
    lru.keep('c', 3, 4);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.get('c')).toBe(3);
  });

  it('does not keep an entry heavier than the cap, nor forget the others for it', () => {
    const lru = new WeighedLru<string, number>(10);
    lru.keep('a', 1, 6);
    lru.keep('a', 2, 11);
    lru.keep('b', 3, 4);
    lru.keep('huge', 4, 11);
    expect([lru.has('a'), lru.has('b'), lru.has('huge')]).toEqual([false, true, false]);
  });

  it('counts a deleted entry out', () => {
    const lru = new WeighedLru<string, number>(10);
    lru.keep('a', 1, 6);
    lru.delete('a');
    lru.keep('b', 2, 6);
    lru.keep('c', 3, 4);
    expect([lru.has('b'), lru.has('c')]).toEqual([true, true]);
  });
});
