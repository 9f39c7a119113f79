import type { ContractCommand } from '../../src/contracts/domain/commands';
import type { ContractEvent } from '../../src/contracts/domain/events';
import { currentTerms, termsInForce, type Amendment, type AmendmentChange, type Party } from '../../src/contracts/domain/terms';
import {
  aContractInHandover,
  aContractTerminatedOn,
  aDraftedContract,
  agreed,
  agreement,
  amended,
  amendmentIdOf,
  anActiveContract,
  anAgreementInForce,
  aSettledLedger,
  countersignAmendment,
  decided,
  draftTerms,
  FLAGSHIP,
  given,
  proposeAmendment,
  refusal,
  type Proposing,
} from '../support/contract-fixtures';

/**
 * Supplementary agreements (补充协议): one party proposes, the other
 * countersigns, and only then does the agreement take effect; the other may
 * also reject it, and the proposer withdraw it, while it awaits an answer.
 */

const ACTIVE = anActiveContract();
const LOGISTICS_BACK: AmendmentChange[] = [{ type: 'remove_scope', scope: 'logistics' }];
const RATE_TO_15: AmendmentChange[] = [{ type: 'change_commission_rate', commissionRateBp: 1500 }];

/** The amendment a proposal of the fixtures carries (SA-1, effective 2028-01-01, unless told otherwise). */
const amendmentOf = (changes: AmendmentChange[], { effectiveOn = '2028-01-01', documentRef = 'SA-1' }: Proposing = {}): Amendment => ({
  amendmentId: amendmentIdOf(documentRef),
  documentRef,
  effectiveOn,
  changes,
});
const proposed = (changes: AmendmentChange[], proposing: Proposing = {}): ContractEvent => ({
  type: 'AmendmentProposed',
  data: { ...amendmentOf(changes, proposing), proposedBy: proposing.proposedBy ?? 'operator' },
});
const reject = (party: Party, documentRef = 'SA-1'): ContractCommand => ({
  type: 'RejectAmendment',
  amendmentId: amendmentIdOf(documentRef),
  party,
  reason: 'The commission rate is too high',
  rejectedOn: '2027-12-22',
});
const withdraw = (documentRef = 'SA-1'): ContractCommand => ({
  type: 'WithdrawAmendment',
  amendmentId: amendmentIdOf(documentRef),
  withdrawnOn: '2027-12-23',
});

/** The contract's terms after the history, whatever its status. */
function termsAfter(...histories: ContractEvent[][]) {
  const { state } = given(...histories);
  if (state.status === 'none') throw new Error('no contract');
  return currentTerms(state);
}

