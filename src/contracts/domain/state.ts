import { addDays } from '../../shared/calendar';
import { assertNever } from '../../shared/errors';
import type { Duty } from './duties';
import type { AccountKind, AuthorizationType, ConsultingFee, ContractEvent, TerminationGrounds } from './events';
import type { HandoverEvidence, HandoverItem } from './handover';
import { emptyLedger, evolveLedger, type Ledger } from './ledger';
import { termsInForce, type Amendment, type Party, type PartyRef, type Scope, type Terms } from './terms';

/** An account the operator runs for the brand (shop master account, Alipay ...). */
export interface Account {
  readonly accountId: string;
  readonly platform: string;
  readonly accountName: string;
  readonly accountKind: AccountKind;
  readonly registered: boolean;
  /** Who declared it: the operator that runs it, or the brand that knows the operator holds it (absent: the operator). */
  readonly declaredBy?: Party;
  /** The operator asked to take it off the contract; until the brand acknowledges, it must still come back. */
  readonly deregistrationRequested?: { readonly reason: string };
  /** Handed back to the brand by a completed credential item, with the credentials rotated. */
  readonly handedBack?: { readonly receivedBy: string; readonly receivedAt: string };
}

/** An authorization document the brand issued to the operator. */
export interface Authorization {
  readonly authorizationId: string;
  readonly authorizationType: AuthorizationType;
  readonly platform: string;
  readonly documentRef: string;
  readonly revoked?: { readonly documentRef: string; readonly revokedOn: string };
}

/** An incident of a duty, reported by the party owed it, and the answer of the party that owes it. */
export interface Incident {
  readonly incidentId: string;
  readonly duty: Duty;
  readonly reportedBy: Party;
  readonly occurredOn: string;
  readonly description: string;
  readonly evidenceRef: string;
  readonly acknowledgedOn?: string;
  readonly contested?: { readonly reason: string; readonly contestedOn: string };
}

/** A cure the breaching party claimed, with its evidence, and the notifying party's rejection if it rejected it. */
export interface CureClaim {
  readonly curedOn: string;
  readonly evidenceRef: string;
  readonly rejected?: { readonly reason: string; readonly rejectedOn: string };
}

/** A breach notice, its answer, and its cure: claimed by the breaching party, accepted or rejected by the other. */
export interface Breach {
  readonly breachId: string;
  readonly breachingParty: Party;
  readonly clause?: string;
  readonly incidentIds: readonly string[];
  readonly description: string;
  readonly evidenceRef: string;
  readonly noticedOn: string;
  /** The last day of the cure period: a termination for the breach takes effect on or after it. */
  readonly cureDeadline: string;
  readonly acknowledgedOn?: string;
  readonly contested?: { readonly reason: string; readonly contestedOn: string };
  /** The cures the breaching party claimed, in order, each rejected or (the last) not answered yet. */
  readonly cureClaims: readonly CureClaim[];
  /** The cure the notifying party accepted. */
  readonly cured?: { readonly curedOn: string; readonly acceptedOn: string };
}

export interface Signature {
  readonly signatory: string;
  readonly signedOn: string;
}

export interface Completion {
  readonly evidence: HandoverEvidence;
  readonly completedBy: string;
  readonly completedAt: string;
}

/** An item both parties agreed does not apply: who proposed it and why, who agreed and signed. */
export interface Waiver {
  readonly proposedBy: Party;
  readonly reason: string;
  readonly agreedBy: Party;
  readonly signatory: string;
}

/** A supplementary agreement as proposed, and what became of it: in force once the other party countersigned. */
export interface Proposal {
  readonly amendment: Amendment;
  readonly proposedBy: Party;
  readonly status: 'proposed' | 'countersigned' | 'rejected' | 'withdrawn';
  readonly countersigned?: { readonly party: Party; readonly signatory: string; readonly countersignedOn: string };
  readonly rejected?: { readonly party: Party; readonly reason: string; readonly rejectedOn: string };
  readonly withdrawnOn?: string;
}

