import { z } from 'zod';
import { calendarDate, fen, id, instant, text, type Infer } from './schema';
import { scopeSchema, type Scope } from './terms';

/**
 * The handover at termination: everything the operator held comes back, and
 * every authorization the brand issued is revoked. The checklist is derived
 * from the history when the contract is terminated and recorded as a fact.
 */

export const handoverItemKindSchema = z.enum([
  'credential_handover',
  'alipay_reconciliation',
  'alipay_handover',
  'authorization_revocation',
  'inventory_return',
  'logistics_repointing',
  'final_settlement',
]);
export type HandoverItemKind = Infer<typeof handoverItemKindSchema>;
export const HANDOVER_ITEM_KINDS: readonly HandoverItemKind[] = handoverItemKindSchema.options;

export const handoverItemSchema = z.strictObject({
  /** Stable and derived from what it concerns, e.g. `credentials-<accountId>`. */
  itemId: text(120),
  kind: handoverItemKindSchema,
  /** What the item is about, in words. */
  subject: text(1000),
  responsibleParty: z.enum(['brand', 'operator', 'both']),
  accountId: id.optional(),
  authorizationId: id.optional(),
  scope: scopeSchema.optional(),
});
export type HandoverItem = Infer<typeof handoverItemSchema>;

/** Who rotated the credentials and who received the account, and when: never the password. */
const credentialEvidence = {
  rotatedBy: text(),
  rotatedAt: instant,
  receivedBy: text(),
  receivedAt: instant,
};

/** Evidence of a completed item, one shape per item kind. */
export const handoverEvidenceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('credential_handover'), ...credentialEvidence }),
  z.strictObject({ kind: z.literal('alipay_handover'), ...credentialEvidence }),
  z.strictObject({
    kind: z.literal('alipay_reconciliation'),
    statementDate: calendarDate,
    closingBalanceFen: fen,
    pendingRefundsFen: fen,
    /** The brand confirmed every withdrawal (one of its duties while the contract ran). */
    withdrawalsConfirmed: z.boolean(),
    agreedByBrand: text(),
    agreedByOperator: text(),
  }),
  z.strictObject({ kind: z.literal('authorization_revocation'), revocationDocumentRef: text(), revokedOn: calendarDate }),
  z.strictObject({ kind: z.literal('inventory_return'), returnedOn: calendarDate, receivedBy: text(), inventoryListRef: text() }),
  z.strictObject({
    kind: z.literal('logistics_repointing'),
    repointedOn: calendarDate,
    accountsRepointed: z.array(text(100)).min(1).max(50),
    confirmedBy: text(),
  }),
  z.strictObject({
    kind: z.literal('final_settlement'),
    settledOn: calendarDate,
    serviceFeesFen: fen,
    commissionFen: fen,
    settlementRef: text(),
    agreedByBrand: text(),
    agreedByOperator: text(),
  }),
]);
export type HandoverEvidence = Infer<typeof handoverEvidenceSchema>;

/** An account as the checklists see it. */
interface HeldAccount {
  readonly accountId: string;
  readonly platform: string;
  readonly accountName: string;
  readonly accountKind: string;
}

/** What the checklist is derived from: the contract as it stands on the termination date. */
export interface HandoverSource {
  /** The accounts still to come back: registered, not handed back, not left to a partial handover. */
  readonly accounts: readonly HeldAccount[];
  readonly authorizations: readonly { readonly authorizationId: string; readonly authorizationType: string; readonly platform: string }[];
  readonly scopes: readonly Scope[];
}

const credentialItem = (account: HeldAccount): HandoverItem => ({
  itemId: `credentials-${account.accountId}`,
  kind: 'credential_handover',
  subject: `${account.platform} ${account.accountKind} "${account.accountName}": rotate the credentials and hand the account to the brand`,
  responsibleParty: 'operator',
  accountId: account.accountId,
});

/** What a scope taken back brings back besides its accounts: the warehouse's inventory, the couriers re-pointed. */
const SCOPE_ITEMS: Partial<Record<Scope, HandoverItem>> = {
  warehousing: {
    itemId: 'inventory-return',
    kind: 'inventory_return',
    subject: 'Return the inventory held in the operator’s warehouse',
    responsibleParty: 'operator',
    scope: 'warehousing',
  },
  logistics: {
    itemId: 'logistics-repointing',
    kind: 'logistics_repointing',
    subject: 'Re-point the courier and logistics accounts to the brand',
    responsibleParty: 'operator',
    scope: 'logistics',
  },
};

/** The accounts that belong to a scope: taken back with it. */
const SCOPE_ACCOUNT_KINDS: Partial<Record<Scope, string>> = { logistics: 'logistics_account' };

/**
 * One credential item per account still to come back; where the operator
 * runs Alipay accounts, their reconciliation and one Alipay handover each; one
 * revocation per authorization still in force; inventory back if warehousing
 * is still outsourced, courier and logistics accounts re-pointed if logistics
 * is; the final settlement of fees and commission. A scope taken back
 * earlier had its own partial handover and yields nothing here.
 */
export function deriveChecklist({ accounts, authorizations, scopes }: HandoverSource): HandoverItem[] {
  const alipay = accounts.filter((account) => account.accountKind === 'alipay_account');
  return [
    ...accounts.filter((account) => account.accountKind !== 'alipay_account').map(credentialItem),
    ...(alipay.length > 0
      ? [
          {
            itemId: 'alipay-reconciliation',
            kind: 'alipay_reconciliation',
            subject: 'Reconcile the Alipay account: balance, withdrawals and refunds, agreed by both parties',
            responsibleParty: 'both',
          } satisfies HandoverItem,
        ]
      : []),
    // An Alipay account comes back by its own item, reconciled first: not by a credential item as well.
    ...alipay.map((account): HandoverItem => ({
      itemId: `alipay-handover-${account.accountId}`,
      kind: 'alipay_handover',
      subject: `Hand the Alipay account "${account.accountName}" back to the brand, its credentials rotated`,
      responsibleParty: 'operator',
      accountId: account.accountId,
    })),
    ...authorizations.map((authorization): HandoverItem => ({
      itemId: `revocation-${authorization.authorizationId}`,
      kind: 'authorization_revocation',
      subject: `Revoke the ${authorization.authorizationType} authorization on ${authorization.platform}`,
      responsibleParty: 'brand',
      authorizationId: authorization.authorizationId,
    })),
    ...scopes.flatMap((scope) => SCOPE_ITEMS[scope] ?? []),
    {
      itemId: 'final-settlement',
      kind: 'final_settlement',
      subject: 'Settle the final service fees and commission',
      responsibleParty: 'both',
    },
  ];
}

/**
 * The partial handover of scopes an agreement takes back, by the same rules
 * restricted to those scopes: the accounts of the scope (logistics accounts)
 * handed back, then what the scope itself brings back.
 */
export function derivePartialChecklist(scopes: readonly Scope[], accounts: readonly HeldAccount[]): HandoverItem[] {
  const kinds = new Set(scopes.flatMap((scope) => SCOPE_ACCOUNT_KINDS[scope] ?? []));
  return [
    ...accounts.filter((account) => kinds.has(account.accountKind)).map(credentialItem),
    ...scopes.flatMap((scope) => SCOPE_ITEMS[scope] ?? []),
  ];
}
