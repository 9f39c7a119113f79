import type { ContractCommand } from '../../src/contracts/domain/commands';
import { decide } from '../../src/contracts/domain/decide';
import { ContractRefused } from '../../src/contracts/domain/errors';
import type { ContractEvent } from '../../src/contracts/domain/events';
import { fold } from '../../src/contracts/domain/state';
import type { Terms } from '../../src/contracts/domain/terms';

/**
 * Named histories for decider specs: each fixture is the list of events that
 * brings a contract where the spec needs it. Ids are fixed so specs can name them.
 */
export const CONTRACT_ID = 'c0ffee00-0000-4000-8000-000000000001';

export function draftTerms(overrides: Partial<Terms> = {}): Terms {
  return {
    scopes: ['operations', 'marketing', 'customer_service', 'warehousing', 'logistics'],
    shops: [{ platform: 'tmall', name: 'Feiyue Tmall flagship store' }],
    fees: { serviceFeeMonthlyFen: 3_000_000, commissionRateBp: 1200, commissionBase: 'net_of_shipping' },
    shipping: { costBorneBy: 'brand', freeShipping: true },
    promotion: { monthlyBudgetFen: 10_000_000 },
    clauses: { onlineDistributionAuthorized: true, rightsEnforcementAuthorized: true },
    term: { startsOn: '2027-01-01', endsOn: '2029-12-31' },
    noticePeriodDays: 90,
    ...overrides,
  };
}

/** The story's parties: a sports-shoe brand and its e-commerce operator. */
export const THE_PARTIES = {
  brand: { partyId: 'brand-feiyue', name: 'Feiyue Sports' },
  operator: { partyId: 'op-yunshang', name: 'Yunshang E-commerce' },
} as const;

export const draftCommand = (terms: Terms = draftTerms()): ContractCommand => ({
  type: 'DraftContract',
  contractId: CONTRACT_ID,
  ...THE_PARTIES,
  terms,
});

export function aDraftedContract(terms: Terms = draftTerms()): ContractEvent[] {
  const command = draftCommand(terms);
  if (command.type !== 'DraftContract') throw new Error('unreachable');
  const { type: _type, ...data } = command;
  return [{ type: 'ContractDrafted', data }];
}

export function anActiveContract(terms: Terms = draftTerms()): ContractEvent[] {
  return [
    ...aDraftedContract(terms),
    { type: 'ContractSigned', data: { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' } },
    { type: 'ContractSigned', data: { party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' } },
    { type: 'ContractActivated', data: { activatedOn: '2026-12-03' } },
  ];
}

export const accountRegistered = (
  accountId: string,
  accountKind: 'shop_master_account' | 'sub_account' | 'alipay_account' = 'shop_master_account',
): ContractEvent => ({
  type: 'AccountRegistered',
  data: { accountId, platform: 'tmall', accountName: `feiyue-${accountId}`, accountKind },
});

export const authorizationGranted = (
  authorizationId: string,
  authorizationType: 'online_distribution' | 'rights_enforcement' = 'online_distribution',
): ContractEvent => ({
  type: 'AuthorizationGranted',
  data: { authorizationId, authorizationType, platform: 'tmall', documentRef: `AUTH-${authorizationId}` },
});

export const breachRecorded = (breachId: string, breachingParty: 'brand' | 'operator' = 'brand'): ContractEvent => ({
  type: 'BreachRecorded',
  data: {
    breachId,
    breachingParty,
    clause: '5.2 daily shipping',
    description: 'Orders not shipped for five days',
    occurredOn: '2028-03-10',
    evidenceRef: 'EV-1',
  },
});

/** An active contract with accounts, authorizations and a brand breach, terminated by the operator for it. */
export function aContractInHandover(): ContractEvent[] {
  const history = [...anActiveContract(), accountRegistered('acc-1'), authorizationGranted('auth-1'), breachRecorded('breach-1', 'brand')];
  return [
    ...history,
    ...decide(
      { type: 'TerminateContract', initiatedBy: 'operator', grounds: { type: 'breach', breachId: 'breach-1' }, effectiveOn: '2028-04-01' },
      fold(history),
    ),
  ];
}

/** given(history).when(command) -> the events decided, or the refusal. */
export function given(...histories: ContractEvent[][]) {
  const state = fold(histories.flat());
  return {
    state,
    when(command: ContractCommand): ContractEvent[] | ContractRefused {
      try {
        return decide(command, state);
      } catch (error) {
        if (error instanceof ContractRefused) return error;
        throw error;
      }
    },
  };
}

/** The refusal's code and category, for `toEqual`. */
export function refusal(code: string, category: ContractRefused['category']) {
  return expect.objectContaining({ code, category });
}

/**
 * A ContractDrafted as the service stored it before the notice period became
 * a term (schemaVersion 1): written out literally, because the point is the
 * old shape, not today's.
 */
export const VERSION_1_DRAFT = {
  contractId: CONTRACT_ID,
  brand: { partyId: 'brand-feiyue', name: 'Feiyue Sports' },
  operator: { partyId: 'op-yunshang', name: 'Yunshang E-commerce' },
  terms: {
    scopes: ['operations', 'marketing', 'customer_service', 'warehousing', 'logistics'],
    shops: [{ platform: 'tmall', name: 'Feiyue Tmall flagship store' }],
    fees: { serviceFeeMonthlyFen: 3_000_000, commissionRateBp: 1200, commissionBase: 'net_of_shipping' },
    shipping: { costBorneBy: 'brand', freeShipping: true },
    promotion: { monthlyBudgetFen: 10_000_000 },
    clauses: { onlineDistributionAuthorized: true, rightsEnforcementAuthorized: true },
    term: { startsOn: '2027-01-01', endsOn: '2029-12-31' },
  },
};
