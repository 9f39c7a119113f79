import { z } from 'zod';
import { addDays } from '../../shared/calendar';
import { ContractRefused, invalid } from './errors';
import { basisPoints, calendarDate, fen, id, identifier, text, type Infer } from './schema';

/**
 * The vocabulary of an outsourcing contract's terms. Money is integer fen
 * (1 CNY = 100 fen), never floats; rates are basis points (1% = 100 bp);
 * dates are calendar dates `YYYY-MM-DD` (they compare as strings).
 */

/** The two signing parties: the brand owns the shops; the operator runs them. */
export const partySchema = z.enum(['brand', 'operator']);
export type Party = Infer<typeof partySchema>;
export const PARTIES: readonly Party[] = partySchema.options;

export function otherParty(party: Party): Party {
  return party === 'brand' ? 'operator' : 'brand';
}

export const partyRefSchema = z.strictObject({ partyId: identifier, name: text() });
export type PartyRef = Infer<typeof partyRefSchema>;

/** What the brand outsources. Scopes can end one by one by amendment (the logistics example). */
export const scopeSchema = z.enum([
  'planning',
  'technology',
  'operations',
  'management',
  'marketing',
  'promotion',
  'customer_service',
  'warehousing',
  'logistics',
]);
export type Scope = Infer<typeof scopeSchema>;
export const SCOPES: readonly Scope[] = scopeSchema.options;

/** A shop or channel the operator runs, e.g. a Tmall flagship store or the brand's own web mall. */
export const shopSchema = z.strictObject({ platform: text(50), name: text() });
export type Shop = Infer<typeof shopSchema>;

/** Commission is computed on gross sales or on sales net of shipping cost (matters with free shipping). */
export const commissionBaseSchema = z.enum(['gross', 'net_of_shipping']);
export type CommissionBase = Infer<typeof commissionBaseSchema>;
export const COMMISSION_BASES: readonly CommissionBase[] = commissionBaseSchema.options;

export const feesSchema = z.strictObject({
  serviceFeeMonthlyFen: fen,
  /** 0 to 10000 basis points; typically 500 to 3000 (5% to 30%). */
  commissionRateBp: basisPoints,
  commissionBase: commissionBaseSchema,
});
export type Fees = Infer<typeof feesSchema>;

export const shippingSchema = z.strictObject({ costBorneBy: partySchema, freeShipping: z.boolean() });
export type Shipping = Infer<typeof shippingSchema>;

/** The brand's committed monthly promotion spend: without it commission is not credible. */
export const promotionSchema = z.strictObject({ monthlyBudgetFen: fen });
export type Promotion = Infer<typeof promotionSchema>;

/** Clauses the contract must state explicitly. */
export const clausesSchema = z.strictObject({
  /** The operator may distribute the brand's products online (network distribution authorization). */
  onlineDistributionAuthorized: z.boolean(),
  /** The operator may enforce the brand's rights against counterfeits on online channels. */
  rightsEnforcementAuthorized: z.boolean(),
});
export type Clauses = Infer<typeof clausesSchema>;

export const termSchema = z.strictObject({ startsOn: calendarDate, endsOn: calendarDate });
export type Term = Infer<typeof termSchema>;

/** The longest term a contract may have, drafted or extended: its end comes before the same day this many years on. */
export const MAX_TERM_YEARS = 50;
/**
 * The last day a term may end: the ledger computes with the day after the
 * last day served (the first day not served), which must still be a calendar
 * date (see addDays).
 */
export const LAST_TERM_DAY = '9998-12-31';

/**
 * The last day a term that starts on `startsOn` may end: the day before the
 * same day {@link MAX_TERM_YEARS} years on (2076-12-31 for 2027-01-01; from
 * 29 February, the 28th), and never after {@link LAST_TERM_DAY}.
 */
export function latestTermEnd(startsOn: string): string {
  const year = Number(startsOn.slice(0, 4)) + MAX_TERM_YEARS;
  if (year > Number(LAST_TERM_DAY.slice(0, 4))) return LAST_TERM_DAY;
  return addDays(`${String(year).padStart(4, '0')}-${startsOn.slice(5, 7)}-01`, Number(startsOn.slice(8, 10)) - 2);
}

/**
 * The notice period: notice of non-renewal is due this many days before the
 * term ends. A draft that does not state one gets the default.
 */
