import type { ContractCommand } from '../../src/contracts/domain/commands';
import { DUTIES, DUTY_OWED_BY, type Duty } from '../../src/contracts/domain/duties';
import type { ContractEvent } from '../../src/contracts/domain/events';
import type { Party } from '../../src/contracts/domain/terms';
import { contractView } from '../../src/contracts/read-side/views';
import {
  agreed,
  aDraftedContract,
  anActiveContract,
  decided,
  draftTerms,
  given,
  type CommandOf,
  refusal,
} from '../support/contract-fixtures';

/**
 * The parties' duties, breach by notice and cure, and termination for
 * breach once the cure period has run (duties.ts).
 */

const report = (incidentId: string, duty: Duty = 'daily_shipping', occurredOn = '2028-02-20'): CommandOf<'ReportDutyIncident'> => ({
  type: 'ReportDutyIncident',
  incidentId,
  duty,
  reportedBy: DUTY_OWED_BY[duty] === 'brand' ? 'operator' : 'brand',
  occurredOn,
  description: 'Orders waited three days to ship',
  evidenceRef: `EV-${incidentId}`,
});

const notice = (breachId: string, overrides: Partial<CommandOf<'NoticeBreach'>> = {}): CommandOf<'NoticeBreach'> => ({
  type: 'NoticeBreach',
  breachId,
  breachingParty: 'brand',
  incidentIds: ['inc-1'],
  description: 'Shipping late three times in February',
  evidenceRef: 'NOTICE-1',
  noticedOn: '2028-03-01',
  ...overrides,
});

const terminateFor = (breachId: string, effectiveOn: string, initiatedBy: Party = 'operator'): ContractCommand => ({
  type: 'TerminateContract',
  initiatedBy,
  grounds: { type: 'breach', breachId },
  effectiveOn,
});

const claimCure = (curedOn = '2028-03-20'): CommandOf<'ClaimBreachCure'> => ({
  type: 'ClaimBreachCure',
  breachId: 'breach-1',
  curedOn,
  evidenceRef: 'CURE-1',
});

const ACTIVE = anActiveContract();
const WITH_INCIDENT = [...ACTIVE, ...decided(ACTIVE, [report('inc-1')])];
const NOTICED = [...WITH_INCIDENT, ...decided(WITH_INCIDENT, [notice('breach-1')])];

