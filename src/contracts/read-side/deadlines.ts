import { addDays } from '../../shared/calendar';
import { signedOffByBoth, type ExistingContract } from '../domain/state';
import { currentTerms, type Terms } from '../domain/terms';

/** A date someone must act by, on one contract. */
export interface Deadline {
  readonly contractId: string;
  readonly kind: 'notice_due' | 'term_end' | 'cure_deadline' | 'handover_due';
  readonly dueOn: string;
  /** What is due, in words, naming the parties. */
  readonly summary: string;
  /** The breach notice a cure deadline belongs to. */
  readonly breachId?: string;
  /** The partial handover a handover due date belongs to (none: the final handover). */
  readonly handoverId?: string;
}

/** The last day to give notice of non-renewal: the notice period before the term ends. */
export const noticeDueOn = ({ term, noticePeriodDays }: Terms) => addDays(term.endsOn, -noticePeriodDays);

/**
 * The dates the contract's parties and coordinators must act by, as it
 * stands: while it runs, the notice deadline, the end of term and the cure
 * deadline of each breach notice not cured; once it has ended, the final
 * handover's due date until it is signed off; the due date of each partial
 * handover not yet signed off.
 */
export function deadlinesOf(state: ExistingContract): Deadline[] {
  const { contractId } = state;
  const parties = `${state.brand.name} / ${state.operator.name}`;
  const deadlines: Deadline[] = [];
  if (state.status === 'active') {
    const terms = currentTerms(state);
    deadlines.push(
      {
        contractId,
        kind: 'notice_due',
        dueOn: noticeDueOn(terms),
        summary: `Notice of non-renewal due (${terms.noticePeriodDays} days before the term ends): ${parties}`,
      },
      { contractId, kind: 'term_end', dueOn: terms.term.endsOn, summary: `Term ends: ${parties}` },
    );
    for (const breach of state.breaches.filter((candidate) => !candidate.cured)) {
      deadlines.push({
        contractId,
        kind: 'cure_deadline',
        dueOn: breach.cureDeadline,
        summary: `Cure deadline of the ${breach.breachingParty}'s breach noticed on ${breach.noticedOn}: ${parties}`,
        breachId: breach.breachId,
      });
    }
  }
  if (state.status === 'terminated') {
    const { effectiveOn } = state.termination;
    deadlines.push({
      contractId,
      kind: 'handover_due',
      dueOn: state.handover.dueOn,
      summary: `Handover due (the contract ended ${effectiveOn}): ${parties}`,
    });
  }
  for (const partial of state.partialHandovers.filter((handover) => !signedOffByBoth(handover))) {
    deadlines.push({
      contractId,
      kind: 'handover_due',
      dueOn: partial.dueOn,
      summary: `Handover of ${partial.scopes.join(', ')} due (taken back ${partial.effectiveOn}): ${parties}`,
      handoverId: partial.handoverId,
    });
  }
  return deadlines;
}