describe('proposing a supplementary agreement', () => {
  it('records the proposal with its typed changes and who proposed it; it is not in force yet', () => {
    const changes: AmendmentChange[] = [...LOGISTICS_BACK, ...RATE_TO_15];
    const events = given(ACTIVE).when(proposeAmendment(changes, { proposedBy: 'brand' }));
    expect(events).toEqual([proposed(changes, { proposedBy: 'brand' })]);
    expect(termsAfter(ACTIVE, events as ContractEvent[])).toEqual(termsAfter(ACTIVE));
    expect(given(ACTIVE, events as ContractEvent[]).state).toEqual(
      expect.objectContaining({
        amendments: [],
        proposals: [{ amendment: amendmentOf(changes), proposedBy: 'brand', status: 'proposed' }],
      }),
    );
  });

  it('records nothing when the same proposal is made again (a retry)', () => {
    expect(given(ACTIVE, [proposed(LOGISTICS_BACK)]).when(proposeAmendment(LOGISTICS_BACK))).toEqual([]);
  });

  it('refuses another proposal of a document already proposed or in force (amendment.already_recorded)', () => {
    const again = { ...proposeAmendment(RATE_TO_15), amendmentId: 'am-other' };
    expect(given(ACTIVE, [proposed(LOGISTICS_BACK)]).when(again)).toEqual(refusal('amendment.already_recorded', 'conflict'));
    expect(given(ACTIVE, agreed(ACTIVE, LOGISTICS_BACK)).when(again)).toEqual(refusal('amendment.already_recorded', 'conflict'));
    // A history that records the agreement in force alone (older data) counts as in force too.
    expect(given(ACTIVE, [amended(LOGISTICS_BACK, '2028-01-01', 'SA-1')]).when(again)).toEqual(
      refusal('amendment.already_recorded', 'conflict'),
    );
  });

  describe('once a proposal was rejected', () => {
    const rejected: ContractEvent = {
      type: 'AmendmentRejected',
      data: { amendmentId: 'am-SA-1', party: 'brand', reason: 'The commission rate is too high', rejectedOn: '2027-12-22' },
    };
    const history = [...ACTIVE, proposed(RATE_TO_15), rejected];
    const anew = { ...proposeAmendment(RATE_TO_15), amendmentId: 'am-SA-1-again' };

    it('takes its document again under a new id; retrying that proposal records nothing', () => {
      const events = given(history).when(anew);
      expect(events).toEqual([
        { type: 'AmendmentProposed', data: { ...amendmentOf(RATE_TO_15), amendmentId: 'am-SA-1-again', proposedBy: 'operator' } },
      ]);
      expect(given(history, events as ContractEvent[]).when(anew)).toEqual([]);
    });

    it('records nothing for a late retry of the rejected proposal itself, rather than a second proposal under its id', () => {
      expect(given(history).when(proposeAmendment(RATE_TO_15))).toEqual([]);
    });
  });

  it('refuses a proposal under the id of another document, or of the same document with other terms (amendment.already_recorded): an id names one proposal', () => {
    const sameId = { ...proposeAmendment(RATE_TO_15, { documentRef: 'SA-2' }), amendmentId: amendmentIdOf('SA-1') };
    expect(given(ACTIVE, [proposed(RATE_TO_15)]).when(sameId)).toEqual(refusal('amendment.already_recorded', 'conflict'));
    const otherTerms = proposeAmendment([{ type: 'change_commission_rate', commissionRateBp: 1600 }]);
    expect(given(ACTIVE, [proposed(RATE_TO_15)]).when(otherTerms)).toEqual(refusal('amendment.already_recorded', 'conflict'));
  });

  it.each<[string, AmendmentChange]>([
    ['service fee', { type: 'change_service_fee', serviceFeeMonthlyFen: 3_000_000 }],
    ['commission rate', { type: 'change_commission_rate', commissionRateBp: 1200 }],
    ['commission base', { type: 'change_commission_base', commissionBase: 'net_of_shipping' }],
    ['promotion budget', { type: 'change_promotion_budget', monthlyBudgetFen: 10_000_000 }],
    ['shipping terms', { type: 'change_shipping', shipping: { costBorneBy: 'brand', freeShipping: true } }],
    ['notice period', { type: 'change_notice_period', noticePeriodDays: 90 }],
    ['clauses', { type: 'change_clauses', clauses: { onlineDistributionAuthorized: true, rightsEnforcementAuthorized: true } }],
    ['cure period', { type: 'change_cure_period', curePeriodDays: 30 }],
    ['handover period', { type: 'change_handover_period', handoverPeriodDays: 30 }],
  ])('refuses a change of the %s that changes nothing', (_, change) => {
    expect(given(ACTIVE).when(proposeAmendment([change]))).toEqual(refusal('amendment.changes_nothing', 'invalid'));
  });

  it('refuses removing a scope the contract lacks, adding one it has, or removing the last one', () => {
    const active = anActiveContract(draftTerms({ scopes: ['operations', 'marketing'] }));
    expect(given(active).when(proposeAmendment(LOGISTICS_BACK))).toEqual(refusal('amendment.scope_not_outsourced', 'invalid'));
    expect(given(active).when(proposeAmendment([{ type: 'add_scope', scope: 'marketing' }]))).toEqual(
      refusal('amendment.scope_already_outsourced', 'invalid'),
    );
    const bothScopes: AmendmentChange[] = [
      { type: 'remove_scope', scope: 'operations' },
      { type: 'remove_scope', scope: 'marketing' },
    ];
    expect(given(active).when(proposeAmendment(bothScopes))).toEqual(refusal('amendment.last_scope', 'invalid'));
  });

  it('judges each change against the agreements in force: logistics taken back once cannot be taken back again', () => {
    const history = [...ACTIVE, amended(LOGISTICS_BACK)];
    expect(given(history).when(proposeAmendment(LOGISTICS_BACK, { effectiveOn: '2028-06-01' }))).toEqual(
      refusal('amendment.scope_not_outsourced', 'invalid'),
    );
  });

  it('extends the term only beyond its current end', () => {
    expect(given(ACTIVE).when(proposeAmendment([{ type: 'extend_term', endsOn: '2029-06-30' }]))).toEqual(
      refusal('amendment.term_not_extended', 'invalid'),
    );
    expect(given(ACTIVE).when(...agreement([{ type: 'extend_term', endsOn: '2030-12-31' }]))).toEqual(anAgreementInForce());
  });

  it('refuses proposing an extension past 50 years from the start, or past 9998-12-31', () => {
    const extend = (endsOn: string) => given(ACTIVE).when(proposeAmendment([{ type: 'extend_term', endsOn }]));
    expect(extend('2076-12-31')).toHaveLength(1);
    expect(extend('2077-01-01')).toEqual(refusal('contract.term_too_long', 'invalid'));
    expect(extend('9999-12-31')).toEqual(refusal('contract.term_too_long', 'invalid'));
  });

  it('refuses an effective date outside the term, or before the agreement last put in force', () => {
    expect(given(ACTIVE).when(proposeAmendment(RATE_TO_15, { effectiveOn: '2026-06-01' }))).toEqual(
      refusal('amendment.outside_term', 'invalid'),
    );
    const history = [...ACTIVE, amended(LOGISTICS_BACK, '2028-03-01')];
    expect(given(history).when(proposeAmendment(RATE_TO_15, { effectiveOn: '2028-02-01' }))).toEqual(
      refusal('amendment.out_of_order', 'invalid'),
    );
  });

  it('refuses proposing on a contract that is not active: a draft, or one in handover', () => {
    expect(given(aDraftedContract()).when(proposeAmendment(LOGISTICS_BACK))).toEqual(refusal('contract.not_active', 'conflict'));
    expect(given(aContractInHandover()).when(proposeAmendment(LOGISTICS_BACK))).toEqual(refusal('contract.not_active', 'conflict'));
  });
});