/** What every contract that exists carries, whatever its status. */
export interface ContractRecord {
  readonly contractId: string;
  readonly brand: PartyRef;
  readonly operator: PartyRef;
  /** The terms as drafted; see `termsInForce` for the terms after amendments. */
  readonly originalTerms: Terms;
  readonly consultingFee?: ConsultingFee;
  readonly amendments: readonly Amendment[];
  readonly signatures: Partial<Record<Party, Signature>>;
  readonly accounts: readonly Account[];
  readonly authorizations: readonly Authorization[];
  readonly incidents: readonly Incident[];
  readonly breaches: readonly Breach[];
  /** The monthly settlement: sales reports, statements, payments, promotion spend. */
  readonly ledger: Ledger;
  /** Supplementary agreements proposed, whatever became of them (those in force are also in `amendments`). */
  readonly proposals: readonly Proposal[];
  /** The handovers of scopes taken back by agreements in force, while the contract runs. */
  readonly partialHandovers: readonly PartialHandover[];
}

/** A checklist and how far it is: items completed with evidence or waived, disputes, sign-offs. */
export interface Handover {
  /** The day it is due: the handover period in force when it started, after that day. */
  readonly dueOn: string;
  readonly items: readonly HandoverItem[];
  readonly completions: Readonly<Record<string, Completion>>;
  /** Waivers one party proposed and the other has not agreed yet. */
  readonly waiverProposals: Readonly<Record<string, { readonly proposedBy: Party; readonly reason: string }>>;
  readonly waivers: Readonly<Record<string, Waiver>>;
  /** Open disputes: completing or waiving the item resolves its dispute. */
  readonly disputes: Readonly<Record<string, { readonly disputedBy: Party; readonly reason: string }>>;
  readonly signOffs: Partial<Record<Party, { readonly signatory: string; readonly signedOffOn: string }>>;
}

/**
 * A handover with nothing done yet, due the handover period of the terms in
 * force on the day it starts after that day: computed once, as it starts, so
 * that reading a handover never walks the amendments again.
 */
const handoverStarting = (state: ContractRecord, effectiveOn: string, items: readonly HandoverItem[] = []): Handover => ({
  dueOn: addDays(effectiveOn, termsInForce(state.originalTerms, state.amendments, effectiveOn).handoverPeriodDays),
  items,
  completions: {},
  waiverProposals: {},
  waivers: {},
  disputes: {},
  signOffs: {},
});

/** The handover of the scopes an agreement took back, from its effective date. */
export type PartialHandover = Handover & { readonly handoverId: string; readonly scopes: readonly Scope[]; readonly effectiveOn: string };

export interface Termination {
  /** The party that terminated; none when the term ran out (ContractExpired). */
  readonly initiatedBy?: Party;
  readonly grounds: TerminationGrounds;
  readonly effectiveOn: string;
}

/**
 * A contract's lifecycle: drafted -> active (both signed) -> terminated
 * (handover under way) -> closed (handover signed off by both).
 */
export type ContractState =
  { readonly status: 'none' } | DraftedContract | WithdrawnContract | ActiveContract | TerminatedContract | ClosedContract;
export type DraftedContract = ContractRecord & { readonly status: 'drafted'; readonly draftedBy?: Party };
export type ActiveContract = ContractRecord & { readonly status: 'active'; readonly activatedOn: string };
export type TerminatedContract = ContractRecord & {
  readonly status: 'terminated';
  readonly activatedOn: string;
  readonly termination: Termination;
  readonly handover: Handover;
};
export type ClosedContract = Omit<TerminatedContract, 'status'> & { readonly status: 'closed'; readonly closedOn: string };
/** Withdrawn by its drafter before both parties signed: it never took effect. */
export type WithdrawnContract = ContractRecord & {
  readonly status: 'withdrawn';
  readonly withdrawn: { readonly party: Party; readonly reason: string; readonly withdrawnOn: string };
};
export type ContractStatus = ContractState['status'];
/** A contract that exists, whatever its status. */
export type ExistingContract = Exclude<ContractState, { status: 'none' }>;

