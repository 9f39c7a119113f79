import { monthOf } from '../../shared/calendar';
import { DUTIES, DUTY_OWED_BY, type Duty } from '../domain/duties';
import { pendingCure } from '../domain/notice-and-cure';
import {
  openItems,
  signedOffByBoth,
  type Account,
  type Breach,
  type Completion,
  type ExistingContract,
  type Handover,
  type Incident,
} from '../domain/state';
import { currentTerms, termsInForce, type Terms } from '../domain/terms';
import { noticeDueOn } from './deadlines';

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
    proposals: state.proposals,
    accounts: state.accounts.map((account) => ({ ...account, status: accountStatus(account) })),
    authorizations: state.authorizations.map((authorization) => ({
      ...authorization,
      status: authorization.revoked ? 'revoked' : 'granted',
    })),
    incidents: state.incidents.map((incident) => ({ ...incident, owedBy: DUTY_OWED_BY[incident.duty], status: incidentStatus(incident) })),
    incidentCounts: incidentCounts(state.incidents),
    breaches: state.breaches.map((breach) => ({ ...breach, status: breachStatus(breach) })),
    ...('termination' in state ? { termination: state.termination } : {}),
    ...('closedOn' in state ? { closedOn: state.closedOn } : {}),
    ...('withdrawn' in state ? { withdrawn: state.withdrawn } : {}),
    partialHandovers: state.partialHandovers.map(({ handoverId, scopes, effectiveOn, signOffs }) => ({
      handoverId,
      scopes,
      effectiveOn,
      signedOff: signedOffByBoth({ signOffs }),
    })),
  };
}

/** Where an incident stands: answered by the party that owes the duty, or not yet. */
const incidentStatus = (incident: Incident) => (incident.acknowledgedOn ? 'acknowledged' : incident.contested ? 'contested' : 'reported');

/** Where a breach notice stands: cured (the cure accepted), a cure awaiting an answer, or open. */
const breachStatus = (breach: Breach) => (breach.cured ? 'cured' : pendingCure(breach) ? 'cure_claimed' : 'open');

/** How many incidents each duty had, in all and in each month they occurred in (months without any are left out). */
function incidentCounts(incidents: readonly Incident[]) {
  const byDuty = Object.fromEntries(DUTIES.map((duty) => [duty, 0])) as Record<Duty, number>;
  const byMonth: Record<string, Partial<Record<Duty, number>>> = {};
  for (const { duty, occurredOn } of [...incidents].sort((one, other) => one.occurredOn.localeCompare(other.occurredOn))) {
    byDuty[duty] += 1;
    const month = (byMonth[monthOf(occurredOn)] ??= {});
    month[duty] = (month[duty] ?? 0) + 1;
  }
  return { total: incidents.length, byDuty, byMonth };
}

/** What became of an account: handed back, off the contract, asked off (still to come back), or held. */
function accountStatus(account: Account): 'handed_back' | 'deregistered' | 'deregistration_requested' | 'registered' {
  if (account.handedBack) return 'handed_back';
  if (!account.registered) return 'deregistered';
  return account.deregistrationRequested ? 'deregistration_requested' : 'registered';
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
 * The handovers: the final checklist once the contract is terminated, and
 * the partial ones of scopes taken back while it ran. Undefined while there
 * is neither. `ledger`: whether the reader may see the contract's money
 * (canSeeLedger); a reader who may not (a coordinator) gets the final
 * settlement without its figures.
 */
export function handoverView(state: ExistingContract, { ledger }: { ledger: boolean }) {
  const final = 'handover' in state ? state.handover : undefined;
  if (!final && state.partialHandovers.length === 0) return undefined;
  return {
    contractId: state.contractId,
    status: state.status,
    ...('termination' in state ? { termination: state.termination } : {}),
    ...(final ? { dueOn: final.dueOn } : {}),
    // The final sign-off also waits for every partial handover (handover.partial_open).
    ...(final ? checklistView(final, state.status === 'terminated' && state.partialHandovers.every(signedOffByBoth), ledger) : {}),
    partialHandovers: state.partialHandovers.map((partial) => ({
      handoverId: partial.handoverId,
      scopes: partial.scopes,
      effectiveOn: partial.effectiveOn,
      dueOn: partial.dueOn,
      ...checklistView(partial, !signedOffByBoth(partial), ledger),
    })),
  };
}

/** A checklist's items with their status and how each was settled, its progress per status and per party, and its sign-offs. */
function checklistView(handover: Handover, open: boolean, ledger: boolean) {
  const items = handover.items.map((item) => {
    const completion = handover.completions[item.itemId];
    const waiver = handover.waivers[item.itemId];
    const dispute = handover.disputes[item.itemId];
    const waiverProposed = handover.waiverProposals[item.itemId];
    const status = completion ? 'completed' : waiver ? 'waived' : dispute ? 'disputed' : 'open';
    return {
      ...item,
      status,
      ...(completion ? completionShown(completion, ledger) : {}),
      ...(waiver ? { waiver } : {}),
      ...(dispute ? { dispute } : {}),
      ...(waiverProposed ? { waiverProposed } : {}),
    } as const;
  });
  const count = (list: readonly { status: string }[]) => ({
    completed: list.filter((item) => item.status === 'completed').length,
    waived: list.filter((item) => item.status === 'waived').length,
    disputed: list.filter((item) => item.status === 'disputed').length,
    open: list.filter((item) => item.status === 'open').length,
    total: list.length,
  });
  const parties = ['brand', 'operator', 'both'] as const;
  return {
    items,
    progress: {
      ...count(items),
      byResponsibleParty: Object.fromEntries(
        parties.map((party) => [party, count(items.filter((item) => item.responsibleParty === party))]),
      ),
    },
    signOffs: handover.signOffs,
    canSignOff: open && openItems(handover).length === 0 && Object.keys(handover.disputes).length === 0,
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

/**
 * The dates a coordinator plans by, from the terms in force: the end of
 * term, the notice deadline before it, the termination date and the day the
 * handover is due.
 */
function keyDates(terms: Terms, state: ExistingContract) {
  return {
    termEndsOn: terms.term.endsOn,
    terminationNoticeDueBy: noticeDueOn(terms),
    ...('termination' in state ? { terminatedOn: state.termination.effectiveOn, handoverDueOn: state.handover.dueOn } : {}),
  };
}

export type ContractView = ReturnType<typeof contractView>;
export type ContractListing = ReturnType<typeof contractListing>;
export type HandoverView = NonNullable<ReturnType<typeof handoverView>>;
