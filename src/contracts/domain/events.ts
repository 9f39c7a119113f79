import type { HandoverEvidence, HandoverItem } from './handover';
import type { AmendmentChange, Party, PartyRef, Terms } from './terms';

/**
 * Everything that can happen to a contract. The `type` strings are the stored
 * contract: they never change once written; a breaking change gets a new type.
 */

export interface ConsultingFee {
  /** Paid by the brand before signing, for the operator's tailored plan. */
  readonly amountFen: number;
  readonly paidOn: string;
}

export type TerminationGrounds =
  /** The other party breached: names one of its uncured breaches. */
  | { readonly type: 'breach'; readonly breachId: string }
  | { readonly type: 'mutual_agreement'; readonly documentRef: string; readonly brandSignatory: string; readonly operatorSignatory: string }
  /** The term ran out: only on or after its end. */
  | { readonly type: 'expiry' }
  /** A termination condition the contract stipulates. */
  | { readonly type: 'stipulated_condition'; readonly clause: string };
export type TerminationGroundsType = TerminationGrounds['type'];

export type ContractEvent =
  | {
      readonly type: 'ContractDrafted';
      readonly data: {
        readonly contractId: string;
        readonly brand: PartyRef;
        readonly operator: PartyRef;
        readonly terms: Terms;
        readonly consultingFee?: ConsultingFee;
      };
    }
  | { readonly type: 'ContractSigned'; readonly data: { readonly party: Party; readonly signatory: string; readonly signedOn: string } }
  /** Both parties have signed: the contract is in force. */
  | { readonly type: 'ContractActivated'; readonly data: { readonly activatedOn: string } }
  | {
      readonly type: 'ContractAmended';
      readonly data: {
        readonly amendmentId: string;
        readonly documentRef: string;
        readonly effectiveOn: string;
        readonly changes: readonly AmendmentChange[];
      };
    }
  | {
      readonly type: 'AccountRegistered';
      readonly data: { readonly accountId: string; readonly platform: string; readonly accountName: string; readonly accountKind: AccountKind };
    }
  | { readonly type: 'AccountDeregistered'; readonly data: { readonly accountId: string } }
  | {
      readonly type: 'AuthorizationGranted';
      readonly data: {
        readonly authorizationId: string;
        readonly authorizationType: AuthorizationType;
        readonly platform: string;
        readonly documentRef: string;
      };
    }
  | {
      readonly type: 'AuthorizationRevoked';
      readonly data: { readonly authorizationId: string; readonly documentRef: string; readonly revokedOn: string };
    }
  | {
      readonly type: 'BreachRecorded';
      readonly data: {
        readonly breachId: string;
        readonly breachingParty: Party;
        readonly clause: string;
        readonly description: string;
        readonly occurredOn: string;
        readonly evidenceRef: string;
      };
    }
  | { readonly type: 'BreachCured'; readonly data: { readonly breachId: string; readonly curedOn: string } }
  | {
      readonly type: 'ContractTerminated';
      readonly data: { readonly initiatedBy: Party; readonly grounds: TerminationGrounds; readonly effectiveOn: string };
    }
  /** The checklist, derived from the whole history at termination. */
  | { readonly type: 'HandoverStarted'; readonly data: { readonly items: readonly HandoverItem[] } }
  | {
      readonly type: 'HandoverItemCompleted';
      readonly data: {
        readonly itemId: string;
        readonly evidence: HandoverEvidence;
        readonly completedBy: string;
        readonly completedAt: string;
      };
    }
  | { readonly type: 'HandoverSignedOff'; readonly data: { readonly party: Party; readonly signatory: string; readonly signedOffOn: string } }
  /** Both parties signed off a complete handover. */
  | { readonly type: 'ContractClosed'; readonly data: { readonly closedOn: string } };

export type ContractEventType = ContractEvent['type'];

/** Kinds of account the operator runs for the brand. */
export type AccountKind = 'shop_master_account' | 'sub_account' | 'alipay_account' | 'site_admin' | 'logistics_account' | 'other';
export const ACCOUNT_KINDS: readonly AccountKind[] = [
  'shop_master_account',
  'sub_account',
  'alipay_account',
  'site_admin',
  'logistics_account',
  'other',
];

/** Authorization documents the brand issues to the operator. */
export type AuthorizationType = 'online_distribution' | 'rights_enforcement' | 'shop_operation' | 'trademark_use';
export const AUTHORIZATION_TYPES: readonly AuthorizationType[] = [
  'online_distribution',
  'rights_enforcement',
  'shop_operation',
  'trademark_use',
];

/** The business date an event takes effect on, where the domain has one (for audit metadata). */
export function effectiveDateOf(event: ContractEvent): string | undefined {
  switch (event.type) {
    case 'ContractSigned':
      return event.data.signedOn;
    case 'ContractActivated':
      return event.data.activatedOn;
    case 'ContractAmended':
    case 'ContractTerminated':
      return event.data.effectiveOn;
    case 'AuthorizationRevoked':
      return event.data.revokedOn;
    case 'BreachRecorded':
      return event.data.occurredOn;
    case 'BreachCured':
      return event.data.curedOn;
    case 'HandoverSignedOff':
      return event.data.signedOffOn;
    case 'ContractClosed':
      return event.data.closedOn;
    case 'ContractDrafted':
    case 'AccountRegistered':
    case 'AccountDeregistered':
    case 'AuthorizationGranted':
    case 'HandoverStarted':
    case 'HandoverItemCompleted':
      return undefined;
  }
}
