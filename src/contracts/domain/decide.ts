import { canonicalJson } from '../../shared/canonical-json';
import { assertNever } from '../../shared/errors';
import { parseCommand, type ContractCommand } from './commands';
import { ContractRefused, conflict, contractNotFound, invalid, notFound } from './errors';
import type { AuthorizationType, ContractEvent, TerminationGrounds } from './events';
import { deriveChecklist, type HandoverEvidence } from './handover';
import {
  openItems,
  type ActiveContract,
  type ClosedContract,
  type ContractRecord,
  type ContractState,
  type DraftedContract,
  type ExistingContract,
  type TerminatedContract,
} from './state';
import { checkFinalSettlement, decideLedger, refuseIfStated } from './settlement';
import {
  applyChange,
  LAST_TERM_DAY,
  latestTermEnd,
  MAX_TERM_YEARS,
  otherParty,
  termsInForce,
  type AmendmentChange,
  type Party,
  type Term,
  type Terms,
} from './terms';
import { addDays } from '../../shared/calendar';

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

  switch (command.type) {
    case 'SignContract':
      return sign(command, state);
    case 'AmendContract':
      return amend(command, requireActive(state, 'amended'));
    case 'RegisterAccount':
      return registerAccount(command, requireOpen(state));
    case 'DeregisterAccount':
      return deregisterAccount(command, requireOpen(state));
    case 'GrantAuthorization':
      return grantAuthorization(command, requireOpen(state));
    case 'RevokeAuthorization':
      return revokeAuthorization(command, requireOpen(state));
    case 'RecordBreach':
      return recordBreach(command, requireActive(state, 'breached'));
    case 'CureBreach':
      return cureBreach(command, requireActive(state, 'cured of a breach'));
    case 'TerminateContract':
      return terminate(command, state);
    case 'CompleteHandoverItem':
      return completeItem(command, requireHandover(state));
    case 'SignOffHandover':
      return signOff(command, requireHandover(state));
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
  const { contractId, brand, operator, terms, consultingFee } = command;
  if (terms.term.endsOn <= terms.term.startsOn) {
    throw invalid('contract.term_ends_before_start', 'The term must end after it starts.');
  }
  refuseLongTerm(terms.term);
  if (terms.scopes.length === 0) throw invalid('contract.no_scope', 'A contract outsources at least one scope.');
  if (new Set(terms.scopes).size !== terms.scopes.length) {
    throw invalid('contract.duplicate_scope', 'Each scope is outsourced once.');
  }
  if (brand.partyId === operator.partyId) {
    throw invalid('contract.same_parties', 'The brand and the operator are different parties.');
  }
  if (consultingFee && consultingFee.paidOn > terms.term.startsOn) {
    throw invalid('contract.consulting_fee_after_start', 'The consulting fee is paid before the contract starts.');
  }
  return [{ type: 'ContractDrafted', data: { contractId, brand, operator, terms, ...(consultingFee ? { consultingFee } : {}) } }];
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

function amend(command: Command<'AmendContract'>, state: ActiveContract): ContractEvent[] {
  const { amendmentId, documentRef, effectiveOn, changes } = command;
  const current = currentTerms(state);
  if (effectiveOn < current.term.startsOn || effectiveOn > current.term.endsOn) {
    throw invalid(
      'amendment.outside_term',
      `An amendment takes effect within the term (${current.term.startsOn} to ${current.term.endsOn}).`,
    );
  }
  const latest = state.amendments.at(-1);
  if (latest && effectiveOn < latest.effectiveOn) {
    throw invalid(
      'amendment.out_of_order',
      `An amendment cannot take effect before the previous one (${latest.documentRef}, effective ${latest.effectiveOn}).`,
    );
  }
  if (state.amendments.some((amendment) => amendment.documentRef === documentRef)) {
    throw conflict('amendment.already_recorded', `Supplementary agreement ${documentRef} is already recorded.`);
  }
  const changed = changes.reduce(applyOrRefuse, current);
  if (changes.some((change) => MONEY_CHANGES.has(change.type)))
    refuseIfStated(state, effectiveOn, `Supplementary agreement ${documentRef}`);
  if (changes.some((change) => change.type === 'extend_term')) {
    refuseLongTerm(changed.term);
    refuseIfStated(state, addDays(current.term.endsOn, 1), `Extending the term of supplementary agreement ${documentRef}`);
  }
  return [{ type: 'ContractAmended', data: { amendmentId, documentRef, effectiveOn, changes } }];
}

/**
 * A term of at most {@link MAX_TERM_YEARS} years, ending by {@link LAST_TERM_DAY}:
 * the ledger steps through every month and day of it, and one without end in
 * sight (through 9999-12-31, where dates stop sorting as strings) is no contract.
 */
function refuseLongTerm({ startsOn, endsOn }: Term): void {
  const latest = latestTermEnd(startsOn);
  if (endsOn > latest) {
    throw invalid(
      'contract.term_too_long',
      `A term lasts at most ${MAX_TERM_YEARS} years and ends by ${LAST_TERM_DAY}: one from ${startsOn} ends by ${latest}, not ${endsOn}.`,
    );
  }
}

/**
 * The changes that change a stated month: what its statement charges, and the
 * promotion budget committed for it (the ledger shows the month's spend against it).
 */
const MONEY_CHANGES = new Set<AmendmentChange['type']>([
  'change_service_fee',
  'change_commission_rate',
  'change_commission_base',
  'change_promotion_budget',
]);

function applyOrRefuse(terms: Terms, change: AmendmentChange): Terms {
  const changed = applyChange(terms, change);
  if (changed instanceof ContractRefused) throw changed;
  return changed;
}

function registerAccount(command: Command<'RegisterAccount'>, state: ExistingContract): ContractEvent[] {
  const { accountId, platform, accountName, accountKind } = command;
  // The name first: it tells accounts apart, so the scan over a long contract's accounts mostly stops at it.
  const same = state.accounts.find((account) => account.accountName === accountName && account.platform === platform && account.registered);
  if (same) throw conflict('account.already_registered', `${platform} account "${accountName}" is already registered.`);
  return [{ type: 'AccountRegistered', data: { accountId, platform, accountName, accountKind } }];
}

function deregisterAccount(command: Command<'DeregisterAccount'>, state: ExistingContract): ContractEvent[] {
  const account = state.accounts.find((candidate) => candidate.accountId === command.accountId);
  if (!account) throw notFound('account.not_found', 'The contract has no such account.');
  return account.registered ? [{ type: 'AccountDeregistered', data: { accountId: account.accountId } }] : [];
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

function recordBreach(command: Command<'RecordBreach'>, state: ActiveContract): ContractEvent[] {
  const { type: _type, ...data } = command;
  if (data.occurredOn < currentTerms(state).term.startsOn) {
    throw invalid('breach.before_term', 'A breach occurs within the term.');
  }
  return [{ type: 'BreachRecorded', data }];
}

function cureBreach(command: Command<'CureBreach'>, state: ActiveContract): ContractEvent[] {
  const breach = state.breaches.find((candidate) => candidate.breachId === command.breachId);
  if (!breach) throw notFound('breach.not_found', 'The contract has no such breach.');
  if (breach.curedOn) return [];
  if (command.curedOn < breach.occurredOn) {
    throw invalid('breach.cured_before_it_occurred', `The breach occurred on ${breach.occurredOn}; it cannot be cured before.`);
  }
  return [{ type: 'BreachCured', data: { breachId: breach.breachId, curedOn: command.curedOn } }];
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

  const inForce = termsInForce(active.originalTerms, active.amendments, effectiveOn);
  const items = deriveChecklist({
    accounts: active.accounts.filter((account) => account.registered),
    authorizations: active.authorizations.filter((authorization) => !authorization.revoked),
    scopes: inForce.scopes,
  });
  return [
    { type: 'ContractTerminated', data: { initiatedBy, grounds, effectiveOn } },
    { type: 'HandoverStarted', data: { items } },
  ];
}

/** If either party breaches, the other may terminate; expiry only once the term has run. */
function checkGrounds(grounds: TerminationGrounds, initiatedBy: Party, effectiveOn: string, state: ActiveContract): void {
  switch (grounds.type) {
    case 'breach': {
      const breach = state.breaches.find((candidate) => candidate.breachId === grounds.breachId);
      if (!breach) throw invalid('termination.breach_not_found', 'The termination names a breach the contract does not record.');
      if (breach.breachingParty === initiatedBy) {
        throw invalid('termination.own_breach', `The ${initiatedBy} cannot terminate for its own breach; only the other party can.`);
      }
      if (breach.curedOn) throw invalid('termination.breach_cured', `That breach was cured on ${breach.curedOn}.`);
      return;
    }
    case 'expiry': {
      const { endsOn } = currentTerms(state).term;
      if (effectiveOn < endsOn) throw invalid('termination.before_expiry', `The term only expires on ${endsOn}.`);
      return;
    }
    case 'mutual_agreement':
    case 'stipulated_condition':
      return;
    default:
      assertNever(grounds);
  }
}

function completeItem(command: Command<'CompleteHandoverItem'>, state: TerminatedContract): ContractEvent[] {
  const { itemId, evidence, completedBy, completedAt } = command;
  const item = state.handover.items.find((candidate) => candidate.itemId === itemId);
  if (!item) throw notFound('handover.item_not_found', 'The handover checklist has no such item.');
  if (evidence.kind !== item.kind) {
    throw invalid('handover.evidence_mismatch', `Item ${itemId} is a ${item.kind} item; the evidence is for ${evidence.kind}.`);
  }
  checkEvidence(evidence);
  const done = state.handover.completions[itemId];
  if (done) {
    if (canonicalJson(done.evidence) === canonicalJson(evidence)) return [];
    throw conflict('handover.item_already_completed', `Item ${itemId} was already completed by ${done.completedBy}.`);
  }
  // After the retry check: payments of what the settlement left open go on, and must not fail its retry.
  if (evidence.kind === 'final_settlement') checkFinalSettlement(state, evidence);
  return [{ type: 'HandoverItemCompleted', data: { itemId, evidence, completedBy, completedAt } }];
}

function checkEvidence(evidence: HandoverEvidence): void {
  if (evidence.kind === 'alipay_reconciliation' && !evidence.withdrawalsConfirmed) {
    throw invalid('handover.withdrawals_unconfirmed', 'The Alipay reconciliation needs every withdrawal confirmed by the brand.');
  }
}

function signOff(command: Command<'SignOffHandover'>, state: TerminatedContract): ContractEvent[] {
  const { party, signatory, signedOffOn } = command;
  if (state.handover.signOffs[party]) throw conflict('handover.already_signed_off', `The ${party} has already signed off.`);
  const open = openItems(state.handover);
  if (open.length > 0) {
    throw conflict(
      'handover.items_open',
      `${open.length} handover item(s) still need evidence: ${open.map((item) => item.itemId).join(', ')}.`,
    );
  }
  const signedOff: ContractEvent = { type: 'HandoverSignedOff', data: { party, signatory, signedOffOn } };
  const other = state.handover.signOffs[otherParty(party)];
  if (!other) return [signedOff];
  const closedOn = other.signedOffOn > signedOffOn ? other.signedOffOn : signedOffOn;
  return [signedOff, { type: 'ContractClosed', data: { closedOn } }];
}

/** The terms after every amendment recorded so far. */
export function currentTerms(state: ContractRecord): Terms {
  return termsInForce(state.originalTerms, state.amendments);
}

function requireActive(state: ExistingContract, what: string): ActiveContract {
  if (state.status !== 'active') {
    throw conflict('contract.not_active', `Only an active contract can be ${what}; this one is ${state.status}.`);
  }
  return state;
}

/** Accounts and authorizations are recorded while the contract is drafted or running, not after. */
function requireOpen(state: ExistingContract): DraftedContract | ActiveContract {
  if (state.status !== 'drafted' && state.status !== 'active') {
    throw conflict('contract.ended', `The contract is ${state.status}: the handover checklist now governs what comes back.`);
  }
  return state;
}

/** The ledger runs while the contract is in force and through its handover, when the last months are settled. */
function requireServed(state: ExistingContract): ActiveContract | TerminatedContract {
  const signed = requirePayable(state);
  if (signed.status === 'closed') throw conflict('contract.closed', 'The handover is signed off and the contract closed.');
  return signed;
}

/**
 * Payments go on after the contract is closed too: the final settlement
 * agrees what is open, and the brand pays it afterwards.
 */
function requirePayable(state: ExistingContract): ActiveContract | TerminatedContract | ClosedContract {
  if (state.status === 'drafted') throw conflict('contract.not_active', 'The ledger starts once both parties have signed.');
  return state;
}

function requireHandover(state: ExistingContract): TerminatedContract {
  if (state.status === 'closed') throw conflict('contract.closed', 'The handover is signed off and the contract closed.');
  if (state.status !== 'terminated') {
    throw conflict('handover.not_started', 'The handover starts when the contract is terminated.');
  }
  return state;
}
