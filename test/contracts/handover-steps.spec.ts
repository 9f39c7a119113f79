import type { ContractCommand } from '../../src/contracts/domain/commands';
import type { ContractEvent } from '../../src/contracts/domain/events';
import type { HandoverItem, HandoverItemKind } from '../../src/contracts/domain/handover';
import { openItems, type ContractState, type Handover } from '../../src/contracts/domain/state';
import type { AmendmentChange, Party } from '../../src/contracts/domain/terms';
import { contractView, handoverView } from '../../src/contracts/read-side/views';
import {
  aCompletedHandover,
  aContractInHandover,
  aContractTerminatedOn,
  accountRegistered,
  agreed,
  amendmentIdOf,
  anActiveContract,
  authorizationGranted,
  countersignAmendment,
  decided,
  given,
  handoverEvidence,
  proposeAmendment,
  refusal,
} from '../support/contract-fixtures';

/**
 * The steps of a handover, the final one and the partial ones an agreement
 * opens when it takes a scope back: items completed with evidence, waived by
 * both parties, or disputed until one of those resolves them; both parties
 * sign off once nothing is open; the final sign-off waits for every partial
 * handover, and closes the contract.
 */

/** An active contract whose operator runs the flagship shop and two courier (logistics) accounts, with the brand's distribution authorization. */
const WITH_COURIERS = [
  ...anActiveContract(),
  accountRegistered('shop'),
  accountRegistered('cainiao', 'logistics_account'),
  accountRegistered('sf', 'logistics_account'),
  authorizationGranted('auth-1'),
];
const LOGISTICS_BACK: AmendmentChange[] = [{ type: 'remove_scope', scope: 'logistics' }];
/** The partial handover of the agreement taking logistics back: named by the agreement's id. */
const PARTIAL = amendmentIdOf('SA-1');
/** The brand took logistics back by SA-1, effective 2028-01-01: a partial handover is open. */
const LOGISTICS_TAKEN_BACK = [...WITH_COURIERS, ...agreed(WITH_COURIERS, LOGISTICS_BACK, { proposedBy: 'brand' })];

const evidence = (kind: HandoverItemKind) => handoverEvidence(kind, { serviceFeesFen: 0, commissionFen: 0 });
const complete = (itemId: string, kind: HandoverItemKind, handoverId?: string): ContractCommand => ({
  type: 'CompleteHandoverItem',
  ...(handoverId ? { handoverId } : {}),
  itemId,
  evidence: evidence(kind),
  completedBy: 'op-yunshang:li.na',
  completedAt: '2028-01-05T10:00:00.000Z',
});
const signatory = (party: Party) => (party === 'brand' ? 'Zhang Wei' : 'Li Na');
const signOff = (party: Party, handoverId?: string, signedOffOn = '2028-05-01'): ContractCommand => ({
  type: 'SignOffHandover',
  ...(handoverId ? { handoverId } : {}),
  party,
  signatory: signatory(party),
  signedOffOn,
});
const proposeWaiver = (
  itemId: string,
  party: Party,
  handoverId?: string,
  reason = 'The brand kept its own warehouse',
): ContractCommand => ({
  type: 'ProposeItemWaiver',
  ...(handoverId ? { handoverId } : {}),
  itemId,
  party,
  reason,
});
const agreeWaiver = (itemId: string, party: Party, handoverId?: string): ContractCommand => ({
  type: 'AgreeItemWaiver',
  ...(handoverId ? { handoverId } : {}),
  itemId,
  party,
  signatory: signatory(party),
});
const dispute = (itemId: string, party: Party, handoverId?: string, reason = 'Two pallets are missing'): ContractCommand => ({
  type: 'DisputeHandoverItem',
  ...(handoverId ? { handoverId } : {}),
  itemId,
  party,
  reason,
});