describe('duty incidents', () => {
  it('records an incident of each duty, reported by the party owed it', () => {
    for (const duty of DUTIES) {
      expect(given(ACTIVE).when(report('inc-9', duty))).toEqual([
        { type: 'DutyIncidentReported', data: (({ type: _type, ...data }) => data)(report('inc-9', duty)) },
      ]);
    }
  });

  it('knows the brand’s four duties and the operator’s agreed results', () => {
    expect(DUTIES.filter((duty) => DUTY_OWED_BY[duty] === 'brand')).toEqual([
      'product_supply',
      'daily_shipping',
      'alipay_confirmation',
      'promotion_cooperation',
    ]);
    expect(DUTIES.filter((duty) => DUTY_OWED_BY[duty] === 'operator')).toEqual([
      'customer_service_response',
      'shop_operation',
      'promotion_execution',
    ]);
  });

  it('refuses an incident reported by the party that owes the duty (incident.own_duty)', () => {
    expect(given(ACTIVE).when({ ...report('inc-9'), reportedBy: 'brand' })).toEqual(refusal('incident.own_duty', 'invalid'));
  });

  it('refuses an incident outside the term, naming the dates (incident.outside_term)', () => {
    const facts = { date: '2026-12-31', termStartsOn: '2027-01-01', termEndsOn: '2029-12-31' };
    expect(given(ACTIVE).when(report('inc-9', 'daily_shipping', '2026-12-31'))).toEqual(refusal('incident.outside_term', 'invalid', facts));
    expect(given(ACTIVE).when(report('inc-9', 'daily_shipping', '2030-01-01'))).toEqual(
      refusal('incident.outside_term', 'invalid', { ...facts, date: '2030-01-01' }),
    );
    // The term's first and last days are inside it.
    expect(given(ACTIVE).when(report('inc-9', 'daily_shipping', '2027-01-01'))).toHaveLength(1);
    expect(given(ACTIVE).when(report('inc-9', 'daily_shipping', '2029-12-31'))).toHaveLength(1);
  });

  it('takes a term extended by agreement as the term', () => {
    const extended = [...ACTIVE, ...agreed(ACTIVE, [{ type: 'extend_term', endsOn: '2030-12-31' }])];
    expect(given(extended).when(report('inc-9', 'daily_shipping', '2030-06-01'))).toHaveLength(1);
  });

  it('records incidents only on a contract in force', () => {
    expect(given(aDraftedContract()).when(report('inc-9'))).toEqual(refusal('contract.not_active', 'conflict'));
  });

  it('records the same report again as nothing; another report under its id is refused', () => {
    expect(given(WITH_INCIDENT).when(report('inc-1'))).toEqual([]);
    expect(given(WITH_INCIDENT).when({ ...report('inc-1'), description: 'Other' })).toEqual(
      refusal('incident.already_recorded', 'conflict'),
    );
  });

  it('is acknowledged or contested once by the party that owes the duty, not before it occurred', () => {
    const acknowledge: ContractCommand = { type: 'AcknowledgeDutyIncident', incidentId: 'inc-1', acknowledgedOn: '2028-02-21' };
    const contest: ContractCommand = {
      type: 'ContestDutyIncident',
      incidentId: 'inc-1',
      reason: 'Courier strike',
      contestedOn: '2028-02-21',
    };
    const acknowledged = given(WITH_INCIDENT).when(acknowledge) as ContractEvent[];
    expect(acknowledged).toEqual([{ type: 'DutyIncidentAcknowledged', data: { incidentId: 'inc-1', acknowledgedOn: '2028-02-21' } }]);
    expect(given(WITH_INCIDENT, acknowledged).when(acknowledge)).toEqual([]);
    expect(given(WITH_INCIDENT, acknowledged).when(contest)).toEqual(refusal('incident.already_answered', 'conflict'));
    const contested = given(WITH_INCIDENT).when(contest) as ContractEvent[];
    expect(contested).toEqual([
      { type: 'DutyIncidentContested', data: { incidentId: 'inc-1', reason: 'Courier strike', contestedOn: '2028-02-21' } },
    ]);
    expect(given(WITH_INCIDENT, contested).when(contest)).toEqual([]);
    expect(given(WITH_INCIDENT).when({ ...acknowledge, acknowledgedOn: '2028-02-19' })).toEqual(
      refusal('incident.answered_before_it_occurred', 'invalid', { date: '2028-02-19', earliest: '2028-02-20' }),
    );
    expect(given(WITH_INCIDENT).when({ ...acknowledge, incidentId: 'nope' })).toEqual(refusal('incident.not_found', 'not_found'));
  });

  it('counts incidents per duty and per month in the contract view', () => {
    const history = [
      ...ACTIVE,
      ...decided(ACTIVE, [
        report('inc-1', 'daily_shipping', '2028-02-20'),
        report('inc-2', 'daily_shipping', '2028-02-25'),
        report('inc-3', 'daily_shipping', '2028-03-02'),
        report('inc-4', 'customer_service_response', '2028-02-01'),
      ]),
    ];
    const view = contractView(given(history).state as Exclude<ReturnType<typeof given>['state'], { status: 'none' }>);
    expect(view.incidentCounts).toEqual({
      total: 4,
      byDuty: {
        product_supply: 0,
        daily_shipping: 3,
        alipay_confirmation: 0,
        promotion_cooperation: 0,
        customer_service_response: 1,
        shop_operation: 0,
        promotion_execution: 0,
      },
      byMonth: { '2028-02': { customer_service_response: 1, daily_shipping: 2 }, '2028-03': { daily_shipping: 1 } },
    });
    expect(view.incidents[0]).toMatchObject({ incidentId: 'inc-1', owedBy: 'brand', status: 'reported' });
  });
});