export const noticePeriodDaysSchema = z.int().min(0).max(365);
export const DEFAULT_NOTICE_PERIOD_DAYS = 90;

/**
 * The cure period: a breach notice gives the breaching party this many days
 * to cure before the other may terminate for it (PRC Civil Code art. 563,
 * "a reasonable period after being urged"). A draft that does not state one
 * gets the default.
 */
export const curePeriodDaysSchema = z.int().min(0).max(365);
export const DEFAULT_CURE_PERIOD_DAYS = 30;

/** The handover is due this many days after the termination takes effect (a partial one, after its agreement). */
export const handoverPeriodDaysSchema = z.int().min(0).max(365);
export const DEFAULT_HANDOVER_PERIOD_DAYS = 30;

/** A condition under which a party may terminate, stipulated in the contract (PRC Civil Code art. 562, 约定解除). */
export const terminationConditionSchema = z.strictObject({ conditionId: identifier, description: text(1000) });
export type TerminationCondition = Infer<typeof terminationConditionSchema>;

/** The terms that amendments can change. */
export const termsSchema = z.strictObject({
  scopes: z.array(scopeSchema).max(SCOPES.length),
  shops: z.array(shopSchema).max(50),
  fees: feesSchema,
  shipping: shippingSchema,
  promotion: promotionSchema,
  clauses: clausesSchema,
  term: termSchema,
  noticePeriodDays: noticePeriodDaysSchema,
  curePeriodDays: curePeriodDaysSchema,
  handoverPeriodDays: handoverPeriodDaysSchema,
  terminationConditions: z.array(terminationConditionSchema).max(20),
});
export type Terms = Infer<typeof termsSchema>;

/** One typed change of a supplementary agreement (补充协议). */
export const amendmentChangeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('remove_scope'), scope: scopeSchema }),
  z.strictObject({ type: z.literal('add_scope'), scope: scopeSchema }),
  z.strictObject({ type: z.literal('change_service_fee'), serviceFeeMonthlyFen: fen }),
  z.strictObject({ type: z.literal('change_commission_rate'), commissionRateBp: basisPoints }),
  z.strictObject({ type: z.literal('change_commission_base'), commissionBase: commissionBaseSchema }),
  z.strictObject({ type: z.literal('change_promotion_budget'), monthlyBudgetFen: fen }),
  z.strictObject({ type: z.literal('change_shipping'), shipping: shippingSchema }),
  z.strictObject({ type: z.literal('extend_term'), endsOn: calendarDate }),
  z.strictObject({ type: z.literal('change_notice_period'), noticePeriodDays: noticePeriodDaysSchema }),
  z.strictObject({ type: z.literal('change_clauses'), clauses: clausesSchema }),
  z.strictObject({ type: z.literal('add_shop'), shop: shopSchema }),
  z.strictObject({ type: z.literal('remove_shop'), shop: shopSchema }),
  z.strictObject({ type: z.literal('change_cure_period'), curePeriodDays: curePeriodDaysSchema }),
  z.strictObject({ type: z.literal('change_handover_period'), handoverPeriodDays: handoverPeriodDaysSchema }),
  z.strictObject({ type: z.literal('add_termination_condition'), condition: terminationConditionSchema }),
  z.strictObject({ type: z.literal('remove_termination_condition'), conditionId: identifier }),
]);
export type AmendmentChange = Infer<typeof amendmentChangeSchema>;
export type AmendmentChangeType = AmendmentChange['type'];
export const AMENDMENT_CHANGE_TYPES: readonly AmendmentChangeType[] = amendmentChangeSchema.options.map(
  (option) => option.shape.type.value,
);

export const amendmentSchema = z.strictObject({
  amendmentId: id,
  documentRef: text(),
  effectiveOn: calendarDate,
  changes: z.array(amendmentChangeSchema).min(1).max(20),
});
export type Amendment = Infer<typeof amendmentSchema>;

/**
 * The change applied to the terms, or why it cannot be: a change that
 * changes nothing is refused, like removing a scope the contract lacks.
 */