/** The commands that complete every open item of a handover and sign it off by both parties. */
function finishing(handover: Handover, handoverId?: string): ContractCommand[] {
  return [
    ...openItems(handover).map((item) => complete(item.itemId, item.kind, handoverId)),
    signOff('operator', handoverId, '2028-04-20'),
    signOff('brand', handoverId, '2028-04-21'),
  ];
}

function partialOf(state: ContractState, handoverId = PARTIAL) {
  if (state.status === 'none') throw new Error('no contract');
  const partial = state.partialHandovers.find((candidate) => candidate.handoverId === handoverId);
  if (!partial) throw new Error(`no partial handover ${handoverId}`);
  return partial;
}

const startedItems = (events: ContractEvent[] | Error) =>
  (events as ContractEvent[]).flatMap((event) => (event.type === 'PartialHandoverStarted' ? [event.data] : []));
const finalItemIds = (events: ContractEvent[]) =>
  events.flatMap((event) => (event.type === 'HandoverStarted' ? event.data.items.map((item) => item.itemId) : []));

/** The final handover's sign-offs close the contract: the events of both, or the first refusal. */
const bothSignOff = (...histories: ContractEvent[][]) =>
  given(...histories).when(signOff('operator'), signOff('brand', undefined, '2028-05-02'));

describe('a partial handover, opened when an agreement in force takes a scope back', () => {
  const credentials = (accountId: string): HandoverItem =>
    expect.objectContaining({ itemId: `credentials-${accountId}`, kind: 'credential_handover', accountId });

  it('takes logistics back with each logistics account (credentials rotated and handed over) and the couriers re-pointed', () => {
    const pending = [...WITH_COURIERS, ...decided(WITH_COURIERS, [proposeAmendment(LOGISTICS_BACK, { proposedBy: 'brand' })])];
    expect(startedItems(given(pending).when(countersignAmendment('SA-1', 'operator')))).toEqual([
      {
        handoverId: PARTIAL,
        scopes: ['logistics'],
        effectiveOn: '2028-01-01',
        items: [
          credentials('cainiao'),
          credentials('sf'),
          expect.objectContaining({ itemId: 'logistics-repointing', kind: 'logistics_repointing' }),
        ],
      },
    ]);
  });

  it('opens nothing for a scope the agreement removes and adds back: it stays outsourced', () => {
    const removedAndBack: AmendmentChange[] = [...LOGISTICS_BACK, { type: 'add_scope', scope: 'logistics' }];
    const pending = [...WITH_COURIERS, ...decided(WITH_COURIERS, [proposeAmendment(removedAndBack, { proposedBy: 'brand' })])];
    expect(startedItems(given(pending).when(countersignAmendment('SA-1', 'operator')))).toEqual([]);
  });

  it('opens nothing while the agreement is only proposed', () => {
    const pending = [...WITH_COURIERS, ...decided(WITH_COURIERS, [proposeAmendment(LOGISTICS_BACK, { proposedBy: 'brand' })])];
    expect(given(pending).state).toEqual(expect.objectContaining({ partialHandovers: [] }));
  });

  it('takes warehousing back with the inventory held in the operator’s warehouse', () => {
    const events = given(WITH_COURIERS).when(...agreementOf([{ type: 'remove_scope', scope: 'warehousing' }]));
    expect(startedItems(events)).toEqual([
      expect.objectContaining({
        scopes: ['warehousing'],
        items: [expect.objectContaining({ itemId: 'inventory-return', kind: 'inventory_return' })],
      }),
    ]);
  });

  it('opens no partial handover for a scope that brings nothing back (marketing)', () => {
    const events = given(WITH_COURIERS).when(...agreementOf([{ type: 'remove_scope', scope: 'marketing' }]));
    expect((events as ContractEvent[]).map((event) => event.type)).toEqual([
      'AmendmentProposed',
      'AmendmentCountersigned',
      'ContractAmended',
    ]);
  });

  it('leaves out a logistics account already off the contract: only accounts still to come back are handed back', () => {
    const deregistered: ContractEvent = { type: 'AccountDeregistered', data: { accountId: 'sf' } };
    const events = given(WITH_COURIERS, [deregistered]).when(...agreementOf(LOGISTICS_BACK));
    expect(startedItems(events)[0].items.map((item) => item.itemId)).toEqual(['credentials-cainiao', 'logistics-repointing']);
  });
});

