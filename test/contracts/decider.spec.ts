import type { ContractCommand } from '../../src/contracts/domain/commands';
import type { ContractEvent } from '../../src/contracts/domain/events';
import type { HandoverEvidence } from '../../src/contracts/domain/handover';
import { evolve, fold, initialState } from '../../src/contracts/domain/state';
import type { Party } from '../../src/contracts/domain/terms';
import { contractView } from '../../src/contracts/read-side/views';
import {
  aCompletedHandover,
  aContractInHandover,
  aContractTerminatedOn,
  accountRegistered,
  amended,
  aDraftedContract,
  anActiveContract,
  authorizationGranted,
  breachRecorded,
  draftCommand,
  draftTerms,
  given,
  ONE_COMMAND_OF_EACH_TYPE,
  refusal,
} from '../support/contract-fixtures';

const terminate = (
  grounds: Extract<ContractCommand, { type: 'TerminateContract' }>['grounds'],
  initiatedBy: 'brand' | 'operator' = 'operator',
  effectiveOn = '2028-04-01',
): ContractCommand => ({
  type: 'TerminateContract',
  initiatedBy,
  grounds,
  effectiveOn,
});
const credentialEvidence: HandoverEvidence = {
  kind: 'credential_handover',
  rotatedBy: 'op-yunshang:li.na',
  rotatedAt: '2028-04-02T10:00:00+08:00',
  receivedBy: 'brand-feiyue:zhang.wei',
  receivedAt: '2028-04-02T11:00:00+08:00',
};
const complete = (itemId: string, evidence: HandoverEvidence = credentialEvidence): ContractCommand => ({
  type: 'CompleteHandoverItem',
  itemId,
  evidence,
  completedBy: 'op-yunshang:li.na',
  completedAt: '2028-04-02T12:00:00.000Z',
});
const signOff = (party: 'brand' | 'operator', signedOffOn = '2028-05-01'): ContractCommand => ({
  type: 'SignOffHandover',
  party,
  signatory: party === 'brand' ? 'Zhang Wei' : 'Li Na',
  signedOffOn,
});

function itemIds(events: unknown): string[] {
  const started = (events as ContractEvent[]).find((event) => event.type === 'HandoverStarted');
  return started?.type === 'HandoverStarted' ? started.data.items.map((item) => item.itemId) : [];
}