/** Every status of a contract that exists (a record, so that a status added above and not here fails to compile). */
const STATUSES: Record<ExistingContract['status'], true> = { drafted: true, withdrawn: true, active: true, terminated: true, closed: true };
/** In lifecycle order: what reads filter on. */
export const CONTRACT_STATUSES = Object.keys(STATUSES) as ReadonlyArray<ExistingContract['status']>;

export const initialState: ContractState = { status: 'none' };

/** Folds one event into the state. Total: it never throws; an event that cannot apply leaves the state as it is. */
export function evolve(state: ContractState, event: ContractEvent): ContractState {
  if (event.type === 'ContractDrafted') {
    if (state.status !== 'none') return state;
    const { contractId, brand, operator, terms, consultingFee, draftedBy } = event.data;
    return {
      status: 'drafted',
      ...(draftedBy ? { draftedBy } : {}),
      contractId,
      brand,
      operator,
      originalTerms: terms,
      ...(consultingFee ? { consultingFee } : {}),
      amendments: [],
      signatures: {},
      accounts: [],
      authorizations: [],
      incidents: [],
      breaches: [],
      ledger: emptyLedger,
      proposals: [],
      partialHandovers: [],
    };
  }
  if (state.status === 'none') return state;

  switch (event.type) {
    case 'ContractSigned': {
      const { party, signatory, signedOn } = event.data;
      return { ...state, signatures: { ...state.signatures, [party]: { signatory, signedOn } } };
    }
    case 'DraftWithdrawn': {
      if (state.status !== 'drafted') return state;
      const { draftedBy: _drafter, ...record } = state;
      return { ...record, status: 'withdrawn', withdrawn: event.data };
    }
    case 'ContractActivated':
      return state.status === 'drafted' ? { ...state, status: 'active', activatedOn: event.data.activatedOn } : state;
    case 'ContractAmended':
      return { ...state, amendments: [...state.amendments, event.data] };
    case 'AmendmentProposed': {
      const { proposedBy, ...amendment } = event.data;
      return { ...state, proposals: [...state.proposals, { amendment, proposedBy, status: 'proposed' }] };
    }
    case 'AmendmentCountersigned': {
      const { amendmentId, ...countersigned } = event.data;
      return withProposal(state, amendmentId, (proposal) => ({ ...proposal, status: 'countersigned', countersigned }));
    }
    case 'AmendmentRejected': {
      const { amendmentId, ...rejected } = event.data;
      return withProposal(state, amendmentId, (proposal) => ({ ...proposal, status: 'rejected', rejected }));
    }
    case 'AmendmentWithdrawn':
      return withProposal(state, event.data.amendmentId, (proposal) => ({
        ...proposal,
        status: 'withdrawn',
        withdrawnOn: event.data.withdrawnOn,
      }));
    case 'PartialHandoverStarted': {
      const { handoverId, scopes, effectiveOn, items } = event.data;
      const partial = { ...handoverStarting(state, effectiveOn, items), handoverId, scopes, effectiveOn };
      return { ...state, partialHandovers: [...state.partialHandovers, partial] };
    }
    case 'AccountRegistered':
      return { ...state, accounts: [...state.accounts, { ...event.data, registered: true }] };
    case 'AccountDeregistrationRequested':
      return {
        ...state,
        accounts: state.accounts.map((account) =>
          account.accountId === event.data.accountId ? { ...account, deregistrationRequested: { reason: event.data.reason } } : account,
        ),
      };
    case 'AccountDeregistered':
      return {
        ...state,
        accounts: state.accounts.map((account) =>
          account.accountId === event.data.accountId ? { ...account, registered: false } : account,
        ),
      };
    case 'AuthorizationGranted':
      return { ...state, authorizations: [...state.authorizations, event.data] };
    case 'AuthorizationRevoked': {
      const { authorizationId, documentRef, revokedOn } = event.data;
      return {
        ...state,
        authorizations: state.authorizations.map((authorization) =>
          authorization.authorizationId === authorizationId ? { ...authorization, revoked: { documentRef, revokedOn } } : authorization,
        ),
      };
    }
    case 'DutyIncidentReported':
      return { ...state, incidents: [...state.incidents, event.data] };
    case 'DutyIncidentAcknowledged':
      return withIncident(state, event.data.incidentId, (incident) => ({ ...incident, acknowledgedOn: event.data.acknowledgedOn }));
    case 'DutyIncidentContested': {
      const { incidentId, ...contested } = event.data;
      return withIncident(state, incidentId, (incident) => ({ ...incident, contested }));
    }
    case 'BreachRecorded':
      return { ...state, breaches: [...state.breaches, { ...event.data, cureClaims: [] }] };
    case 'BreachAcknowledged':
      return withBreach(state, event.data.breachId, (breach) => ({ ...breach, acknowledgedOn: event.data.acknowledgedOn }));
    case 'BreachContested': {
      const { breachId, ...contested } = event.data;
      return withBreach(state, breachId, (breach) => ({ ...breach, contested }));
    }
    case 'BreachCureClaimed': {
      const { breachId, ...claim } = event.data;
      return withBreach(state, breachId, (breach) => ({ ...breach, cureClaims: [...breach.cureClaims, claim] }));
    }
    case 'BreachCureRejected': {
      const { breachId, curedOn, ...rejected } = event.data;
      // The claim it answers: the last one of that date not yet rejected.
      const answered = (claim: CureClaim) => claim.curedOn === curedOn && !claim.rejected;
      return withBreach(state, breachId, (breach) => ({
        ...breach,
        cureClaims: breach.cureClaims.map((claim) => (claim === breach.cureClaims.findLast(answered) ? { ...claim, rejected } : claim)),
      }));
    }
    case 'BreachCured': {
      const { breachId, ...cured } = event.data;
      return withBreach(state, breachId, (breach) => ({ ...breach, cured }));
    }
    case 'ContractTerminated':
      if (state.status !== 'active') return state;
      return { ...state, status: 'terminated', termination: event.data, handover: handoverStarting(state, event.data.effectiveOn) };
    case 'ContractExpired': {
      const termination = { grounds: { type: 'expiry' }, effectiveOn: event.data.expiredOn } as const;
      if (state.status !== 'active') return state;
      return { ...state, status: 'terminated', termination, handover: handoverStarting(state, termination.effectiveOn) };
    }
    case 'HandoverStarted':
      return state.status === 'terminated' ? { ...state, handover: { ...state.handover, items: event.data.items } } : state;
    case 'HandoverItemCompleted': {
      const { handoverId, itemId, ...completion } = event.data;
      const item = handoverOf(state, handoverId)?.items.find((candidate) => candidate.itemId === itemId);
      const handedOver = withHandover(state, handoverId, (handover) => ({
        ...handover,
        completions: { ...handover.completions, [itemId]: completion },
        waiverProposals: without(handover.waiverProposals, itemId),
        disputes: without(handover.disputes, itemId),
      }));
      return item ? itemDone(handedOver, item, completion.evidence) : handedOver;
    }
    case 'HandoverItemWaiverProposed': {
      const { handoverId, itemId, proposedBy, reason } = event.data;
      return withHandover(state, handoverId, (handover) => ({
        ...handover,
        waiverProposals: { ...handover.waiverProposals, [itemId]: { proposedBy, reason } },
      }));
    }
    case 'HandoverItemWaived': {
      const { handoverId, itemId, ...waiver } = event.data;
      return withHandover(state, handoverId, (handover) => ({
        ...handover,
        waivers: { ...handover.waivers, [itemId]: waiver },
        waiverProposals: without(handover.waiverProposals, itemId),
        disputes: without(handover.disputes, itemId),
      }));
    }
    case 'HandoverItemDisputed': {
      const { handoverId, itemId, disputedBy, reason } = event.data;
      return withHandover(state, handoverId, (handover) => ({
        ...handover,
        disputes: { ...handover.disputes, [itemId]: { disputedBy, reason } },
      }));
    }
    case 'HandoverSignedOff': {
      const { handoverId, party, signatory, signedOffOn } = event.data;
      return withHandover(state, handoverId, (handover) => ({
        ...handover,
        signOffs: { ...handover.signOffs, [party]: { signatory, signedOffOn } },
      }));
    }
    case 'ContractClosed':
      return state.status === 'terminated' ? { ...state, status: 'closed', closedOn: event.data.closedOn } : state;
    case 'SalesReported':
    case 'SalesReportConfirmed':
    case 'SalesReportDisputed':
    case 'PromotionSpendReported':
    case 'StatementIssued':
    case 'PaymentRecorded':
      return { ...state, ledger: evolveLedger(state.ledger, event) };
    default:
      return assertNever(event);
  }
}