/** The agreement's commands, proposed by the brand and countersigned by the operator. */
function agreementOf(changes: AmendmentChange[]): ContractCommand[] {
  return [proposeAmendment(changes, { proposedBy: 'brand' }), countersignAmendment('SA-1', 'operator')];
}

describe('the steps of a partial handover, named by its handoverId', () => {
  it('completes its item with evidence of the item’s kind; the same evidence again records nothing', () => {
    const completed = given(LOGISTICS_TAKEN_BACK).when(complete('logistics-repointing', 'logistics_repointing', PARTIAL));
    expect(completed).toEqual([
      {
        type: 'HandoverItemCompleted',
        data: {
          handoverId: PARTIAL,
          itemId: 'logistics-repointing',
          evidence: evidence('logistics_repointing'),
          completedBy: 'op-yunshang:li.na',
          completedAt: '2028-01-05T10:00:00.000Z',
        },
      },
    ]);
    expect(
      given(LOGISTICS_TAKEN_BACK, completed as ContractEvent[]).when(complete('logistics-repointing', 'logistics_repointing', PARTIAL)),
    ).toEqual([]);
  });

  it('refuses a step naming no handover while the contract runs (handover.not_started), or a handover it does not have (handover.not_found)', () => {
    expect(given(LOGISTICS_TAKEN_BACK).when(complete('logistics-repointing', 'logistics_repointing'))).toEqual(
      refusal('handover.not_started', 'conflict'),
    );
    expect(given(LOGISTICS_TAKEN_BACK).when(complete('logistics-repointing', 'logistics_repointing', 'am-SA-9'))).toEqual(
      refusal('handover.not_found', 'not_found'),
    );
  });

  it('waives and disputes its items by handoverId', () => {
    expect(
      given(LOGISTICS_TAKEN_BACK).when(
        proposeWaiver('credentials-sf', 'operator', PARTIAL),
        agreeWaiver('credentials-sf', 'brand', PARTIAL),
      ),
    ).toEqual([
      expect.objectContaining({ type: 'HandoverItemWaiverProposed', data: expect.objectContaining({ handoverId: PARTIAL }) }),
      expect.objectContaining({
        type: 'HandoverItemWaived',
        data: expect.objectContaining({ handoverId: PARTIAL, itemId: 'credentials-sf' }),
      }),
    ]);
    expect(given(LOGISTICS_TAKEN_BACK).when(dispute('credentials-sf', 'brand', PARTIAL))).toEqual([
      {
        type: 'HandoverItemDisputed',
        data: { handoverId: PARTIAL, itemId: 'credentials-sf', disputedBy: 'brand', reason: 'Two pallets are missing' },
      },
    ]);
  });

  it('refuses its sign-off while an item is open', () => {
    expect(given(LOGISTICS_TAKEN_BACK).when(signOff('brand', PARTIAL))).toEqual(refusal('handover.items_open', 'conflict'));
  });

  it('is signed off by both parties once every item is done; the contract runs on, and shows the partial handover signed off', () => {
    const partial = partialOf(given(LOGISTICS_TAKEN_BACK).state);
    const events = given(LOGISTICS_TAKEN_BACK).when(...finishing(partial, PARTIAL));
    expect((events as ContractEvent[]).slice(-2)).toEqual([
      { type: 'HandoverSignedOff', data: { handoverId: PARTIAL, party: 'operator', signatory: 'Li Na', signedOffOn: '2028-04-20' } },
      { type: 'HandoverSignedOff', data: { handoverId: PARTIAL, party: 'brand', signatory: 'Zhang Wei', signedOffOn: '2028-04-21' } },
    ]);
    const { state } = given(LOGISTICS_TAKEN_BACK, events as ContractEvent[]);
    expect(state.status).toBe('active');
    if (state.status === 'none') throw new Error('no contract');
    expect(contractView(state).partialHandovers).toEqual([
      { handoverId: PARTIAL, scopes: ['logistics'], effectiveOn: '2028-01-01', signedOff: true },
    ]);
    expect(given(LOGISTICS_TAKEN_BACK, events as ContractEvent[]).when(signOff('brand', PARTIAL))).toEqual(
      refusal('handover.already_signed_off', 'conflict'),
    );
  });

  it('hands the logistics accounts back while the contract runs: the contract view shows them handed back', () => {
    const events = given(LOGISTICS_TAKEN_BACK).when(complete('credentials-cainiao', 'credential_handover', PARTIAL)) as ContractEvent[];
    const { state } = given(LOGISTICS_TAKEN_BACK, events);
    if (state.status === 'none') throw new Error('no contract');
    expect(contractView(state).accounts.map(({ accountId, status }) => [accountId, status])).toEqual([
      ['shop', 'registered'],
      ['cainiao', 'handed_back'],
      ['sf', 'registered'],
    ]);
  });
});