describe('countersigning a supplementary agreement', () => {
  const pending = [...ACTIVE, proposed(LOGISTICS_BACK)];

  it('puts the agreement in force when the other party countersigns it', () => {
    expect(given(pending).when(countersignAmendment('SA-1', 'brand', '2027-12-20'))).toEqual([
      {
        type: 'AmendmentCountersigned',
        data: { amendmentId: 'am-SA-1', party: 'brand', signatory: 'Zhang Wei', countersignedOn: '2027-12-20' },
      },
      { type: 'ContractAmended', data: amendmentOf(LOGISTICS_BACK) },
      expect.objectContaining({ type: 'PartialHandoverStarted' }),
    ]);
  });

  it('takes either party’s proposal: the operator countersigns what the brand proposed', () => {
    const byTheBrand = [...ACTIVE, proposed(RATE_TO_15, { proposedBy: 'brand' })];
    expect(given(byTheBrand).when(countersignAmendment('SA-1', 'operator'))).toEqual([
      expect.objectContaining({ type: 'AmendmentCountersigned', data: expect.objectContaining({ party: 'operator' }) }),
      { type: 'ContractAmended', data: amendmentOf(RATE_TO_15) },
    ]);
  });

  it('refuses the proposer countersigning its own proposal (amendment.own_proposal), before and after the other party did', () => {
    expect(given(pending).when(countersignAmendment('SA-1', 'operator'))).toEqual(refusal('amendment.own_proposal', 'invalid'));
    const countersigned = decided(pending, [countersignAmendment('SA-1', 'brand')]);
    expect(given(pending, countersigned).when(countersignAmendment('SA-1', 'operator'))).toEqual(
      refusal('amendment.own_proposal', 'invalid'),
    );
  });

  it('records nothing when the countersignature is given again (a retry)', () => {
    const countersigned = given(pending).when(countersignAmendment('SA-1', 'brand')) as ContractEvent[];
    expect(given(pending, countersigned).when(countersignAmendment('SA-1', 'brand'))).toEqual([]);
  });

  it('refuses countersigning an agreement nobody proposed (amendment.not_found)', () => {
    expect(given(pending).when(countersignAmendment('SA-9', 'brand'))).toEqual(refusal('amendment.not_found', 'not_found'));
  });

  it('checks the agreement again: one effective before an agreement put in force since is out of order', () => {
    const two = [
      ...ACTIVE,
      proposed(RATE_TO_15, { effectiveOn: '2028-03-01' }),
      proposed(LOGISTICS_BACK, { effectiveOn: '2028-06-01', documentRef: 'SA-2' }),
    ];
    const laterFirst = [...two, ...(given(two).when(countersignAmendment('SA-2', 'brand')) as ContractEvent[])];
    expect(given(laterFirst).when(countersignAmendment('SA-1', 'brand'))).toEqual(refusal('amendment.out_of_order', 'invalid'));
  });

  it('checks the agreement again: one whose change no longer applies is refused', () => {
    const twice = [...pending, proposed(LOGISTICS_BACK, { documentRef: 'SA-2' })];
    const first = [...twice, ...(given(twice).when(countersignAmendment('SA-1', 'brand')) as ContractEvent[])];
    expect(given(first).when(countersignAmendment('SA-2', 'brand'))).toEqual(refusal('amendment.scope_not_outsourced', 'invalid'));
  });

  it('checks the agreement again: a month stated since it was proposed cannot change', () => {
    const proposedEarly = [...ACTIVE, proposed(RATE_TO_15, { effectiveOn: '2027-03-15' })];
    const stated = [...proposedEarly, ...aSettledLedger(proposedEarly, { through: '2027-03' })];
    expect(given(stated).when(countersignAmendment('SA-1', 'brand'))).toEqual(refusal('ledger.month_already_stated', 'conflict'));
  });

  it('refuses countersigning once the contract is terminated: the agreement never takes effect', () => {
    const terminated = aContractTerminatedOn('2028-04-01', [...ACTIVE, proposed(RATE_TO_15)]);
    expect(given(terminated).when(countersignAmendment('SA-1', 'brand'))).toEqual(refusal('contract.not_active', 'conflict'));
  });
});

