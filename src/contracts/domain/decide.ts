import { addDays } from '../../shared/calendar';
import { assertNever } from '../../shared/errors';
import { countersignAgreement, proposeAgreement, rejectAgreement, withdrawAgreement } from './agreements';
import { parseCommand, type ContractCommand } from './commands';
import { conflict, contractNotFound, invalid, notFound, withFacts } from './errors';
import { decideDuty, refuseBreachGrounds, type RunningOrEnded } from './notice-and-cure';
import type { AuthorizationType, ContractEvent, TerminationGrounds } from './events';
import { deriveChecklist, type HandoverItem } from './handover';
import { agreeWaiver, completeItem, disputeItem, proposeWaiver, signOff } from './handover-steps';
import {
  accountsToComeBack,
  type ActiveContract,
  type ClosedContract,
  type ContractState,
  type ExistingContract,
  type TerminatedContract,
} from './state';
import { decideLedger, refuseIfStated } from './settlement';
import { currentTerms, otherParty, refuseLongTerm, termsInForce, type Party, type Terms } from './terms';

type Command<T extends ContractCommand['type']> = Extract<ContractCommand, { type: T }>;

/**
 * Decides what a command means for a contract: the events to record, none
 * when there is nothing to do, or a {@link ContractRefused} (also for a
 * command that does not match its schema). Pure: no I/O,
 * no clock, no random ids, so it can be re-run on fresh state after a
 * concurrent write.
 */
export function decide(candidate: ContractCommand, state: ContractState): ContractEvent[] {
  // The command's types are a promise of the caller; the schema is checked here, whoever called.
  const command = parseCommand(candidate);
  if (command.type === 'DraftContract') return draft(command, state);
  if (state.status === 'none') throw contractNotFound();
  if (state.status === 'withdrawn') {
    throw conflict(
      'contract.withdrawn',
      `The ${state.withdrawn.party} withdrew this draft on ${state.withdrawn.withdrawnOn}: it never took effect.`,
    );
  }

  switch (command.type) {
    case 'WithdrawDraft':
      return withdrawDraft(command, state);
    case 'SignContract':
      return sign(command, state);
    case 'ProposeAmendment':
      return proposeAgreement(command, requireActive(state, 'amended'));
    case 'CountersignAmendment':
      return countersignAgreement(command, requireActive(state, 'amended'));
    case 'RejectAmendment':
      return rejectAgreement(command, requireActive(state, 'amended'));
    case 'WithdrawAmendment':
      return withdrawAgreement(command, requireActive(state, 'amended'));
    case 'RegisterAccount':
      return registerAccount(command, requireRunning(state));
    case 'DeregisterAccount':
      return deregisterAccount(command, requireRunning(state));
    case 'GrantAuthorization':
      return grantAuthorization(command, requireRunning(state));
    case 'RevokeAuthorization':
      return revokeAuthorization(command, requireRunning(state));
    case 'ReportDutyIncident':
    case 'AcknowledgeDutyIncident':
    case 'ContestDutyIncident':
    case 'NoticeBreach':
    case 'AcknowledgeBreach':
    case 'ContestBreach':
    case 'ClaimBreachCure':
    case 'AcceptBreachCure':
    case 'RejectBreachCure':
      return decideDuty(command, requireRunningOrEnded(state));
    case 'TerminateContract':
      return terminate(command, state);
    case 'RecordExpiry':
      return recordExpiry(command, state);
    case 'CompleteHandoverItem':
      return completeItem(command, state);
    case 'ProposeItemWaiver':
      return proposeWaiver(command, state);
    case 'AgreeItemWaiver':
      return agreeWaiver(command, state);
    case 'DisputeHandoverItem':
      return disputeItem(command, state);
    case 'SignOffHandover':
      return signOff(command, state);
    case 'ReportSales':
    case 'ConfirmSalesReport':
    case 'DisputeSalesReport':
    case 'ReportPromotionSpend':
    case 'IssueStatement':
      return decideLedger(command, requireServed(state));
    case 'RecordPayment':
      return decideLedger(command, requirePayable(state));
    default:
      return assertNever(command);
  }
}

