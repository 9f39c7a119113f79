import { canonicalJson } from '../../shared/canonical-json';
import { addDays } from '../../shared/calendar';
import { DUTY_OWED_BY, type DutyCommand, type DutyEvent } from './duties';
import { conflict, invalid, notFound, withFacts } from './errors';
import type { ActiveContract, Breach, ContractRecord, TerminatedContract } from './state';
import { currentTerms, otherParty, termsInForce, type Party } from './terms';

/**
 * Incidents of duties, and breach by notice and cure: a notice cites
 * incidents or a clause and gives the breaching party the cure period of the
 * terms; only once it has run out without a cure the notifying party
 * accepted may that party terminate for the breach (PRC Civil Code art. 563,
 * 565).
 */

type Command<T extends DutyCommand['type']> = Extract<DutyCommand, { type: T }>;

/** Incidents and notices are recorded while the contract runs; answers and cures may still come during the handover. */
export type RunningOrEnded = ActiveContract | TerminatedContract;

export function decideDuty(command: DutyCommand, state: RunningOrEnded): DutyEvent[] {
  switch (command.type) {
    case 'ReportDutyIncident':
      return reportIncident(command, requireRunning(state));
    case 'AcknowledgeDutyIncident':
    case 'ContestDutyIncident':
      return answerIncident(command, state);
    case 'NoticeBreach':
      return noticeBreach(command, requireRunning(state));
    case 'AcknowledgeBreach':
    case 'ContestBreach':
      return answerBreach(command, state);
    case 'ClaimBreachCure':
      return claimCure(command, requireRunning(state));
    case 'AcceptBreachCure':
    case 'RejectBreachCure':
      return answerCure(command, requireRunning(state));
  }
}

function requireRunning(state: RunningOrEnded): ActiveContract {
  if (state.status !== 'active') {
    throw conflict('contract.not_active', `The contract is ${state.status}: incidents, notices and cures are recorded while it runs.`);
  }
  return state;
}

/** Refuses a date outside the term in force: what the contract governs happens within it. */
function refuseOutsideTerm(state: ContractRecord, date: string, what: string, code: string): void {
  const { startsOn, endsOn } = currentTerms(state).term;
  if (date < startsOn || date > endsOn) {
    throw withFacts(invalid(code, `${what} on ${date} is outside the term, ${startsOn} to ${endsOn}.`), {
      date,
      termStartsOn: startsOn,
      termEndsOn: endsOn,
    });
  }
}

/** Refuses an answer dated before what it answers. */
function refuseBefore(code: string, what: string, date: string, earliest: string, earlier: string): void {
  if (date < earliest) {
    throw withFacts(invalid(code, `${what} on ${date} would come before ${earlier} on ${earliest}.`), { date, earliest });
  }
}

function reportIncident(command: Command<'ReportDutyIncident'>, state: ActiveContract): DutyEvent[] {
  const { type: _type, ...incident } = command;
  const owedBy = DUTY_OWED_BY[incident.duty];
  if (incident.reportedBy === owedBy) {
    throw invalid('incident.own_duty', `The ${owedBy} owes ${incident.duty}: the ${otherParty(owedBy)} reports its incidents.`);
  }
  const recorded = state.incidents.find((candidate) => candidate.incidentId === incident.incidentId);
  if (recorded) {
    const { incidentId, duty, reportedBy, occurredOn, description, evidenceRef } = recorded;
    if (canonicalJson({ incidentId, duty, reportedBy, occurredOn, description, evidenceRef }) === canonicalJson(incident)) return [];
    throw conflict('incident.already_recorded', `Incident ${incident.incidentId} is already recorded.`);
  }
  refuseOutsideTerm(state, incident.occurredOn, 'An incident', 'incident.outside_term');
  return [{ type: 'DutyIncidentReported', data: incident }];
}

/** What the accused party answers to an incident or a notice: it acknowledges it, or contests it with a reason. */
type Answer = { readonly acknowledgedOn: string } | { readonly reason: string; readonly contestedOn: string };
type Answered = { readonly acknowledgedOn?: string; readonly contested?: { readonly reason: string; readonly contestedOn: string } };

/** Whether the answer is the one already given (a retry, which records nothing); another answer once one is given is refused. */
function repeatsAnswer(answered: Answered, answer: Answer, refusal: () => Error): boolean {
  const given = answered.acknowledgedOn !== undefined ? { acknowledgedOn: answered.acknowledgedOn } : answered.contested;
  if (given === undefined) return false;
  if (canonicalJson(given) === canonicalJson(answer)) return true;
  throw refusal();
}