describe('rejecting and withdrawing a proposal', () => {
  const pending = [...ACTIVE, proposed(RATE_TO_15)];

  it('records the other party’s rejection, with its reason; rejecting again records nothing', () => {
    const events = given(pending).when(reject('brand'));
    expect(events).toEqual([
      {
        type: 'AmendmentRejected',
        data: { amendmentId: 'am-SA-1', party: 'brand', reason: 'The commission rate is too high', rejectedOn: '2027-12-22' },
      },
    ]);
    expect(given(pending, events as ContractEvent[]).when(reject('brand'))).toEqual([]);
  });

  it('refuses the proposer rejecting its own proposal: it withdraws it (amendment.own_proposal)', () => {
    expect(given(pending).when(reject('operator'))).toEqual(refusal('amendment.own_proposal', 'invalid'));
  });

  it('records the withdrawal of a proposal awaiting an answer; withdrawing again records nothing', () => {
    const events = given(pending).when(withdraw());
    expect(events).toEqual([{ type: 'AmendmentWithdrawn', data: { amendmentId: 'am-SA-1', withdrawnOn: '2027-12-23' } }]);
    expect(given(pending, events as ContractEvent[]).when(withdraw())).toEqual([]);
  });

  it('refuses rejecting or withdrawing an agreement nobody proposed (amendment.not_found)', () => {
    expect(given(pending).when(reject('brand', 'SA-9'))).toEqual(refusal('amendment.not_found', 'not_found'));
    expect(given(pending).when(withdraw('SA-9'))).toEqual(refusal('amendment.not_found', 'not_found'));
  });

  describe('refuses answering a proposal that was already answered (amendment.not_proposed)', () => {
    const answers: [string, ContractCommand][] = [
      ['countersigned', countersignAmendment('SA-1', 'brand')],
      ['rejected', reject('brand')],
      ['withdrawn', withdraw()],
    ];
    it.each(
      answers.flatMap(([first, answer]) =>
        answers.filter(([then]) => then !== first).map(([then, next]) => [first, then, answer, next] as const),
      ),
    )('once %s, it cannot be %s', (_first, _then, answer, next) => {
      const answered = [...pending, ...(given(pending).when(answer) as ContractEvent[])];
      expect(given(answered).when(next)).toEqual(refusal('amendment.not_proposed', 'conflict'));
    });
  });
});