describe('drafting', () => {
  it('records the contract with its terms', () => {
    expect(given().when(draftCommand())).toEqual(aDraftedContract());
  });

  it('refuses a term that ends before it starts', () => {
    const terms = draftTerms({ term: { startsOn: '2027-01-01', endsOn: '2026-12-31' } });
    expect(given().when(draftCommand(terms))).toEqual(refusal('contract.term_ends_before_start', 'invalid'));
  });

  it('refuses a term of more than 50 years, or one ending after 9998-12-31, naming the last day it may end', () => {
    const drafted = (startsOn: string, endsOn: string) => given().when(draftCommand(draftTerms({ term: { startsOn, endsOn } })));
    const tooLong = refusal('contract.term_too_long', 'invalid');
    expect(drafted('2027-01-01', '2076-12-31')).toHaveLength(1);
    const refused = drafted('2027-01-01', '2077-01-01');
    expect(refused).toEqual(tooLong);
    expect((refused as Error).message).toBe(
      'A term lasts at most 50 years and ends by 9998-12-31: one from 2027-01-01 ends by 2076-12-31, not 2077-01-01.',
    );
    // From a leap day: 2078 has no 29 February, so the 28th is the last day.
    expect(drafted('2028-02-29', '2078-02-28')).toHaveLength(1);
    expect(drafted('2028-02-29', '2078-03-01')).toEqual(tooLong);
    // A brand key could otherwise draft a term without end in sight, and every read of its ledger would step through it.
    expect(drafted('9990-01-01', '9999-12-31')).toEqual(tooLong);
    expect(drafted('9990-01-01', '9998-12-31')).toHaveLength(1);
  });

  it('refuses a contract without a scope, or a scope twice', () => {
    expect(given().when(draftCommand(draftTerms({ scopes: [] })))).toEqual(refusal('contract.no_scope', 'invalid'));
    expect(given().when(draftCommand(draftTerms({ scopes: ['logistics', 'logistics'] })))).toEqual(
      refusal('contract.duplicate_scope', 'invalid'),
    );
  });

  it('refuses a brand that is its own operator', () => {
    const command = { ...draftCommand(), operator: { partyId: 'brand-feiyue', name: 'Feiyue again' } } as ContractCommand;
    expect(given().when(command)).toEqual(refusal('contract.same_parties', 'invalid'));
  });

  it('refuses a consulting fee paid after the term starts, and keeps one paid before', () => {
    const late = { ...draftCommand(), consultingFee: { amountFen: 50_000_00, paidOn: '2027-02-01' } } as ContractCommand;
    expect(given().when(late)).toEqual(refusal('contract.consulting_fee_after_start', 'invalid'));
    const early = { ...draftCommand(), consultingFee: { amountFen: 50_000_00, paidOn: '2026-11-01' } } as ContractCommand;
    expect(given().when(early)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ consultingFee: { amountFen: 50_000_00, paidOn: '2026-11-01' } }) }),
    ]);
  });

  it('records the notice period the contract states', () => {
    expect(given().when(draftCommand(draftTerms({ noticePeriodDays: 30 })))).toEqual(
      aDraftedContract(draftTerms({ noticePeriodDays: 30 })),
    );
  });

  it('records the party that drafted the contract: the one that may withdraw it', () => {
    expect(given().when(draftCommand(draftTerms(), 'operator'))).toEqual(aDraftedContract(draftTerms(), 'operator'));
  });

  it('refuses drafting a contract id that exists', () => {
    expect(given(aDraftedContract()).when(draftCommand())).toEqual(refusal('contract.already_exists', 'conflict'));
  });

  it('refuses any other command on a contract that does not exist', () => {
    expect(given().when({ type: 'SignContract', party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' })).toEqual(
      refusal('contract.not_found', 'not_found'),
    );
  });
});

describe('withdrawing a draft', () => {
  const reason = 'The brand chose another operator';
  const withdraw = (party: Party): ContractCommand => ({ type: 'WithdrawDraft', party, reason, withdrawnOn: '2026-11-20' });
  const draftedByTheBrand = aDraftedContract(draftTerms(), 'brand');
  const withdrawn: ContractEvent = { type: 'DraftWithdrawn', data: { party: 'brand', reason, withdrawnOn: '2026-11-20' } };

  it('lets the drafter withdraw its draft, which then never takes effect', () => {
    expect(given(draftedByTheBrand).when(withdraw('brand'))).toEqual([withdrawn]);
    expect(given(draftedByTheBrand, [withdrawn]).state).toEqual(
      expect.objectContaining({ status: 'withdrawn', withdrawn: { party: 'brand', reason, withdrawnOn: '2026-11-20' } }),
    );
  });

  it('refuses a withdrawal by the party that did not draft it', () => {
    expect(given(draftedByTheBrand).when(withdraw('operator'))).toEqual(refusal('contract.not_drafter', 'invalid'));
  });

  it('lets either party withdraw a draft whose drafter is not recorded (an admin drafted it)', () => {
    expect(given(aDraftedContract()).when(withdraw('operator'))).toEqual([
      { type: 'DraftWithdrawn', data: { party: 'operator', reason, withdrawnOn: '2026-11-20' } },
    ]);
  });

  it('withdraws a draft one party has signed; refuses one both signed (in force) or terminated: only a draft', () => {
    const signedByTheOperator: ContractEvent = {
      type: 'ContractSigned',
      data: { party: 'operator', signatory: 'Li Na', signedOn: '2026-11-15' },
    };
    expect(given(draftedByTheBrand, [signedByTheOperator]).when(withdraw('brand'))).toEqual([withdrawn]);
    expect(given(anActiveContract()).when(withdraw('brand'))).toEqual(refusal('contract.not_draft', 'conflict'));
    expect(given(aContractInHandover()).when(withdraw('brand'))).toEqual(refusal('contract.not_draft', 'conflict'));
  });

  it.each(Object.values(ONE_COMMAND_OF_EACH_TYPE))('refuses $type on a withdrawn draft with contract.withdrawn', (command) => {
    expect(given(draftedByTheBrand, [withdrawn]).when(command)).toEqual(refusal('contract.withdrawn', 'conflict'));
  });

  it('refuses drafting the id of a withdrawn draft again: the id stays taken (contract.already_exists)', () => {
    expect(given(draftedByTheBrand, [withdrawn]).when(draftCommand())).toEqual(refusal('contract.already_exists', 'conflict'));
  });
});