const answeredOn = (answer: Answer) => ('acknowledgedOn' in answer ? answer.acknowledgedOn : answer.contestedOn);

function answerIncident(command: Command<'AcknowledgeDutyIncident' | 'ContestDutyIncident'>, state: RunningOrEnded): DutyEvent[] {
  const { type: _type, incidentId, ...answer } = command;
  const incident = state.incidents.find((candidate) => candidate.incidentId === incidentId);
  if (!incident) throw notFound('incident.not_found', 'The contract has no such incident.');
  const owedBy = DUTY_OWED_BY[incident.duty];
  if (
    repeatsAnswer(incident, answer, () => conflict('incident.already_answered', `The ${owedBy} already answered incident ${incidentId}.`))
  )
    return [];
  refuseBefore('incident.answered_before_it_occurred', 'An answer', answeredOn(answer), incident.occurredOn, 'the incident');
  return [
    command.type === 'AcknowledgeDutyIncident'
      ? { type: 'DutyIncidentAcknowledged', data: { incidentId, acknowledgedOn: command.acknowledgedOn } }
      : { type: 'DutyIncidentContested', data: { incidentId, reason: command.reason, contestedOn: command.contestedOn } },
  ];
}

function noticeBreach(command: Command<'NoticeBreach'>, state: ActiveContract): DutyEvent[] {
  const { type: _type, ...notice } = command;
  const { breachId, breachingParty, clause, incidentIds, noticedOn } = notice;
  if (clause === undefined && incidentIds.length === 0) {
    throw invalid('breach.nothing_cited', 'A breach notice cites the incidents or the clause it is about.');
  }
  if (new Set(incidentIds).size !== incidentIds.length) throw invalid('breach.incident_cited_twice', 'Each incident is cited once.');
  const cureDeadline = addDays(noticedOn, termsInForce(state.originalTerms, state.amendments, noticedOn).curePeriodDays);
  const recorded = state.breaches.find((candidate) => candidate.breachId === breachId);
  if (recorded) {
    if (canonicalJson(noticeOf(recorded)) === canonicalJson({ ...notice, cureDeadline })) return [];
    throw conflict('breach.already_recorded', `Breach notice ${breachId} is already recorded.`);
  }
  refuseOutsideTerm(state, noticedOn, 'A breach notice', 'breach.outside_term');
  for (const incidentId of incidentIds) {
    const incident = state.incidents.find((candidate) => candidate.incidentId === incidentId);
    if (!incident) throw notFound('breach.incident_not_found', `The contract has no incident ${incidentId}.`);
    if (DUTY_OWED_BY[incident.duty] !== breachingParty) {
      throw invalid(
        'breach.incident_of_other_party',
        `Incident ${incidentId} is about ${incident.duty}, which the ${DUTY_OWED_BY[incident.duty]} owes, not the ${breachingParty}.`,
      );
    }
    if (incident.occurredOn > noticedOn) {
      throw withFacts(
        invalid(
          'breach.incident_after_notice',
          `Incident ${incidentId} occurred on ${incident.occurredOn}, after the notice of ${noticedOn}: a notice cites what happened before it.`,
        ),
        { occurredOn: incident.occurredOn, noticedOn },
      );
    }
  }
  return [{ type: 'BreachRecorded', data: { ...notice, cureDeadline } }];
}

/** The notice as its event recorded it. */
function noticeOf(breach: Breach) {
  const { breachId, breachingParty, clause, incidentIds, description, evidenceRef, noticedOn, cureDeadline } = breach;
  return {
    breachId,
    breachingParty,
    ...(clause === undefined ? {} : { clause }),
    incidentIds,
    description,
    evidenceRef,
    noticedOn,
    cureDeadline,
  };
}

function breachOf(state: ContractRecord, breachId: string): Breach {
  const breach = state.breaches.find((candidate) => candidate.breachId === breachId);
  if (!breach) throw notFound('breach.not_found', 'The contract has no such breach notice.');
  return breach;
}

