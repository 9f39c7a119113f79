import { addDays } from '../../src/shared/calendar';
import type { ContractCommand } from '../../src/contracts/domain/commands';
import { decide } from '../../src/contracts/domain/decide';
import { ContractRefused } from '../../src/contracts/domain/errors';
import type { AccountKind, ContractEvent } from '../../src/contracts/domain/events';
import type { HandoverEvidence, HandoverItemKind } from '../../src/contracts/domain/handover';
import {
  commissionChangeWithin,
  computeStatement,
  serviceDaysOf,
  serviceMonths,
  statementBalance,
  type StatementBlocker,
} from '../../src/contracts/domain/ledger';
import { evolve, fold, openItems, type ContractState, type ExistingContract } from '../../src/contracts/domain/state';
import { otherParty, type AmendmentChange, type Party, type Shop, type Terms } from '../../src/contracts/domain/terms';

/**
 * Named histories for decider specs: each fixture is the list of events that
 * brings a contract where the spec needs it. Ids are fixed so specs can name them.
 */
export const CONTRACT_ID = 'c0ffee00-0000-4000-8000-000000000001';

/** The command of a type. */
export type CommandOf<Type extends ContractCommand['type']> = Extract<ContractCommand, { type: Type }>;

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
    curePeriodDays: 30,
    handoverPeriodDays: 30,
    terminationConditions: [{ conditionId: '12.3', description: 'The platform closes the flagship store for good' }],
    ...overrides,
  };
}

/** The story's parties: a sports-shoe brand and its e-commerce operator. */
export const THE_PARTIES = {
  brand: { partyId: 'brand-feiyue', name: 'Feiyue Sports' },
  operator: { partyId: 'op-yunshang', name: 'Yunshang E-commerce' },
} as const;

/** The draft of the story's contract; `draftedBy`, the party that may withdraw it, when a party (not an admin) drafts it. */
export const draftCommand = (terms: Terms = draftTerms(), draftedBy?: Party): ContractCommand => ({
  type: 'DraftContract',
  contractId: CONTRACT_ID,
  ...THE_PARTIES,
  terms,
  ...(draftedBy ? { draftedBy } : {}),
});