describe('the terms in force', () => {
  it('follow countersigned agreements only: a proposal pending, rejected or withdrawn changes nothing', () => {
    const pending = [...ACTIVE, proposed(RATE_TO_15)];
    for (const answer of [reject('brand'), withdraw()]) {
      expect(termsAfter(pending, given(pending).when(answer) as ContractEvent[])).toEqual(termsAfter(ACTIVE));
    }
    expect(termsAfter(pending)).toEqual(termsAfter(ACTIVE));
    expect(termsAfter(pending, given(pending).when(countersignAmendment('SA-1', 'brand')) as ContractEvent[]).fees.commissionRateBp).toBe(
      1500,
    );
  });

  it('on a date, by the countersigned agreements effective by then', () => {
    const first = [...ACTIVE, ...agreed(ACTIVE, LOGISTICS_BACK, { effectiveOn: '2028-01-01', documentRef: 'SA-1' })];
    const both = [...first, ...agreed(first, RATE_TO_15, { effectiveOn: '2028-07-01', documentRef: 'SA-2', proposedBy: 'brand' })];
    const { state } = given(both, [proposed([{ type: 'change_service_fee', serviceFeeMonthlyFen: 1 }], { documentRef: 'SA-3' })]);
    if (state.status !== 'active') throw new Error('expected active');
    const on = (date: string) => termsInForce(state.originalTerms, state.amendments, date);
    expect(on('2027-12-31').scopes).toContain('logistics');
    expect(on('2028-01-01').scopes).not.toContain('logistics');
    expect(on('2028-06-30').fees.commissionRateBp).toBe(1200);
    expect(on('2028-07-01').fees.commissionRateBp).toBe(1500);
    // SA-3 is only proposed: whatever the date, the service fee is the drafted one.
    expect(on('2029-12-31').fees.serviceFeeMonthlyFen).toBe(3_000_000);
  });

  it('change the notice period from the agreement’s effective date on', () => {
    const history = [...ACTIVE, ...agreed(ACTIVE, [{ type: 'change_notice_period', noticePeriodDays: 60 }])];
    const { state } = given(history);
    if (state.status !== 'active') throw new Error('expected active');
    expect(termsInForce(state.originalTerms, state.amendments, '2027-12-31').noticePeriodDays).toBe(90);
    expect(termsInForce(state.originalTerms, state.amendments, '2028-01-01').noticePeriodDays).toBe(60);
  });
});

describe('clause changes', () => {
  const noEnforcement = anActiveContract(
    draftTerms({ clauses: { onlineDistributionAuthorized: true, rightsEnforcementAuthorized: false } }),
  );
  const grant = (authorizationType: 'online_distribution' | 'rights_enforcement'): ContractCommand => ({
    type: 'GrantAuthorization',
    authorizationId: 'auth-9',
    authorizationType,
    platform: 'tmall',
    documentRef: 'AUTH-9',
  });
  const enforcement: AmendmentChange[] = [
    { type: 'change_clauses', clauses: { onlineDistributionAuthorized: true, rightsEnforcementAuthorized: true } },
  ];

  it('lets the brand grant a rights-enforcement authorization once an agreement authorizing it is countersigned, not before', () => {
    expect(given(noEnforcement).when(grant('rights_enforcement'))).toEqual(refusal('authorization.not_allowed_by_clauses', 'invalid'));
    const pending = [...noEnforcement, proposed(enforcement)];
    expect(given(pending).when(grant('rights_enforcement'))).toEqual(refusal('authorization.not_allowed_by_clauses', 'invalid'));
    const inForce = [...noEnforcement, ...agreed(noEnforcement, enforcement)];
    expect(termsAfter(inForce).clauses).toEqual({ onlineDistributionAuthorized: true, rightsEnforcementAuthorized: true });
    expect(given(inForce).when(grant('rights_enforcement'))).toEqual([expect.objectContaining({ type: 'AuthorizationGranted' })]);
  });

  it('refuses a distribution authorization once an agreement in force withdraws the clause', () => {
    const noDistribution: AmendmentChange[] = [
      { type: 'change_clauses', clauses: { onlineDistributionAuthorized: false, rightsEnforcementAuthorized: true } },
    ];
    expect(given(ACTIVE).when(grant('online_distribution'))).toEqual([expect.objectContaining({ type: 'AuthorizationGranted' })]);
    expect(given(ACTIVE, agreed(ACTIVE, noDistribution)).when(grant('online_distribution'))).toEqual(
      refusal('authorization.not_allowed_by_clauses', 'invalid'),
    );
  });
});

describe('shop changes', () => {
  const JD = { platform: 'jd', name: 'Feiyue JD self-run store' };

  it('adds a shop the operator does not run yet, and removes one it runs', () => {
    const added = [...ACTIVE, ...agreed(ACTIVE, [{ type: 'add_shop', shop: JD }])];
    expect(termsAfter(added).shops).toEqual([FLAGSHIP, JD]);
    const removed = [
      ...added,
      ...agreed(added, [{ type: 'remove_shop', shop: FLAGSHIP }], { documentRef: 'SA-2', effectiveOn: '2028-02-01' }),
    ];
    expect(termsAfter(removed).shops).toEqual([JD]);
  });

  it('refuses adding a shop the operator already runs (amendment.shop_already_run) and removing one it does not (amendment.shop_not_run)', () => {
    expect(given(ACTIVE).when(proposeAmendment([{ type: 'add_shop', shop: FLAGSHIP }]))).toEqual(
      refusal('amendment.shop_already_run', 'invalid'),
    );
    expect(given(ACTIVE).when(proposeAmendment([{ type: 'remove_shop', shop: JD }]))).toEqual(refusal('amendment.shop_not_run', 'invalid'));
  });
});