describe('signing', () => {
  const sign = (party: 'brand' | 'operator', signedOn = '2026-12-01'): ContractCommand => ({
    type: 'SignContract',
    party,
    signatory: 'someone',
    signedOn,
  });

  it('records the first signature without activating', () => {
    expect(given(aDraftedContract()).when(sign('brand'))).toEqual([
      { type: 'ContractSigned', data: { party: 'brand', signatory: 'someone', signedOn: '2026-12-01' } },
    ]);
  });

  it('activates on the second signature, on the later signing date', () => {
    const history = [...aDraftedContract(), ...(given(aDraftedContract()).when(sign('operator', '2026-12-05')) as ContractEvent[])];
    const events = given(history).when(sign('brand', '2026-12-02'));
    expect(events).toEqual([
      { type: 'ContractSigned', data: { party: 'brand', signatory: 'someone', signedOn: '2026-12-02' } },
      { type: 'ContractActivated', data: { activatedOn: '2026-12-05' } },
    ]);
    expect(fold([...history, ...(events as ContractEvent[])]).status).toBe('active');
  });

  it('refuses a party signing twice', () => {
    const history = [
      ...aDraftedContract(),
      { type: 'ContractSigned', data: { party: 'brand', signatory: 'a', signedOn: '2026-12-01' } } as const,
    ];
    expect(given(history).when(sign('brand'))).toEqual(refusal('contract.already_signed', 'conflict'));
    expect(given(anActiveContract()).when(sign('operator'))).toEqual(refusal('contract.already_signed', 'conflict'));
  });
});

describe('accounts', () => {
  const register: ContractCommand = {
    type: 'RegisterAccount',
    accountId: 'acc-9',
    platform: 'tmall',
    accountName: 'feiyue-acc-1',
    accountKind: 'sub_account',
  };

  it('registers an account the operator runs for the brand', () => {
    expect(given(anActiveContract()).when({ ...register, accountName: 'feiyue-sub' })).toEqual([
      { type: 'AccountRegistered', data: { accountId: 'acc-9', platform: 'tmall', accountName: 'feiyue-sub', accountKind: 'sub_account' } },
    ]);
  });

  it('records an account the brand declares, knowing the operator holds it', () => {
    expect(given(anActiveContract()).when({ ...register, declaredBy: 'brand' })).toEqual([
      {
        type: 'AccountRegistered',
        data: { accountId: 'acc-9', platform: 'tmall', accountName: 'feiyue-acc-1', accountKind: 'sub_account', declaredBy: 'brand' },
      },
    ]);
  });

  it('refuses a logistics account once logistics is taken back, even by an agreement not yet effective: its partial handover is already derived', () => {
    const courier: ContractCommand = { ...register, platform: 'cainiao', accountKind: 'logistics_account' };
    expect(given(anActiveContract()).when(courier)).toHaveLength(1);
    const takenBack = [...anActiveContract(), amended([{ type: 'remove_scope', scope: 'logistics' }], '2029-01-01')];
    expect(given(takenBack).when(courier)).toEqual(refusal('account.scope_taken_back', 'conflict'));
  });

  it('refuses the same platform account twice while it is registered, whoever declared it', () => {
    expect(given(anActiveContract(), [accountRegistered('acc-1')]).when(register)).toEqual(
      refusal('account.already_registered', 'conflict'),
    );
    expect(given(anActiveContract(), [accountRegistered('acc-1', 'shop_master_account', 'brand')]).when(register)).toEqual(
      refusal('account.already_registered', 'conflict'),
    );
  });

  it('refuses accounts on an unsigned draft (contract.not_active) and once terminated (contract.ended): only while active', () => {
    expect(given(aDraftedContract()).when(register)).toEqual(refusal('contract.not_active', 'conflict'));
    expect(given(aContractInHandover()).when(register)).toEqual(refusal('contract.ended', 'conflict'));
  });
});

