import { currentTerms } from '../domain/decide';
import { openItems, type Completion, type ExistingContract } from '../domain/state';
import { termsInForce, type Terms } from '../domain/terms';

/**
 * The contract as clients read it: its terms with amendments applied (those
 * in force on `termsOn`, or all of them), and everything recorded against it.
 */
export function contractView(state: ExistingContract, termsOn?: string) {
  const latest = currentTerms(state);
  return {
    contractId: state.contractId,
    ...statusAndParties(state),
    ...(termsOn ? { termsOn } : {}),
    terms: termsOn ? termsInForce(state.originalTerms, state.amendments, termsOn) : latest,
    keyDates: keyDates(latest, state),
    originalTerms: state.originalTerms,
    ...(state.consultingFee ? { consultingFee: state.consultingFee } : {}),
    amendments: state.amendments,
    signatures: state.signatures,
    ...('activatedOn' in state ? { activatedOn: state.activatedOn } : {}),
    accounts: state.accounts.map((account) => ({ ...account, status: account.registered ? 'registered' : 'deregistered' })),
    authorizations: state.authorizations.map((authorization) => ({
      ...authorization,
      status: authorization.revoked ? 'revoked' : 'granted',
    })),
    breaches: state.breaches.map((breach) => ({ ...breach, status: breach.curedOn ? 'cured' : 'open' })),
    ...('termination' in state ? { termination: state.termination } : {}),
    ...('closedOn' in state ? { closedOn: state.closedOn } : {}),
  };
}

/** What the contract list shows of a contract: a few fields, whatever its history holds. */
export function contractListing(state: ExistingContract) {
  const terms = currentTerms(state);
  return { ...statusAndParties(state), scopes: terms.scopes, keyDates: keyDates(terms, state) };
}

const statusAndParties = ({ status, brand, operator }: ExistingContract) => ({ status, brand, operator });

/**
 * The fields of the final settlement's evidence that are the ledger's
 * figures (the service fees and commission it settles, equal to what the
 * ledger has open): shown only to those who may see the ledger.
 */
export const SETTLED_LEDGER_FIGURES = ['serviceFeesFen', 'commissionFen'] as const;

/**
 * The handover checklist, or undefined before termination. `ledger`: whether
 * the reader may see the contract's money (canSeeLedger); a reader who may
 * not (a coordinator) gets the final settlement without its figures.
 */
export function handoverView(state: ExistingContract, { ledger }: { ledger: boolean }) {
  if (!('handover' in state)) return undefined;
  const { handover } = state;
  const open = openItems(handover).length;
  return {
    contractId: state.contractId,
    status: state.status,
    termination: state.termination,
    items: handover.items.map((item) => {
      const completion = handover.completions[item.itemId];
      return { ...item, status: completion ? 'completed' : 'open', ...(completion ? completionShown(completion, ledger) : {}) };
    }),
    progress: { completed: handover.items.length - open, total: handover.items.length },
    signOffs: handover.signOffs,
    canSignOff: state.status === 'terminated' && open === 0,
  };
}

/** A completion as the reader may see it: the final settlement's figures only with the ledger. */
function completionShown(completion: Completion, ledger: boolean) {
  const { evidence } = completion;
  if (ledger || evidence.kind !== 'final_settlement') return completion;
  const hidden: readonly string[] = SETTLED_LEDGER_FIGURES;
  const shown = Object.fromEntries(Object.entries(evidence).filter(([field]) => !hidden.includes(field)));
  return { ...completion, evidence: shown as Omit<typeof evidence, (typeof SETTLED_LEDGER_FIGURES)[number]> };
}

/** The dates a coordinator plans by, from the terms in force: the end of term, the notice deadline before it, and the termination date. */
function keyDates({ term, noticePeriodDays }: Terms, state: ExistingContract) {
  const terminatedOn = 'termination' in state ? state.termination.effectiveOn : undefined;
  const noticeDue = new Date(`${term.endsOn}T00:00:00Z`);
  noticeDue.setUTCDate(noticeDue.getUTCDate() - noticePeriodDays);
  return {
    termEndsOn: term.endsOn,
    terminationNoticeDueBy: noticeDue.toISOString().slice(0, 10),
    ...(terminatedOn ? { terminatedOn } : {}),
  };
}

export type ContractView = ReturnType<typeof contractView>;
export type ContractListing = ReturnType<typeof contractListing>;
export type HandoverView = NonNullable<ReturnType<typeof handoverView>>;