function answerBreach(command: Command<'AcknowledgeBreach' | 'ContestBreach'>, state: RunningOrEnded): DutyEvent[] {
  const { type: _type, breachId, ...answer } = command;
  const breach = breachOf(state, breachId);
  const { breachingParty } = breach;
  if (
    repeatsAnswer(breach, answer, () =>
      conflict('breach.already_answered', `The ${breachingParty} already answered breach notice ${breachId}.`),
    )
  )
    return [];
  refuseBefore('breach.answered_before_notice', 'An answer', answeredOn(answer), breach.noticedOn, 'the notice');
  return [
    command.type === 'AcknowledgeBreach'
      ? { type: 'BreachAcknowledged', data: { breachId, acknowledgedOn: command.acknowledgedOn } }
      : { type: 'BreachContested', data: { breachId, reason: command.reason, contestedOn: command.contestedOn } },
  ];
}

/** A cure after the deadline may still be claimed (the notifying party may accept it), but no longer stops a termination it did not accept. */
function claimCure(command: Command<'ClaimBreachCure'>, state: ActiveContract): DutyEvent[] {
  const { type: _type, ...claim } = command;
  const breach = breachOf(state, claim.breachId);
  if (breach.cured)
    throw conflict('breach.already_cured', `The cure of breach ${breach.breachId} was accepted on ${breach.cured.acceptedOn}.`);
  if (breach.cureClaimed) {
    if (canonicalJson({ breachId: breach.breachId, ...breach.cureClaimed }) === canonicalJson(claim)) return [];
    throw conflict(
      'breach.cure_pending',
      `A cure of ${breach.cureClaimed.curedOn} awaits the ${otherParty(breach.breachingParty)}'s answer.`,
    );
  }
  refuseBefore('breach.cured_before_notice', 'A cure', claim.curedOn, breach.noticedOn, 'the notice');
  return [{ type: 'BreachCureClaimed', data: claim }];
}

function answerCure(command: Command<'AcceptBreachCure' | 'RejectBreachCure'>, state: ActiveContract): DutyEvent[] {
  const breach = breachOf(state, command.breachId);
  const { breachId } = breach;
  // A retry of the answer already given records nothing.
  if (command.type === 'AcceptBreachCure' && breach.cured?.acceptedOn === command.acceptedOn) return [];
  if (
    command.type === 'RejectBreachCure' &&
    !breach.cureClaimed &&
    breach.cureRejected?.reason === command.reason &&
    breach.cureRejected.rejectedOn === command.rejectedOn
  )
    return [];
  if (breach.cured) throw conflict('breach.already_cured', `The cure of breach ${breachId} was accepted on ${breach.cured.acceptedOn}.`);
  const claimed = breach.cureClaimed;
  if (!claimed)
    throw conflict('breach.no_cure_claimed', `The ${breach.breachingParty} has claimed no cure of breach ${breachId} to answer.`);
  if (command.type === 'AcceptBreachCure') {
    refuseBefore('breach.answered_before_cure', 'An acceptance', command.acceptedOn, claimed.curedOn, 'the cure');
    return [{ type: 'BreachCured', data: { breachId, curedOn: claimed.curedOn, acceptedOn: command.acceptedOn } }];
  }
  refuseBefore('breach.answered_before_cure', 'A rejection', command.rejectedOn, claimed.curedOn, 'the cure');
  return [{ type: 'BreachCureRejected', data: { breachId, reason: command.reason, rejectedOn: command.rejectedOn } }];
}

/**
 * Either party may terminate for the other's breach (the source's rule), on
 * top of notice and cure: the notice must be the other party's, the cure
 * period run out by the termination date, and no cure accepted.
 */
export function refuseBreachGrounds(state: ContractRecord, breachId: string, initiatedBy: Party, effectiveOn: string): void {
  const breach = state.breaches.find((candidate) => candidate.breachId === breachId);
  if (!breach) throw invalid('termination.breach_not_found', 'The termination names a breach the contract does not record.');
  if (breach.breachingParty === initiatedBy) {
    throw invalid('termination.own_breach', `The ${initiatedBy} cannot terminate for its own breach; only the other party can.`);
  }
  if (breach.cured) {
    throw invalid(
      'termination.breach_cured',
      `The ${initiatedBy} accepted the cure of that breach (cured ${breach.cured.curedOn}) on ${breach.cured.acceptedOn}.`,
    );
  }
  if (effectiveOn < breach.cureDeadline) {
    throw withFacts(
      invalid(
        'termination.cure_period_running',
        `The notice of ${breach.noticedOn} gives the ${breach.breachingParty} until ${breach.cureDeadline} to cure: ` +
          `a termination for it takes effect on or after ${breach.cureDeadline}, not on ${effectiveOn}.`,
      ),
      { noticedOn: breach.noticedOn, cureDeadline: breach.cureDeadline, effectiveOn },
    );
  }
}