describe('deregistering an account', () => {
  const history = [...anActiveContract(), accountRegistered('acc-1')];
  const deregister = (party: Party, accountId = 'acc-1'): ContractCommand => ({
    type: 'DeregisterAccount',
    accountId,
    party,
    reason: 'The sub-account was closed',
  });
  const requested: ContractEvent = {
    type: 'AccountDeregistrationRequested',
    data: { accountId: 'acc-1', reason: 'The sub-account was closed' },
  };
  const deregistered: ContractEvent = { type: 'AccountDeregistered', data: { accountId: 'acc-1' } };
  const byMutualAgreement: ContractCommand = {
    type: 'TerminateContract',
    initiatedBy: 'brand',
    grounds: { type: 'mutual_agreement', documentRef: 'TA-1', brandSignatory: 'a', operatorSignatory: 'b' },
    effectiveOn: '2028-04-01',
  };
  const statusOf = (...events: ContractEvent[]) => {
    const { state } = given(history, events);
    if (state.status === 'none') throw new Error('no contract');
    return contractView(state).accounts.find((account) => account.accountId === 'acc-1')?.status;
  };

  it('records the operator’s deregistration as a request; asking again records nothing', () => {
    expect(given(history).when(deregister('operator'))).toEqual([requested]);
    expect(given(history, [requested]).when(deregister('operator'))).toEqual([]);
    expect(statusOf(requested)).toBe('deregistration_requested');
  });

  it('keeps an account the operator asked off on the checklist until the brand acknowledges the request', () => {
    expect(itemIds(given(history, [requested]).when(byMutualAgreement))).toContain('credentials-acc-1');
    expect(given(history, [requested]).when(deregister('brand'))).toEqual([deregistered]);
    expect(itemIds(given(history, [requested, deregistered]).when(byMutualAgreement))).not.toContain('credentials-acc-1');
    expect(statusOf(requested, deregistered)).toBe('deregistered');
  });

  it('lets the brand deregister an account outright; deregistering it again, by either party, records nothing', () => {
    expect(given(history).when(deregister('brand'))).toEqual([deregistered]);
    expect(given(history, [deregistered]).when(deregister('brand'))).toEqual([]);
    expect(given(history, [deregistered]).when(deregister('operator'))).toEqual([]);
  });

  it('refuses deregistering an account the contract does not have, or once the contract is terminated', () => {
    expect(given(history).when(deregister('brand', 'nope'))).toEqual(refusal('account.not_found', 'not_found'));
    expect(given(aContractInHandover()).when(deregister('brand'))).toEqual(refusal('contract.ended', 'conflict'));
  });
});

