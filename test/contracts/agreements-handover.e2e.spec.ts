import type { HandoverItemKind } from '../../src/contracts/domain/handover';
import {
  agree,
  BRAND,
  completeOpenItems,
  DRAFT,
  draftAndActivate,
  expectRefused as expectRefusedOver,
  handoverPath,
  LOGISTICS_BACK,
  MUTUAL_TERMINATION,
  OPERATOR,
  settleLedger,
  signOffByBoth,
} from '../support/contract-api';
import { handoverEvidence, type SettlementFigures } from '../support/contract-fixtures';
import { startTestApp, type HttpAnswer, type TestApi } from '../support/http-client';

/**
 * Issue 13 over HTTP: supplementary agreements proposed by one party and in
 * force once the other countersigns; the partial handover of a scope taken
 * back; items waived by both parties or disputed; drafts withdrawn by their
 * drafter; accounts declared by the brand too and deregistered with its
 * acknowledgement. Every refusal answers its status and code and writes nothing.
 */

/** Evidence of any kind but the final settlement, which carries a ledger's figures (done in April 2028 unless said). */
const NO_SETTLEMENT: SettlementFigures = { serviceFeesFen: 0, commissionFen: 0 };
const evidence = (kind: HandoverItemKind, doneOn?: string) => handoverEvidence(kind, NO_SETTLEMENT, doneOn);

const LOGISTICS_ACCOUNT = { platform: 'cainiao', accountName: 'cainiao-feiyue', kind: 'logistics_account' };
const SHOP_ACCOUNT = { platform: 'tmall', accountName: 'feiyue旗舰店', kind: 'shop_master_account' };

