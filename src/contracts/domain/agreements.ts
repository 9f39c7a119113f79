import { canonicalJson } from '../../shared/canonical-json';
import { addDays } from '../../shared/calendar';
import type { ContractCommand } from './commands';
import { conflict, ContractRefused, invalid, notFound, withFacts } from './errors';
import type { ContractEvent } from './events';
import { derivePartialChecklist } from './handover';
import { refuseIfStated } from './settlement';
import { accountsToComeBack, type ActiveContract, type Proposal } from './state';
import { applyChange, currentTerms, refuseLongTerm, type Amendment, type AmendmentChange, type Terms } from './terms';

/**
 * Supplementary agreements (补充协议): one party proposes, and the agreement
 * takes effect only once the other countersigns (proposed -> countersigned |
 * rejected | withdrawn). The terms in force follow countersigned agreements
 * only; one that takes a scope back opens a partial handover of what the
 * operator held for it.
 */

type Command<T extends ContractCommand['type']> = Extract<ContractCommand, { type: T }>;

/**
 * The changes that change what a statement charges or shows against budget:
 * a shop added or removed changes whose sales the month's commission is on.
 */
const MONEY_CHANGES = new Set<AmendmentChange['type']>([
  'change_service_fee',
  'change_commission_rate',
  'change_commission_base',
  'change_promotion_budget',
  'add_shop',
  'remove_shop',
]);

/**
 * Whether the agreement can take effect on the contract as it stands: within
 * the term, not before the last agreement in force, every change applying to
 * the terms then, and no month already stated changed. Checked when it is
 * proposed and again when it is countersigned (the contract may have moved on).
 */
function checkAgreement(state: ActiveContract, { effectiveOn, changes, documentRef }: Amendment): Terms {
  const current = currentTerms(state);
  if (effectiveOn < current.term.startsOn || effectiveOn > current.term.endsOn) {
    throw withFacts(
      invalid(
        'amendment.outside_term',
        `An amendment takes effect within the term (${current.term.startsOn} to ${current.term.endsOn}), not on ${effectiveOn}.`,
      ),
      { effectiveOn, termStartsOn: current.term.startsOn, termEndsOn: current.term.endsOn },
    );
  }
  const latest = state.amendments.at(-1);
  if (latest && effectiveOn < latest.effectiveOn) {
    throw invalid(
      'amendment.out_of_order',
      `An amendment cannot take effect before the previous one (${latest.documentRef}, effective ${latest.effectiveOn}).`,
    );
  }
  const changed = changes.reduce((terms: Terms, change) => {
    const next = applyChange(terms, change);
    if (next instanceof ContractRefused) throw next;
    return next;
  }, current);
  if (changes.some((change) => MONEY_CHANGES.has(change.type)))
    refuseIfStated(state, effectiveOn, `Supplementary agreement ${documentRef}`);
  if (changes.some((change) => change.type === 'extend_term')) {
    refuseLongTerm(changed.term);
    refuseIfStated(state, addDays(current.term.endsOn, 1), `Extending the term of supplementary agreement ${documentRef}`);
  }
  return changed;
}

export function proposeAgreement(command: Command<'ProposeAmendment'>, state: ActiveContract): ContractEvent[] {
  const { type: _type, ...proposal } = command;
  // The id names one proposal: the same again is a retry, whatever became of it since; two proposals never share it.
  const recorded = state.proposals.find((candidate) => candidate.amendment.amendmentId === proposal.amendmentId);
  if (recorded) {
    const { proposedBy, amendment } = recorded;
    if (canonicalJson({ ...amendment, proposedBy }) === canonicalJson(proposal)) return [];
    throw conflict(
      'amendment.already_recorded',
      `Amendment ${proposal.amendmentId} is supplementary agreement ${recorded.amendment.documentRef}.`,
    );
  }
  // A document rejected or withdrawn may be proposed again; one awaiting an answer or in force may not.
  const same = state.proposals.find(
    (candidate) =>
      candidate.amendment.documentRef === proposal.documentRef && (candidate.status === 'proposed' || candidate.status === 'countersigned'),
  );
  if (same) throw conflict('amendment.already_recorded', `Supplementary agreement ${proposal.documentRef} is already ${same.status}.`);
  if (state.amendments.some((amendment) => amendment.documentRef === proposal.documentRef)) {
    throw conflict('amendment.already_recorded', `Supplementary agreement ${proposal.documentRef} is already in force.`);
  }
  checkAgreement(state, proposal);
  return [{ type: 'AmendmentProposed', data: proposal }];
}

/** The proposal a countersignature, rejection or withdrawal answers: it must still await an answer. */
function pendingProposal(
  state: ActiveContract,
  amendmentId: string,
  answer: 'countersigned' | 'rejected' | 'withdrawn',
): Proposal | undefined {
  const proposal = state.proposals.find((candidate) => candidate.amendment.amendmentId === amendmentId);
  if (!proposal) throw notFound('amendment.not_found', 'The contract has no such proposed amendment.');
  if (proposal.status === answer) return undefined;
  if (proposal.status !== 'proposed') {
    throw conflict('amendment.not_proposed', `Supplementary agreement ${proposal.amendment.documentRef} was already ${proposal.status}.`);
  }
  return proposal;
}

export function countersignAgreement(command: Command<'CountersignAmendment'>, state: ActiveContract): ContractEvent[] {
  const proposed = state.proposals.find((candidate) => candidate.amendment.amendmentId === command.amendmentId);
  if (proposed?.proposedBy === command.party) {
    throw invalid(
      'amendment.own_proposal',
      `The ${command.party} proposed ${proposed.amendment.documentRef}: the other party countersigns it.`,
    );
  }
  const proposal = pendingProposal(state, command.amendmentId, 'countersigned');
  if (!proposal) return [];
  const { amendment } = proposal;
  const before = currentTerms(state);
  const after = checkAgreement(state, amendment);
  const { type: _type, ...countersigned } = command;
  const events: ContractEvent[] = [
    { type: 'AmendmentCountersigned', data: countersigned },
    { type: 'ContractAmended', data: amendment },
  ];
  // What the agreement takes back, net: a scope removed and added again in one agreement stays outsourced.
  const removed = before.scopes.filter((scope) => !after.scopes.includes(scope));
  // Only the accounts still to come back: not one deregistered, handed back, or on an earlier partial handover.
  const items = derivePartialChecklist(removed, accountsToComeBack(state));
  if (items.length > 0) {
    events.push({
      type: 'PartialHandoverStarted',
      data: { handoverId: amendment.amendmentId, scopes: removed, effectiveOn: amendment.effectiveOn, items },
    });
  }
  return events;
}

export function rejectAgreement(command: Command<'RejectAmendment'>, state: ActiveContract): ContractEvent[] {
  const proposal = pendingProposal(state, command.amendmentId, 'rejected');
  if (!proposal) return [];
  if (proposal.proposedBy === command.party) {
    throw invalid(
      'amendment.own_proposal',
      `The ${command.party} proposed ${proposal.amendment.documentRef}: it withdraws it rather than rejects it.`,
    );
  }
  const { type: _type, ...rejected } = command;
  return [{ type: 'AmendmentRejected', data: rejected }];
}

export function withdrawAgreement(command: Command<'WithdrawAmendment'>, state: ActiveContract): ContractEvent[] {
  if (!pendingProposal(state, command.amendmentId, 'withdrawn')) return [];
  const { type: _type, ...withdrawn } = command;
  return [{ type: 'AmendmentWithdrawn', data: withdrawn }];
}