describe('authorizations', () => {
  const grant = (authorizationType: 'online_distribution' | 'rights_enforcement' | 'shop_operation'): ContractCommand => ({
    type: 'GrantAuthorization',
    authorizationId: 'auth-9',
    authorizationType,
    platform: 'tmall',
    documentRef: 'AUTH-9',
  });

  it('grants an authorization the clauses allow', () => {
    expect(given(anActiveContract()).when(grant('rights_enforcement'))).toEqual([
      {
        type: 'AuthorizationGranted',
        data: { authorizationId: 'auth-9', authorizationType: 'rights_enforcement', platform: 'tmall', documentRef: 'AUTH-9' },
      },
    ]);
  });

  it('refuses an authorization of a kind the clauses do not allow; shop operation needs no clause', () => {
    const noClauses = anActiveContract(
      draftTerms({ clauses: { onlineDistributionAuthorized: false, rightsEnforcementAuthorized: false } }),
    );
    expect(given(noClauses).when(grant('online_distribution'))).toEqual(refusal('authorization.not_allowed_by_clauses', 'invalid'));
    expect(given(noClauses).when(grant('rights_enforcement'))).toEqual(refusal('authorization.not_allowed_by_clauses', 'invalid'));
    expect(given(noClauses).when(grant('shop_operation'))).toHaveLength(1);
  });

  it('revokes an authorization; revoking it again does nothing', () => {
    const history = [...anActiveContract(), authorizationGranted('auth-1')];
    const revoke: ContractCommand = {
      type: 'RevokeAuthorization',
      authorizationId: 'auth-1',
      documentRef: 'REV-1',
      revokedOn: '2028-01-05',
    };
    const events = given(history).when(revoke) as ContractEvent[];
    expect(events).toEqual([
      { type: 'AuthorizationRevoked', data: { authorizationId: 'auth-1', documentRef: 'REV-1', revokedOn: '2028-01-05' } },
    ]);
    expect(given(history, events).when(revoke)).toEqual([]);
    expect(given(history).when({ ...revoke, authorizationId: 'nope' })).toEqual(refusal('authorization.not_found', 'not_found'));
  });

  it('refuses authorizations on an unsigned draft (contract.not_active) and once terminated (contract.ended): only while active', () => {
    expect(given(aDraftedContract()).when(grant('shop_operation'))).toEqual(refusal('contract.not_active', 'conflict'));
    expect(given(aContractInHandover()).when(grant('shop_operation'))).toEqual(refusal('contract.ended', 'conflict'));
  });
});

describe('termination', () => {
  const history = [...anActiveContract(), breachRecorded('breach-1', 'brand')];

  it('lets the other party terminate for an uncured breach, and starts the handover', () => {
    const events = given(history).when(terminate({ type: 'breach', breachId: 'breach-1' }, 'operator'));
    expect((events as ContractEvent[]).map((event) => event.type)).toEqual(['ContractTerminated', 'HandoverStarted']);
    expect((events as ContractEvent[])[0]).toEqual({
      type: 'ContractTerminated',
      data: { initiatedBy: 'operator', grounds: { type: 'breach', breachId: 'breach-1' }, effectiveOn: '2028-04-01' },
    });
  });

  it('refuses terminating for a breach of one’s own', () => {
    expect(given(history).when(terminate({ type: 'breach', breachId: 'breach-1' }, 'brand'))).toEqual(
      refusal('termination.own_breach', 'invalid'),
    );
  });

  it('refuses terminating for a cured or unknown breach', () => {
    const cured = [
      ...history,
      { type: 'BreachCured', data: { breachId: 'breach-1', curedOn: '2028-03-12', acceptedOn: '2028-03-13' } } as const,
    ];
    expect(given(cured).when(terminate({ type: 'breach', breachId: 'breach-1' }))).toEqual(refusal('termination.breach_cured', 'invalid'));
    expect(given(history).when(terminate({ type: 'breach', breachId: 'nope' }))).toEqual(
      refusal('termination.breach_not_found', 'invalid'),
    );
  });

  it('terminates on expiry only on or after the end of the term, extensions included', () => {
    expect(given(history).when(terminate({ type: 'expiry' }, 'brand', '2029-12-30'))).toEqual(
      refusal('termination.before_expiry', 'invalid'),
    );
    expect(given(history).when(terminate({ type: 'expiry' }, 'brand', '2029-12-31'))).toHaveLength(2);
    const extended = [...history, amended([{ type: 'extend_term', endsOn: '2030-12-31' }])];
    expect(given(extended).when(terminate({ type: 'expiry' }, 'brand', '2029-12-31'))).toEqual(
      refusal('termination.before_expiry', 'invalid'),
    );
  });

  it('terminates by mutual agreement or on a stipulated condition', () => {
    const mutual = terminate({ type: 'mutual_agreement', documentRef: 'TA-1', brandSignatory: 'Zhang Wei', operatorSignatory: 'Li Na' });
    expect(given(history).when(mutual)).toHaveLength(2);
    expect(given(history).when(terminate({ type: 'stipulated_condition', conditionId: '12.3' }))).toHaveLength(2);
  });

  it('refuses terminating a draft, a terminated contract, or before the term starts', () => {
    expect(given(aDraftedContract()).when(terminate({ type: 'stipulated_condition', conditionId: '12.3' }))).toEqual(
      refusal('contract.not_active', 'conflict'),
    );
    expect(given(aContractInHandover()).when(terminate({ type: 'stipulated_condition', conditionId: '12.3' }))).toEqual(
      refusal('contract.already_terminated', 'conflict'),
    );
    expect(given(history).when(terminate({ type: 'stipulated_condition', clause: '12.3' }, 'brand', '2026-12-31'))).toEqual(
      refusal('termination.before_start', 'invalid'),
    );
  });
});