describe('the final handover after a partial one', () => {
  it('lists no logistics account of the partial handover, handed back or not, and no courier re-pointing', () => {
    const oneHandedBack = [
      ...LOGISTICS_TAKEN_BACK,
      ...decided(LOGISTICS_TAKEN_BACK, [complete('credentials-cainiao', 'credential_handover', PARTIAL)]),
    ];
    const terminated = aContractTerminatedOn('2028-04-01', oneHandedBack);
    expect(finalItemIds(terminated.slice(oneHandedBack.length))).toEqual([
      'credentials-shop',
      'revocation-auth-1',
      'inventory-return',
      'final-settlement',
    ]);
  });

  it('never lists an item the partial handover completed, even when the scope goes back only after the termination date', () => {
    const later = [...WITH_COURIERS, ...agreed(WITH_COURIERS, LOGISTICS_BACK, { effectiveOn: '2028-06-01' })];
    const repointed = [...later, ...decided(later, [complete('logistics-repointing', 'logistics_repointing', PARTIAL)])];
    const terminated = aContractTerminatedOn('2028-04-01', repointed);
    expect(finalItemIds(terminated.slice(repointed.length))).not.toContain('logistics-repointing');
  });

  it('refuses the final sign-off while a partial handover is not signed off by both (handover.partial_open); then closes', () => {
    const inHandover = aContractTerminatedOn('2028-04-01', LOGISTICS_TAKEN_BACK);
    const finalDone = [...inHandover, ...aCompletedHandover(inHandover)];
    expect(given(finalDone).when(signOff('operator'))).toEqual(refusal('handover.partial_open', 'conflict'));
    // The checklist says so too: nothing open on it, yet it cannot be signed off before the partial handover.
    const { state } = given(finalDone);
    if (state.status === 'none') throw new Error('no contract');
    expect(handoverView(state, { ledger: true })).toMatchObject({ progress: { open: 0 }, canSignOff: false });
    const partial = partialOf(given(finalDone).state);
    const onlyOperator = decided(finalDone, finishing(partial, PARTIAL).slice(0, -1));
    expect(given(finalDone, onlyOperator).when(signOff('operator'))).toEqual(refusal('handover.partial_open', 'conflict'));
    const partialDone = decided(finalDone, finishing(partial, PARTIAL));
    expect(bothSignOff(finalDone, partialDone)).toEqual([
      expect.objectContaining({ type: 'HandoverSignedOff' }),
      expect.objectContaining({ type: 'HandoverSignedOff' }),
      { type: 'ContractClosed', data: { closedOn: '2028-05-02' } },
    ]);
  });
});

