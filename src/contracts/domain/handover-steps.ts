import { canonicalJson } from '../../shared/canonical-json';
import type { ContractCommand } from './commands';
import { conflict, invalid, notFound, withFacts } from './errors';
import type { ContractEvent } from './events';
import type { HandoverEvidence, HandoverItem } from './handover';
import { checkFinalSettlement } from './settlement';
import { handoverOf, openItems, signedOffByBoth, type ExistingContract, type Handover } from './state';
import { otherParty } from './terms';

/**
 * The steps of a handover, final or partial (named by `handoverId`): an
 * item is completed with evidence of its kind, or waived when both parties
 * agree it does not apply, or disputed until one of those resolves it; both
 * parties sign off once nothing is open. The final sign-off closes the
 * contract, and waits for every partial handover.
 */

type Command<T extends ContractCommand['type']> = Extract<ContractCommand, { type: T }>;

/** The handover a step names, still open to steps. */
function handoverFor(state: ExistingContract, handoverId: string | undefined): Handover {
  if (state.status === 'closed') throw conflict('contract.closed', 'The handover is signed off and the contract closed.');
  if (handoverId !== undefined) {
    const partial = state.partialHandovers.find((candidate) => candidate.handoverId === handoverId);
    if (!partial) throw notFound('handover.not_found', 'The contract has no such partial handover.');
    return partial;
  }
  const handover = handoverOf(state, undefined);
  if (!handover) throw conflict('handover.not_started', 'The handover starts when the contract is terminated.');
  return handover;
}

/** The item a step names, and the handover it is on. */
function itemOf(state: ExistingContract, handoverId: string | undefined, itemId: string): { handover: Handover; item: HandoverItem } {
  const handover = handoverFor(state, handoverId);
  const item = handover.items.find((candidate) => candidate.itemId === itemId);
  if (!item) throw notFound('handover.item_not_found', 'The handover checklist has no such item.');
  return { handover, item };
}

/** Refuses a step on an item already done: completed with evidence, or waived. */
function refuseIfDone(handover: Handover, itemId: string): void {
  const completed = handover.completions[itemId];
  if (completed) throw conflict('handover.item_already_completed', `Item ${itemId} was already completed by ${completed.completedBy}.`);
  if (handover.waivers[itemId]) throw conflict('handover.item_waived', `Item ${itemId} was waived: ${handover.waivers[itemId].reason}`);
}

export function completeItem(command: Command<'CompleteHandoverItem'>, state: ExistingContract): ContractEvent[] {
  const { type: _type, handoverId, itemId, evidence } = command;
  const { handover, item } = itemOf(state, handoverId, itemId);
  if (evidence.kind !== item.kind) {
    throw invalid('handover.evidence_mismatch', `Item ${itemId} is a ${item.kind} item; the evidence is for ${evidence.kind}.`);
  }
  checkEvidence(evidence);
  const done = handover.completions[itemId];
  if (done && canonicalJson(done.evidence) === canonicalJson(evidence)) return [];
  refuseIfDone(handover, itemId);
  // After the retry check: payments of what the settlement left open go on, and must not fail its retry.
  if (evidence.kind === 'final_settlement') checkFinalSettlement(state, evidence);
  const { type: _, ...completed } = command;
  return [{ type: 'HandoverItemCompleted', data: completed }];
}

function checkEvidence(evidence: HandoverEvidence): void {
  if (evidence.kind === 'alipay_reconciliation' && !evidence.withdrawalsConfirmed) {
    throw invalid('handover.withdrawals_unconfirmed', 'The Alipay reconciliation needs every withdrawal confirmed by the brand.');
  }
}

export function proposeWaiver(command: Command<'ProposeItemWaiver'>, state: ExistingContract): ContractEvent[] {
  const { handoverId, itemId, party, reason } = command;
  const { handover, item } = itemOf(state, handoverId, itemId);
  if (item.kind === 'final_settlement')
    throw invalid('handover.not_waivable', 'The final settlement always applies: it can be settled at zero.');
  const proposed = handover.waiverProposals[itemId];
  if (proposed && proposed.proposedBy === party && proposed.reason === reason) return [];
  refuseIfDone(handover, itemId);
  if (proposed)
    throw conflict('handover.waiver_pending', `The ${proposed.proposedBy} already proposed to waive item ${itemId}: ${proposed.reason}`);
  return [{ type: 'HandoverItemWaiverProposed', data: { ...(handoverId ? { handoverId } : {}), itemId, proposedBy: party, reason } }];
}

