import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { RevisionConflictError, type EventData, type EventStore, type JsonObject } from '../event-store/event-store.port';
import type { StreamSchema } from '../event-store/schema-gate';
import { HASH_ALGORITHM } from '../event-store/hash-chain';
import { Refusal } from '../shared/errors';
import { ROLES, type Principal, type Role } from '../shared/identity';

/**
 * API keys, kept in the event store itself (stream `apikeys`), so every
 * instance of the service sees the same keys and a revocation takes effect at
 * once everywhere: each request reads what the stream gained since (see
 * {@link ApiKeys}). Only a SHA-256 of each key is stored; the key is shown
 * once, when it is issued.
 */

export const KEYS_STREAM = 'apikeys';
const KEY_PREFIX = 'chk_';
/** 256 bits of randomness per key. */
const KEY_BYTES = 32;

export interface KeyRecord {
  readonly keyId: string;
  readonly role: Role;
  readonly partyId?: string;
  readonly label: string;
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
}

/** What an issuer asks for: brand and operator keys act for a party, the others for none. */
export interface KeyRequest {
  readonly role: Role;
  readonly partyId?: string;
  /** Who or what holds the key, for the list. */
  readonly label: string;
}

export interface IssuedKey extends KeyRecord {
  /** The key itself: shown this once, never stored. */
  readonly key: string;
}

interface StoredKey extends KeyRecord {
  readonly keyHash: string;
}

/** The keys stream holds these two events only, with who and when in the metadata. */
const KEY_EVENT_DATA: Record<string, z.ZodType> = {
  ApiKeyIssued: z.strictObject({
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    keyHash: z.hash('sha256'),
    role: z.enum(ROLES),
    partyId: z.string().min(1).max(100).optional(),
    label: z.string().min(1).max(200),
  }),
  ApiKeyRevoked: z.strictObject({ keyId: z.string().regex(/^[0-9a-f]{16}$/) }),
};
/** Who and when, and the hash chain the event store writes through the schema gate. */
const keyMetadataSchema = z.strictObject({
  actor: z.string().min(1).max(300),
  recordedAt: z.iso.datetime(),
  hash: z.hash('sha256'),
  hashAlgorithm: z.literal(HASH_ALGORITHM),
});

/** The schema gate's rule for the `apikeys` stream. */
export const apiKeysStreamSchema: StreamSchema = {
  category: KEYS_STREAM,
  problemWith({ type, data, metadata }: EventData): string | undefined {
    if (!Object.hasOwn(KEY_EVENT_DATA, type)) return `${type} is not an API key event type`;
    if (!KEY_EVENT_DATA[type].safeParse(data).success) return `${type} data is malformed`;
    return keyMetadataSchema.safeParse(metadata).success ? undefined : `${type} metadata is malformed`;
  },
};

/** A key asked for with a party it must not have, or without one it needs. */
export class KeyRequestError extends Refusal {
  readonly code = 'keys.invalid_request';
  readonly category = 'bad_request';
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A key's id is the start of its hash: shown in lists and logs, it says nothing of the key. */
const keyIdOf = (keyHash: string) => keyHash.slice(0, 16);

/** The keys as of a revision of the keys stream, by key id. */
interface KnownKeys {
  /** Of the last event folded in; undefined before the first. */
  readonly revision: bigint | undefined;
  readonly records: ReadonlyMap<string, StoredKey>;
}

/**
 * Keys are held in memory, and checked against the store on every use: the
 * events of the keys stream after the last one folded are read (usually
 * none: the embedded store answers that from the stream's last revision
 * alone) and folded in. So a key issued or
 * revoked anywhere (this instance, another one, the command line) counts at
 * the next request, as when the whole stream was read for each.
 */
export class ApiKeys {
  private known: KnownKeys = { revision: undefined, records: new Map() };

  constructor(private readonly store: EventStore) {}