describe('breach notices', () => {
  it('records a notice citing incidents, with its cure deadline: the notice date plus the cure period in force', () => {
    expect(given(WITH_INCIDENT).when(notice('breach-1'))).toEqual([
      {
        type: 'BreachRecorded',
        data: {
          breachId: 'breach-1',
          breachingParty: 'brand',
          incidentIds: ['inc-1'],
          description: 'Shipping late three times in February',
          evidenceRef: 'NOTICE-1',
          noticedOn: '2028-03-01',
          cureDeadline: '2028-03-31',
        },
      },
    ]);
  });

  it('cites a clause instead of incidents, or both; refuses one that cites nothing', () => {
    expect(given(ACTIVE).when(notice('breach-1', { incidentIds: [], clause: '5.2 daily shipping' }))).toHaveLength(1);
    expect(given(WITH_INCIDENT).when(notice('breach-1', { clause: '5.2 daily shipping' }))).toHaveLength(1);
    expect(given(ACTIVE).when(notice('breach-1', { incidentIds: [] }))).toEqual(refusal('breach.nothing_cited', 'invalid'));
    expect(given(WITH_INCIDENT).when(notice('breach-1', { incidentIds: ['inc-1', 'inc-1'] }))).toEqual(
      refusal('breach.incident_cited_twice', 'invalid'),
    );
  });

  it('takes the cure period of the terms in force on the notice date: an amended period moves later notices only', () => {
    const shorter = [
      ...WITH_INCIDENT,
      ...agreed(WITH_INCIDENT, [{ type: 'change_cure_period', curePeriodDays: 10 }], { effectiveOn: '2028-03-15' }),
    ];
    const deadline = (noticedOn: string) =>
      (given(shorter).when(notice('breach-9', { noticedOn })) as ContractEvent[]).map((event) =>
        event.type === 'BreachRecorded' ? event.data.cureDeadline : undefined,
      )[0];
    expect(deadline('2028-03-14')).toBe('2028-04-13');
    expect(deadline('2028-03-15')).toBe('2028-03-25');
    // A notice already served keeps its deadline.
    const served = [...NOTICED, ...agreed(NOTICED, [{ type: 'change_cure_period', curePeriodDays: 10 }], { effectiveOn: '2028-03-15' })];
    expect(given(served).state).toMatchObject({ breaches: [{ breachId: 'breach-1', cureDeadline: '2028-03-31' }] });
  });

  it('takes the terms’ own cure period: 0 days lets the termination take effect on the notice date', () => {
    const immediate = anActiveContract(draftTerms({ curePeriodDays: 0 }));
    const withIncident = [...immediate, ...decided(immediate, [report('inc-1')])];
    const noticed = [...withIncident, ...decided(withIncident, [notice('breach-1')])];
    expect(given(noticed).when(terminateFor('breach-1', '2028-03-01'))).toHaveLength(2);
  });

  it('refuses a notice outside the term, naming the dates (breach.outside_term)', () => {
    expect(given(WITH_INCIDENT).when(notice('breach-1', { noticedOn: '2030-01-01' }))).toEqual(
      refusal('breach.outside_term', 'invalid', { date: '2030-01-01', termStartsOn: '2027-01-01', termEndsOn: '2029-12-31' }),
    );
  });

  it('refuses citing an unknown incident, another party’s, or one after the notice', () => {
    expect(given(WITH_INCIDENT).when(notice('breach-1', { incidentIds: ['nope'] }))).toEqual(
      refusal('breach.incident_not_found', 'not_found'),
    );
    const operators = [...ACTIVE, ...decided(ACTIVE, [report('inc-2', 'customer_service_response')])];
    expect(given(operators).when(notice('breach-1', { incidentIds: ['inc-2'] }))).toEqual(
      refusal('breach.incident_of_other_party', 'invalid'),
    );
    expect(given(WITH_INCIDENT).when(notice('breach-1', { noticedOn: '2028-02-19' }))).toEqual(
      refusal('breach.incident_after_notice', 'invalid', { occurredOn: '2028-02-20', noticedOn: '2028-02-19' }),
    );
  });

  it('records the same notice again as nothing; another under its id is refused', () => {
    expect(given(NOTICED).when(notice('breach-1'))).toEqual([]);
    expect(given(NOTICED).when(notice('breach-1', { description: 'Other' }))).toEqual(refusal('breach.already_recorded', 'conflict'));
  });

  it('is acknowledged or contested once, not before the notice', () => {
    const acknowledge: ContractCommand = { type: 'AcknowledgeBreach', breachId: 'breach-1', acknowledgedOn: '2028-03-02' };
    const contest: ContractCommand = {
      type: 'ContestBreach',
      breachId: 'breach-1',
      reason: 'The courier was on strike',
      contestedOn: '2028-03-02',
    };
    const acknowledged = given(NOTICED).when(acknowledge) as ContractEvent[];
    expect(acknowledged).toEqual([{ type: 'BreachAcknowledged', data: { breachId: 'breach-1', acknowledgedOn: '2028-03-02' } }]);
    expect(given(NOTICED, acknowledged).when(acknowledge)).toEqual([]);
    expect(given(NOTICED, acknowledged).when(contest)).toEqual(refusal('breach.already_answered', 'conflict'));
    expect(given(NOTICED).when(contest)).toEqual([
      { type: 'BreachContested', data: { breachId: 'breach-1', reason: 'The courier was on strike', contestedOn: '2028-03-02' } },
    ]);
    expect(given(NOTICED).when({ ...acknowledge, acknowledgedOn: '2028-02-29' })).toEqual(
      refusal('breach.answered_before_notice', 'invalid', { date: '2028-02-29', earliest: '2028-03-01' }),
    );
    expect(given(NOTICED).when({ ...acknowledge, breachId: 'nope' })).toEqual(refusal('breach.not_found', 'not_found'));
  });
});

