import { contractStreamSchema, foldHistory, toContractEvent } from '../../src/contracts/application/contract-stream';
import { HASH_ALGORITHM } from '../../src/event-store/hash-chain';
import { checkContractEvent, EVENT_DATA, SCHEMA_VERSIONS, type ContractEventType } from '../../src/contracts/domain/events';
import { upcast, UPCASTERS } from '../../src/contracts/domain/upcasters';
import { MalformedEventError, type JsonObject, type RecordedEvent } from '../../src/event-store/event-store.port';
import { aDraftedContract, draftTerms, VERSION_1_DRAFT } from '../support/contract-fixtures';

const TYPES = Object.keys(EVENT_DATA) as ContractEventType[];

/** What version 2 added to the terms, then version 3, as the upcasters fill it in. */
const TERMS_ADDED_SINCE_VERSION_1 = { noticePeriodDays: 90, curePeriodDays: 30, handoverPeriodDays: 30, terminationConditions: [] };

/** A stored event of the contract's stream at a revision. */
const stored = (revision: number, type: string, data: object, metadata: JsonObject): RecordedEvent => ({
  id: `00000000-0000-4000-8000-00000000000${revision}`,
  stream: 'contract-c1',
  revision: BigInt(revision),
  position: { commit: BigInt(revision), prepare: BigInt(revision) },
  recordedAt: new Date('2026-11-01T00:00:00Z'),
  type,
  data: data as JsonObject,
  metadata,
});

describe('the upcaster registry', () => {
  it('reads a version-1 ContractDrafted as version 3, with the 90-day notice period it was read with then, a 30-day cure and handover period and no stipulated conditions', () => {
    const upcasted = upcast('ContractDrafted', VERSION_1_DRAFT, 1);
    expect(upcasted).toEqual({ data: { ...VERSION_1_DRAFT, terms: { ...VERSION_1_DRAFT.terms, ...TERMS_ADDED_SINCE_VERSION_1 } } });
    expect(checkContractEvent('ContractDrafted', 'data' in upcasted ? upcasted.data : undefined)).toHaveProperty('event');
    // The old shape alone is no longer a ContractDrafted: the upcaster is what makes it readable.
    expect(checkContractEvent('ContractDrafted', VERSION_1_DRAFT)).toEqual({ problem: expect.stringContaining('terms.noticePeriodDays') });
  });

  it('counts a missing schemaVersion as 1', () => {
    expect(upcast('ContractDrafted', VERSION_1_DRAFT)).toEqual(upcast('ContractDrafted', VERSION_1_DRAFT, 1));
  });

  it('leaves data already in the current shape as it is', () => {
    const [current] = aDraftedContract(draftTerms({ noticePeriodDays: 30 }));
    expect(upcast('ContractDrafted', current.data, 3)).toEqual({ data: current.data });
    expect(upcast('ContractSigned', { party: 'brand' }, 1)).toEqual({ data: { party: 'brand' } });
  });

  it('has a step from every older version of every type to the next', () => {
    const missing = TYPES.flatMap((type) =>
      Array.from({ length: SCHEMA_VERSIONS[type] - 1 }, (_, index) => index + 1)
        .filter((version) => !UPCASTERS[type]?.[version])
        .map((version) => `${type} ${version}`),
    );
    expect(missing).toEqual([]);
  });

  it('refuses a version newer than this service reads, or one that is not a version, saying why', () => {
    expect(upcast('ContractDrafted', VERSION_1_DRAFT, 4)).toEqual({
      problem: expect.stringMatching(/schemaVersion 4 is newer than this service reads \(3\)/),
    });
    expect(upcast('ContractSigned', {}, 2)).toEqual({
      problem: expect.stringMatching(/schemaVersion 2 is newer than this service reads \(1\)/),
    });
    for (const version of [0, 1.5, '2', null]) {
      expect(upcast('ContractDrafted', VERSION_1_DRAFT, version)).toEqual({ problem: expect.stringContaining('is not a version') });
    }
  });

  it('reads a version-1 breach, recorded and acted on the same day, as a notice whose cure period ended that day; its cure as accepted that day', () => {
    const recorded = {
      breachId: 'b1',
      breachingParty: 'brand',
      clause: '5.2',
      description: 'Not shipped',
      occurredOn: '2028-03-10',
      evidenceRef: 'EV-1',
    };
    const { occurredOn: _occurred, ...notice } = recorded;
    expect(upcast('BreachRecorded', recorded, 1)).toEqual({
      data: { ...notice, incidentIds: [], noticedOn: '2028-03-10', cureDeadline: '2028-03-10' },
    });
    expect(upcast('BreachCured', { breachId: 'b1', curedOn: '2028-03-12' }, 1)).toEqual({
      data: { breachId: 'b1', curedOn: '2028-03-12', acceptedOn: '2028-03-12' },
    });
    for (const [type, data] of [
      ['BreachRecorded', recorded],
      ['BreachCured', { breachId: 'b1', curedOn: '2028-03-12' }],
    ] as const) {
      const upcasted = upcast(type, data, 1);
      expect(checkContractEvent(type, 'data' in upcasted ? upcasted.data : undefined)).toHaveProperty('event');
    }
  });

  it('leaves data it does not recognise, and unknown types, for the schema check to name', () => {
    expect(upcast('ContractDrafted', { contractId: 'c1' }, 1)).toEqual({ data: { contractId: 'c1' } });
    expect(upcast('ContractDrafted', null, 1)).toEqual({ data: null });
    expect(upcast('ContractTeleported', { anything: true }, 7)).toEqual({ data: { anything: true } });
  });
});

