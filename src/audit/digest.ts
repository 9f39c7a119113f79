import { createHash } from 'node:crypto';
import { comparePositions, formatPosition, type EventStore, type Position } from '../event-store/event-store.port';
import { CONTRACT_CATEGORY } from '../contracts/application/contract-stream';
import { ChainCheck } from './hash-chain';

/** Events read from the log at a time while computing a digest. */
const PAGE = 1000;

export interface HistoryDigest {
  /** The global position the digest covers, up to and including it. */
  readonly position: string | null;
  readonly streams: number;
  readonly events: number;
  /** SHA-256 over every contract stream's head (stream, revision, recomputed hash), sorted by stream. */
  readonly digest: string;
  /** Streams whose chain breaks before the position: their history was altered. */
  readonly broken: ReadonlyArray<{ readonly stream: string; readonly revision: number; readonly eventId: string; readonly reason: string }>;
}

/**
 * A digest over the heads of all contract streams at a global position,
 * recomputed from the events themselves. An auditor keeps it outside the
 * system; recomputing it later at the same position gives the same digest
 * only if no event up to there was altered, removed or re-hashed.
 */
export async function computeDigest(store: EventStore, upTo?: Position): Promise<HistoryDigest> {
  const chains = new Map<string, ChainCheck>();
  let last: Position | undefined;
  let events = 0;
  for (let page = await store.readAll({ maxCount: PAGE }); ; page = await store.readAll({ after: last, maxCount: PAGE })) {
    for (const event of page) {
      if (upTo && comparePositions(event.position, upTo) > 0) return summarize(chains, last, events);
      last = event.position;
      if (!event.stream.startsWith(`${CONTRACT_CATEGORY}-`)) continue;
      events += 1;
      const chain = chains.get(event.stream) ?? new ChainCheck();
      chains.set(event.stream, chain);
      chain.add(event);
    }
    if (page.length < PAGE) return summarize(chains, last, events);
  }
}

function summarize(chains: Map<string, ChainCheck>, last: Position | undefined, events: number): HistoryDigest {
  const heads: string[] = [];
  const broken: Array<HistoryDigest['broken'][number]> = [];
  for (const [stream, chain] of [...chains].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const verdict = chain.verdict();
    if (verdict.ok) heads.push(`${stream} ${verdict.head?.revision ?? -1} ${verdict.head?.hash ?? ''}`);
    else {
      heads.push(`${stream} broken-at ${verdict.brokenAt.revision}`);
      broken.push({ stream, ...verdict.brokenAt });
    }
  }
  return {
    position: last ? formatPosition(last) : null,
    streams: chains.size,
    events,
    digest: createHash('sha256').update(heads.join('\n')).digest('hex'),
    broken,
  };
}
