import { authorize, canSeeLedger, requireLedgerVisible } from '../../src/contracts/domain/access';
import { type Principal } from '../../src/shared/identity';
import type { ContractCommand } from '../../src/contracts/domain/commands';
import { fold, type ContractState } from '../../src/contracts/domain/state';
import type { Party } from '../../src/contracts/domain/terms';
import {
  draftCommand,
  aContractInHandover,
  breachRecorded,
  agreed,
  anActiveContract,
  confirmSales,
  countersignAmendment,
  decided,
  disputeSales,
  handoverEvidence,
  issueStatement,
  openSettlement,
  ONE_COMMAND_OF_EACH_TYPE,
  proposeAmendment,
  recordPayment,
  refusal,
  reportSales,
} from '../support/contract-fixtures';

const brand: Principal = { keyId: 'k1', role: 'brand', partyId: 'brand-feiyue' };
const operator: Principal = { keyId: 'k2', role: 'operator', partyId: 'op-yunshang' };
const keyOf: Record<Party, Principal> = { brand, operator };
const NOT_YOUR_SIDE = refusal('access.not_your_side', 'forbidden');

/** The refusal `authorize` throws, or undefined when it lets the command through. */
function attempt(principal: Principal, command: ContractCommand, state: ContractState): unknown {
  try {
    authorize(principal, command, state);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('authorize', () => {
  it('denies a command type it has no rule for, even to the contract’s own party', () => {
    // Compile time: without a rule, `authorize` does not accept the new type at all...
    // @ts-expect-error a command type outside ContractCommand has no access rule
    const call = () => authorize(brand, { type: 'ExportContract' }, fold(anActiveContract()));
    // ...and at run time, whatever slips through is denied, never allowed by default.
    let refused: unknown;
    try {
      call();
    } catch (error) {
      refused = error;
    }
    expect(refused).toEqual(refusal('access.no_rule', 'forbidden'));
    expect(() => authorize(brand, { type: 'ExportContract' } as unknown as ContractCommand, fold(anActiveContract()))).toThrow(
      /No access rule allows ExportContract/,
    );
  });

  it('lets a key draft in its own name only: the drafter is the party that may withdraw the draft', () => {
    const draft = (draftedBy: Party): ContractCommand => ({ ...draftCommand(), draftedBy }) as ContractCommand;
    expect(() => authorize(brand, draft('brand'), fold([]))).not.toThrow();
    expect(() => authorize(brand, draft('operator'), fold([]))).toThrow(expect.objectContaining({ code: 'access.not_your_side' }));
  });
});

describe('who keeps the ledger', () => {
  const ACTIVE = fold(anActiveContract());
  const IN_HANDOVER = fold(aContractInHandover());

  const OPERATORS: [string, ContractCommand][] = [
    ['report sales', reportSales('r-1', '2027-03-01', '2027-03-31')],
    ['report promotion spend', { type: 'ReportPromotionSpend', month: '2027-03', spentFen: 1, documentRef: 'PS-1' }],
    ['issue a statement', issueStatement('st-1', '2027-03', '2027-04-02')],
  ];
  const BRANDS: [string, ContractCommand][] = [
    ['confirm a sales report', confirmSales('r-1', '2027-04-01')],
    ['dispute a sales report', disputeSales('r-1', '2027-04-01')],
    ['pay a statement', recordPayment('p-1', 'st-1', 1, '2027-04-10')],
  ];

  it.each(OPERATORS)('lets the operator %s, not the brand', (_, command) => {
    expect(attempt(operator, command, ACTIVE)).toBeUndefined();
    expect(attempt(brand, command, ACTIVE)).toEqual(refusal('access.not_your_side', 'forbidden'));
  });

  it.each(BRANDS)('lets the brand %s, not the operator', (_, command) => {
    expect(attempt(brand, command, ACTIVE)).toBeUndefined();
    expect(attempt(operator, command, ACTIVE)).toEqual(refusal('access.not_your_side', 'forbidden'));
  });

  it.each([...OPERATORS, ...BRANDS])('lets no coordinator nor auditor %s; an admin may', (_, command) => {
    const coordinator: Principal = { keyId: 'k4', role: 'coordinator' };
    // A coordinator sees a contract only once it is in handover, the ledger's last months included.
    expect(attempt(coordinator, command, IN_HANDOVER)).toEqual(refusal('access.coordinator', 'forbidden'));
    expect(attempt(coordinator, command, ACTIVE)).toEqual(refusal('contract.not_found', 'not_found'));
    expect(attempt({ keyId: 'k5', role: 'auditor' }, command, ACTIVE)).toEqual(refusal('access.read_only', 'forbidden'));
    expect(attempt({ keyId: 'k6', role: 'admin' }, command, ACTIVE)).toBeUndefined();
  });

  it.each([...OPERATORS, ...BRANDS])('answers another brand’s or operator’s %s as if the contract did not exist', (_, command) => {
    const notFound = refusal('contract.not_found', 'not_found');
    expect(attempt({ keyId: 'k7', role: 'brand', partyId: 'brand-other' }, command, ACTIVE)).toEqual(notFound);
    expect(attempt({ keyId: 'k8', role: 'operator', partyId: 'op-other' }, command, ACTIVE)).toEqual(notFound);
  });
});

describe('who completes the final settlement', () => {
  const IN_HANDOVER = fold(aContractInHandover());
  if (IN_HANDOVER.status !== 'terminated') throw new Error('expected a contract in handover');
  const complete = (itemId: string): ContractCommand => {
    const item = IN_HANDOVER.handover.items.find((candidate) => candidate.itemId === itemId)!;
    return {
      type: 'CompleteHandoverItem',
      itemId,
      evidence: handoverEvidence(item.kind, openSettlement(IN_HANDOVER)),
      completedBy: 'k',
      completedAt: '2028-04-20T10:00:00.000Z',
    };
  };
  const coordinator: Principal = { keyId: 'k4', role: 'coordinator' };
  const attempt = (principal: Principal, command: ContractCommand): unknown => {
    try {
      authorize(principal, command, IN_HANDOVER);
      return undefined;
    } catch (error) {
      return error;
    }
  };

  it('refuses a coordinator the final settlement, the parties’ agreement on the ledger’s open figures', () => {
    expect(attempt(coordinator, complete('final-settlement'))).toEqual(refusal('access.settlement_by_parties', 'forbidden'));
  });

  it('lets the brand, the operator (the item is both parties’) and an admin complete it', () => {
    const operator: Principal = { keyId: 'k2', role: 'operator', partyId: 'op-yunshang' };
    for (const principal of [brand, operator, { keyId: 'k6', role: 'admin' } as Principal]) {
      expect({ role: principal.role, refused: attempt(principal, complete('final-settlement')) }).toEqual({
        role: principal.role,
        refused: undefined,
      });
    }
  });

  it('still lets a coordinator complete every other item', () => {
    const others = IN_HANDOVER.handover.items.filter((item) => item.kind !== 'final_settlement');
    expect(others.length).toBeGreaterThan(0);
    expect(others.map((item) => attempt(coordinator, complete(item.itemId)))).toEqual(others.map(() => undefined));
  });
});

describe('who reads the ledger', () => {
  const principal = (role: Principal['role'], partyId?: string): Principal => ({ keyId: 'k', role, ...(partyId ? { partyId } : {}) });
  const inHandover = fold(aContractInHandover());
  const refusalOf = (check: () => void) => {
    try {
      check();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it("lets the contract's brand and operator, auditors and admins read it", () => {
    for (const reader of [brand, principal('operator', 'op-yunshang'), principal('auditor'), principal('admin')]) {
      expect({ reader, may: canSeeLedger(reader, inHandover) }).toEqual({ reader, may: true });
      expect(refusalOf(() => requireLedgerVisible(reader, inHandover))).toBeUndefined();
    }
  });

  it('refuses a coordinator who sees the contract with 403, and anyone who does not see it with 404', () => {
    const coordinator = principal('coordinator');
    expect(canSeeLedger(coordinator, inHandover)).toBe(false);
    expect(refusalOf(() => requireLedgerVisible(coordinator, inHandover))).toEqual(refusal('access.ledger_forbidden', 'forbidden'));
    // Before the termination a coordinator does not even see the contract.
    expect(refusalOf(() => requireLedgerVisible(coordinator, fold(anActiveContract())))).toEqual(
      refusal('contract.not_found', 'not_found'),
    );
    for (const stranger of [principal('brand', 'brand-other'), principal('operator', 'op-other')]) {
      expect(canSeeLedger(stranger, inHandover)).toBe(false);
      expect(refusalOf(() => requireLedgerVisible(stranger, inHandover))).toEqual(refusal('contract.not_found', 'not_found'));
    }
  });
});

describe('who acts on agreements, drafts, accounts and handover items', () => {
  const ACTIVE = fold(anActiveContract());
  const IN_HANDOVER = fold(aContractInHandover());
  const other = (party: Party): Party => (party === 'brand' ? 'operator' : 'brand');

  /** Commands a party's key issues only in its own name, as each party. */
  const IN_ITS_OWN_NAME: [string, (party: Party) => ContractCommand][] = [
    ['proposes an agreement', (party) => proposeAmendment([{ type: 'remove_scope', scope: 'logistics' }], { proposedBy: party })],
    ['countersigns an agreement', (party) => countersignAmendment('SA-1', party)],
    ['rejects an agreement', (party) => ({ ...ONE_COMMAND_OF_EACH_TYPE.RejectAmendment, party })],
    ['proposes a waiver', (party) => ({ ...ONE_COMMAND_OF_EACH_TYPE.ProposeItemWaiver, party })],
    ['agrees to a waiver', (party) => ({ ...ONE_COMMAND_OF_EACH_TYPE.AgreeItemWaiver, party })],
    ['disputes an item', (party) => ({ ...ONE_COMMAND_OF_EACH_TYPE.DisputeHandoverItem, party })],
    ['deregisters an account', (party) => ({ ...ONE_COMMAND_OF_EACH_TYPE.DeregisterAccount, party })],
    ['withdraws a draft', (party) => ({ ...ONE_COMMAND_OF_EACH_TYPE.WithdrawDraft, party })],
    ['declares an account', (party) => ({ ...ONE_COMMAND_OF_EACH_TYPE.RegisterAccount, declaredBy: party })],
  ];

  it.each(IN_ITS_OWN_NAME)('lets a party’s key act only in its own name when it %s', (_, command) => {
    for (const party of ['brand', 'operator'] as const) {
      expect(attempt(keyOf[party], command(party), ACTIVE)).toBeUndefined();
      expect(attempt(keyOf[other(party)], command(party), ACTIVE)).toEqual(NOT_YOUR_SIDE);
    }
  });

  it('lets the party owed a duty report its incidents, and the party that owes it answer them', () => {
    const report = ONE_COMMAND_OF_EACH_TYPE.ReportDutyIncident; // customer service: the operator's duty, the brand reports
    expect(attempt(brand, report, ACTIVE)).toBeUndefined();
    expect(attempt(operator, report, ACTIVE)).toEqual(NOT_YOUR_SIDE);
    const reported = fold([...anActiveContract(), ...decided(anActiveContract(), [{ ...report, incidentId: 'inc-1' }])]);
    for (const answer of [ONE_COMMAND_OF_EACH_TYPE.AcknowledgeDutyIncident, ONE_COMMAND_OF_EACH_TYPE.ContestDutyIncident]) {
      expect(attempt(operator, answer, reported)).toBeUndefined();
      expect(attempt(brand, answer, reported)).toEqual(NOT_YOUR_SIDE);
    }
  });

  it('lets a party serve notice of the other’s breach; the breaching party answers and claims the cure; the notifying party answers the cure', () => {
    expect(attempt(brand, ONE_COMMAND_OF_EACH_TYPE.NoticeBreach, ACTIVE)).toBeUndefined(); // on the operator
    expect(attempt(operator, ONE_COMMAND_OF_EACH_TYPE.NoticeBreach, ACTIVE)).toEqual(NOT_YOUR_SIDE);
    const noticed = fold([...anActiveContract(), breachRecorded('breach-1', 'brand')]);
    for (const answer of [
      ONE_COMMAND_OF_EACH_TYPE.AcknowledgeBreach,
      ONE_COMMAND_OF_EACH_TYPE.ContestBreach,
      ONE_COMMAND_OF_EACH_TYPE.ClaimBreachCure,
    ]) {
      expect(attempt(brand, answer, noticed)).toBeUndefined();
      expect(attempt(operator, answer, noticed)).toEqual(NOT_YOUR_SIDE);
    }
    for (const answer of [ONE_COMMAND_OF_EACH_TYPE.AcceptBreachCure, ONE_COMMAND_OF_EACH_TYPE.RejectBreachCure]) {
      expect(attempt(operator, answer, noticed)).toBeUndefined();
      expect(attempt(brand, answer, noticed)).toEqual(NOT_YOUR_SIDE);
    }
  });

  it('leaves the expiry to the service: no party records it, an admin (the scheduler’s principal) does', () => {
    for (const party of [brand, operator]) {
      expect(attempt(party, ONE_COMMAND_OF_EACH_TYPE.RecordExpiry, ACTIVE)).toEqual(refusal('access.service_only', 'forbidden'));
    }
    expect(attempt({ keyId: 'expiry-scheduler', role: 'admin' }, ONE_COMMAND_OF_EACH_TYPE.RecordExpiry, ACTIVE)).toBeUndefined();
  });

  it('takes an account declared without naming who as the operator’s: a brand key must say it declares it', () => {
    const undeclared = ONE_COMMAND_OF_EACH_TYPE.RegisterAccount;
    expect(attempt(operator, undeclared, ACTIVE)).toBeUndefined();
    expect(attempt(brand, undeclared, ACTIVE)).toEqual(NOT_YOUR_SIDE);
  });

  it('lets only the party that proposed an agreement withdraw it; a proposal it does not know is left to decide (not found)', () => {
    const history = anActiveContract();
    const proposedByTheBrand = fold([
      ...history,
      ...decided(history, [proposeAmendment([{ type: 'remove_scope', scope: 'logistics' }], { proposedBy: 'brand' })]),
    ]);
    const withdraw = ONE_COMMAND_OF_EACH_TYPE.WithdrawAmendment;
    expect(attempt(brand, withdraw, proposedByTheBrand)).toBeUndefined();
    expect(attempt(operator, withdraw, proposedByTheBrand)).toEqual(NOT_YOUR_SIDE);
    expect(attempt(operator, { ...withdraw, amendmentId: 'am-SA-9' }, proposedByTheBrand)).toBeUndefined();
  });

  it('lets a party complete only the items of a partial handover it is responsible for', () => {
    const history = anActiveContract();
    const logisticsBack = fold([...history, ...agreed(history, [{ type: 'remove_scope', scope: 'logistics' }])]);
    const repointing: ContractCommand = {
      ...ONE_COMMAND_OF_EACH_TYPE.CompleteHandoverItem,
      handoverId: 'am-SA-1',
      itemId: 'logistics-repointing',
      evidence: {
        kind: 'logistics_repointing',
        repointedOn: '2028-01-05',
        accountsRepointed: ['cainiao-feiyue'],
        confirmedBy: 'Zhang Wei',
      },
    };
    expect(attempt(operator, repointing, logisticsBack)).toBeUndefined();
    expect(attempt(brand, repointing, logisticsBack)).toEqual(NOT_YOUR_SIDE);
  });

  const NOT_AN_ITEM_COMPLETION = Object.values(ONE_COMMAND_OF_EACH_TYPE).filter((command) => command.type !== 'CompleteHandoverItem');

  it.each(NOT_AN_ITEM_COMPLETION)('refuses a coordinator $type: it completes handover items and nothing else', (command) => {
    const coordinator: Principal = { keyId: 'k4', role: 'coordinator' };
    expect(attempt(coordinator, command, IN_HANDOVER)).toEqual(refusal('access.coordinator', 'forbidden'));
  });

  it('lets a coordinator complete an item of the final handover, not see a partial handover while the contract runs', () => {
    const coordinator: Principal = { keyId: 'k4', role: 'coordinator' };
    expect(attempt(coordinator, ONE_COMMAND_OF_EACH_TYPE.CompleteHandoverItem, IN_HANDOVER)).toBeUndefined();
    expect(attempt(coordinator, { ...ONE_COMMAND_OF_EACH_TYPE.CompleteHandoverItem, handoverId: 'am-SA-1' }, ACTIVE)).toEqual(
      refusal('contract.not_found', 'not_found'),
    );
  });
});