/** The handover an item event names: a partial one by its id, else the final one (once the contract is terminated). */
export function handoverOf(state: ExistingContract, handoverId: string | undefined): Handover | undefined {
  if (handoverId !== undefined) return state.partialHandovers.find((partial) => partial.handoverId === handoverId);
  return 'handover' in state ? state.handover : undefined;
}

function withHandover(state: ExistingContract, handoverId: string | undefined, change: (handover: Handover) => Handover): ExistingContract {
  if (handoverId !== undefined) {
    return {
      ...state,
      partialHandovers: state.partialHandovers.map((partial) =>
        partial.handoverId === handoverId ? { ...partial, ...change(partial) } : partial,
      ),
    };
  }
  return state.status === 'terminated' ? { ...state, handover: change(state.handover) } : state;
}

function withIncident(state: ExistingContract, incidentId: string, change: (incident: Incident) => Incident): ExistingContract {
  return { ...state, incidents: state.incidents.map((incident) => (incident.incidentId === incidentId ? change(incident) : incident)) };
}

function withBreach(state: ExistingContract, breachId: string, change: (breach: Breach) => Breach): ExistingContract {
  return { ...state, breaches: state.breaches.map((breach) => (breach.breachId === breachId ? change(breach) : breach)) };
}

function withProposal(state: ExistingContract, amendmentId: string, change: (proposal: Proposal) => Proposal): ExistingContract {
  return {
    ...state,
    proposals: state.proposals.map((proposal) => (proposal.amendment.amendmentId === amendmentId ? change(proposal) : proposal)),
  };
}

