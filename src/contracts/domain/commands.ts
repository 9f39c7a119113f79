import type { AccountKind, AuthorizationType, ConsultingFee, TerminationGrounds } from './events';
import type { HandoverEvidence } from './handover';
import type { AmendmentChange, Party, PartyRef, Terms } from './terms';

/**
 * What a brand, an operator or a coordinator asks of a contract. Ids and
 * times come in with the command, so that deciding stays pure and a retry
 * decides the same.
 */
export type ContractCommand =
  | {
      readonly type: 'DraftContract';
      readonly contractId: string;
      readonly brand: PartyRef;
      readonly operator: PartyRef;
      readonly terms: Terms;
      readonly consultingFee?: ConsultingFee;
    }
  | { readonly type: 'SignContract'; readonly party: Party; readonly signatory: string; readonly signedOn: string }
  | {
      readonly type: 'AmendContract';
      readonly amendmentId: string;
      readonly documentRef: string;
      readonly effectiveOn: string;
      readonly changes: readonly AmendmentChange[];
    }
  | {
      readonly type: 'RegisterAccount';
      readonly accountId: string;
      readonly platform: string;
      readonly accountName: string;
      readonly accountKind: AccountKind;
    }
  | { readonly type: 'DeregisterAccount'; readonly accountId: string }
  | {
      readonly type: 'GrantAuthorization';
      readonly authorizationId: string;
      readonly authorizationType: AuthorizationType;
      readonly platform: string;
      readonly documentRef: string;
    }
  | { readonly type: 'RevokeAuthorization'; readonly authorizationId: string; readonly documentRef: string; readonly revokedOn: string }
  | {
      readonly type: 'RecordBreach';
      readonly breachId: string;
      readonly breachingParty: Party;
      readonly clause: string;
      readonly description: string;
      readonly occurredOn: string;
      readonly evidenceRef: string;
    }
  | { readonly type: 'CureBreach'; readonly breachId: string; readonly curedOn: string }
  | { readonly type: 'TerminateContract'; readonly initiatedBy: Party; readonly grounds: TerminationGrounds; readonly effectiveOn: string }
  | {
      readonly type: 'CompleteHandoverItem';
      readonly itemId: string;
      readonly evidence: HandoverEvidence;
      readonly completedBy: string;
      readonly completedAt: string;
    }
  | { readonly type: 'SignOffHandover'; readonly party: Party; readonly signatory: string; readonly signedOffOn: string };