export function agreeWaiver(command: Command<'AgreeItemWaiver'>, state: ExistingContract): ContractEvent[] {
  const { handoverId, itemId, party, signatory } = command;
  const { handover } = itemOf(state, handoverId, itemId);
  const waived = handover.waivers[itemId];
  if (waived && waived.agreedBy === party && waived.signatory === signatory) return [];
  refuseIfDone(handover, itemId);
  const proposed = handover.waiverProposals[itemId];
  if (!proposed)
    throw conflict('handover.no_waiver_proposed', `Nobody proposed to waive item ${itemId}: one party proposes, the other agrees.`);
  if (proposed.proposedBy === party) {
    throw invalid('handover.own_waiver', `The ${party} proposed this waiver: the ${otherParty(party)} agrees to it.`);
  }
  const { proposedBy, reason } = proposed;
  return [
    { type: 'HandoverItemWaived', data: { ...(handoverId ? { handoverId } : {}), itemId, proposedBy, reason, agreedBy: party, signatory } },
  ];
}

export function disputeItem(command: Command<'DisputeHandoverItem'>, state: ExistingContract): ContractEvent[] {
  const { handoverId, itemId, party, reason } = command;
  const { handover } = itemOf(state, handoverId, itemId);
  const disputed = handover.disputes[itemId];
  if (disputed && disputed.disputedBy === party && disputed.reason === reason) return [];
  refuseIfDone(handover, itemId);
  if (disputed)
    throw conflict('handover.item_disputed', `Item ${itemId} is already disputed by the ${disputed.disputedBy}: ${disputed.reason}`);
  return [{ type: 'HandoverItemDisputed', data: { ...(handoverId ? { handoverId } : {}), itemId, disputedBy: party, reason } }];
}

export function signOff(command: Command<'SignOffHandover'>, state: ExistingContract): ContractEvent[] {
  const { handoverId, party, signatory, signedOffOn } = command;
  const handover = handoverFor(state, handoverId);
  if (handover.signOffs[party]) throw conflict('handover.already_signed_off', `The ${party} has already signed off.`);
  // Disputes first: a disputed item is open too, and the dispute is what the parties must settle.
  const disputed = Object.keys(handover.disputes);
  if (disputed.length > 0) throw conflict('handover.items_disputed', `Item(s) still disputed: ${disputed.join(', ')}.`);
  const open = openItems(handover);
  if (open.length > 0) {
    throw conflict(
      'handover.items_open',
      `${open.length} handover item(s) still need evidence or a waiver: ${open.map((item) => item.itemId).join(', ')}.`,
    );
  }
  refuseSignOffBeforeItems(handover, signedOffOn);
  if (handoverId === undefined) {
    const unfinished = state.partialHandovers.filter((partial) => !signedOffByBoth(partial));
    if (unfinished.length > 0) {
      throw conflict(
        'handover.partial_open',
        `The partial handover(s) ${unfinished.map((partial) => partial.handoverId).join(', ')} must be signed off first.`,
      );
    }
  }
  const signedOff: ContractEvent = {
    type: 'HandoverSignedOff',
    data: { ...(handoverId ? { handoverId } : {}), party, signatory, signedOffOn },
  };
  const other = handover.signOffs[otherParty(party)];
  if (!other || handoverId !== undefined) return [signedOff];
  const closedOn = other.signedOffOn > signedOffOn ? other.signedOffOn : signedOffOn;
  return [signedOff, { type: 'ContractClosed', data: { closedOn } }];
}

/** The business date an item's evidence says it was done on. */
function completedOn(evidence: HandoverEvidence): string {
  switch (evidence.kind) {
    case 'credential_handover':
    case 'alipay_handover':
      // The date in the offset the evidence was written in: the date where it happened.
      return evidence.receivedAt.slice(0, 10);
    case 'alipay_reconciliation':
      return evidence.statementDate;
    case 'authorization_revocation':
      return evidence.revokedOn;
    case 'inventory_return':
      return evidence.returnedOn;
    case 'logistics_repointing':
      return evidence.repointedOn;
    case 'final_settlement':
      return evidence.settledOn;
  }
}

/** A sign-off closes the items it signs: it comes on or after the last of them was done. */
function refuseSignOffBeforeItems(handover: Handover, signedOffOn: string): void {
  for (const [itemId, completion] of Object.entries(handover.completions)) {
    const doneOn = completedOn(completion.evidence);
    if (doneOn > signedOffOn) {
      throw withFacts(
        invalid(
          'handover.sign_off_before_item',
          `Item ${itemId} was done on ${doneOn}: a sign-off on ${signedOffOn} would come before it.`,
        ),
        { itemId, completedOn: doneOn, signedOffOn },
      );
    }
  }
}
