import { randomUUID } from 'node:crypto';
import { agree, BRAND, DRAFT, draftAndActivate } from '../support/contract-api';
import { VERSION_1_DRAFT } from '../support/contract-fixtures';
import { startTestApp, type TestApi } from '../support/http-client';
import { plantEvent } from '../support/plant-event';

/** The story's term ends 2029-12-31; notice of non-renewal is due the notice period before. */
const NINETY_DAYS_BEFORE_END = '2029-10-02';

describe('event versions: the notice, cure and handover periods and the stipulated conditions as terms', () => {
  let api: TestApi;
  beforeEach(async () => (api = await startTestApp()));
  afterEach(() => api.stop());

  it('reads a version-1 ContractDrafted stored in the old shape with the 90 days it had (and the default cure and handover periods, no stipulated conditions), through time travel, the write path and the read model', async () => {
    const id = randomUUID();
    plantEvent(
      api.dataDir,
      id,
      'ContractDrafted',
      { ...VERSION_1_DRAFT, contractId: id },
      {
        actor: 'brand:brand-feiyue:0123456789abcdef',
        recordedAt: '2026-11-01T09:00:00.000Z',
        correlationId: 'req-draft-v1',
        causationId: randomUUID(),
        schemaVersion: 1,
        commandType: 'DraftContract',
      },
    );

    const then = await api.as(BRAND).get(`/contracts/${id}?revision=0`);
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({
      terms: { noticePeriodDays: 90, curePeriodDays: 30, handoverPeriodDays: 30, terminationConditions: [] },
      originalTerms: { noticePeriodDays: 90 },
      keyDates: { termEndsOn: '2029-12-31', terminationNoticeDueBy: NINETY_DAYS_BEFORE_END },
    });

    // A write folds the old event on the write path, and nudges the projections to fold it too.
    const signed = await api
      .as(BRAND)
      .post(`/contracts/${id}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' });
    expect(signed.status).toBe(201);
    const now = await api.as(BRAND).get(`/contracts/${id}?minPosition=${signed.body.position}`);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({
      status: 'drafted',
      terms: { noticePeriodDays: 90 },
      keyDates: { terminationNoticeDueBy: NINETY_DAYS_BEFORE_END },
      signatures: { brand: { signatory: 'Zhang Wei' } },
    });
    const listed = (await api.as(BRAND).get('/contracts')).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ contractId: id, keyDates: { termEndsOn: '2029-12-31', terminationNoticeDueBy: NINETY_DAYS_BEFORE_END } }),
    ]);

    // The stored event is never rewritten: auditors see it as it was recorded.
    const [drafted, signature] = (await api.as(BRAND).get(`/contracts/${id}/events`)).body.events;
    expect(drafted.data).toEqual({ ...VERSION_1_DRAFT, contractId: id });
    expect(drafted.metadata.schemaVersion).toBe(1);
    expect(signature.metadata.schemaVersion).toBe(1);
  });

  it('dates the notice 30 days before the end for a 30-day notice period, and 90 for a draft that states none, which gets 30 days to cure and to hand over and no stipulated conditions', async () => {
    const thirty = await api.as(BRAND).post('/contracts', { ...DRAFT, noticePeriodDays: 30 });
    expect(thirty.status).toBe(201);
    expect((await api.as(BRAND).get(`/contracts/${thirty.body.contractId}`)).body).toMatchObject({
      terms: { noticePeriodDays: 30 },
      keyDates: { termEndsOn: '2029-12-31', terminationNoticeDueBy: '2029-12-01' },
    });

    const {
      noticePeriodDays: _notice,
      curePeriodDays: _cure,
      handoverPeriodDays: _handover,
      terminationConditions: _listed,
      ...silent
    } = DRAFT;
    const defaulted = (await api.as(BRAND).post('/contracts', silent)).body.contractId;
    expect((await api.as(BRAND).get(`/contracts/${defaulted}`)).body.keyDates.terminationNoticeDueBy).toBe(NINETY_DAYS_BEFORE_END);
    const [stored] = (await api.as(BRAND).get(`/contracts/${defaulted}/events`)).body.events;
    expect(stored.data.terms).toMatchObject({
      noticePeriodDays: 90,
      curePeriodDays: 30,
      handoverPeriodDays: 30,
      terminationConditions: [],
    });
    expect(stored.metadata.schemaVersion).toBe(3);

    for (const period of ['noticePeriodDays', 'curePeriodDays', 'handoverPeriodDays']) {
      const tooLong = await api.as(BRAND).post('/contracts', { ...DRAFT, [period]: 366 });
      expect({ status: tooLong.status, detail: tooLong.body.detail }).toEqual({ status: 400, detail: expect.stringContaining(period) });
    }
  });

  it('dates the notice by the notice period in force after an amendment changes it', async () => {
    const id = await draftAndActivate(api);
    const { countersigned } = await agree(api, id, {
      documentRef: 'SA-2028-02',
      effectiveOn: '2028-02-01',
      changes: [{ type: 'change_notice_period', noticePeriodDays: 60 }],
    });
    expect(countersigned.recorded).toEqual(['AmendmentCountersigned', 'ContractAmended']);
    expect((await api.as(BRAND).get(`/contracts/${id}`)).body).toMatchObject({
      terms: { noticePeriodDays: 60 },
      originalTerms: { noticePeriodDays: 90 },
      keyDates: { terminationNoticeDueBy: '2029-11-01' },
    });
  });
});
