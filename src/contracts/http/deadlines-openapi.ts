import type { SchemaObject } from '@nestjs/swagger';
import { arrayOf, date, json, object, oneOfValues, ref, text, uuid, type OpenApiContribution } from '../../http/openapi-parts';
import { AUTHENTICATED, merge, QUERY, type ProblemCodes } from '../../http/openapi-problems';
import { propertiesOf, type Schemas } from '../../http/openapi-schemas';
import type { Deadline } from '../read-side/deadlines';
import type { DeadlineItem } from '../read-side/read-models';
import { deadlinesCalendar } from './deadlines-calendar';

/** The deadline routes in the OpenAPI document; the example is the seed story's contract, a month before its notice is due. */

/** What each kind of deadline is. */
const KINDS: Record<Deadline['kind'], string> = {
  notice_due: 'the last day to give notice of non-renewal (the term end less the notice period)',
  term_end: 'the last day of the term in force',
  cure_deadline: 'the end of the cure period of a breach notice not cured (`breachId`)',
  handover_due: 'the day the final handover, or a partial one (`handoverId`), is due',
};

/** The read models answer these: the deadlines of a quarantined contract are flagged, not refused. */
const DEADLINES_READ: ProblemCodes = merge(AUTHENTICATED, QUERY, {
  400: ['request.position_ahead'],
  503: ['read_models.behind', 'read_models.stopped'],
});

const STORY_DEADLINE: DeadlineItem = {
  contractId: '0b8e4f5c-2f6a-4c1e-9a57-3d2b1c0e9f11',
  kind: 'notice_due',
  dueOn: '2029-10-02',
  summary: 'Notice of non-renewal due (90 days before the term ends): Feiyue Sports / Yunshang E-commerce',
  brand: { partyId: 'brand-feiyue', name: 'Feiyue Sports' },
  operator: { partyId: 'op-yunshang', name: 'Yunshang E-commerce' },
};

function deadlineSchemas(requests: Schemas): Schemas {
  const deadlines: SchemaObject = object({
    today: date,
    within: propertiesOf(requests.DeadlinesQuery).within,
    deadlines: arrayOf(
      object(
        {
          contractId: uuid,
          kind: {
            ...oneOfValues(Object.keys(KINDS)),
            description: Object.entries(KINDS)
              .map(([kind, meaning]) => `\`${kind}\`: ${meaning}`)
              .join('; '),
          },
          dueOn: date,
          summary: text,
          brand: ref('PartyRefDto'),
          operator: ref('PartyRefDto'),
        },
        { breachId: uuid, handoverId: text, quarantined: { type: 'boolean', enum: [true] } },
      ),
    ),
  });
  return { Deadlines: { ...deadlines, example: { today: '2029-09-20', within: '30d', deadlines: [STORY_DEADLINE] } } };
}

export const deadlinesOpenApi: OpenApiContribution = {
  schemas: deadlineSchemas,
  operations: {
    DeadlinesController_upcoming: {
      answers: [
        {
          status: 200,
          description:
            'The deadlines of the contracts the key may see, due from today (the business date in BUSINESS_TIME_ZONE) through `within` days after it (30d unless said), by due date then contract',
          content: json('Deadlines'),
        },
      ],
      problems: DEADLINES_READ,
    },
    DeadlinesController_calendar: {
      answers: [
        {
          status: 200,
          description:
            'The same deadlines as an iCalendar feed (RFC 5545) to subscribe to: those due in the last 365 days and all to come, one all-day event each, its UID stable as its date moves',
          content: {
            'text/calendar': {
              ...text,
              example: deadlinesCalendar([STORY_DEADLINE], {
                principal: { keyId: 'example', role: 'brand', partyId: 'brand-feiyue' },
                timeZone: 'Asia/Shanghai',
                now: new Date('2029-09-20T01:00:00Z'),
              }),
            },
          },
        },
      ],
      problems: DEADLINES_READ,
    },
  },
};