function draft(command: Command<'DraftContract'>, state: ContractState): ContractEvent[] {
  if (state.status !== 'none') throw conflict('contract.already_exists', 'A contract with this id already exists.');
  const { contractId, brand, operator, terms, consultingFee, draftedBy } = command;
  if (terms.term.endsOn <= terms.term.startsOn) {
    throw invalid('contract.term_ends_before_start', 'The term must end after it starts.');
  }
  refuseLongTerm(terms.term);
  if (terms.scopes.length === 0) throw invalid('contract.no_scope', 'A contract outsources at least one scope.');
  if (new Set(terms.scopes).size !== terms.scopes.length) {
    throw invalid('contract.duplicate_scope', 'Each scope is outsourced once.');
  }
  const conditionIds = terms.terminationConditions.map((condition) => condition.conditionId);
  if (new Set(conditionIds).size !== conditionIds.length) {
    throw invalid('contract.duplicate_condition', 'Each stipulated termination condition has its own conditionId.');
  }
  if (brand.partyId === operator.partyId) {
    throw invalid('contract.same_parties', 'The brand and the operator are different parties.');
  }
  if (consultingFee && consultingFee.paidOn > terms.term.startsOn) {
    throw invalid('contract.consulting_fee_after_start', 'The consulting fee is paid before the contract starts.');
  }
  return [
    {
      type: 'ContractDrafted',
      data: { contractId, brand, operator, terms, ...(consultingFee ? { consultingFee } : {}), ...(draftedBy ? { draftedBy } : {}) },
    },
  ];
}

function sign(command: Command<'SignContract'>, state: ExistingContract): ContractEvent[] {
  const { party, signatory, signedOn } = command;
  if (state.status !== 'drafted' || state.signatures[party]) {
    throw conflict('contract.already_signed', `The ${party} has already signed this contract.`);
  }
  const signed: ContractEvent = { type: 'ContractSigned', data: { party, signatory, signedOn } };
  const other = state.signatures[otherParty(party)];
  if (!other) return [signed];
  const activatedOn = other.signedOn > signedOn ? other.signedOn : signedOn;
  return [signed, { type: 'ContractActivated', data: { activatedOn } }];
}

/** Only the drafting party takes its draft back, and only before both have signed (then it is in force). */
function withdrawDraft(command: Command<'WithdrawDraft'>, state: ExistingContract): ContractEvent[] {
  if (state.status !== 'drafted') throw conflict('contract.not_draft', `Only a draft can be withdrawn; this contract is ${state.status}.`);
  if (state.draftedBy && state.draftedBy !== command.party) {
    throw invalid('contract.not_drafter', `The ${state.draftedBy} drafted this contract: only it may withdraw the draft.`);
  }
  const { type: _type, ...withdrawn } = command;
  return [{ type: 'DraftWithdrawn', data: withdrawn }];
}

function registerAccount(command: Command<'RegisterAccount'>, state: ActiveContract): ContractEvent[] {
  const { type: _type, ...account } = command;
  const { platform, accountName } = account;
  // The name first: it tells accounts apart, so the scan over a long contract's accounts mostly stops at it.
  const same = state.accounts.find((held) => held.accountName === accountName && held.platform === platform && held.registered);
  if (same) throw conflict('account.already_registered', `${platform} account "${accountName}" is already registered.`);
  // A logistics account once logistics is taken back (even by an agreement not yet effective) would miss the partial
  // handover derived when the agreement was countersigned.
  if (account.accountKind === 'logistics_account' && !currentTerms(state).scopes.includes('logistics')) {
    throw conflict('account.scope_taken_back', 'Logistics is taken back from the operator: it registers no logistics account.');
  }
  return [{ type: 'AccountRegistered', data: account }];
}

/**
 * The operator asks to take an account off the contract and the brand
 * acknowledges it (or deregisters it outright): an account never silently
 * drops off what must come back.
 */
function deregisterAccount(command: Command<'DeregisterAccount'>, state: ActiveContract): ContractEvent[] {
  const { accountId, party, reason } = command;
  const account = state.accounts.find((candidate) => candidate.accountId === accountId);
  if (!account) throw notFound('account.not_found', 'The contract has no such account.');
  if (!account.registered) return [];
  if (party === 'brand') return [{ type: 'AccountDeregistered', data: { accountId } }];
  if (account.deregistrationRequested) return [];
  return [{ type: 'AccountDeregistrationRequested', data: { accountId, reason } }];
}