/** What a completed item changes besides the checklist: the account it names is handed back, the authorization revoked. */
function itemDone(state: ExistingContract, item: HandoverItem, evidence: HandoverEvidence): ExistingContract {
  if (item.accountId !== undefined && (evidence.kind === 'credential_handover' || evidence.kind === 'alipay_handover')) {
    const handedBack = { receivedBy: evidence.receivedBy, receivedAt: evidence.receivedAt };
    return {
      ...state,
      accounts: state.accounts.map((account) => (account.accountId === item.accountId ? { ...account, handedBack } : account)),
    };
  }
  if (item.authorizationId !== undefined && evidence.kind === 'authorization_revocation') {
    const revoked = { documentRef: evidence.revocationDocumentRef, revokedOn: evidence.revokedOn };
    return {
      ...state,
      authorizations: state.authorizations.map((authorization) =>
        authorization.authorizationId === item.authorizationId ? { ...authorization, revoked } : authorization,
      ),
    };
  }
  return state;
}

function without<Value>(record: Readonly<Record<string, Value>>, key: string): Readonly<Record<string, Value>> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

export function fold(events: readonly ContractEvent[], from: ContractState = initialState): ContractState {
  return events.reduce(evolve, from);
}

/** The handover's items neither completed with evidence nor waived. */
export function openItems(handover: Handover): HandoverItem[] {
  return handover.items.filter((item) => handover.completions[item.itemId] === undefined && handover.waivers[item.itemId] === undefined);
}

/** The accounts that must still come back: registered, not handed back, and on no partial handover's checklist. */
export function accountsToComeBack(state: ContractRecord): Account[] {
  const onPartial = new Set(state.partialHandovers.flatMap((handover) => handover.items.flatMap((item) => item.accountId ?? [])));
  return state.accounts.filter((account) => account.registered && !account.handedBack && !onPartial.has(account.accountId));
}

/** Both parties signed the handover off. */
export const signedOffByBoth = ({ signOffs }: Pick<Handover, 'signOffs'>) =>
  signOffs.brand !== undefined && signOffs.operator !== undefined;