export function applyChange(terms: Terms, change: AmendmentChange): Terms | ContractRefused {
  switch (change.type) {
    case 'remove_scope':
      if (!terms.scopes.includes(change.scope))
        return invalid('amendment.scope_not_outsourced', `The contract does not outsource ${change.scope}.`);
      if (terms.scopes.length === 1)
        return invalid('amendment.last_scope', `${change.scope} is the last outsourced scope: terminate the contract instead.`);
      return { ...terms, scopes: terms.scopes.filter((scope) => scope !== change.scope) };
    case 'add_scope':
      if (terms.scopes.includes(change.scope))
        return invalid('amendment.scope_already_outsourced', `The contract already outsources ${change.scope}.`);
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
      if (terms.shipping.costBorneBy === change.shipping.costBorneBy && terms.shipping.freeShipping === change.shipping.freeShipping) {
        return unchanged('shipping terms');
      }
      return { ...terms, shipping: change.shipping };
    case 'extend_term':
      if (change.endsOn <= terms.term.endsOn)
        return invalid('amendment.term_not_extended', `An extension must end after the current end of term, ${terms.term.endsOn}.`);
      return { ...terms, term: { ...terms.term, endsOn: change.endsOn } };
    case 'change_notice_period':
      if (terms.noticePeriodDays === change.noticePeriodDays) return unchanged('notice period');
      return { ...terms, noticePeriodDays: change.noticePeriodDays };
    case 'change_clauses':
      if (
        terms.clauses.onlineDistributionAuthorized === change.clauses.onlineDistributionAuthorized &&
        terms.clauses.rightsEnforcementAuthorized === change.clauses.rightsEnforcementAuthorized
      ) {
        return unchanged('clauses');
      }
      return { ...terms, clauses: change.clauses };
    case 'add_shop':
      if (terms.shops.some((shop) => sameShop(shop, change.shop)))
        return invalid('amendment.shop_already_run', `The operator already runs ${change.shop.platform} shop "${change.shop.name}".`);
      return { ...terms, shops: [...terms.shops, change.shop] };
    case 'remove_shop':
      if (!terms.shops.some((shop) => sameShop(shop, change.shop)))
        return invalid('amendment.shop_not_run', `The operator does not run ${change.shop.platform} shop "${change.shop.name}".`);
      return { ...terms, shops: terms.shops.filter((shop) => !sameShop(shop, change.shop)) };
    case 'change_cure_period':
      if (terms.curePeriodDays === change.curePeriodDays) return unchanged('cure period');
      return { ...terms, curePeriodDays: change.curePeriodDays };
    case 'change_handover_period':
      if (terms.handoverPeriodDays === change.handoverPeriodDays) return unchanged('handover period');
      return { ...terms, handoverPeriodDays: change.handoverPeriodDays };
    case 'add_termination_condition': {
      const { conditionId } = change.condition;
      if (terms.terminationConditions.some((condition) => condition.conditionId === conditionId))
        return invalid('amendment.condition_already_stipulated', `The contract already stipulates termination condition ${conditionId}.`);
      return { ...terms, terminationConditions: [...terms.terminationConditions, change.condition] };
    }
    case 'remove_termination_condition':
      if (!terms.terminationConditions.some((condition) => condition.conditionId === change.conditionId))
        return invalid('amendment.condition_not_stipulated', `The contract stipulates no termination condition ${change.conditionId}.`);
      return {
        ...terms,
        terminationConditions: terms.terminationConditions.filter((condition) => condition.conditionId !== change.conditionId),
      };
  }
}

export const sameShop = (one: Shop, other: Shop) => one.platform === other.platform && one.name === other.name;

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

/** The terms after every agreement in force. */
export function currentTerms(contract: { readonly originalTerms: Terms; readonly amendments: readonly Amendment[] }): Terms {
  return termsInForce(contract.originalTerms, contract.amendments);
}

/**
 * A term of at most {@link MAX_TERM_YEARS} years, ending by {@link LAST_TERM_DAY}:
 * the ledger steps through every month and day of it, and one without end in
 * sight (through 9999-12-31, where dates stop sorting as strings) is no contract.
 */
export function refuseLongTerm({ startsOn, endsOn }: Term): void {
  const latest = latestTermEnd(startsOn);
  if (endsOn > latest) {
    throw invalid(
      'contract.term_too_long',
      `A term lasts at most ${MAX_TERM_YEARS} years and ends by ${LAST_TERM_DAY}: one from ${startsOn} ends by ${latest}, not ${endsOn}.`,
    );
  }
}