describe('waiving an item both parties agree does not apply', () => {
  const inHandover = aContractInHandover();
  const proposed: ContractEvent = {
    type: 'HandoverItemWaiverProposed',
    data: { itemId: 'inventory-return', proposedBy: 'operator', reason: 'The brand kept its own warehouse' },
  };
  const waived: ContractEvent = {
    type: 'HandoverItemWaived',
    data: {
      itemId: 'inventory-return',
      proposedBy: 'operator',
      reason: 'The brand kept its own warehouse',
      agreedBy: 'brand',
      signatory: 'Zhang Wei',
    },
  };

  it('records the proposal, naming who proposes it and why; proposing it again records nothing', () => {
    expect(given(inHandover).when(proposeWaiver('inventory-return', 'operator'))).toEqual([proposed]);
    expect(given(inHandover, [proposed]).when(proposeWaiver('inventory-return', 'operator'))).toEqual([]);
  });

  it('waives the item when the other party agrees; agreeing again records nothing', () => {
    expect(given(inHandover, [proposed]).when(agreeWaiver('inventory-return', 'brand'))).toEqual([waived]);
    expect(given(inHandover, [proposed, waived]).when(agreeWaiver('inventory-return', 'brand'))).toEqual([]);
  });

  it('refuses the proposer agreeing to its own waiver (handover.own_waiver)', () => {
    expect(given(inHandover, [proposed]).when(agreeWaiver('inventory-return', 'operator'))).toEqual(
      refusal('handover.own_waiver', 'invalid'),
    );
  });

  it('refuses agreeing to a waiver nobody proposed (handover.no_waiver_proposed)', () => {
    expect(given(inHandover).when(agreeWaiver('inventory-return', 'brand'))).toEqual(refusal('handover.no_waiver_proposed', 'conflict'));
  });

  it('refuses a second proposal while one awaits the other party (handover.waiver_pending): it agrees instead', () => {
    expect(given(inHandover, [proposed]).when(proposeWaiver('inventory-return', 'brand'))).toEqual(
      refusal('handover.waiver_pending', 'conflict'),
    );
    expect(given(inHandover, [proposed]).when(proposeWaiver('inventory-return', 'operator', undefined, 'Another reason'))).toEqual(
      refusal('handover.waiver_pending', 'conflict'),
    );
  });

  it('refuses waiving the final settlement: it always applies, if need be at zero (handover.not_waivable)', () => {
    expect(given(inHandover).when(proposeWaiver('final-settlement', 'operator'))).toEqual(refusal('handover.not_waivable', 'invalid'));
  });

  it('refuses waiving an item already completed, and completing or disputing an item waived', () => {
    const completed = decided(inHandover, [complete('inventory-return', 'inventory_return')]);
    expect(given(inHandover, completed).when(proposeWaiver('inventory-return', 'operator'))).toEqual(
      refusal('handover.item_already_completed', 'conflict'),
    );
    expect(given(inHandover, [proposed, waived]).when(complete('inventory-return', 'inventory_return'))).toEqual(
      refusal('handover.item_waived', 'conflict'),
    );
    expect(given(inHandover, [proposed, waived]).when(dispute('inventory-return', 'brand'))).toEqual(
      refusal('handover.item_waived', 'conflict'),
    );
  });

  it('counts a waived item as done: the handover is signed off and the contract closes', () => {
    const allButInventory = [...inHandover, ...aCompletedHandover(inHandover, ['inventory-return'])];
    expect(given(allButInventory).when(signOff('operator'))).toEqual(refusal('handover.items_open', 'conflict'));
    const { state } = given(allButInventory, [proposed, waived]);
    if (state.status === 'none') throw new Error('no contract');
    expect(handoverView(state, { ledger: true })?.progress).toEqual(expect.objectContaining({ waived: 1, open: 0 }));
    expect(handoverView(state, { ledger: true })?.canSignOff).toBe(true);
    expect(bothSignOff(allButInventory, [proposed, waived])).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'ContractClosed' })]),
    );
  });
});