describe('cure', () => {
  const CLAIMED = [...NOTICED, ...decided(NOTICED, [claimCure()])];
  const accept: ContractCommand = { type: 'AcceptBreachCure', breachId: 'breach-1', acceptedOn: '2028-03-21' };
  const reject: ContractCommand = { type: 'RejectBreachCure', breachId: 'breach-1', reason: 'Orders still wait', rejectedOn: '2028-03-21' };

  it('is claimed with evidence by the breaching party, then accepted by the notifying party', () => {
    expect(given(NOTICED).when(claimCure())).toEqual([
      { type: 'BreachCureClaimed', data: { breachId: 'breach-1', curedOn: '2028-03-20', evidenceRef: 'CURE-1' } },
    ]);
    const accepted = given(CLAIMED).when(accept) as ContractEvent[];
    expect(accepted).toEqual([{ type: 'BreachCured', data: { breachId: 'breach-1', curedOn: '2028-03-20', acceptedOn: '2028-03-21' } }]);
    expect(given(CLAIMED, accepted).when(accept)).toEqual([]);
    expect(given(CLAIMED, accepted).when(claimCure())).toEqual(refusal('breach.already_cured', 'conflict'));
  });

  it('refuses a cure dated before the notice, or an answer before the cure, naming the dates', () => {
    expect(given(NOTICED).when(claimCure('2028-02-28'))).toEqual(
      refusal('breach.cured_before_notice', 'invalid', { date: '2028-02-28', earliest: '2028-03-01' }),
    );
    expect(given(CLAIMED).when({ ...accept, acceptedOn: '2028-03-19' })).toEqual(
      refusal('breach.answered_before_cure', 'invalid', { date: '2028-03-19', earliest: '2028-03-20' }),
    );
  });

  it('keeps one claim pending at a time; a claim again is nothing; nothing to answer without a claim', () => {
    expect(given(CLAIMED).when(claimCure())).toEqual([]);
    expect(given(CLAIMED).when(claimCure('2028-03-22'))).toEqual(refusal('breach.cure_pending', 'conflict'));
    expect(given(NOTICED).when(accept)).toEqual(refusal('breach.no_cure_claimed', 'conflict'));
    expect(given(NOTICED).when(reject)).toEqual(refusal('breach.no_cure_claimed', 'conflict'));
  });

  it('is rejected with a reason; the breaching party may claim again; the same rejection again is nothing', () => {
    const rejected = given(CLAIMED).when(reject) as ContractEvent[];
    expect(rejected).toEqual([
      { type: 'BreachCureRejected', data: { breachId: 'breach-1', reason: 'Orders still wait', rejectedOn: '2028-03-21' } },
    ]);
    expect(given(CLAIMED, rejected).when(reject)).toEqual([]);
    expect(given(CLAIMED, rejected).when(claimCure('2028-03-25'))).toHaveLength(1);
  });

  it('is claimed only while the contract runs', () => {
    const terminated = [...NOTICED, ...decided(NOTICED, [terminateFor('breach-1', '2028-04-01')])];
    expect(given(terminated).when(claimCure())).toEqual(refusal('contract.not_active', 'conflict'));
  });
});