/** Which clause must allow an authorization type; types not listed need none. */
const CLAUSE_FOR: Partial<Record<AuthorizationType, keyof Terms['clauses']>> = {
  online_distribution: 'onlineDistributionAuthorized',
  rights_enforcement: 'rightsEnforcementAuthorized',
};

function grantAuthorization(command: Command<'GrantAuthorization'>, state: ExistingContract): ContractEvent[] {
  const { authorizationId, authorizationType, platform, documentRef } = command;
  const clause = CLAUSE_FOR[authorizationType];
  if (clause && !currentTerms(state).clauses[clause]) {
    throw invalid(
      'authorization.not_allowed_by_clauses',
      `The contract's clauses do not authorize ${authorizationType.replace('_', ' ')}.`,
    );
  }
  return [{ type: 'AuthorizationGranted', data: { authorizationId, authorizationType, platform, documentRef } }];
}

function revokeAuthorization(command: Command<'RevokeAuthorization'>, state: ExistingContract): ContractEvent[] {
  const { authorizationId, documentRef, revokedOn } = command;
  const authorization = state.authorizations.find((candidate) => candidate.authorizationId === authorizationId);
  if (!authorization) throw notFound('authorization.not_found', 'The contract has no such authorization.');
  if (authorization.revoked) return [];
  return [{ type: 'AuthorizationRevoked', data: { authorizationId, documentRef, revokedOn } }];
}

function terminate(command: Command<'TerminateContract'>, state: ExistingContract): ContractEvent[] {
  const { initiatedBy, grounds, effectiveOn } = command;
  if (state.status === 'terminated' || state.status === 'closed') {
    throw conflict('contract.already_terminated', 'The contract is already terminated.');
  }
  const active = requireActive(state, 'terminated');
  const terms = currentTerms(active);
  if (effectiveOn < terms.term.startsOn) {
    throw invalid('termination.before_start', `A termination takes effect on or after the term starts (${terms.term.startsOn}).`);
  }
  checkGrounds(grounds, initiatedBy, effectiveOn, active);
  if (effectiveOn < terms.term.endsOn) refuseIfStated(active, addDays(effectiveOn, 1), `A termination effective ${effectiveOn}`);
  return [
    { type: 'ContractTerminated', data: { initiatedBy, grounds, effectiveOn } },
    { type: 'HandoverStarted', data: { items: finalChecklist(active, effectiveOn) } },
  ];
}

/** What must come back when the contract ends on a date: everything the operator still holds, and the scopes in force then. */
function finalChecklist(state: ActiveContract, effectiveOn: string): HandoverItem[] {
  const inForce = termsInForce(state.originalTerms, state.amendments, effectiveOn);
  // A scope an agreement takes back after this date is still in force on it, yet its partial handover already brings it back.
  const takenBackLater = new Set(
    state.partialHandovers.filter((partial) => partial.effectiveOn > effectiveOn).flatMap((partial) => partial.scopes),
  );
  return deriveChecklist({
    accounts: accountsToComeBack(state),
    authorizations: state.authorizations.filter((authorization) => !authorization.revoked),
    scopes: inForce.scopes.filter((scope) => !takenBackLater.has(scope)),
  });
}

/**
 * If either party breaches, the other may terminate once the cure period has
 * run; expiry only once the term has run; a stipulated condition only if the
 * terms list it. Other grounds end the contract within its term.
 */