  /** Issues a key; `firstKey` only if the key store does not exist yet (first start, on any instance). */
  async issue(request: KeyRequest, issuedBy: string, { firstKey = false } = {}): Promise<IssuedKey> {
    const { role, partyId, label } = request;
    const needsParty = role === 'brand' || role === 'operator';
    if (needsParty !== (partyId !== undefined)) {
      throw new KeyRequestError(needsParty ? `A ${role} key needs the party id it acts for.` : `A ${role} key acts for no party.`);
    }
    const key = `${KEY_PREFIX}${randomBytes(KEY_BYTES).toString('base64url')}`;
    const keyHash = hashKey(key);
    const record = { keyId: keyIdOf(keyHash), role, ...(partyId ? { partyId } : {}), label };
    const { recordedAt } = await this.append('ApiKeyIssued', { ...record, keyHash }, issuedBy, firstKey);
    return { key, ...record, issuedAt: recordedAt, issuedBy };
  }

  /** On first start only: the admin key, or undefined when the key store already exists. */
  async bootstrapAdmin(): Promise<IssuedKey | undefined> {
    if ((await this.store.readStream(KEYS_STREAM, { maxCount: 1 })).found) return undefined;
    try {
      return await this.issue({ role: 'admin', label: 'first-start admin key' }, 'first start', { firstKey: true });
    } catch (error) {
      // Another instance started first and issued it.
      if (error instanceof RevisionConflictError) return undefined;
      throw error;
    }
  }

  /** The principal a key stands for, or undefined for an unknown or revoked key. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 100) return undefined;
    const presented = hashKey(key);
    const found = (await this.records()).get(keyIdOf(presented));
    if (!found || !timingSafeEqual(Buffer.from(found.keyHash, 'hex'), Buffer.from(presented, 'hex')) || found.revokedAt) return undefined;
    return { keyId: found.keyId, role: found.role, ...(found.partyId ? { partyId: found.partyId } : {}) };
  }

  /** Revokes at once; false for an unknown key. Revoking twice changes nothing. */
  async revoke(keyId: string, revokedBy: string): Promise<boolean> {
    const record = (await this.records()).get(keyId);
    if (!record) return false;
    if (record.revokedAt) return true;
    await this.append('ApiKeyRevoked', { keyId }, revokedBy, false);
    return true;
  }

  async list(): Promise<KeyRecord[]> {
    return [...(await this.records()).values()].map(({ keyHash: _hash, ...record }) => record);
  }

  /** The keys as the store has them now (see {@link ApiKeys}). */
  private async records(): Promise<ReadonlyMap<string, StoredKey>> {
    const known = this.known;
    const since = await this.store.readStream(KEYS_STREAM, { fromRevision: known.revision === undefined ? 0n : known.revision + 1n });
    const events = since.found ? since.events : [];
    if (events.length === 0) return known.records;
    const records = new Map(known.records);
    for (const event of events) {
      const data = event.data as { keyId: string; keyHash: string; role: Role; partyId?: string; label: string };
      const actor = typeof event.metadata.actor === 'string' ? event.metadata.actor : 'unknown';
      const at = event.recordedAt.toISOString();
      if (event.type === 'ApiKeyIssued') records.set(data.keyId, { ...data, issuedAt: at, issuedBy: actor });
      const issued = records.get(data.keyId);
      if (event.type === 'ApiKeyRevoked' && issued) records.set(data.keyId, { ...issued, revokedAt: at, revokedBy: actor });
    }
    const revision = events.at(-1)?.revision ?? known.revision;
    // Requests that found the same change fold it each; the furthest fold is kept.
    if (revision !== undefined && (this.known.revision === undefined || revision > this.known.revision)) this.known = { revision, records };
    return records;
  }

  /** Appends to the keys stream at the revision read, again on a concurrent change (unless it must be the first event). */
  private async append(type: string, data: JsonObject, actor: string, first: boolean): Promise<{ recordedAt: string }> {
    const recordedAt = new Date().toISOString();
    const event = { id: randomUUID(), type, data, metadata: { actor, recordedAt } };
    for (let attempt = 0; ; attempt += 1) {
      const head = first ? undefined : await this.store.readStream(KEYS_STREAM, { direction: 'backwards', maxCount: 1 });
      const expected = head?.found && head.events.length > 0 ? head.events[0].revision : 'no_stream';
      try {
        await this.store.appendToStream(KEYS_STREAM, [event], expected);
        return { recordedAt };
      } catch (error) {
        if (first || !(error instanceof RevisionConflictError) || attempt >= 10) throw error;
      }
    }
  }
}
