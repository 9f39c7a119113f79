import { createHash } from 'node:crypto';
import type { JsonObject, RecordedEvent } from '../event-store/event-store.port';
import { canonicalJson } from '../shared/canonical-json';

/**
 * Tamper evidence: every event's metadata carries `hash`, the SHA-256 of its
 * own content in canonical JSON chained to the hash of the previous event of
 * its stream. Changing, removing or reordering a stored event breaks the
 * chain from that event on.
 */

/** The `previousHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedContent {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  /** Metadata without `hash` itself. */
  readonly metadata: JsonObject;
}

export function eventHash(previousHash: string, content: HashedContent): string {
  const { stream, revision, id, type, data, metadata } = content;
  return createHash('sha256')
    .update(canonicalJson({ previousHash, stream, revision: revision.toString(), id, type, data, metadata }))
    .digest('hex');
}

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
    if (eventHash(this.previousHash, { ...event, metadata }) !== hash) {
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
