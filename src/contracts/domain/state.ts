import { assertNever } from '../../shared/errors';
import type { AccountKind, AuthorizationType, ConsultingFee, ContractEvent, TerminationGrounds } from './events';
import type { HandoverEvidence, HandoverItem } from './handover';
import { emptyLedger, evolveLedger, type Ledger } from './ledger';
import type { Amendment, Party, PartyRef, Terms } from './terms';

/** An account the operator runs for the brand (shop master account, Alipay ...). */
export interface Account {
  readonly accountId: string;
  readonly platform: string;
  readonly accountName: string;
  readonly accountKind: AccountKind;
  readonly registered: boolean;
}

/** An authorization document the brand issued to the operator. */
export interface Authorization {
  readonly authorizationId: string;
  readonly authorizationType: AuthorizationType;
  readonly platform: string;
  readonly documentRef: string;
  readonly revoked?: { readonly documentRef: string; readonly revokedOn: string };
}

export interface Breach {
  readonly breachId: string;
  readonly breachingParty: Party;
  readonly clause: string;
  readonly description: string;
  readonly occurredOn: string;
  readonly evidenceRef: string;
  readonly curedOn?: string;
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
  readonly breaches: readonly Breach[];
  /** The monthly settlement: sales reports, statements, payments, promotion spend. */
  readonly ledger: Ledger;
}

export interface Handover {
  readonly items: readonly HandoverItem[];
  readonly completions: Readonly<Record<string, Completion>>;
  readonly signOffs: Partial<Record<Party, { readonly signatory: string; readonly signedOffOn: string }>>;
}

export interface Termination {
  readonly initiatedBy: Party;
  readonly grounds: TerminationGrounds;
  readonly effectiveOn: string;
}

/**
 * A contract's lifecycle: drafted -> active (both signed) -> terminated
 * (handover under way) -> closed (handover signed off by both).
 */
export type ContractState = { readonly status: 'none' } | DraftedContract | ActiveContract | TerminatedContract | ClosedContract;
export type DraftedContract = ContractRecord & { readonly status: 'drafted' };
export type ActiveContract = ContractRecord & { readonly status: 'active'; readonly activatedOn: string };
export type TerminatedContract = ContractRecord & {
  readonly status: 'terminated';
  readonly activatedOn: string;
  readonly termination: Termination;
  readonly handover: Handover;
};
export type ClosedContract = Omit<TerminatedContract, 'status'> & { readonly status: 'closed'; readonly closedOn: string };
export type ContractStatus = ContractState['status'];
/** A contract that exists, whatever its status. */
export type ExistingContract = Exclude<ContractState, { status: 'none' }>;

/** Every status of a contract that exists (a record, so that a status added above and not here fails to compile). */
const STATUSES: Record<ExistingContract['status'], true> = { drafted: true, active: true, terminated: true, closed: true };
/** In lifecycle order: what reads filter on. */
export const CONTRACT_STATUSES = Object.keys(STATUSES) as ReadonlyArray<ExistingContract['status']>;

export const initialState: ContractState = { status: 'none' };

/** Folds one event into the state. Total: it never throws; an event that cannot apply leaves the state as it is. */
export function evolve(state: ContractState, event: ContractEvent): ContractState {
  if (event.type === 'ContractDrafted') {
    if (state.status !== 'none') return state;
    const { contractId, brand, operator, terms, consultingFee } = event.data;
    return {
      status: 'drafted',
      contractId,
      brand,
      operator,
      originalTerms: terms,
      ...(consultingFee ? { consultingFee } : {}),
      amendments: [],
      signatures: {},
      accounts: [],
      authorizations: [],
      breaches: [],
      ledger: emptyLedger,
    };
  }
  if (state.status === 'none') return state;

  switch (event.type) {
    case 'ContractSigned': {
      const { party, signatory, signedOn } = event.data;
      return { ...state, signatures: { ...state.signatures, [party]: { signatory, signedOn } } };
    }
    case 'ContractActivated':
      return state.status === 'drafted' ? { ...state, status: 'active', activatedOn: event.data.activatedOn } : state;
    case 'ContractAmended':
      return { ...state, amendments: [...state.amendments, event.data] };
    case 'AccountRegistered':
      return { ...state, accounts: [...state.accounts, { ...event.data, registered: true }] };
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
    case 'BreachRecorded':
      return { ...state, breaches: [...state.breaches, event.data] };
    case 'BreachCured':
      return {
        ...state,
        breaches: state.breaches.map((breach) =>
          breach.breachId === event.data.breachId ? { ...breach, curedOn: event.data.curedOn } : breach,
        ),
      };
    case 'ContractTerminated':
      return state.status === 'active'
        ? { ...state, status: 'terminated', termination: event.data, handover: { items: [], completions: {}, signOffs: {} } }
        : state;
    case 'HandoverStarted':
      return state.status === 'terminated' ? { ...state, handover: { ...state.handover, items: event.data.items } } : state;
    case 'HandoverItemCompleted': {
      if (state.status !== 'terminated') return state;
      const { itemId, ...completion } = event.data;
      return {
        ...state,
        handover: { ...state.handover, completions: { ...state.handover.completions, [itemId]: completion } },
      };
    }
    case 'HandoverSignedOff': {
      if (state.status !== 'terminated') return state;
      const { party, signatory, signedOffOn } = event.data;
      return {
        ...state,
        handover: { ...state.handover, signOffs: { ...state.handover.signOffs, [party]: { signatory, signedOffOn } } },
      };
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

export function fold(events: readonly ContractEvent[], from: ContractState = initialState): ContractState {
  return events.reduce(evolve, from);
}

/** The handover's items that still need evidence. */
export function openItems(handover: Handover): HandoverItem[] {
  return handover.items.filter((item) => handover.completions[item.itemId] === undefined);
}