export function aDraftedContract(terms: Terms = draftTerms(), draftedBy?: Party): ContractEvent[] {
  const command = draftCommand(terms, draftedBy);
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

/** An account the operator declared (or, with `declaredBy`, the party that declared it). */
export const accountRegistered = (
  accountId: string,
  accountKind: AccountKind = 'shop_master_account',
  declaredBy?: Party,
): ContractEvent => ({
  type: 'AccountRegistered',
  data: { accountId, platform: 'tmall', accountName: `feiyue-${accountId}`, accountKind, ...(declaredBy ? { declaredBy } : {}) },
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
    incidentIds: [],
    description: 'Orders not shipped for five days',
    evidenceRef: 'EV-1',
    noticedOn: '2028-03-01',
    cureDeadline: '2028-03-31',
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

/**
 * given(history).when(command) -> the events decided, or the refusal. Given
 * several commands, they are decided one after the other: the events of them
 * all, or the first refusal.
 */
export function given(...histories: ContractEvent[][]) {
  const state = fold(histories.flat());
  return {
    state,
    when(...commands: ContractCommand[]): ContractEvent[] | ContractRefused {
      try {
        return decided(histories.flat(), commands);
      } catch (error) {
        if (error instanceof ContractRefused) return error;
        throw error;
      }
    },
  };
}

/** The refusal's code and category, and the details it carries if given, for `toEqual`. */
export function refusal(code: string, category: ContractRefused['category'], extensions?: Record<string, unknown>) {
  return expect.objectContaining({ code, category, ...(extensions ? { extensions } : {}) });
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

/** The shop of the draft terms, which ledger specs report unless they name another. */
export const FLAGSHIP: Shop = { platform: 'tmall', name: 'Feiyue Tmall flagship store' };

/** A shop's figures for a period, in fen. */
export interface SalesFigures {
  readonly grossSalesFen: number;
  readonly refundsFen: number;
  readonly shippingCostFen: number;
}

/** A month of the flagship store: 500,000 yuan sold, 20,000 refunded, 15,000 of shipping (base net of shipping 465,000). */
export const A_MONTH_OF_SALES: SalesFigures = { grossSalesFen: 50_000_000, refundsFen: 2_000_000, shippingCostFen: 1_500_000 };

/** The operator reports a shop's sales for a period: the flagship store's, {@link A_MONTH_OF_SALES}, unless told otherwise. */
export function reportSales(
  reportId: string,
  periodStart: string,
  periodEnd: string,
  more: Partial<SalesFigures> & { readonly shop?: Shop; readonly supersedes?: string } = {},
): CommandOf<'ReportSales'> {
  return {
    type: 'ReportSales',
    reportId,
    shop: FLAGSHIP,
    periodStart,
    periodEnd,
    ...A_MONTH_OF_SALES,
    documentRef: `SR-${reportId}`,
    ...more,
  };
}

export const confirmSales = (reportId: string, confirmedOn: string): CommandOf<'ConfirmSalesReport'> => ({
  type: 'ConfirmSalesReport',
  reportId,
  confirmedOn,
});

export const disputeSales = (
  reportId: string,
  disputedOn: string,
  reason = 'Refunds of the 618 promotion are missing',
): CommandOf<'DisputeSalesReport'> => ({
  type: 'DisputeSalesReport',
  reportId,
  reason,
  disputedOn,
});

export const issueStatement = (statementId: string, month: string, issuedOn: string): CommandOf<'IssueStatement'> => ({
  type: 'IssueStatement',
  statementId,
  month,
  issuedOn,
});

export const recordPayment = (paymentId: string, statementId: string, amountFen: number, paidOn: string): CommandOf<'RecordPayment'> => ({
  type: 'RecordPayment',
  paymentId,
  statementId,
  amountFen,
  paidOn,
  paymentRef: `BANK-${paymentId}`,
});

/** The events the commands record one after the other on the history; a fixture is valid, so a refusal throws. */
export function decided(history: readonly ContractEvent[], commands: readonly ContractCommand[]): ContractEvent[] {
  let state = fold(history);
  const events: ContractEvent[] = [];
  for (const command of commands) {
    const recorded = decide(command, state);
    events.push(...recorded);
    state = recorded.reduce(evolve, state);
  }
  return events;
}

/** How {@link settlingCommands} settles: the figures every report carries, and the last month to state (all, without it). */
export interface Settling {
  readonly figures?: SalesFigures;
  readonly through?: string;
}

/**
 * The ledger commands that settle every service month not yet stated, as the
 * parties would: each day of each shop reported (split where the commission
 * changes), every report confirmed, reports disputed, straddling a change or
 * running past the service corrected, then the month stated the day after its
 * last service day. Computed on the state as each command leaves it; stops at
 * the first command refused (and includes it, so that whoever runs the
 * commands meets the refusal).
 */
export function settlingCommands(state: ContractState, { figures = A_MONTH_OF_SALES, through }: Settling = {}): ContractCommand[] {
  if (state.status !== 'active' && state.status !== 'terminated') return [];
  const commands: ContractCommand[] = [];
  let current: ExistingContract = state;
  let refused = false;
  const run = (command: ContractCommand) => {
    if (refused) return;
    commands.push(command);
    try {
      current = decide(command, current).reduce(evolve, current) as ExistingContract;
    } catch (error) {
      if (!(error instanceof ContractRefused)) throw error;
      refused = true;
    }
  };
  let serial = 0;
  const freshId = () => {
    let reportId: string;
    do reportId = `settling-${(serial += 1)}`;
    while (current.ledger.reports.some((report) => report.reportId === reportId));
    return reportId;
  };
  const reported = (from: string, to: string, shop: Shop, supersedes?: string) => {
    const reportId = freshId();
    run(reportSales(reportId, from, to, { ...figures, shop, ...(supersedes ? { supersedes } : {}) }));
    run(confirmSales(reportId, to));
  };
  const resolve = (blocker: StatementBlocker) => {
    switch (blocker.reason) {
      case 'not_reported':
        // One report per stretch of one commission: a report across a change is refused.
        for (let from = blocker.from; from <= blocker.to;) {
          const splitAt = commissionChangeWithin(current, from, blocker.to);
          const to = splitAt ? addDays(splitAt, -1) : blocker.to;
          reported(from, to, blocker.shop);
          from = addDays(to, 1);
        }
        return;
      case 'awaiting_confirmation':
        return run(confirmSales(blocker.reportId!, blocker.to));
      case 'disputed':
        return reported(blocker.from, blocker.to, blocker.shop, blocker.reportId);
      case 'beyond_service':
        return reported(blocker.from, addDays(blocker.splitAt!, -1), blocker.shop, blocker.reportId);
      case 'straddles_commission_change':
        reported(blocker.from, addDays(blocker.splitAt!, -1), blocker.shop, blocker.reportId);
        return reported(blocker.splitAt!, blocker.to, blocker.shop, blocker.reportId);
    }
  };
  for (const month of serviceMonths(state).filter((candidate) => through === undefined || candidate <= through)) {
    if (current.ledger.statements.some((statement) => statement.month === month)) continue;
    // Each round resolves what blocks the month; a correction may straddle a further change, met in the next round.
    for (let round = 0; round < 32 && !refused; round += 1) {
      const computed = computeStatement(current, month);
      if (!('blockers' in computed)) break;
      computed.blockers.forEach(resolve);
    }
    run(issueStatement(`statement-${month}`, month, addDays(serviceDaysOf(state, month)!.to, 1)));
  }
  return commands;
}

/** The events that settle every service month of the history not yet stated (see {@link settlingCommands}). */
export function aSettledLedger(history: readonly ContractEvent[], settling?: Settling): ContractEvent[] {
  return decided(history, settlingCommands(fold(history), settling));
}

/** What a final settlement settles: the service fees and the commission a ledger has open. */
export interface SettlementFigures {
  readonly serviceFeesFen: number;
  readonly commissionFen: number;
}

/** Evidence of a final settlement carrying a ledger's figures, agreed by the story's people. */
export const finalSettlement = (figures: SettlementFigures, settledOn = '2028-01-31'): HandoverEvidence => ({
  kind: 'final_settlement',
  settledOn,
  ...figures,
  settlementRef: `SETTLE-${settledOn.slice(0, 7)}`,
  agreedByBrand: 'Zhang Wei',
  agreedByOperator: 'Li Na',
});

/** The service fees and commission the state's ledger has open. */
export function openSettlement(state: ContractState): SettlementFigures {
  if (state.status === 'none') throw new Error('no contract, no ledger');
  const balances = state.ledger.statements.map((statement) => statementBalance(state.ledger, statement));
  return {
    serviceFeesFen: balances.reduce((open, balance) => open + balance.openServiceFeesFen, 0),
    commissionFen: balances.reduce((open, balance) => open + balance.openCommissionFen, 0),
  };
}

/** Final-settlement evidence that agrees with the state's ledger. */
export const finalSettlementEvidence = (state: ContractState, settledOn = '2028-04-30') =>
  finalSettlement(openSettlement(state), settledOn);

/**
 * A supplementary agreement in force, as its ContractAmended alone records it
 * (older histories read so): for a history that only needs the agreement, not
 * how it was agreed.
 */
export const amended = (changes: AmendmentChange[], effectiveOn = '2028-01-01', documentRef = 'SA-0'): ContractEvent => ({
  type: 'ContractAmended',
  data: { amendmentId: amendmentIdOf(documentRef), documentRef, effectiveOn, changes },
});

/** The fixtures' amendment id of a supplementary agreement: derived from its document, so specs can name it. */
export const amendmentIdOf = (documentRef: string) => `am-${documentRef}`;

/** Who proposes a supplementary agreement, when it takes effect, and its document (`SA-1`, proposed by the operator, 2028-01-01). */
export interface Proposing {
  readonly effectiveOn?: string;
  readonly documentRef?: string;
  readonly proposedBy?: Party;
}

/** One party proposes a supplementary agreement (by default the operator, SA-1, effective 2028-01-01). */
export const proposeAmendment = (
  changes: AmendmentChange[],
  { effectiveOn = '2028-01-01', documentRef = 'SA-1', proposedBy = 'operator' }: Proposing = {},
): CommandOf<'ProposeAmendment'> => ({
  type: 'ProposeAmendment',
  amendmentId: amendmentIdOf(documentRef),
  proposedBy,
  documentRef,
  effectiveOn,
  changes,
});

/** The party's signatory countersigns the proposed agreement on a date. */
export const countersignAmendment = (
  documentRef: string,
  party: Party,
  countersignedOn = '2027-12-20',
): CommandOf<'CountersignAmendment'> => ({
  type: 'CountersignAmendment',
  amendmentId: amendmentIdOf(documentRef),
  party,
  signatory: party === 'brand' ? 'Zhang Wei' : 'Li Na',
  countersignedOn,
});

/** The commands that put a supplementary agreement in force: proposed by one party, countersigned by the other. */
export function agreement(changes: AmendmentChange[], proposing: Proposing = {}): ContractCommand[] {
  const { documentRef = 'SA-1', proposedBy = 'operator' } = proposing;
  return [proposeAmendment(changes, proposing), countersignAmendment(documentRef, otherParty(proposedBy))];
}

/** The events that put a supplementary agreement in force on the history (see {@link agreement}). */
export const agreed = (history: readonly ContractEvent[], changes: AmendmentChange[], proposing?: Proposing) =>
  decided(history, agreement(changes, proposing));

/** What `when` answers when an agreement takes effect, for `toEqual`: among its events, the agreement in force. */
export const anAgreementInForce = () => expect.arrayContaining([expect.objectContaining({ type: 'ContractAmended' })]);

/** An active contract ended by mutual agreement, effective on a date (that day still served). */
export function aContractTerminatedOn(effectiveOn: string, history: ContractEvent[] = anActiveContract()): ContractEvent[] {
  const grounds = { type: 'mutual_agreement', documentRef: 'TA-1', brandSignatory: 'Zhang Wei', operatorSignatory: 'Li Na' } as const;
  return [...history, ...decided(history, [{ type: 'TerminateContract', initiatedBy: 'brand', grounds, effectiveOn }])];
}

const handedOver = {
  rotatedBy: 'op-yunshang:li.na',
  rotatedAt: '2028-04-02T10:00:00+08:00',
  receivedBy: 'brand-feiyue:zhang.wei',
  receivedAt: '2028-04-02T11:00:00+08:00',
};

/**
 * Evidence of each kind of handover item that decide accepts (never a
 * password); the final settlement carries `settlement`. Done in April 2028,
 * after the story's termination, or on `doneOn` (a sign-off comes after the
 * items it closes).
 */
export function handoverEvidence(kind: HandoverItemKind, settlement: SettlementFigures, doneOn?: string): HandoverEvidence {
  const on = (usual: string) => doneOn ?? usual;
  switch (kind) {
    case 'credential_handover':
    case 'alipay_handover':
      return {
        kind,
        ...handedOver,
        ...(doneOn ? { rotatedAt: `${doneOn}T10:00:00+08:00`, receivedAt: `${doneOn}T11:00:00+08:00` } : {}),
      };
    case 'alipay_reconciliation':
      return {
        kind,
        statementDate: on('2028-03-31'),
        closingBalanceFen: 12_345_600,
        pendingRefundsFen: 45_000,
        withdrawalsConfirmed: true,
        agreedByBrand: 'Zhang Wei',
        agreedByOperator: 'Li Na',
      };
    case 'authorization_revocation':
      return { kind, revocationDocumentRef: 'REVOKE-2028-07', revokedOn: on('2028-04-03') };
    case 'inventory_return':
      return { kind, returnedOn: on('2028-04-10'), receivedBy: 'Feiyue warehouse, Jinjiang', inventoryListRef: 'INV-2028-04' };
    case 'logistics_repointing':
      return { kind, repointedOn: on('2028-04-05'), accountsRepointed: ['cainiao-feiyue'], confirmedBy: 'Zhang Wei' };
    case 'final_settlement':
      return finalSettlement(settlement, on('2028-04-30'));
  }
}

/** Evidence of a kind that decide accepts; a final settlement's agrees with the ledger of the state. */
export const evidenceFor = (kind: HandoverItemKind, state: ContractState) => handoverEvidence(kind, openSettlement(state));

/**
 * The events that settle the ledger of a contract in handover and complete
 * every item of the final handover but those `leaving` open: then only the
 * sign-offs remain.
 */
export function aCompletedHandover(history: ContractEvent[], leaving: readonly string[] = []): ContractEvent[] {
  const settled = [...history, ...aSettledLedger(history)];
  const state = fold(settled);
  if (state.status !== 'terminated') throw new Error(`expected a contract in handover, not ${state.status}`);
  const toComplete = openItems(state.handover).filter((item) => !leaving.includes(item.itemId));
  const completions = toComplete.map((item): ContractCommand => ({
    type: 'CompleteHandoverItem',
    itemId: item.itemId,
    evidence: evidenceFor(item.kind, state),
    completedBy: 'coordinator:k1',
    completedAt: '2028-04-20T10:00:00.000Z',
  }));
  return [...settled.slice(history.length), ...decided(settled, completions)];
}

/**
 * One well-formed command of each type but the draft, naming the fixtures'
 * ids: for rules that hold for every command on a contract (a withdrawn draft
 * refuses them all; a coordinator may only complete items). A record, so that
 * a new command type fails to compile until it is listed here.
 */
export const ONE_COMMAND_OF_EACH_TYPE: { readonly [Type in Exclude<ContractCommand['type'], 'DraftContract'>]: CommandOf<Type> } = {
  WithdrawDraft: { type: 'WithdrawDraft', party: 'brand', reason: 'The brand chose another operator', withdrawnOn: '2026-11-20' },
  SignContract: { type: 'SignContract', party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' },
  ProposeAmendment: proposeAmendment([{ type: 'remove_scope', scope: 'logistics' }]),
  CountersignAmendment: countersignAmendment('SA-1', 'brand'),
  RejectAmendment: {
    type: 'RejectAmendment',
    amendmentId: amendmentIdOf('SA-1'),
    party: 'brand',
    reason: 'Too early',
    rejectedOn: '2027-12-20',
  },
  WithdrawAmendment: { type: 'WithdrawAmendment', amendmentId: amendmentIdOf('SA-1'), withdrawnOn: '2027-12-20' },
  RegisterAccount: {
    type: 'RegisterAccount',
    accountId: 'acc-9',
    platform: 'tmall',
    accountName: 'feiyue-acc-9',
    accountKind: 'sub_account',
  },
  DeregisterAccount: { type: 'DeregisterAccount', accountId: 'acc-1', party: 'operator', reason: 'The sub-account was closed' },
  GrantAuthorization: {
    type: 'GrantAuthorization',
    authorizationId: 'auth-9',
    authorizationType: 'shop_operation',
    platform: 'tmall',
    documentRef: 'AUTH-9',
  },
  RevokeAuthorization: { type: 'RevokeAuthorization', authorizationId: 'auth-1', documentRef: 'REV-1', revokedOn: '2028-01-05' },
  ReportDutyIncident: {
    type: 'ReportDutyIncident',
    incidentId: 'inc-9',
    duty: 'customer_service_response',
    reportedBy: 'brand',
    occurredOn: '2028-03-10',
    description: 'No answer to customers for two days',
    evidenceRef: 'EV-9',
  },
  AcknowledgeDutyIncident: { type: 'AcknowledgeDutyIncident', incidentId: 'inc-1', acknowledgedOn: '2028-03-12' },
  ContestDutyIncident: { type: 'ContestDutyIncident', incidentId: 'inc-1', reason: 'The parcels left on time', contestedOn: '2028-03-12' },
  NoticeBreach: {
    type: 'NoticeBreach',
    breachId: 'breach-9',
    breachingParty: 'operator',
    clause: '3.1 customer service hours',
    incidentIds: [],
    description: 'No answer for two days',
    evidenceRef: 'EV-9',
    noticedOn: '2028-03-10',
  },
  AcknowledgeBreach: { type: 'AcknowledgeBreach', breachId: 'breach-1', acknowledgedOn: '2028-03-02' },
  ContestBreach: { type: 'ContestBreach', breachId: 'breach-1', reason: 'The delay was the courier’s strike', contestedOn: '2028-03-02' },
  ClaimBreachCure: { type: 'ClaimBreachCure', breachId: 'breach-1', curedOn: '2028-03-15', evidenceRef: 'CURE-1' },
  AcceptBreachCure: { type: 'AcceptBreachCure', breachId: 'breach-1', acceptedOn: '2028-03-16' },
  RejectBreachCure: { type: 'RejectBreachCure', breachId: 'breach-1', reason: 'Orders still wait', rejectedOn: '2028-03-16' },
  TerminateContract: {
    type: 'TerminateContract',
    initiatedBy: 'brand',
    grounds: { type: 'stipulated_condition', conditionId: '12.3' },
    effectiveOn: '2028-04-01',
  },
  RecordExpiry: { type: 'RecordExpiry', today: '2029-12-31' },
  CompleteHandoverItem: {
    type: 'CompleteHandoverItem',
    itemId: 'credentials-acc-1',
    evidence: handoverEvidence('credential_handover', { serviceFeesFen: 0, commissionFen: 0 }),
    completedBy: 'op-yunshang:li.na',
    completedAt: '2028-04-02T12:00:00.000Z',
  },
  ProposeItemWaiver: { type: 'ProposeItemWaiver', itemId: 'inventory-return', party: 'operator', reason: 'The warehouse was empty' },
  AgreeItemWaiver: { type: 'AgreeItemWaiver', itemId: 'inventory-return', party: 'brand', signatory: 'Zhang Wei' },
  DisputeHandoverItem: { type: 'DisputeHandoverItem', itemId: 'inventory-return', party: 'brand', reason: 'Two pallets are missing' },
  SignOffHandover: { type: 'SignOffHandover', party: 'brand', signatory: 'Zhang Wei', signedOffOn: '2028-05-01' },
  ReportSales: reportSales('r-1', '2027-03-01', '2027-03-31'),
  ConfirmSalesReport: confirmSales('r-1', '2027-04-01'),
  DisputeSalesReport: disputeSales('r-1', '2027-04-01'),
  ReportPromotionSpend: { type: 'ReportPromotionSpend', month: '2027-03', spentFen: 1, documentRef: 'PS-1' },
  IssueStatement: issueStatement('st-1', '2027-03', '2027-04-02'),
  RecordPayment: recordPayment('p-1', 'st-1', 1, '2027-04-10'),
};