describe('termination for breach', () => {
  it('is refused before the cure deadline, saying until when', () => {
    expect(given(NOTICED).when(terminateFor('breach-1', '2028-03-30'))).toEqual(
      refusal('termination.cure_period_running', 'invalid', {
        noticedOn: '2028-03-01',
        cureDeadline: '2028-03-31',
        effectiveOn: '2028-03-30',
      }),
    );
    expect((given(NOTICED).when(terminateFor('breach-1', '2028-03-30')) as Error).message).toContain('until 2028-03-31');
  });

  it('takes effect on or after the cure deadline, by the other party, and starts the handover', () => {
    const events = given(NOTICED).when(terminateFor('breach-1', '2028-03-31')) as ContractEvent[];
    expect(events.map((event) => event.type)).toEqual(['ContractTerminated', 'HandoverStarted']);
    expect(given(NOTICED).when(terminateFor('breach-1', '2028-03-31', 'brand'))).toEqual(refusal('termination.own_breach', 'invalid'));
  });

  it('is allowed to either party when the other breaches', () => {
    const operatorIncident = [...ACTIVE, ...decided(ACTIVE, [report('inc-2', 'customer_service_response')])];
    const noticed = [
      ...operatorIncident,
      ...decided(operatorIncident, [notice('breach-2', { breachingParty: 'operator', incidentIds: ['inc-2'] })]),
    ];
    expect(given(noticed).when(terminateFor('breach-2', '2028-03-31', 'brand'))).toHaveLength(2);
  });

  it('goes ahead over a cure claimed and not accepted, and is refused once the cure is accepted', () => {
    const claimed = [...NOTICED, ...decided(NOTICED, [claimCure()])];
    expect(given(claimed).when(terminateFor('breach-1', '2028-04-01'))).toHaveLength(2);
    const cured = [...claimed, ...decided(claimed, [{ type: 'AcceptBreachCure', breachId: 'breach-1', acceptedOn: '2028-03-21' }])];
    expect(given(cured).when(terminateFor('breach-1', '2028-04-01'))).toEqual(refusal('termination.breach_cured', 'invalid'));
  });

  it('is refused after the term ended, naming it (the term expires instead)', () => {
    expect(given(NOTICED).when(terminateFor('breach-1', '2030-01-01'))).toEqual(
      refusal('termination.after_term', 'invalid', { effectiveOn: '2030-01-01', termStartsOn: '2027-01-01', termEndsOn: '2029-12-31' }),
    );
  });

  it('reads a breach recorded before notice and cure as one whose cure period ended the day it was recorded', () => {
    // Version 1 of BreachRecorded, upcast: noticedOn and cureDeadline both the day it occurred.
    const legacy: ContractEvent = {
      type: 'BreachRecorded',
      data: {
        breachId: 'old',
        breachingParty: 'brand',
        clause: '5.2',
        incidentIds: [],
        description: 'd',
        evidenceRef: 'E',
        noticedOn: '2028-03-10',
        cureDeadline: '2028-03-10',
      },
    };
    expect(given([...ACTIVE, legacy]).when(terminateFor('old', '2028-03-10'))).toHaveLength(2);
    expect(given([...ACTIVE, legacy]).when(terminateFor('old', '2028-03-09'))).toEqual(
      refusal('termination.cure_period_running', 'invalid'),
    );
  });
});

describe('answers once the contract has ended', () => {
  const TERMINATED = [...NOTICED, ...decided(NOTICED, [terminateFor('breach-1', '2028-04-01')])];

  it('still takes an answer to an incident or a notice during the handover, for the record', () => {
    expect(given(TERMINATED).when({ type: 'ContestBreach', breachId: 'breach-1', reason: 'No', contestedOn: '2028-04-02' })).toHaveLength(
      1,
    );
    expect(given(TERMINATED).when({ type: 'AcknowledgeDutyIncident', incidentId: 'inc-1', acknowledgedOn: '2028-04-02' })).toHaveLength(1);
  });

  it('takes no new incident or notice once ended', () => {
    expect(given(TERMINATED).when(report('inc-9'))).toEqual(refusal('contract.not_active', 'conflict'));
    expect(given(TERMINATED).when(notice('breach-9'))).toEqual(refusal('contract.not_active', 'conflict'));
  });
});