describe('the handover checklist, derived at termination', () => {
  const byMutualAgreement = terminate(
    { type: 'mutual_agreement', documentRef: 'TA-1', brandSignatory: 'a', operatorSignatory: 'b' },
    'brand',
    '2028-04-01',
  );

  it('holds credentials per registered account, Alipay items, revocations per authorization in force, scope items and settlement', () => {
    const history = [
      ...anActiveContract(),
      accountRegistered('master'),
      accountRegistered('sub', 'sub_account'),
      accountRegistered('alipay', 'alipay_account'),
      authorizationGranted('distribution'),
      authorizationGranted('enforcement', 'rights_enforcement'),
    ];
    expect(itemIds(given(history).when(byMutualAgreement))).toEqual([
      'credentials-master',
      'credentials-sub',
      'alipay-reconciliation',
      'alipay-handover-alipay',
      'revocation-distribution',
      'revocation-enforcement',
      'inventory-return',
      'logistics-repointing',
      'final-settlement',
    ]);
  });

  it('leaves out deregistered accounts, revoked authorizations and scopes removed before termination; no Alipay account, no Alipay items', () => {
    const history = [
      ...anActiveContract(),
      accountRegistered('gone'),
      { type: 'AccountDeregistered', data: { accountId: 'gone' } } as const,
      authorizationGranted('revoked'),
      { type: 'AuthorizationRevoked', data: { authorizationId: 'revoked', documentRef: 'R', revokedOn: '2028-01-01' } } as const,
      amended(
        [
          { type: 'remove_scope', scope: 'logistics' },
          { type: 'remove_scope', scope: 'warehousing' },
        ],
        '2028-02-01',
      ),
    ];
    expect(itemIds(given(history).when(byMutualAgreement))).toEqual(['final-settlement']);
  });

  it('lists the Alipay reconciliation and handover only while an Alipay account is still to come back', () => {
    const alipay = [...anActiveContract(), accountRegistered('shop'), accountRegistered('alipay', 'alipay_account')];
    expect(itemIds(given(alipay).when(byMutualAgreement))).toEqual(
      expect.arrayContaining(['alipay-reconciliation', 'alipay-handover-alipay']),
    );
    // The Alipay account comes back by its own item, not by a credential item as well.
    expect(itemIds(given(alipay).when(byMutualAgreement))).not.toContain('credentials-alipay');
    const deregistered: ContractEvent = { type: 'AccountDeregistered', data: { accountId: 'alipay' } };
    expect(itemIds(given(alipay, [deregistered]).when(byMutualAgreement))).toEqual([
      'credentials-shop',
      'inventory-return',
      'logistics-repointing',
      'final-settlement',
    ]);
  });

  it('keeps a scope whose removal takes effect only after the termination date', () => {
    const history = [...anActiveContract(), amended([{ type: 'remove_scope', scope: 'logistics' }], '2028-06-01')];
    expect(itemIds(given(history).when(byMutualAgreement))).toContain('logistics-repointing');
  });
});