function checkGrounds(grounds: TerminationGrounds, initiatedBy: Party, effectiveOn: string, state: ActiveContract): void {
  const { startsOn, endsOn } = currentTerms(state).term;
  if (grounds.type !== 'expiry' && effectiveOn > endsOn) {
    throw withFacts(
      invalid('termination.after_term', `The term ends on ${endsOn}: a termination effective ${effectiveOn} comes after it expired.`),
      { effectiveOn, termStartsOn: startsOn, termEndsOn: endsOn },
    );
  }
  switch (grounds.type) {
    case 'breach':
      return refuseBreachGrounds(state, grounds.breachId, initiatedBy, effectiveOn);
    case 'expiry':
      if (effectiveOn < endsOn) {
        throw withFacts(invalid('termination.before_expiry', `The term only expires on ${endsOn}, not ${effectiveOn}.`), {
          effectiveOn,
          termEndsOn: endsOn,
        });
      }
      return;
    case 'stipulated_condition':
      return refuseUnstipulated(grounds, termsInForce(state.originalTerms, state.amendments, effectiveOn));
    case 'mutual_agreement':
      return;
    default:
      assertNever(grounds);
  }
}

/** A termination on a stipulated condition cites one the terms in force list, by its id. */
function refuseUnstipulated(grounds: Extract<TerminationGrounds, { type: 'stipulated_condition' }>, terms: Terms): void {
  const listed = terms.terminationConditions.map((condition) => condition.conditionId);
  const stipulated = listed.length > 0 ? `the terms stipulate ${listed.join(', ')}` : 'the terms stipulate none';
  if (grounds.conditionId === undefined || grounds.clause !== undefined) {
    throw invalid('termination.condition_not_cited', `A termination on a stipulated condition cites its conditionId (${stipulated}).`);
  }
  if (!listed.includes(grounds.conditionId)) {
    throw invalid('termination.condition_not_stipulated', `Condition ${grounds.conditionId} is not among the contract's: ${stipulated}.`);
  }
}

/**
 * The term ran out with nothing else ending the contract: it expires on its
 * end date, and the handover starts as at any termination. The scheduler
 * issues it on the business date it runs; on a contract already ended there
 * is nothing to do (another instance, or a party, was first).
 */
function recordExpiry(command: Command<'RecordExpiry'>, state: ExistingContract): ContractEvent[] {
  if (state.status === 'terminated' || state.status === 'closed') return [];
  const active = requireActive(state, 'expired');
  const { endsOn } = currentTerms(active).term;
  if (command.today < endsOn) {
    throw withFacts(conflict('contract.not_expired', `The term ends on ${endsOn}; on ${command.today} it still runs.`), {
      today: command.today,
      termEndsOn: endsOn,
    });
  }
  return [
    { type: 'ContractExpired', data: { expiredOn: endsOn } },
    { type: 'HandoverStarted', data: { items: finalChecklist(active, endsOn) } },
  ];
}

function requireActive(state: ExistingContract, what: string): ActiveContract {
  if (state.status !== 'active') {
    throw conflict('contract.not_active', `Only an active contract can be ${what}; this one is ${state.status}.`);
  }
  return state;
}

/** Duties are recorded while the contract runs; their answers may still come once it has ended (decideDuty says which). */
function requireRunningOrEnded(state: ExistingContract): RunningOrEnded {
  if (state.status === 'active' || state.status === 'terminated') return state;
  if (state.status === 'closed') throw conflict('contract.closed', 'The handover is signed off and the contract closed.');
  return requireActive(state, 'answered for its duties');
}

/** Accounts and authorizations are recorded while the contract runs: not on a draft, not after its end. */
function requireRunning(state: ExistingContract): ActiveContract {
  if (state.status === 'drafted')
    throw conflict('contract.not_active', 'Accounts and authorizations are recorded once both parties have signed.');
  if (state.status !== 'active') {
    throw conflict('contract.ended', `The contract is ${state.status}: the handover checklist now governs what comes back.`);
  }
  return state;
}

/**
 * Payments go on after the contract is closed too: the final settlement
 * agrees what is open, and the brand pays it afterwards.
 */
function requirePayable(state: ExistingContract): ActiveContract | TerminatedContract | ClosedContract {
  if (state.status === 'drafted' || state.status === 'withdrawn') {
    throw conflict('contract.not_active', 'The ledger starts once both parties have signed.');
  }
  return state;
}

/** The ledger runs while the contract is in force and through its handover, when the last months are settled. */
function requireServed(state: ExistingContract): ActiveContract | TerminatedContract {
  const signed = requirePayable(state);
  if (signed.status === 'closed') throw conflict('contract.closed', 'The handover is signed off and the contract closed.');
  return signed;
}