describe('agreements and handovers over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000000' });
  });
  afterAll(async () => {
    await api.stop();
  });

  const brand = () => api.as(BRAND);
  const operator = () => api.as(OPERATOR);
  const contract = async (id: string) => (await api.get(`/contracts/${id}`)).body;
  const handover = async (id: string) => (await api.get(`/contracts/${id}/handover`)).body;
  /** The step is refused with this status and code, and the contract's revision did not move. */
  const expectRefused = (id: string, step: () => Promise<HttpAnswer>, status: number, code: string) =>
    expectRefusedOver(api, id, step, status, code);
  const propose = (principal: string, id: string, body: object) => api.as(principal).post(`/contracts/${id}/amendments`, body);
  const answerProposal = (principal: string, id: string, amendmentId: string, answer: string, body: object) =>
    api.as(principal).post(`/contracts/${id}/amendments/${amendmentId}/${answer}`, body);
  /** A step on an item of a handover: the final one, or a partial one by its id. */
  const itemStep = (principal: string, id: string, itemId: string, step: string, body: object, handoverId?: string) =>
    api.as(principal).post(`${handoverPath(id, handoverId)}/items/${itemId}/${step}`, body);

  describe('the seed story: the brand takes logistics back into its own warehouse', () => {
    it('opens a partial handover when the operator countersigns; its items are handed back and signed off, and the final checklist no longer has them', async () => {
      const id = await draftAndActivate(api);
      const shop = (await operator().post(`/contracts/${id}/accounts`, SHOP_ACCOUNT)).body.accountId as string;
      const logistics = (await operator().post(`/contracts/${id}/accounts`, LOGISTICS_ACCOUNT)).body.accountId as string;

      // Proposed by the brand: recorded, not in force.
      const proposed = await propose(BRAND, id, { proposedBy: 'brand', ...LOGISTICS_BACK });
      expect(proposed.status).toBe(201);
      expect(proposed.body).toMatchObject({ recorded: ['AmendmentProposed'], amendmentId: expect.any(String) });
      const amendmentId: string = proposed.body.amendmentId;
      const pending = await contract(id);
      expect(pending.proposals).toEqual([{ amendment: { amendmentId, ...LOGISTICS_BACK }, proposedBy: 'brand', status: 'proposed' }]);
      expect(pending.amendments).toEqual([]);
      expect(pending.terms.scopes).toContain('logistics');
      expect(await handover(id)).toMatchObject({ status: 404, code: 'handover.not_started' });

      const countersignature = { party: 'operator', signatory: 'Li Na', countersignedOn: '2027-12-20' };
      await expectRefused(
        id,
        () => answerProposal(BRAND, id, amendmentId, 'countersignature', { ...countersignature, party: 'brand' }),
        422,
        'amendment.own_proposal',
      );
      await expectRefused(
        id,
        () => answerProposal(BRAND, id, amendmentId, 'countersignature', countersignature),
        403,
        'access.not_your_side',
      );
      await expectRefused(
        id,
        () => answerProposal(OPERATOR, id, 'no-such-agreement', 'countersignature', countersignature),
        404,
        'amendment.not_found',
      );
      await expectRefused(
        id,
        () => answerProposal('auditor', id, amendmentId, 'countersignature', countersignature),
        403,
        'access.read_only',
      );

      // Countersigned by the operator: in force, and what the operator held for logistics comes back now.
      const countersigned = await answerProposal(OPERATOR, id, amendmentId, 'countersignature', countersignature);
      expect(countersigned.body.recorded).toEqual(['AmendmentCountersigned', 'ContractAmended', 'PartialHandoverStarted']);
      // A retry has nothing to do; a rejection comes too late.
      expect((await answerProposal(OPERATOR, id, amendmentId, 'countersignature', countersignature)).body.recorded).toEqual([]);
      await expectRefused(
        id,
        () => answerProposal(OPERATOR, id, amendmentId, 'rejection', { party: 'operator', reason: 'No', rejectedOn: '2027-12-21' }),
        409,
        'amendment.not_proposed',
      );
      const amended = await contract(id);
      expect(amended.proposals[0]).toMatchObject({ status: 'countersigned', countersigned: { party: 'operator', signatory: 'Li Na' } });
      expect(amended.amendments).toEqual([{ amendmentId, ...LOGISTICS_BACK }]);
      expect(amended.terms.scopes).not.toContain('logistics');
      expect(amended.partialHandovers).toEqual([
        { handoverId: amendmentId, scopes: ['logistics'], effectiveOn: '2028-01-01', signedOff: false },
      ]);

      // The partial handover: the logistics account and the couriers; the shop account stays for the end.
      const started = await handover(id);
      expect(started).toMatchObject({ contractId: id, status: 'active' });
      expect(started.items).toBeUndefined();
      const [partial] = started.partialHandovers;
      expect(partial).toMatchObject({ handoverId: amendmentId, scopes: ['logistics'], effectiveOn: '2028-01-01', canSignOff: false });
      expect(partial.items.map((item: { itemId: string }) => item.itemId)).toEqual([`credentials-${logistics}`, 'logistics-repointing']);
      expect(partial.progress).toMatchObject({ completed: 0, open: 2, total: 2, byResponsibleParty: { operator: { open: 2 } } });

      const signOff = (party: string) => ({ party, signatory: party === 'brand' ? 'Zhang Wei' : 'Li Na', signedOffOn: '2028-01-10' });
      const signOffs = `${handoverPath(id, amendmentId)}/sign-offs`;
      await expectRefused(id, () => operator().post(signOffs, signOff('operator')), 409, 'handover.items_open');
      const complete =
        (principal: string, itemId: string, kind: HandoverItemKind, handoverId = amendmentId) =>
        () =>
          itemStep(principal, id, itemId, 'completion', { evidence: evidence(kind, '2028-01-08') }, handoverId);
      await expectRefused(id, complete(BRAND, 'logistics-repointing', 'logistics_repointing'), 403, 'access.not_your_side');
      await expectRefused(id, complete(OPERATOR, 'logistics-repointing', 'inventory_return'), 422, 'handover.evidence_mismatch');
      await expectRefused(id, complete(OPERATOR, 'no-such-item', 'inventory_return'), 404, 'handover.item_not_found');
      await expectRefused(id, complete(OPERATOR, 'logistics-repointing', 'logistics_repointing', shop), 404, 'handover.not_found');

      expect((await complete(OPERATOR, `credentials-${logistics}`, 'credential_handover')()).body.recorded).toEqual([
        'HandoverItemCompleted',
      ]);
      expect((await complete(OPERATOR, 'logistics-repointing', 'logistics_repointing')()).body.recorded).toEqual(['HandoverItemCompleted']);
      const accounts = (await contract(id)).accounts;
      expect(accounts.map((account: { accountId: string; status: string }) => [account.accountId, account.status])).toEqual([
        [shop, 'registered'],
        [logistics, 'handed_back'],
      ]);
      expect((await handover(id)).partialHandovers[0]).toMatchObject({ canSignOff: true, progress: { completed: 2, open: 0 } });

      // Signed off by both: the contract runs on (only the final sign-off closes it).
      expect((await operator().post(signOffs, signOff('operator'))).body.recorded).toEqual(['HandoverSignedOff']);
      expect((await brand().post(signOffs, signOff('brand'))).body.recorded).toEqual(['HandoverSignedOff']);
      await expectRefused(id, () => brand().post(signOffs, signOff('brand')), 409, 'handover.already_signed_off');
      const signedOff = await contract(id);
      expect(signedOff).toMatchObject({ status: 'active', partialHandovers: [{ handoverId: amendmentId, signedOff: true }] });
      expect((await handover(id)).partialHandovers[0]).toMatchObject({
        canSignOff: false,
        signOffs: { brand: { signatory: 'Zhang Wei' }, operator: { signatory: 'Li Na' } },
      });

      // At the end: the shop account, the inventory and the final settlement; nothing of logistics, no Alipay (none is held).
      expect((await operator().post(`/contracts/${id}/termination`, MUTUAL_TERMINATION)).status).toBe(201);
      const final = await handover(id);
      expect(final.items.map((item: { itemId: string }) => item.itemId)).toEqual([
        `credentials-${shop}`,
        'inventory-return',
        'final-settlement',
      ]);
      expect(final.partialHandovers).toHaveLength(1);
      const settlement = await settleLedger(api, id);
      await completeOpenItems(api, id, { settlement });
      expect((await signOffByBoth(api, id, { on: '2028-05-02' })).recorded).toEqual(['HandoverSignedOff', 'ContractClosed']);
      expect((await contract(id)).accounts.map((account: { status: string }) => account.status)).toEqual(['handed_back', 'handed_back']);
    });

    it('closes the contract only once every partial handover is signed off by both', async () => {
      const id = await draftAndActivate(api);
      const { amendmentId } = await agree(api, id, LOGISTICS_BACK);
      await operator().post(`/contracts/${id}/termination`, MUTUAL_TERMINATION);
      const settlement = await settleLedger(api, id);
      await completeOpenItems(api, id, { settlement });
      const finalSignOff = { party: 'operator', signatory: 'Li Na', signedOffOn: '2028-05-01' };
      await expectRefused(id, () => operator().post(`/contracts/${id}/handover/sign-offs`, finalSignOff), 409, 'handover.partial_open');
      // The partial handover goes on while the contract is in handover: disputed, then completed by a coordinator, which resolves it.
      const dispute = { party: 'brand', reason: 'Two courier accounts still ship to the operator’s warehouse' };
      expect((await itemStep(BRAND, id, 'logistics-repointing', 'dispute', dispute, amendmentId)).body.recorded).toEqual([
        'HandoverItemDisputed',
      ]);
      expect((await handover(id)).partialHandovers[0].items[0]).toMatchObject({ status: 'disputed', dispute: { disputedBy: 'brand' } });
      const completed = await itemStep(
        'coordinator',
        id,
        'logistics-repointing',
        'completion',
        { evidence: evidence('logistics_repointing') },
        amendmentId,
      );
      expect(completed.body.recorded).toEqual(['HandoverItemCompleted']);
      expect((await handover(id)).partialHandovers[0]).toMatchObject({ canSignOff: true, progress: { completed: 1, disputed: 0 } });
      await expectRefused(
        id,
        () => itemStep(OPERATOR, id, 'logistics-repointing', 'waiver', { party: 'operator', reason: 'Not needed' }, amendmentId),
        409,
        'handover.item_already_completed',
      );
      await signOffByBoth(api, id, { handoverId: amendmentId, on: '2028-04-20' });
      expect((await signOffByBoth(api, id, { on: '2028-05-02' })).recorded).toEqual(['HandoverSignedOff', 'ContractClosed']);
      await expectRefused(
        id,
        () => itemStep(OPERATOR, id, 'logistics-repointing', 'dispute', { party: 'operator', reason: 'Late' }, amendmentId),
        409,
        'contract.closed',
      );
    });
  });

  describe('supplementary agreements', () => {
    const budget = (documentRef: string, monthlyBudgetFen = 12_000_000, effectiveOn = '2027-06-01') => ({
      documentRef,
      effectiveOn,
      changes: [{ type: 'change_promotion_budget', monthlyBudgetFen }],
    });

    it('are rejected by the other party or withdrawn by the proposer, and then change nothing', async () => {
      const id = await draftAndActivate(api);
      const rejectedId: string = (await propose(OPERATOR, id, { proposedBy: 'operator', ...budget('SA-A') })).body.amendmentId;
      const rejection = { party: 'brand', reason: 'The budget stays as signed', rejectedOn: '2027-05-20' };
      await expectRefused(
        id,
        () => answerProposal(OPERATOR, id, rejectedId, 'rejection', { ...rejection, party: 'operator' }),
        422,
        'amendment.own_proposal',
      );
      expect((await answerProposal(BRAND, id, rejectedId, 'rejection', rejection)).body.recorded).toEqual(['AmendmentRejected']);
      await expectRefused(
        id,
        () =>
          answerProposal(BRAND, id, rejectedId, 'countersignature', {
            party: 'brand',
            signatory: 'Zhang Wei',
            countersignedOn: '2027-05-21',
          }),
        409,
        'amendment.not_proposed',
      );

      const withdrawnId: string = (await propose(BRAND, id, { proposedBy: 'brand', ...budget('SA-B') })).body.amendmentId;
      await expectRefused(id, () => propose(BRAND, id, { proposedBy: 'brand', ...budget('SA-B', 1) }), 409, 'amendment.already_recorded');
      await expectRefused(
        id,
        () => answerProposal(OPERATOR, id, withdrawnId, 'withdrawal', { withdrawnOn: '2027-05-22' }),
        403,
        'access.not_your_side',
      );
      expect((await answerProposal(BRAND, id, withdrawnId, 'withdrawal', { withdrawnOn: '2027-05-22' })).body.recorded).toEqual([
        'AmendmentWithdrawn',
      ]);

      const after = await contract(id);
      expect(after.proposals).toEqual([
        expect.objectContaining({ proposedBy: 'operator', status: 'rejected', rejected: rejection }),
        expect.objectContaining({ proposedBy: 'brand', status: 'withdrawn', withdrawnOn: '2027-05-22' }),
      ]);
      expect(after.amendments).toEqual([]);
      expect(after.terms.promotion).toEqual(DRAFT.promotion);
      await expectRefused(
        id,
        () => answerProposal(OPERATOR, id, rejectedId, 'withdrawal', { withdrawnOn: '2027-05-23' }),
        409,
        'amendment.not_proposed',
      );
      // A document turned down may be proposed again.
      expect((await propose(OPERATOR, id, { proposedBy: 'operator', ...budget('SA-A', 11_000_000) })).status).toBe(201);
    });

    it('are checked when proposed, and again when countersigned against the contract as it then stands', async () => {
      const id = await draftAndActivate(api);
      await expectRefused(id, () => propose(OPERATOR, id, { proposedBy: 'brand', ...budget('SA-X') }), 403, 'access.not_your_side');
      await expectRefused(
        id,
        () => propose(BRAND, id, { proposedBy: 'brand', ...budget('SA-X', 1, '2030-06-01') }),
        422,
        'amendment.outside_term',
      );
      await expectRefused(
        id,
        () =>
          propose(BRAND, id, {
            proposedBy: 'brand',
            documentRef: 'SA-X',
            effectiveOn: '2027-06-01',
            changes: [{ type: 'remove_scope', scope: 'planning' }],
          }),
        422,
        'amendment.scope_not_outsourced',
      );

      // A commission change from mid-March, proposed; then March is stated before the operator answers.
      const rate = {
        documentRef: 'SA-RATE',
        effectiveOn: '2027-03-15',
        changes: [{ type: 'change_commission_rate', commissionRateBp: 1500 }],
      };
      const { amendmentId } = (await propose(BRAND, id, { proposedBy: 'brand', ...rate })).body;
      const [shop] = DRAFT.shops;
      const report = await operator().post(`/contracts/${id}/sales-reports`, {
        platform: shop.platform,
        shopName: shop.name,
        periodStart: '2027-03-01',
        periodEnd: '2027-03-31',
        grossSalesFen: 3_100_000,
        refundsFen: 0,
        shippingCostFen: 0,
        documentRef: 'SALES-2027-03',
      });
      await brand().post(`/contracts/${id}/sales-reports/${report.body.reportId}/confirmation`, { confirmedOn: '2027-04-01' });
      expect((await operator().post(`/contracts/${id}/statements`, { month: '2027-03', issuedOn: '2027-04-02' })).status).toBe(201);
      await expectRefused(
        id,
        () =>
          answerProposal(OPERATOR, id, amendmentId, 'countersignature', {
            party: 'operator',
            signatory: 'Li Na',
            countersignedOn: '2027-04-03',
          }),
        409,
        'ledger.month_already_stated',
      );
    });

    it('change the clauses and the shops the operator runs', async () => {
      const id = await draftAndActivate(api);
      const outlet = { platform: 'jd', name: 'Feiyue JD outlet' };
      await agree(
        api,
        id,
        {
          documentRef: 'SA-2027-07',
          effectiveOn: '2027-07-01',
          changes: [
            { type: 'change_clauses', clauses: { onlineDistributionAuthorized: true, rightsEnforcementAuthorized: false } },
            { type: 'add_shop', shop: outlet },
          ],
        },
        'operator',
      );
      const terms = (await contract(id)).terms;
      expect(terms.clauses).toEqual({ onlineDistributionAuthorized: true, rightsEnforcementAuthorized: false });
      expect(terms.shops).toEqual([...DRAFT.shops, outlet]);
      expect((await api.get(`/contracts/${id}?termsOn=2027-06-30`)).body.terms.shops).toEqual(DRAFT.shops);
      await expectRefused(
        id,
        () => brand().post(`/contracts/${id}/authorizations`, { type: 'rights_enforcement', platform: 'tmall', documentRef: 'AUTH-IPR' }),
        422,
        'authorization.not_allowed_by_clauses',
      );
      const shopChange = (type: string, shop: object) => ({
        proposedBy: 'brand',
        documentRef: `SA-${type}`,
        effectiveOn: '2027-08-01',
        changes: [{ type, shop }],
      });
      await expectRefused(id, () => propose(BRAND, id, shopChange('add_shop', outlet)), 422, 'amendment.shop_already_run');
      await expectRefused(
        id,
        () => propose(BRAND, id, shopChange('remove_shop', { platform: 'douyin', name: 'Feiyue Douyin' })),
        422,
        'amendment.shop_not_run',
      );
      await agree(api, id, { documentRef: 'SA-2027-08', effectiveOn: '2027-08-01', changes: [{ type: 'remove_shop', shop: outlet }] });
      expect((await contract(id)).terms.shops).toEqual(DRAFT.shops);
    });
  });

  describe('handover items waived or disputed', () => {
    /** Terminated with no account held: the inventory, the couriers and the final settlement. */
    const terminated = async () => {
      const id = await draftAndActivate(api);
      await operator().post(`/contracts/${id}/termination`, MUTUAL_TERMINATION);
      return id;
    };

    it('waives an item both parties agree does not apply, and completes a disputed one, then closes', async () => {
      const id = await terminated();
      const reason = 'The brand ships from its own warehouse: the operator never held inventory';
      await expectRefused(
        id,
        () => itemStep('coordinator', id, 'inventory-return', 'waiver', { party: 'operator', reason }),
        403,
        'access.coordinator',
      );
      const proposed = await itemStep(OPERATOR, id, 'inventory-return', 'waiver', { party: 'operator', reason });
      expect(proposed.body.recorded).toEqual(['HandoverItemWaiverProposed']);
      expect((await handover(id)).items[0]).toMatchObject({ status: 'open', waiverProposed: { proposedBy: 'operator', reason } });
      await expectRefused(
        id,
        () => itemStep(BRAND, id, 'inventory-return', 'waiver', { party: 'brand', reason: 'Another reason' }),
        409,
        'handover.waiver_pending',
      );
      await expectRefused(
        id,
        () => itemStep(OPERATOR, id, 'inventory-return', 'waiver/agreement', { party: 'operator', signatory: 'Li Na' }),
        422,
        'handover.own_waiver',
      );
      await expectRefused(
        id,
        () => itemStep(BRAND, id, 'logistics-repointing', 'waiver/agreement', { party: 'brand', signatory: 'Zhang Wei' }),
        409,
        'handover.no_waiver_proposed',
      );
      await expectRefused(
        id,
        () => itemStep(BRAND, id, 'final-settlement', 'waiver', { party: 'brand', reason: 'Nothing owed' }),
        422,
        'handover.not_waivable',
      );
      const waived = await itemStep(BRAND, id, 'inventory-return', 'waiver/agreement', { party: 'brand', signatory: 'Zhang Wei' });
      expect(waived.body.recorded).toEqual(['HandoverItemWaived']);
      await expectRefused(
        id,
        () => itemStep(OPERATOR, id, 'inventory-return', 'completion', { evidence: evidence('inventory_return') }),
        409,
        'handover.item_waived',
      );

      const dispute = { party: 'brand', reason: 'Two courier accounts still ship to the operator’s warehouse' };
      expect((await itemStep(BRAND, id, 'logistics-repointing', 'dispute', dispute)).body.recorded).toEqual(['HandoverItemDisputed']);
      await expectRefused(
        id,
        () => itemStep(OPERATOR, id, 'logistics-repointing', 'dispute', { party: 'operator', reason: 'Done already' }),
        409,
        'handover.item_disputed',
      );
      const disputed = await handover(id);
      expect(disputed.items.map((item: { itemId: string; status: string }) => [item.itemId, item.status])).toEqual([
        ['inventory-return', 'waived'],
        ['logistics-repointing', 'disputed'],
        ['final-settlement', 'open'],
      ]);
      expect(disputed.items[0].waiver).toEqual({ proposedBy: 'operator', reason, agreedBy: 'brand', signatory: 'Zhang Wei' });
      expect(disputed.items[1].dispute).toEqual({ disputedBy: 'brand', reason: dispute.reason });
      expect(disputed.progress).toMatchObject({ completed: 0, waived: 1, disputed: 1, open: 1, total: 3 });
      await expectRefused(
        id,
        () => brand().post(`/contracts/${id}/handover/sign-offs`, { party: 'brand', signatory: 'Zhang Wei', signedOffOn: '2028-05-01' }),
        409,
        'handover.items_disputed',
      );

      // Completing the disputed item resolves its dispute; a completed item can no longer be disputed.
      expect(
        (await itemStep(OPERATOR, id, 'logistics-repointing', 'completion', { evidence: evidence('logistics_repointing') })).status,
      ).toBe(201);
      await expectRefused(
        id,
        () => itemStep(BRAND, id, 'logistics-repointing', 'dispute', dispute),
        409,
        'handover.item_already_completed',
      );
      const settlement = await settleLedger(api, id);
      await completeOpenItems(api, id, { settlement });
      const done = await handover(id);
      expect(done.items[1]).toMatchObject({ status: 'completed' });
      expect(done.items[1].dispute).toBeUndefined();
      expect(done).toMatchObject({ canSignOff: true, progress: { completed: 2, waived: 1, disputed: 0, open: 0, total: 3 } });
      expect((await signOffByBoth(api, id, { on: '2028-05-02' })).recorded).toEqual(['HandoverSignedOff', 'ContractClosed']);
    });

    it('answers steps on a handover that is not there', async () => {
      const id = await draftAndActivate(api);
      await expectRefused(
        id,
        () => itemStep(BRAND, id, 'inventory-return', 'dispute', { party: 'brand', reason: 'x' }),
        409,
        'handover.not_started',
      );
      await expectRefused(
        id,
        () => itemStep(BRAND, id, 'inventory-return', 'dispute', { party: 'brand', reason: 'x' }, id),
        404,
        'handover.not_found',
      );
      await expectRefused(
        id,
        () => itemStep(BRAND, id, 'inventory-return', 'waiver', { party: 'brand', reason: 'x', extra: true }),
        400,
        'request.invalid',
      );
    });
  });

  describe('drafts', () => {
    const withdrawal = (party: string) => ({
      party,
      reason: 'The operator asked for other fees: we draft again',
      withdrawnOn: '2026-11-20',
    });

    it('are withdrawn by their drafter before both sign, and then take no command', async () => {
      const id: string = (await brand().post('/contracts', DRAFT)).body.contractId;
      expect((await api.get(`/contracts/${id}/events`)).body.events[0].data.draftedBy).toBe('brand');
      // Nothing is recorded against an unsigned draft.
      await expectRefused(id, () => operator().post(`/contracts/${id}/accounts`, SHOP_ACCOUNT), 409, 'contract.not_active');
      await expectRefused(
        id,
        () => brand().post(`/contracts/${id}/authorizations`, { type: 'online_distribution', platform: 'tmall', documentRef: 'A-1' }),
        409,
        'contract.not_active',
      );
      await expectRefused(id, () => propose(BRAND, id, { proposedBy: 'brand', ...LOGISTICS_BACK }), 409, 'contract.not_active');
      await expectRefused(id, () => operator().post(`/contracts/${id}/withdrawal`, withdrawal('operator')), 422, 'contract.not_drafter');
      await expectRefused(id, () => brand().post(`/contracts/${id}/withdrawal`, withdrawal('operator')), 403, 'access.not_your_side');
      await brand().post(`/contracts/${id}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-11-18' });

      expect((await brand().post(`/contracts/${id}/withdrawal`, withdrawal('brand'))).body.recorded).toEqual(['DraftWithdrawn']);
      expect(await contract(id)).toMatchObject({ status: 'withdrawn', withdrawn: withdrawal('brand') });
      await expectRefused(
        id,
        () => operator().post(`/contracts/${id}/signatures`, { party: 'operator', signatory: 'Li Na', signedOn: '2026-11-21' }),
        409,
        'contract.withdrawn',
      );
      await expectRefused(id, () => brand().post(`/contracts/${id}/withdrawal`, withdrawal('brand')), 409, 'contract.withdrawn');
      const listed = async (status: string) =>
        (await api.get(`/contracts?status=${status}&limit=100`)).body.items.map((item: { contractId: string }) => item.contractId);
      expect(await listed('withdrawn')).toContain(id);
      expect(await listed('drafted')).not.toContain(id);
    });

    it('drafted by an admin may be withdrawn by either party; once in force, none can be', async () => {
      const drafted: string = (await api.as('admin').post('/contracts', DRAFT)).body.contractId;
      expect((await api.get(`/contracts/${drafted}/events`)).body.events[0].data.draftedBy).toBeUndefined();
      expect((await operator().post(`/contracts/${drafted}/withdrawal`, withdrawal('operator'))).body.recorded).toEqual(['DraftWithdrawn']);
      const active = await draftAndActivate(api);
      await expectRefused(active, () => brand().post(`/contracts/${active}/withdrawal`, withdrawal('brand')), 409, 'contract.not_draft');
    });
  });

  describe('accounts', () => {
    it('are declared by the brand too; the operator asks one off the contract and it stays on what must come back until the brand acknowledges', async () => {
      const id = await draftAndActivate(api);
      const register = async (principal: string, accountName: string) =>
        (await api.as(principal).post(`/contracts/${id}/accounts`, { ...SHOP_ACCOUNT, accountName })).body.accountId as string;
      const declared = await register(BRAND, 'feiyue-known-to-the-brand');
      const asked = await register(OPERATOR, 'feiyue-asked-off');
      const acknowledged = await register(OPERATOR, 'feiyue-acknowledged');
      const deregister = (principal: string, accountId: string, party: string) =>
        api.as(principal).post(`/contracts/${id}/accounts/${accountId}/deregistration`, { party, reason: 'The shop closed in March' });

      await expectRefused(id, () => deregister(BRAND, asked, 'operator'), 403, 'access.not_your_side');
      await expectRefused(id, () => deregister(OPERATOR, 'no-such-account', 'operator'), 404, 'account.not_found');
      for (const accountId of [asked, acknowledged]) {
        expect((await deregister(OPERATOR, accountId, 'operator')).body.recorded).toEqual(['AccountDeregistrationRequested']);
      }
      // Asked again: nothing to do.
      expect((await deregister(OPERATOR, asked, 'operator')).body.recorded).toEqual([]);
      expect((await deregister(BRAND, acknowledged, 'brand')).body.recorded).toEqual(['AccountDeregistered']);
      expect(
        (await contract(id)).accounts.map(({ accountId, declaredBy, status }: Record<string, string>) => [accountId, declaredBy, status]),
      ).toEqual([
        [declared, 'brand', 'registered'],
        [asked, 'operator', 'deregistration_requested'],
        [acknowledged, 'operator', 'deregistered'],
      ]);
      expect((await contract(id)).accounts[1].deregistrationRequested).toEqual({ reason: 'The shop closed in March' });

      await operator().post(`/contracts/${id}/termination`, MUTUAL_TERMINATION);
      const items = (await handover(id)).items.map((item: { itemId: string }) => item.itemId);
      expect(items).toEqual([
        `credentials-${declared}`,
        `credentials-${asked}`,
        'inventory-return',
        'logistics-repointing',
        'final-settlement',
      ]);
      await expectRefused(id, () => deregister(BRAND, asked, 'brand'), 409, 'contract.ended');
      await expectRefused(id, () => operator().post(`/contracts/${id}/accounts`, SHOP_ACCOUNT), 409, 'contract.ended');
    });

    it('bring the Alipay items to the checklist only when an Alipay account is held', async () => {
      const id = await draftAndActivate(api);
      const alipay = (
        await operator().post(`/contracts/${id}/accounts`, {
          platform: 'alipay',
          accountName: 'feiyue-finance@alipay',
          kind: 'alipay_account',
        })
      ).body.accountId;
      await operator().post(`/contracts/${id}/termination`, MUTUAL_TERMINATION);
      expect((await handover(id)).items.map((item: { itemId: string }) => item.itemId)).toEqual([
        'alipay-reconciliation',
        `alipay-handover-${alipay}`,
        'inventory-return',
        'logistics-repointing',
        'final-settlement',
      ]);
    });
  });
});
