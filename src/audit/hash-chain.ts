import type { RecordedEvent } from '../event-store/event-store.port';
import { eventHash, GENESIS_HASH, hashAlgorithmOf } from '../event-store/hash-chain';

/**
 * Verification of the hash chain the event store writes (see
 * event-store/hash-chain): each event is recomputed with the algorithm its
 * own metadata names, so events hashed before RFC 8785 (no `hashAlgorithm`)
 * keep verifying, and a stream may hold older events, then newer ones.
 */

export type ChainVerdict =
  | { readonly ok: true; readonly events: number; readonly head?: { readonly revision: number; readonly hash: string } }
  | {
      readonly ok: false;
      /** Events verified before the break. */
      readonly events: number;
      readonly brokenAt: { readonly revision: number; readonly eventId: string; readonly reason: string };
    };

/** Walks one stream's events in order, recomputing the chain, and remembers where it first breaks. */
export class ChainCheck {
  private previousHash = GENESIS_HASH;
  private count = 0;
  private brokenAt?: { readonly revision: number; readonly eventId: string; readonly reason: string };

  add(event: RecordedEvent): void {
    if (this.brokenAt) return;
    const broken = (reason: string) => {
      this.brokenAt = { revision: Number(event.revision), eventId: event.id, reason };
    };
    if (event.revision !== BigInt(this.count)) return broken(`expected revision ${this.count}: an event is missing`);
    const { hash, ...metadata } = event.metadata;
    if (typeof hash !== 'string') return broken('the event carries no hash');
    const recomputed = eventHash(this.previousHash, { ...event, metadata });
    if (recomputed === undefined) return broken(`its hash algorithm ${hashAlgorithmOf(metadata)} is unknown`);
    if (recomputed !== hash) {
      return broken('its content does not match its hash: it was altered after it was recorded');
    }
    this.previousHash = hash;
    this.count += 1;
  }

  verdict(): ChainVerdict {
    if (this.brokenAt) return { ok: false, events: this.count, brokenAt: this.brokenAt };
    return { ok: true, events: this.count, ...(this.count > 0 ? { head: { revision: this.count - 1, hash: this.previousHash } } : {}) };
  }
}

/** Recomputes the chain of one stream's events (read from revision 0, in order). */
export function verifyChain(events: readonly RecordedEvent[]): ChainVerdict {
  const check = new ChainCheck();
  for (const event of events) check.add(event);
  return check.verdict();
}