describe('completing handover items', () => {
  const inHandover = aContractInHandover();

  it('records the evidence, who completed the item and when', () => {
    expect(given(inHandover).when(complete('credentials-acc-1'))).toEqual([
      {
        type: 'HandoverItemCompleted',
        data: {
          itemId: 'credentials-acc-1',
          evidence: credentialEvidence,
          completedBy: 'op-yunshang:li.na',
          completedAt: '2028-04-02T12:00:00.000Z',
        },
      },
    ]);
  });

  it('does nothing when the same evidence is recorded again, and refuses different evidence', () => {
    const history = [...inHandover, ...(given(inHandover).when(complete('credentials-acc-1')) as ContractEvent[])];
    expect(given(history).when(complete('credentials-acc-1'))).toEqual([]);
    expect(given(history).when(complete('credentials-acc-1', { ...credentialEvidence, receivedBy: 'someone else' }))).toEqual(
      refusal('handover.item_already_completed', 'conflict'),
    );
  });

  it('refuses evidence of another kind, an unknown item, and unconfirmed withdrawals', () => {
    const withAlipay = aContractTerminatedOn('2028-04-01', [...anActiveContract(), accountRegistered('alipay', 'alipay_account')]);
    expect(given(withAlipay).when(complete('alipay-reconciliation'))).toEqual(refusal('handover.evidence_mismatch', 'invalid'));
    expect(given(inHandover).when(complete('nope'))).toEqual(refusal('handover.item_not_found', 'not_found'));
    const reconciliation: HandoverEvidence = {
      kind: 'alipay_reconciliation',
      statementDate: '2028-04-01',
      closingBalanceFen: 1_234_500,
      pendingRefundsFen: 0,
      withdrawalsConfirmed: false,
      agreedByBrand: 'Zhang Wei',
      agreedByOperator: 'Li Na',
    };
    expect(given(withAlipay).when(complete('alipay-reconciliation', reconciliation))).toEqual(
      refusal('handover.withdrawals_unconfirmed', 'invalid'),
    );
    // Without an Alipay account the checklist has no Alipay item to complete.
    expect(given(inHandover).when(complete('alipay-reconciliation', { ...reconciliation, withdrawalsConfirmed: true }))).toEqual(
      refusal('handover.item_not_found', 'not_found'),
    );
  });

  it('refuses completing items before termination', () => {
    expect(given(anActiveContract()).when(complete('credentials-acc-1'))).toEqual(refusal('handover.not_started', 'conflict'));
  });
});

describe('signing off the handover', () => {
  const inHandover = aContractInHandover();
  // A ledger settled month by month, so that the final settlement agrees with it, and every other item done.
  const completed = [...inHandover, ...aCompletedHandover(inHandover)];

  it('refuses a sign-off while items are open', () => {
    expect(given(inHandover).when(signOff('brand'))).toEqual(refusal('handover.items_open', 'conflict'));
  });

  it('records the first sign-off; the second closes the contract', () => {
    const first = given(completed).when(signOff('operator', '2028-05-02')) as ContractEvent[];
    expect(first).toEqual([{ type: 'HandoverSignedOff', data: { party: 'operator', signatory: 'Li Na', signedOffOn: '2028-05-02' } }]);
    const second = given(completed, first).when(signOff('brand', '2028-05-01')) as ContractEvent[];
    expect(second).toEqual([
      { type: 'HandoverSignedOff', data: { party: 'brand', signatory: 'Zhang Wei', signedOffOn: '2028-05-01' } },
      { type: 'ContractClosed', data: { closedOn: '2028-05-02' } },
    ]);
    const closed = given(completed, first, second);
    expect(closed.state.status).toBe('closed');
    expect(closed.when(signOff('brand'))).toEqual(refusal('contract.closed', 'conflict'));
  });

  it('refuses a party signing off twice', () => {
    const first = given(completed).when(signOff('operator')) as ContractEvent[];
    expect(given(completed, first).when(signOff('operator'))).toEqual(refusal('handover.already_signed_off', 'conflict'));
  });
});

