import { verifyChain } from '../../src/audit/hash-chain';
import { HASH_ALGORITHM } from '../../src/event-store/hash-chain';
import { chainedAfter, LEGACY_HISTORY } from '../support/legacy-history';

describe('verifying a hash chain with the algorithm each event names', () => {
  it('verifies a history hashed before RFC 8785, whose events name no algorithm', () => {
    expect(verifyChain(LEGACY_HISTORY)).toEqual({ ok: true, events: 2, head: { revision: 1, hash: LEGACY_HISTORY[1].metadata.hash } });
  });

  it('verifies a chain of legacy events continued by events hashed with RFC 8785', () => {
    const continued = chainedAfter(LEGACY_HISTORY, { shops: { '10': 'tmall', '2': 'jd' } });
    expect(verifyChain([...LEGACY_HISTORY, continued])).toEqual({
      ok: true,
      events: 3,
      head: { revision: 2, hash: continued.metadata.hash },
    });
  });

  it('breaks where a legacy event is relabelled with the new algorithm: the name is part of what is hashed', () => {
    const [first, second] = LEGACY_HISTORY;
    const relabelled = { ...second, metadata: { ...second.metadata, hashAlgorithm: HASH_ALGORITHM } };
    expect(verifyChain([first, relabelled])).toMatchObject({
      ok: false,
      events: 1,
      brokenAt: { revision: 1, reason: expect.stringContaining('altered') },
    });
  });

  it('breaks at an event naming an algorithm it does not know', () => {
    const [first, second] = LEGACY_HISTORY;
    const unknown = { ...second, metadata: { ...second.metadata, hashAlgorithm: 'md5-v0' } };
    expect(verifyChain([first, unknown])).toMatchObject({
      ok: false,
      brokenAt: { revision: 1, reason: 'its hash algorithm md5-v0 is unknown' },
    });
  });
});
