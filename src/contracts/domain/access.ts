import type { Principal } from '../../shared/identity';
import type { ContractCommand } from './commands';
import type { HandoverItem } from './handover';
import { contractNotFound, forbidden } from './errors';
import { handoverOf, type ContractState, type ExistingContract } from './state';
import type { Party } from './terms';
import { DUTY_OWED_BY } from './duties';

/**
 * Who may see and do what, per contract (object-level authorization): role
 * checks alone would let one brand act on another brand's contract.
 */

/** The principal the service's expiry scheduler acts as: the only one that records expiries. */
export const EXPIRY_SCHEDULER: Principal = { keyId: 'service:expiry-scheduler', role: 'admin' };

/** The side of a contract a brand or operator principal acts for, if it is that party of this contract. */
function sideOf(principal: Principal, state: ExistingContract): Party | undefined {
  if (principal.role === 'brand' && state.brand.partyId === principal.partyId) return 'brand';
  if (principal.role === 'operator' && state.operator.partyId === principal.partyId) return 'operator';
  return undefined;
}

/** Whether the principal may know the contract exists. */
export function canSee(principal: Principal, state: ContractState): boolean {
  if (state.status === 'none') return false;
  switch (principal.role) {
    case 'admin':
    case 'auditor':
      return true;
    case 'coordinator':
      return state.status === 'terminated' || state.status === 'closed';
    case 'brand':
    case 'operator':
      return sideOf(principal, state) !== undefined;
  }
}

/** Throws unless the principal may see the contract: a contract it may not see does not exist for it. */
export function requireVisible(principal: Principal, state: ContractState): asserts state is ExistingContract {
  if (!canSee(principal, state)) throw contractNotFound();
}

/**
 * Whether the principal may read the contract's money (its sales, statements
 * and payments): its own brand and operator, auditors and admins. A
 * termination coordinator drives the handover and never sees the money.
 */
export function canSeeLedger(principal: Principal, state: ContractState): boolean {
  return canSee(principal, state) && principal.role !== 'coordinator';
}

/** Throws unless the principal may read the ledger: 404 when it may not see the contract, 403 when it sees it but not its money. */
export function requireLedgerVisible(principal: Principal, state: ContractState): asserts state is ExistingContract {
  requireVisible(principal, state);
  if (!canSeeLedger(principal, state)) {
    throw forbidden('access.ledger_forbidden', "A termination coordinator drives the handover and does not see the contract's money.");
  }
}

/**
 * Throws unless the principal may read the contract's raw history (its
 * events, which hold the ledger's sales, statements and payments): those who
 * may read the ledger. A coordinator who sees the contract gets 403; the
 * integrity verdict, which shows no event, stays open to it.
 */
export function requireHistoryVisible(principal: Principal, state: ContractState): asserts state is ExistingContract {
  requireVisible(principal, state);
  if (!canSeeLedger(principal, state)) {
    throw forbidden(
      'access.history_forbidden',
      "The contract's events hold its money; a termination coordinator reads the handover checklist and the integrity verdict instead.",
    );
  }
}

/**
 * Throws unless the principal may issue the command on this contract: 404
 * when it may not even see it, 403 when it sees it but may not do this.
 */
