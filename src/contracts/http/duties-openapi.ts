import { arrayOf, date, integer, object, oneOfValues, text, uuid, type OpenApiContribution } from '../../http/openapi-parts';
import type { ProblemCodes } from '../../http/openapi-problems';
import type { Schemas } from '../../http/openapi-schemas';
import { DUTIES } from '../domain/duties';
import { PARTIES } from '../domain/terms';
import { contractWrite, creating, NOT_A_PARTY, ONE_SIDE, write, WRITTEN } from './openapi';

/**
 * Duty incidents, breach notices and their cure in the OpenAPI document: the
 * routes, and the parts of the contract summary that show them. The
 * examples are the seed story's: the brand stops shipping daily at the end
 * of February 2028, the operator serves notice on 2 March, and the 30-day
 * cure period runs out on 1 April, when it terminates.
 */

/** Incidents and notices are recorded while the contract runs; their answers may come during the handover, not once it is closed. */
const ANSWERABLE: ProblemCodes = { 409: ['contract.not_active', 'contract.closed'] };
const DUTY_WRITE = (...own: ProblemCodes[]) => contractWrite(NOT_A_PARTY, ONE_SIDE, ANSWERABLE, ...own);
/** The party that owes the duty answers an incident once, not before it occurred. */
const INCIDENT_ANSWER = DUTY_WRITE({
  404: ['incident.not_found'],
  409: ['incident.already_answered'],
  422: ['incident.answered_before_it_occurred'],
});
const BREACH: ProblemCodes = { 404: ['breach.not_found'] };
/** The breaching party answers a notice once, not before it was served. */
const NOTICE_ANSWER = DUTY_WRITE(BREACH, { 409: ['breach.already_answered'], 422: ['breach.answered_before_notice'] });
/** The notifying party answers a cure claimed, not before the cure. */
const CURE_ANSWER = DUTY_WRITE(BREACH, { 409: ['breach.already_cured', 'breach.no_cure_claimed'], 422: ['breach.answered_before_cure'] });

function dutySchemas(): Schemas {
  const party = oneOfValues(PARTIES);
  const duty = oneOfValues(DUTIES);
  const contested = object({ reason: text, contestedOn: date });
  const perDuty = Object.fromEntries(DUTIES.map((name) => [name, integer]));
  return {
    DutyIncident: object(
      {
        incidentId: uuid,
        duty,
        /** The party that owes the duty: the one that answers. */
        owedBy: party,
        reportedBy: party,
        occurredOn: date,
        description: text,
        evidenceRef: text,
        status: oneOfValues(['reported', 'acknowledged', 'contested']),
      },
      { acknowledgedOn: date, contested },
    ),
    IncidentCounts: {
      ...object({
        total: integer,
        byDuty: object(perDuty),
        byMonth: {
          type: 'object',
          description: 'Per calendar month `YYYY-MM` with incidents, how many of each duty occurred in it',
          additionalProperties: object({}, perDuty),
        },
      }),
      description: 'How many incidents each duty had, in all and per month',
    },
    BreachNotice: object(
      {
        breachId: uuid,
        breachingParty: party,
        incidentIds: arrayOf(uuid),
        description: text,
        evidenceRef: text,
        noticedOn: date,
        cureDeadline: {
          ...date,
          description: 'The notice date plus the cure period in force then: a termination for it takes effect on or after it',
        },
        status: oneOfValues(['open', 'cure_claimed', 'cured']),
      },
      {
        clause: text,
        acknowledgedOn: date,
        contested,
        cureClaimed: object({ curedOn: date, evidenceRef: text }),
        cureRejected: object({ reason: text, rejectedOn: date }),
        cured: object({ curedOn: date, acceptedOn: date }),
      },
    ),
  };
}

export const dutiesOpenApi: OpenApiContribution = {
  schemas: dutySchemas,
  operations: {
    ContractsController_reportIncident: write(
      creating('incidentId'),
      DUTY_WRITE({ 409: ['incident.already_recorded'], 422: ['incident.own_duty', 'incident.outside_term'] }),
      {
        duty: 'daily_shipping',
        reportedBy: 'operator',
        occurredOn: '2028-03-01',
        description: 'Orders of 26 February to 1 March not shipped',
        evidenceRef: 'EV-ORDERS-0301',
      },
    ),
    ContractsController_acknowledgeIncident: write(WRITTEN, INCIDENT_ANSWER, { acknowledgedOn: '2028-03-03' }),
    ContractsController_contestIncident: write(WRITTEN, INCIDENT_ANSWER, {
      reason: 'The courier collected the parcels on time: the delay was the courier’s',
      contestedOn: '2028-03-03',
    }),
    ContractsController_noticeBreach: write(
      creating('breachId'),
      DUTY_WRITE({
        404: ['breach.incident_not_found'],
        409: ['breach.already_recorded'],
        422: [
          'breach.nothing_cited',
          'breach.incident_cited_twice',
          'breach.outside_term',
          'breach.incident_of_other_party',
          'breach.incident_after_notice',
        ],
      }),
      {
        breachingParty: 'brand',
        clause: 'Brand duty 2: ship every day',
        incidentIds: ['<incidentId>'],
        description: 'Orders not shipped daily since 26 February',
        evidenceRef: 'NOTICE-2028-03-02',
        noticedOn: '2028-03-02',
      },
    ),
    ContractsController_acknowledgeBreach: write(WRITTEN, NOTICE_ANSWER, { acknowledgedOn: '2028-03-04' }),
    ContractsController_contestBreach: write(WRITTEN, NOTICE_ANSWER, {
      reason: 'Two days of delay in a courier strike are no breach of daily shipping',
      contestedOn: '2028-03-04',
    }),
    ContractsController_claimCure: write(
      WRITTEN,
      DUTY_WRITE(BREACH, { 409: ['breach.already_cured', 'breach.cure_pending'], 422: ['breach.cured_before_notice'] }),
      { curedOn: '2028-03-20', evidenceRef: 'EV-SHIPPED-0320' },
    ),
    ContractsController_acceptCure: write(WRITTEN, CURE_ANSWER, { acceptedOn: '2028-03-22' }),
    ContractsController_rejectCure: write(WRITTEN, CURE_ANSWER, { reason: 'Orders of 18-20 March still wait', rejectedOn: '2028-03-22' }),
  },
};