describe('disputing an item', () => {
  const inHandover = aContractInHandover();
  const allButInventory = [...inHandover, ...aCompletedHandover(inHandover, ['inventory-return'])];
  const disputed: ContractEvent = {
    type: 'HandoverItemDisputed',
    data: { itemId: 'inventory-return', disputedBy: 'brand', reason: 'Two pallets are missing' },
  };

  it('records the dispute and its reason; disputing it again records nothing', () => {
    expect(given(inHandover).when(dispute('inventory-return', 'brand'))).toEqual([disputed]);
    expect(given(inHandover, [disputed]).when(dispute('inventory-return', 'brand'))).toEqual([]);
  });

  it('refuses a second dispute of an item already disputed (handover.item_disputed)', () => {
    expect(given(inHandover, [disputed]).when(dispute('inventory-return', 'operator', undefined, 'All was returned'))).toEqual(
      refusal('handover.item_disputed', 'conflict'),
    );
  });

  it('refuses disputing an item already completed', () => {
    expect(given(allButInventory).when(dispute('credentials-acc-1', 'brand'))).toEqual(
      refusal('handover.item_already_completed', 'conflict'),
    );
  });

  it('blocks the sign-off, saying the item is disputed (handover.items_disputed)', () => {
    expect(given(allButInventory, [disputed]).when(signOff('operator'))).toEqual(refusal('handover.items_disputed', 'conflict'));
  });

  it('is resolved by completing the item: the handover is then signed off', () => {
    const completed = decided([...allButInventory, disputed], [complete('inventory-return', 'inventory_return')]);
    const { state } = given(allButInventory, [disputed], completed);
    expect(state).toEqual(expect.objectContaining({ handover: expect.objectContaining({ disputes: {} }) }));
    expect(bothSignOff(allButInventory, [disputed], completed)).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'ContractClosed' })]),
    );
  });

  it('is resolved by waiving the item: the handover is then signed off', () => {
    const waived = decided(
      [...allButInventory, disputed],
      [proposeWaiver('inventory-return', 'operator'), agreeWaiver('inventory-return', 'brand')],
    );
    const { state } = given(allButInventory, [disputed], waived);
    expect(state).toEqual(expect.objectContaining({ handover: expect.objectContaining({ disputes: {} }) }));
    expect(bothSignOff(allButInventory, [disputed], waived)).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'ContractClosed' })]),
    );
  });
});

describe('what completing an item changes besides the checklist', () => {
  const inHandover = aContractInHandover();
  const viewAfter = (...commands: ContractCommand[]) => {
    const { state } = given(inHandover, decided(inHandover, commands));
    if (state.status === 'none') throw new Error('no contract');
    return contractView(state);
  };

  it('marks the authorization revoked when its revocation item is completed, with the revocation document', () => {
    expect(viewAfter().authorizations).toEqual([expect.objectContaining({ authorizationId: 'auth-1', status: 'granted' })]);
    expect(viewAfter(complete('revocation-auth-1', 'authorization_revocation')).authorizations).toEqual([
      expect.objectContaining({
        authorizationId: 'auth-1',
        status: 'revoked',
        revoked: { documentRef: 'REVOKE-2028-07', revokedOn: '2028-04-03' },
      }),
    ]);
  });

  it('marks the account handed back when its credential item is completed, with who received it and when', () => {
    expect(viewAfter().accounts).toEqual([expect.objectContaining({ accountId: 'acc-1', status: 'registered' })]);
    expect(viewAfter(complete('credentials-acc-1', 'credential_handover')).accounts).toEqual([
      expect.objectContaining({
        accountId: 'acc-1',
        status: 'handed_back',
        handedBack: { receivedBy: 'brand-feiyue:zhang.wei', receivedAt: '2028-04-02T11:00:00+08:00' },
      }),
    ]);
  });
});