export function authorize(principal: Principal, command: ContractCommand, state: ContractState): void {
  if (command.type === 'DraftContract') return authorizeDraft(principal, command);
  // Before any other check (If-Match, Idempotency-Key): a contract that does
  // not exist and one the principal may not see get the very same answer.
  requireVisible(principal, state);
  // Before the admin's pass: the service records expiries, as no key can (no key's id has a colon).
  if (command.type === 'RecordExpiry') {
    if (principal.keyId !== EXPIRY_SCHEDULER.keyId)
      throw forbidden('access.service_only', 'The service records an expiry when the term runs out.');
    return;
  }
  if (principal.role === 'admin') return;
  if (principal.role === 'auditor') throw forbidden('access.read_only', 'An auditor reads everything and changes nothing.');
  if (principal.role === 'coordinator') {
    if (command.type !== 'CompleteHandoverItem') {
      throw forbidden('access.coordinator', 'A termination coordinator completes handover items and nothing else.');
    }
    // The final settlement is the parties' agreement on the ledger's open figures, which a coordinator does not see.
    if (itemOf(state, command.handoverId, command.itemId)?.kind === 'final_settlement') {
      throw forbidden(
        'access.settlement_by_parties',
        'The brand and the operator agree the final settlement; a coordinator does not complete it.',
      );
    }
    return;
  }
  const side = sideOf(principal, state)!;
  const other: Party = side === 'brand' ? 'operator' : 'brand';
  const refuse = (message: string): never => {
    throw forbidden('access.not_your_side', message);
  };
  switch (command.type) {
    case 'SignContract':
      if (command.party !== side) refuse(`A ${side} key signs only as the ${side}.`);
      return;
    case 'SignOffHandover':
      if (command.party !== side) refuse(`A ${side} key signs off only as the ${side}.`);
      return;
    case 'ProposeAmendment':
      if (command.proposedBy !== side) refuse(`A ${side} key proposes agreements only as the ${side}.`);
      return;
    case 'CountersignAmendment':
    case 'RejectAmendment':
    case 'ProposeItemWaiver':
    case 'AgreeItemWaiver':
    case 'DisputeHandoverItem':
      if (command.party !== side) refuse(`A ${side} key acts only as the ${side}.`);
      return;
    case 'WithdrawAmendment': {
      const proposal = state.proposals.find((candidate) => candidate.amendment.amendmentId === command.amendmentId);
      if (proposal && proposal.proposedBy !== side) refuse(`The ${proposal.proposedBy}, who proposed it, withdraws it.`);
      return;
    }
    case 'TerminateContract':
      if (command.initiatedBy !== side) refuse(`A ${side} key terminates only as the ${side}.`);
      return;
    case 'ReportDutyIncident':
      // The party owed the duty reports, in its own name (the decider refuses a party reporting on its own duty).
      if (command.reportedBy !== side) refuse(`A ${side} key reports incidents only as the ${side}.`);
      return;
    case 'AcknowledgeDutyIncident':
    case 'ContestDutyIncident': {
      const incident = state.incidents.find((candidate) => candidate.incidentId === command.incidentId);
      if (incident && DUTY_OWED_BY[incident.duty] !== side)
        refuse(`The ${DUTY_OWED_BY[incident.duty]}, who owes ${incident.duty}, answers it.`);
      return;
    }
    case 'NoticeBreach':
      // A party serves notice of the other party's breach, never one in the other's name.
      if (command.breachingParty !== other) refuse(`A ${side} key serves notice of breaches by the ${other}.`);
      return;
    case 'AcknowledgeBreach':
    case 'ContestBreach':
    case 'ClaimBreachCure': {
      const breach = state.breaches.find((candidate) => candidate.breachId === command.breachId);
      if (breach && breach.breachingParty !== side) refuse(`The ${breach.breachingParty}, on whom the notice was served, answers it.`);
      return;
    }
    case 'AcceptBreachCure':
    case 'RejectBreachCure': {
      const breach = state.breaches.find((candidate) => candidate.breachId === command.breachId);
      if (breach && breach.breachingParty === side) refuse(`The ${other}, who served the notice, answers the cure.`);
      return;
    }
    case 'RegisterAccount':
      // The operator declares what it runs; the brand may declare what it knows the operator holds.
      if ((command.declaredBy ?? 'operator') !== side) refuse(`A ${side} key declares accounts only as the ${side}.`);
      return;
    case 'DeregisterAccount':
    case 'WithdrawDraft':
      if (command.party !== side) refuse(`A ${side} key acts only as the ${side}.`);
      return;
    case 'GrantAuthorization':
    case 'RevokeAuthorization':
      if (side !== 'brand') refuse('The brand grants and revokes its authorizations.');
      return;
    case 'CompleteHandoverItem': {
      const item = itemOf(state, command.handoverId, command.itemId);
      if (item && item.responsibleParty !== side && item.responsibleParty !== 'both') {
        refuse(`Item ${item.itemId} is the ${item.responsibleParty}'s to complete.`);
      }
      return;
    }
    case 'ReportSales':
    case 'ReportPromotionSpend':
    case 'IssueStatement':
      if (side !== 'operator') refuse('The operator reports sales and promotion spend and issues statements.');
      return;
    case 'ConfirmSalesReport':
    case 'DisputeSalesReport':
    case 'RecordPayment':
      if (side !== 'brand') refuse('The brand confirms or disputes sales reports and pays statements.');
      return;
    default: {
      // A new command type fails to compile here until its rule is written; at run time, deny.
      const unruled: never = command;
      throw forbidden('access.no_rule', `No access rule allows ${(unruled as { type: string }).type}.`);
    }
  }
}

/** The handover item a completion names, if the contract is in handover and has it (else the decider answers why not). */
function itemOf(state: ExistingContract, handoverId: string | undefined, itemId: string): HandoverItem | undefined {
  return handoverOf(state, handoverId)?.items.find((candidate) => candidate.itemId === itemId);
}

function authorizeDraft(principal: Principal, command: Extract<ContractCommand, { type: 'DraftContract' }>): void {
  if (principal.role === 'admin') return;
  const party = principal.role === 'brand' ? command.brand : principal.role === 'operator' ? command.operator : undefined;
  if (!party) throw forbidden('access.cannot_draft', `A ${principal.role} key cannot draft contracts.`);
  if (party.partyId !== principal.partyId) {
    throw forbidden(
      'access.not_your_party',
      `A ${principal.role} key drafts only contracts where it is the ${principal.role} (${principal.partyId}).`,
    );
  }
  // The drafter is the one that may withdraw the draft: a key drafts in its own name only.
  if (command.draftedBy !== undefined && command.draftedBy !== principal.role) {
    throw forbidden('access.not_your_side', `A ${principal.role} key drafts only as the ${principal.role}.`);
  }
}
