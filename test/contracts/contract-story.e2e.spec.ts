import { EventStore } from '../../src/event-store/event-store.port';
import {
  BRAND,
  completeOpenItems,
  DRAFT,
  draftAndActivate as draftAndActivateOver,
  expectRefused as expectRefusedOver,
  LOGISTICS_BACK,
  OPERATOR,
  revisionOf as revisionOfOver,
  settleLedger,
  signOffByBoth,
} from '../support/contract-api';
import { handoverEvidence } from '../support/contract-fixtures';
import type { HandoverItemKind } from '../../src/contracts/domain/handover';
import { startTestApp, type HttpAnswer } from '../support/http-client';

/**
 * The whole story over HTTP on the embedded store: a sports-shoe brand and an
 * operator sign a three-year contract, run it, amend it, the brand breaches,
 * the operator terminates, and the handover is completed and signed off.
 * Every refused step along the way writes nothing.
 */

const CREDENTIALS = (who: string) => ({
  kind: 'credential_handover',
  rotatedBy: 'op-yunshang:li.na',
  rotatedAt: '2028-04-02T10:00:00+08:00',
  receivedBy: who,
  receivedAt: '2028-04-02T11:00:00+08:00',
});

describe('the contract lifecycle over HTTP', () => {
  let api: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
  });

  const brand = () => api.as(BRAND);
  const operator = () => api.as(OPERATOR);

  const revisionOf = (contractId: string) => revisionOfOver(api, contractId);
  /** The step is refused with this status and code, and the contract's revision did not move. */
  const expectRefused = (contractId: string, step: () => Promise<HttpAnswer>, status: number, code: string) =>
    expectRefusedOver(api, contractId, step, status, code);

  const draftAndActivate = () => draftAndActivateOver(api);

  it('runs the whole story, from drafting to a closed handover', async () => {
    const drafted = await brand().post('/contracts', DRAFT);
    expect(drafted.status).toBe(201);
    expect(drafted.headers.get('etag')).toBe('"0"');
    const id: string = drafted.body.contractId;
    expect(drafted.body).toEqual({ contractId: id, revision: 0, position: expect.stringMatching(/^\d+$/), recorded: ['ContractDrafted'] });

    expect(
      (await brand().post(`/contracts/${id}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' })).body.recorded,
    ).toEqual(['ContractSigned']);
    await expectRefused(
      id,
      () => brand().post(`/contracts/${id}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-02' }),
      409,
      'contract.already_signed',
    );
    const activated = await operator().post(`/contracts/${id}/signatures`, {
      party: 'operator',
      signatory: 'Li Na',
      signedOn: '2026-12-03',
    });
    expect(activated.body.recorded).toEqual(['ContractSigned', 'ContractActivated']);
    expect((await api.get(`/contracts/${id}`)).body).toMatchObject({ status: 'active', activatedOn: '2026-12-03' });

    const accounts: string[] = [];
    for (const [accountName, kind] of [
      ['feiyue旗舰店', 'shop_master_account'],
      ['feiyue旗舰店:cs01', 'sub_account'],
      ['feiyue-finance@alipay', 'alipay_account'],
    ]) {
      const platform = kind === 'alipay_account' ? 'alipay' : 'tmall';
      const registered = await operator().post(`/contracts/${id}/accounts`, { platform, accountName, kind });
      expect(registered.status).toBe(201);
      accounts.push(registered.body.accountId as string);
    }
    const distribution = await brand().post(`/contracts/${id}/authorizations`, {
      type: 'online_distribution',
      platform: 'tmall',
      documentRef: 'AUTH-DIST-2027',
    });
    const enforcement = await brand().post(`/contracts/${id}/authorizations`, {
      type: 'rights_enforcement',
      platform: 'tmall',
      documentRef: 'AUTH-IPR-2027',
    });
    expect([distribution.status, enforcement.status]).toEqual([201, 201]);

    // The brand proposes taking logistics back; it takes effect only once the operator countersigns.
    const proposal = await brand().post(`/contracts/${id}/amendments`, { proposedBy: 'brand', ...LOGISTICS_BACK });
    expect(proposal.body.recorded).toEqual(['AmendmentProposed']);
    expect((await api.get(`/contracts/${id}`)).body.terms.scopes).toContain('logistics');
    const countersigned = await operator().post(`/contracts/${id}/amendments/${proposal.body.amendmentId}/countersignature`, {
      party: 'operator',
      signatory: 'Li Na',
      countersignedOn: '2027-12-20',
    });
    expect(countersigned.body.recorded).toEqual(['AmendmentCountersigned', 'ContractAmended', 'PartialHandoverStarted']);
    expect((await api.get(`/contracts/${id}`)).body.terms.scopes).toEqual(['operations', 'marketing', 'customer_service', 'warehousing']);
    expect((await api.get(`/contracts/${id}?termsOn=2027-12-31`)).body.terms.scopes).toContain('logistics');
    expect((await api.get(`/contracts/${id}?termsOn=2028-01-01`)).body.terms.scopes).not.toContain('logistics');
    // The couriers are re-pointed to the brand now, in the partial handover of logistics, not at the end.
    const handoverId: string = proposal.body.amendmentId;
    await completeOpenItems(api, id, { handoverId, doneOn: '2028-01-04' });
    await signOffByBoth(api, id, { handoverId, on: '2028-01-05' });
    expect((await api.get(`/contracts/${id}`)).body.partialHandovers).toEqual([
      { handoverId, scopes: ['logistics'], effectiveOn: '2028-01-01', signedOff: true },
    ]);

    // The brand stops shipping daily; the operator serves notice the next day, and the 30 days to cure run out on 1 April.
    const incident = await operator().post(`/contracts/${id}/incidents`, {
      duty: 'daily_shipping',
      reportedBy: 'operator',
      occurredOn: '2028-03-01',
      description: 'Orders of 26 February to 1 March not shipped',
      evidenceRef: 'EV-ORDERS-0301',
    });
    const breach = await operator().post(`/contracts/${id}/breaches`, {
      breachingParty: 'brand',
      clause: 'Brand duty 2: ship every day, on time',
      incidentIds: [incident.body.incidentId],
      description: 'Orders not shipped daily since 26 February',
      evidenceRef: 'NOTICE-2028-03-02',
      noticedOn: '2028-03-02',
    });
    expect(breach.status).toBe(201);
    await expectRefused(
      id,
      () =>
        brand().post(`/contracts/${id}/termination`, {
          initiatedBy: 'brand',
          grounds: 'breach',
          breachId: breach.body.breachId,
          effectiveOn: '2028-04-01',
        }),
      422,
      'termination.own_breach',
    );
    const terminated = await operator().post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'breach',
      breachId: breach.body.breachId,
      effectiveOn: '2028-04-01',
    });
    expect(terminated.body.recorded).toEqual(['ContractTerminated', 'HandoverStarted']);
    await expectRefused(
      id,
      () =>
        brand().post(`/contracts/${id}/amendments`, {
          proposedBy: 'brand',
          documentRef: 'SA-late',
          effectiveOn: '2028-05-01',
          changes: [{ type: 'change_service_fee', serviceFeeMonthlyFen: 1 }],
        }),
      409,
      'contract.not_active',
    );

    const checklist = await api.get(`/contracts/${id}/handover`);
    expect(checklist.status).toBe(200);
    const items: Array<{ itemId: string; kind: string; status: string; responsibleParty: string }> = checklist.body.items;
    expect(items.map((item) => item.itemId)).toEqual([
      ...accounts.slice(0, 2).map((accountId) => `credentials-${accountId}`),
      'alipay-reconciliation',
      // The Alipay account comes back by its own item, reconciled first.
      `alipay-handover-${accounts[2]}`,
      `revocation-${distribution.body.authorizationId}`,
      `revocation-${enforcement.body.authorizationId}`,
      'inventory-return',
      'final-settlement',
    ]);
    expect(items.some((item) => item.kind === 'logistics_repointing')).toBe(false);
    expect(checklist.body.progress).toMatchObject({ completed: 0, open: 8, total: 8 });
    expect(checklist.body.canSignOff).toBe(false);

    await expectRefused(
      id,
      () => brand().post(`/contracts/${id}/handover/sign-offs`, { party: 'brand', signatory: 'Zhang Wei', signedOffOn: '2028-05-01' }),
      409,
      'handover.items_open',
    );
    const withPassword = await expectRefused(
      id,
      () =>
        operator().post(`/contracts/${id}/handover/items/credentials-${accounts[0]}/completion`, {
          evidence: { ...CREDENTIALS('brand-feiyue:zhang.wei'), password: 'Feiyue@2028!' },
        }),
      400,
      'request.secret_refused',
    );
    expect(withPassword.body.detail).toContain('not the password itself');

    // The months served up to the termination are reported, confirmed and stated: the final settlement agrees with them.
    const settlement = await settleLedger(api, id);
    for (const item of items) {
      const responsible = item.responsibleParty === 'brand' ? brand() : operator();
      const done = await responsible.post(`/contracts/${id}/handover/items/${item.itemId}/completion`, {
        evidence: handoverEvidence(item.kind as HandoverItemKind, settlement),
      });
      expect({ item: item.itemId, status: done.status }).toEqual({ item: item.itemId, status: 201 });
    }
    const complete = await api.get(`/contracts/${id}/handover`);
    expect(complete.body.progress).toMatchObject({ completed: 8, open: 0, total: 8 });
    expect(complete.body.canSignOff).toBe(true);
    expect(complete.body.items[0]).toMatchObject({
      status: 'completed',
      completedBy: expect.stringMatching(/^operator:op-yunshang:[0-9a-f]{16}$/),
      evidence: CREDENTIALS('brand-feiyue:zhang.wei'),
    });

    expect(
      (await operator().post(`/contracts/${id}/handover/sign-offs`, { party: 'operator', signatory: 'Li Na', signedOffOn: '2028-05-01' }))
        .body.recorded,
    ).toEqual(['HandoverSignedOff']);
    const closed = await brand().post(`/contracts/${id}/handover/sign-offs`, {
      party: 'brand',
      signatory: 'Zhang Wei',
      signedOffOn: '2028-05-02',
    });
    expect(closed.body.recorded).toEqual(['HandoverSignedOff', 'ContractClosed']);
    const closedContract = (await api.get(`/contracts/${id}`)).body;
    expect(closedContract).toMatchObject({ status: 'closed', closedOn: '2028-05-02' });
    // The credentials handed over gave every account back; the revocations revoked every authorization.
    expect(closedContract.accounts.map((account: { status: string }) => account.status)).toEqual([
      'handed_back',
      'handed_back',
      'handed_back',
    ]);
    expect(closedContract.accounts[0].handedBack).toEqual({
      receivedBy: 'brand-feiyue:zhang.wei',
      receivedAt: '2028-04-02T11:00:00+08:00',
    });
    expect(closedContract.authorizations).toEqual([
      expect.objectContaining({ status: 'revoked', revoked: { documentRef: 'REVOKE-2028-07', revokedOn: '2028-04-03' } }),
      expect.objectContaining({ status: 'revoked' }),
    ]);

    const stored = await api.app.get(EventStore).readStream(`contract-${id}`);
    const secrets = JSON.stringify(stored.found && stored.events.map((event) => [event.data, event.metadata]));
    expect(secrets).not.toContain('Feiyue@2028!');
  });

  it('stamps every event with who, when, the effective date, correlation, causation and schema version', async () => {
    const id = await draftAndActivate();
    const answer = await operator().post(
      `/contracts/${id}/breaches`,
      { breachingParty: 'brand', clause: '2', description: 'late', evidenceRef: 'EV', noticedOn: '2028-03-12' },
      { 'x-request-id': 'req-breach-1' },
    );
    expect(answer.headers.get('x-request-id')).toBe('req-breach-1');
    const read = await api.app.get(EventStore).readStream(`contract-${id}`, { direction: 'backwards', maxCount: 1 });
    const [event] = read.found ? read.events : [];
    expect(event.metadata).toEqual({
      actor: expect.stringMatching(/^operator:op-yunshang:[0-9a-f]{16}$/),
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      effectiveOn: '2028-03-12',
      correlationId: 'req-breach-1',
      causationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      schemaVersion: 2,
      commandType: 'NoticeBreach',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hashAlgorithm: 'sha256-rfc8785-v2',
    });
  });

  it('answers a bad body with 400 naming each bad field, and writes nothing', async () => {
    const bad = await brand().post('/contracts', {
      ...DRAFT,
      scopes: ['logistics', 'space_travel'],
      fees: { serviceFeeMonthlyFen: 12.5, commissionRateBp: 12_000, commissionBase: 'gross' },
      term: { startsOn: '2027-02-30', endsOn: '2029-12-31' },
      surprise: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('request.invalid');
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
      ['fees.commissionRateBp', 'fees.serviceFeeMonthlyFen', 'scopes', 'surprise', 'term.startsOn'].sort(),
    );
  });

  it('names every missing part of an empty draft', async () => {
    const empty = await brand().post('/contracts', {});
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'brand',
      'operator',
      'scopes',
      'shops',
      'fees',
      'shipping',
      'promotion',
      'clauses',
      'term',
    ]);
  });

  it('answers 401 without a key, 404 for an unknown contract, 422 for a broken rule', async () => {
    expect((await api.call('POST', '/contracts', DRAFT)).body).toMatchObject({ status: 401, code: 'auth.missing_key' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api.get(`/contracts/${unknown}`)).body).toMatchObject({ status: 404, code: 'contract.not_found' });
    expect(
      (await brand().post(`/contracts/${unknown}/signatures`, { party: 'brand', signatory: 'a', signedOn: '2026-12-01' })).body,
    ).toMatchObject({
      status: 404,
      code: 'contract.not_found',
    });
    const ended = await brand().post('/contracts', { ...DRAFT, term: { startsOn: '2027-01-01', endsOn: '2026-01-01' } });
    expect(ended.body).toMatchObject({ status: 422, code: 'contract.term_ends_before_start' });
  });

  describe('idempotency', () => {
    it('returns the first response for a retried request and writes nothing new', async () => {
      const id = await draftAndActivate();
      const body = { platform: 'tmall', accountName: 'feiyue旗舰店', kind: 'shop_master_account' };
      const first = await operator().post(`/contracts/${id}/accounts`, body, { 'idempotency-key': 'acc-1' });
      const retry = await operator().post(`/contracts/${id}/accounts`, body, { 'idempotency-key': 'acc-1' });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await revisionOf(id)).toBe(first.headers.get('etag'));
    });

    it('refuses the same key with a different body', async () => {
      const id = await draftAndActivate();
      await operator().post(
        `/contracts/${id}/accounts`,
        { platform: 'tmall', accountName: 'a', kind: 'sub_account' },
        { 'idempotency-key': 'k' },
      );
      await expectRefused(
        id,
        () =>
          operator().post(
            `/contracts/${id}/accounts`,
            { platform: 'tmall', accountName: 'b', kind: 'sub_account' },
            { 'idempotency-key': 'k' },
          ),
        422,
        'idempotency.key_reused',
      );
    });

    it('lands a retried draft on the same contract', async () => {
      const first = await brand().post('/contracts', DRAFT, { 'idempotency-key': 'draft-feiyue-2027' });
      const retry = await brand().post('/contracts', DRAFT, { 'idempotency-key': 'draft-feiyue-2027' });
      expect(retry.body).toEqual(first.body);
      expect(await revisionOf(first.body.contractId)).toBe('"0"');
    });
  });

  describe('optimistic concurrency', () => {
    const amendment = (n: number) => ({
      proposedBy: 'brand',
      documentRef: `SA-${n}`,
      effectiveOn: '2028-01-01',
      changes: [{ type: 'change_promotion_budget', monthlyBudgetFen: 20_000_000 + n }],
    });

    it('refuses a write with a stale If-Match with 412 and the current revision', async () => {
      const id = await draftAndActivate();
      const current = await revisionOf(id);
      expect(current).toBe('"3"');
      await brand().post(`/contracts/${id}/amendments`, amendment(1), { 'if-match': current! });
      const stale = await expectRefused(
        id,
        () => brand().post(`/contracts/${id}/amendments`, amendment(2), { 'if-match': current! }),
        412,
        'concurrency.stale_revision',
      );
      expect(stale.body.currentRevision).toBe(4);
    });

    it('of many parallel amendments with the same If-Match, exactly one succeeds', async () => {
      const id = await draftAndActivate();
      const ifMatch = (await revisionOf(id))!;
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, n) => brand().post(`/contracts/${id}/amendments`, amendment(n), { 'if-match': ifMatch })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array<number>(9).fill(412)]);
      expect((await api.get(`/contracts/${id}`)).body.proposals).toHaveLength(1);
    });

    it('without If-Match, parallel proposals and countersignatures all succeed in some order and the history is consistent', async () => {
      const id = await draftAndActivate();
      const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => brand().post(`/contracts/${id}/amendments`, amendment(n))));
      expect(answers.map((answer) => answer.status)).toEqual(Array<number>(8).fill(201));
      expect(answers.map((answer) => answer.body.revision).sort((a: number, b: number) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
      const countersigned = await Promise.all(
        answers.map(({ body }) =>
          operator().post(`/contracts/${id}/amendments/${body.amendmentId}/countersignature`, {
            party: 'operator',
            signatory: 'Li Na',
            countersignedOn: '2027-12-20',
          }),
        ),
      );
      expect(countersigned.map((answer) => answer.status)).toEqual(Array<number>(8).fill(201));
      const contract = (await api.get(`/contracts/${id}`)).body;
      expect(contract.proposals.map((proposal: { status: string }) => proposal.status)).toEqual(Array<string>(8).fill('countersigned'));
      expect(contract.amendments.map((a: { documentRef: string }) => a.documentRef).sort()).toEqual(
        Array.from({ length: 8 }, (_, n) => `SA-${n}`).sort(),
      );
      const last = contract.amendments.at(-1).changes[0].monthlyBudgetFen;
      expect(contract.terms.promotion.monthlyBudgetFen).toBe(last);
    });
  });
});