describe('reading stored contract events through the registry', () => {
  const draftedV1 = stored(0, 'ContractDrafted', VERSION_1_DRAFT, { schemaVersion: 1 });

  it('gives the write path, time travel and the projections the current shape', () => {
    expect(toContractEvent(draftedV1)).toEqual({
      type: 'ContractDrafted',
      data: { ...VERSION_1_DRAFT, terms: { ...VERSION_1_DRAFT.terms, ...TERMS_ADDED_SINCE_VERSION_1 } },
    });
    const { state, malformed } = foldHistory([
      draftedV1,
      stored(1, 'ContractSigned', { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' }, {}),
    ]);
    expect(malformed).toBeUndefined();
    expect(state).toMatchObject({ status: 'drafted', originalTerms: { noticePeriodDays: 90 } });
  });

  it('refuses an event of a future version as malformed, with the reason, and folds up to it', () => {
    const future = stored(1, 'ContractSigned', { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' }, { schemaVersion: 2 });
    expect(() => toContractEvent(future)).toThrow(
      new MalformedEventError(
        'contract-c1',
        1n,
        'ContractSigned schemaVersion 2 is newer than this service reads (1): it was written by a later release',
      ),
    );
    const { state, malformed } = foldHistory([draftedV1, future]);
    expect(state.status).toBe('drafted');
    expect(malformed?.message).toMatch(/^contract-c1@1 does not match its schema: ContractSigned schemaVersion 2 is newer/);
  });
});

describe('the schema gate on contract streams', () => {
  const [drafted] = aDraftedContract();
  const metadata = (schemaVersion: number): JsonObject => ({
    actor: 'brand:brand-feiyue:0123456789abcdef',
    recordedAt: '2026-11-01T00:00:00.000Z',
    correlationId: 'req-1',
    causationId: '00000000-0000-4000-8000-000000000001',
    schemaVersion,
    commandType: 'DraftContract',
    hash: '0'.repeat(64),
    hashAlgorithm: HASH_ALGORITHM,
  });
  const append = (type: string, data: object, schemaVersion: number) =>
    contractStreamSchema.problemWith({
      id: '00000000-0000-4000-8000-000000000002',
      type,
      data: data as JsonObject,
      metadata: metadata(schemaVersion),
    });

  it('takes an event stamped with the current version of its type, and nothing else', () => {
    expect(append('ContractDrafted', drafted.data, 3)).toBeUndefined();
    expect(append('ContractDrafted', drafted.data, 2)).toBe(
      'ContractDrafted metadata is malformed: schemaVersion must be 3, the current version of ContractDrafted',
    );
    expect(append('ContractActivated', { activatedOn: '2026-12-03' }, 1)).toBeUndefined();
    expect(append('ContractActivated', { activatedOn: '2026-12-03' }, 2)).toMatch(/schemaVersion must be 1/);
  });

  it('refuses appending the old shape: upcasting is for reading stored events only', () => {
    expect(append('ContractDrafted', VERSION_1_DRAFT, 1)).toMatch(/terms\.noticePeriodDays/);
  });
});