describe('evolve', () => {
  it('is total: an event that cannot apply leaves the state as it is', () => {
    expect(evolve(initialState, { type: 'ContractActivated', data: { activatedOn: '2027-01-01' } })).toBe(initialState);
    const active = fold(anActiveContract());
    expect(evolve(active, { type: 'ContractClosed', data: { closedOn: '2028-01-01' } })).toBe(active);
    expect(evolve(active, aDraftedContract()[0])).toBe(active);
  });
});

describe('structurally invalid commands', () => {
  // The decider checks every command against its schema itself: it never assumes the HTTP edge did.
  it.each([
    [
      'an amendment whose changes hold an empty list',
      {
        type: 'ProposeAmendment',
        amendmentId: 'am-1',
        proposedBy: 'operator',
        documentRef: 'SA-X',
        effectiveOn: '2028-01-01',
        changes: [[]],
      },
      'changes.0',
    ],
    [
      'an amendment whose changes hold null',
      {
        type: 'ProposeAmendment',
        amendmentId: 'am-1',
        proposedBy: 'operator',
        documentRef: 'SA-X',
        effectiveOn: '2028-01-01',
        changes: [null],
      },
      'changes.0',
    ],
    ['a draft whose shops hold an empty list', { ...draftCommand(), terms: { ...draftTerms(), shops: [[]] } }, 'terms.shops.0'],
    ['a signature on 2027-13-01', { type: 'SignContract', party: 'brand', signatory: 'Zhang Wei', signedOn: '2027-13-01' }, 'signedOn'],
    ['a signature on 2027-02-30', { type: 'SignContract', party: 'brand', signatory: 'Zhang Wei', signedOn: '2027-02-30' }, 'signedOn'],
    [
      'a notice period of a year and a day',
      { ...draftCommand(), terms: { ...draftTerms(), noticePeriodDays: 366 } },
      'terms.noticePeriodDays',
    ],
    [
      'a draft without a notice period',
      { ...draftCommand(), terms: { ...draftTerms(), noticePeriodDays: undefined } },
      'terms.noticePeriodDays',
    ],
    [
      'a commission rate in float percent',
      {
        type: 'ProposeAmendment',
        amendmentId: 'am-1',
        proposedBy: 'operator',
        documentRef: 'SA-X',
        effectiveOn: '2028-01-01',
        changes: [{ type: 'change_commission_rate', commissionRateBp: 12.5 }],
      },
      'commissionRateBp',
    ],
    [
      'a field no command has',
      { type: 'AcknowledgeBreach', breachId: 'breach-1', acknowledgedOn: '2028-03-20', password: 'x' },
      'password',
    ],
    ['a deregistration that names no party', { type: 'DeregisterAccount', accountId: 'acc-1', reason: 'closed' }, 'party'],
    [
      'a waiver proposed by a coordinator',
      { type: 'ProposeItemWaiver', itemId: 'inventory-return', party: 'coordinator', reason: 'x' },
      'party',
    ],
    [
      'evidence that is a list',
      {
        type: 'CompleteHandoverItem',
        itemId: 'final-settlement',
        evidence: [null],
        completedBy: 'x',
        completedAt: '2028-04-02T12:00:00.000Z',
      },
      'evidence',
    ],
    ['an unknown command', { type: 'TeleportContract' }, 'type'],
    ['no command at all', null, '(whole)'],
  ])('refuses %s with command.invalid, naming the field', (_what, command, field) => {
    const refused = given(anActiveContract()).when(command as ContractCommand);
    expect(refused).toEqual(refusal('command.invalid', 'invalid'));
    expect((refused as Error).message).toContain(field);
  });
});
