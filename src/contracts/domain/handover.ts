import type { Party, Scope } from './terms';

/**
 * The handover at termination: everything the operator held comes back, and
 * every authorization the brand issued is revoked. The checklist is derived
 * from the history when the contract is terminated and recorded as a fact.
 */

export type HandoverItemKind =
  | 'credential_handover'
  | 'alipay_reconciliation'
  | 'alipay_handover'
  | 'authorization_revocation'
  | 'inventory_return'
  | 'logistics_repointing'
  | 'final_settlement';

export interface HandoverItem {
  /** Stable and derived from what it concerns, e.g. `credentials-<accountId>`. */
  readonly itemId: string;
  readonly kind: HandoverItemKind;
  /** What the item is about, in words. */
  readonly subject: string;
  readonly responsibleParty: Party | 'both';
  readonly accountId?: string;
  readonly authorizationId?: string;
  readonly scope?: Scope;
}

/** Who rotated the credentials and who received the account, and when: never the password. */
export interface CredentialEvidence {
  readonly rotatedBy: string;
  readonly rotatedAt: string;
  readonly receivedBy: string;
  readonly receivedAt: string;
}

/** Evidence of a completed item, one shape per item kind. */
export type HandoverEvidence =
  | ({ readonly kind: 'credential_handover' } & CredentialEvidence)
  | ({ readonly kind: 'alipay_handover' } & CredentialEvidence)
  | {
      readonly kind: 'alipay_reconciliation';
      readonly statementDate: string;
      readonly closingBalanceFen: number;
      readonly pendingRefundsFen: number;
      /** The brand confirmed every withdrawal (one of its duties while the contract ran). */
      readonly withdrawalsConfirmed: boolean;
      readonly agreedByBrand: string;
      readonly agreedByOperator: string;
    }
  | { readonly kind: 'authorization_revocation'; readonly revocationDocumentRef: string; readonly revokedOn: string }
  | { readonly kind: 'inventory_return'; readonly returnedOn: string; readonly receivedBy: string; readonly inventoryListRef: string }
  | {
      readonly kind: 'logistics_repointing';
      readonly repointedOn: string;
      readonly accountsRepointed: readonly string[];
      readonly confirmedBy: string;
    }
  | {
      readonly kind: 'final_settlement';
      readonly settledOn: string;
      readonly serviceFeesFen: number;
      readonly commissionFen: number;
      readonly settlementRef: string;
      readonly agreedByBrand: string;
      readonly agreedByOperator: string;
    };

export const HANDOVER_ITEM_KINDS: readonly HandoverItemKind[] = [
  'credential_handover',
  'alipay_reconciliation',
  'alipay_handover',
  'authorization_revocation',
  'inventory_return',
  'logistics_repointing',
  'final_settlement',
];

/** What the checklist is derived from: the contract as it stands on the termination date. */
export interface HandoverSource {
  readonly accounts: readonly { readonly accountId: string; readonly platform: string; readonly accountName: string; readonly accountKind: string }[];
  readonly authorizations: readonly { readonly authorizationId: string; readonly authorizationType: string; readonly platform: string }[];
  readonly scopes: readonly Scope[];
}

/**
 * One credential item per account still registered; Alipay reconciliation and
 * Alipay handover always; one revocation per authorization still in force;
 * inventory back if warehousing is still outsourced, courier and logistics
 * accounts re-pointed if logistics is; the final settlement of fees and
 * commission. A scope removed by an earlier amendment yields nothing.
 */
export function deriveChecklist({ accounts, authorizations, scopes }: HandoverSource): HandoverItem[] {
  return [
    ...accounts.map(
      (account): HandoverItem => ({
        itemId: `credentials-${account.accountId}`,
        kind: 'credential_handover',
        subject: `${account.platform} ${account.accountKind} "${account.accountName}": rotate the credentials and hand the account to the brand`,
        responsibleParty: 'operator',
        accountId: account.accountId,
      }),
    ),
    {
      itemId: 'alipay-reconciliation',
      kind: 'alipay_reconciliation',
      subject: 'Reconcile the Alipay account: balance, withdrawals and refunds, agreed by both parties',
      responsibleParty: 'both',
    },
    {
      itemId: 'alipay-handover',
      kind: 'alipay_handover',
      subject: 'Hand the Alipay account back to the brand',
      responsibleParty: 'operator',
    },
    ...authorizations.map(
      (authorization): HandoverItem => ({
        itemId: `revocation-${authorization.authorizationId}`,
        kind: 'authorization_revocation',
        subject: `Revoke the ${authorization.authorizationType} authorization on ${authorization.platform}`,
        responsibleParty: 'brand',
        authorizationId: authorization.authorizationId,
      }),
    ),
    ...(scopes.includes('warehousing')
      ? [
          {
            itemId: 'inventory-return',
            kind: 'inventory_return',
            subject: 'Return the inventory held in the operator’s warehouse',
            responsibleParty: 'operator',
            scope: 'warehousing',
          } satisfies HandoverItem,
        ]
      : []),
    ...(scopes.includes('logistics')
      ? [
          {
            itemId: 'logistics-repointing',
            kind: 'logistics_repointing',
            subject: 'Re-point the courier and logistics accounts to the brand',
            responsibleParty: 'operator',
            scope: 'logistics',
          } satisfies HandoverItem,
        ]
      : []),
    {
      itemId: 'final-settlement',
      kind: 'final_settlement',
      subject: 'Settle the final service fees and commission',
      responsibleParty: 'both',
    },
  ];
}
