import type { JsonObject, RecordedEvent } from '../../src/event-store/event-store.port';
import { eventHash, HASH_ALGORITHM } from '../../src/event-store/hash-chain';

/** An event of stream `contract-legacy` as stored, with the metadata given. */
function recorded(revision: number, data: JsonObject, metadata: JsonObject): RecordedEvent {
  return {
    stream: 'contract-legacy',
    revision: BigInt(revision),
    id: `6f1d2c1e-8a55-4f0e-9a43-3f1d1b0f2a0${revision + 1}`,
    type: 'Recorded',
    data,
    metadata,
    position: { commit: BigInt(revision), prepare: BigInt(revision) },
    recordedAt: new Date('2027-01-01T00:00:00Z'),
  };
}

/**
 * Two events as the service hashed them before RFC 8785: no `hashAlgorithm`,
 * hashes computed by that release (integer-like keys first), kept here as written.
 */
export const LEGACY_HISTORY: readonly RecordedEvent[] = [
  recorded(
    0,
    { shops: { '10': 'tmall', '2': 'jd' }, feeFen: 120000 },
    { actor: 'brand:b-1', hash: '4d6eee09b84b76a665db4c473fb39ed0b7fc2e3a96b1075678553a6e33feae99' },
  ),
  recorded(
    1,
    { signatory: '李雷', signedOn: '2027-01-01' },
    { actor: 'brand:b-1', hash: 'af8cecb242d0e95c65f962f515a2f6f20c45708e548908b93ffbe3449d804f0f' },
  ),
];

/** The next event of `history` as the event store chains it now. */
export function chainedAfter(history: readonly RecordedEvent[], data: JsonObject): RecordedEvent {
  const metadata = { actor: 'operator:o-1', hashAlgorithm: HASH_ALGORITHM };
  const event = recorded(history.length, data, metadata);
  return { ...event, metadata: { ...metadata, hash: eventHash(history.at(-1)!.metadata.hash as string, event)! } };
}
