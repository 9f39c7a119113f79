import { ContractRefused, invalid } from './errors';

/**
 * The vocabulary of an outsourcing contract's terms. Money is integer fen
 * (1 CNY = 100 fen), never floats; rates are basis points (1% = 100 bp);
 * dates are calendar dates `YYYY-MM-DD` (they compare as strings).
 */

/** The two signing parties: the brand owns the shops; the operator runs them. */
export type Party = 'brand' | 'operator';
export const PARTIES: readonly Party[] = ['brand', 'operator'];

export function otherParty(party: Party): Party {
  return party === 'brand' ? 'operator' : 'brand';
}

export interface PartyRef {
  readonly partyId: string;
  readonly name: string;
}

/** What the brand outsources. Scopes can end one by one by amendment (the logistics example). */
export type Scope =
  | 'planning'
  | 'technology'
  | 'operations'
  | 'management'
  | 'marketing'
  | 'promotion'
  | 'customer_service'
  | 'warehousing'
  | 'logistics';
export const SCOPES: readonly Scope[] = [
  'planning',
  'technology',
  'operations',
  'management',
  'marketing',
  'promotion',
  'customer_service',
  'warehousing',
  'logistics',
];

/** A shop or channel the operator runs, e.g. a Tmall flagship store or the brand's own web mall. */
export interface Shop {
  readonly platform: string;
  readonly name: string;
}

/** Commission is computed on gross sales or on sales net of shipping cost (matters with free shipping). */
export type CommissionBase = 'gross' | 'net_of_shipping';
export const COMMISSION_BASES: readonly CommissionBase[] = ['gross', 'net_of_shipping'];

export interface Fees {
  readonly serviceFeeMonthlyFen: number;
  /** 0 to 10000 basis points; typically 500 to 3000 (5% to 30%). */
  readonly commissionRateBp: number;
  readonly commissionBase: CommissionBase;
}

export interface Shipping {
  readonly costBorneBy: Party;
  readonly freeShipping: boolean;
}

/** The brand's committed monthly promotion spend: without it commission is not credible. */
export interface Promotion {
  readonly monthlyBudgetFen: number;
}

/** Clauses the contract must state explicitly. */
export interface Clauses {
  /** The operator may distribute the brand's products online (network distribution authorization). */
  readonly onlineDistributionAuthorized: boolean;
  /** The operator may enforce the brand's rights against counterfeits on online channels. */
  readonly rightsEnforcementAuthorized: boolean;
}

export interface Term {
  readonly startsOn: string;
  readonly endsOn: string;
}

/** The terms that amendments can change. */
export interface Terms {
  readonly scopes: readonly Scope[];
  readonly shops: readonly Shop[];
  readonly fees: Fees;
  readonly shipping: Shipping;
  readonly promotion: Promotion;
  readonly clauses: Clauses;
  readonly term: Term;
}

/** One typed change of a supplementary agreement (补充协议). */
export type AmendmentChange =
  | { readonly type: 'remove_scope'; readonly scope: Scope }
  | { readonly type: 'add_scope'; readonly scope: Scope }
  | { readonly type: 'change_service_fee'; readonly serviceFeeMonthlyFen: number }
  | { readonly type: 'change_commission_rate'; readonly commissionRateBp: number }
  | { readonly type: 'change_commission_base'; readonly commissionBase: CommissionBase }
  | { readonly type: 'change_promotion_budget'; readonly monthlyBudgetFen: number }
  | { readonly type: 'change_shipping'; readonly shipping: Shipping }
  | { readonly type: 'extend_term'; readonly endsOn: string };
export type AmendmentChangeType = AmendmentChange['type'];
export const AMENDMENT_CHANGE_TYPES: readonly AmendmentChangeType[] = [
  'remove_scope',
  'add_scope',
  'change_service_fee',
  'change_commission_rate',
  'change_commission_base',
  'change_promotion_budget',
  'change_shipping',
  'extend_term',
];

export interface Amendment {
  readonly amendmentId: string;
  readonly documentRef: string;
  readonly effectiveOn: string;
  readonly changes: readonly AmendmentChange[];
}

/**
 * The change applied to the terms, or why it cannot be: a change that
 * changes nothing is refused, like removing a scope the contract lacks.
 */
export function applyChange(terms: Terms, change: AmendmentChange): Terms | ContractRefused {
  switch (change.type) {
    case 'remove_scope':
      if (!terms.scopes.includes(change.scope)) return invalid('amendment.scope_not_outsourced', `The contract does not outsource ${change.scope}.`);
      if (terms.scopes.length === 1) return invalid('amendment.last_scope', `${change.scope} is the last outsourced scope: terminate the contract instead.`);
      return { ...terms, scopes: terms.scopes.filter((scope) => scope !== change.scope) };
    case 'add_scope':
      if (terms.scopes.includes(change.scope)) return invalid('amendment.scope_already_outsourced', `The contract already outsources ${change.scope}.`);
      return { ...terms, scopes: [...terms.scopes, change.scope] };
    case 'change_service_fee':
      if (terms.fees.serviceFeeMonthlyFen === change.serviceFeeMonthlyFen) return unchanged('service fee');
      return { ...terms, fees: { ...terms.fees, serviceFeeMonthlyFen: change.serviceFeeMonthlyFen } };
    case 'change_commission_rate':
      if (terms.fees.commissionRateBp === change.commissionRateBp) return unchanged('commission rate');
      return { ...terms, fees: { ...terms.fees, commissionRateBp: change.commissionRateBp } };
    case 'change_commission_base':
      if (terms.fees.commissionBase === change.commissionBase) return unchanged('commission base');
      return { ...terms, fees: { ...terms.fees, commissionBase: change.commissionBase } };
    case 'change_promotion_budget':
      if (terms.promotion.monthlyBudgetFen === change.monthlyBudgetFen) return unchanged('promotion budget');
      return { ...terms, promotion: { monthlyBudgetFen: change.monthlyBudgetFen } };
    case 'change_shipping':
      if (
        terms.shipping.costBorneBy === change.shipping.costBorneBy &&
        terms.shipping.freeShipping === change.shipping.freeShipping
      ) {
        return unchanged('shipping terms');
      }
      return { ...terms, shipping: change.shipping };
    case 'extend_term':
      if (change.endsOn <= terms.term.endsOn) return invalid('amendment.term_not_extended', `An extension must end after the current end of term, ${terms.term.endsOn}.`);
      return { ...terms, term: { ...terms.term, endsOn: change.endsOn } };
  }
}

function unchanged(what: string): ContractRefused {
  return invalid('amendment.changes_nothing', `The ${what} would not change: an amendment must change something.`);
}

/**
 * The terms in force on a date: the original terms with every amendment
 * effective on or before it applied. Amendments take effect in the order they
 * were agreed (decide refuses one effective before an earlier one), so
 * recording order is effective-date order. Without a date: after them all.
 */
export function termsInForce(original: Terms, amendments: readonly Amendment[], onDate?: string): Terms {
  return amendments
    .filter((amendment) => onDate === undefined || amendment.effectiveOn <= onDate)
    .flatMap((amendment) => amendment.changes)
    .reduce((terms, change) => {
      const changed = applyChange(terms, change);
      // decide checked every recorded change against exactly these terms, so
      // this cannot fail; evolve and reads must not throw either way.
      return changed instanceof ContractRefused ? terms : changed;
    }, original);
}
