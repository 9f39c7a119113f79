import ical, { ICalAlarmType, ICalCalendarMethod } from 'ical-generator';
import type { Principal } from '../../shared/identity';
import type { DeadlineItem } from '../read-side/read-models';

/** The service as calendars know it: the owner in the PRODID, and the domain part of every event's UID. */
const SERVICE = 'contract-handover';

/** How often a subscribed client is asked to fetch the feed again: deadlines move only when a contract changes. */
const REFRESH_SECONDS = 60 * 60;

/** The reminder: 15 hours before an all-day event's midnight start is 09:00 the day before, in the reader's calendar. */
const REMINDER_SECONDS = 15 * 60 * 60;

/**
 * The deadlines as an iCalendar feed (RFC 5545): one all-day event per
 * deadline, on its due date, with a reminder the day before. `now` is when
 * the feed is made (each event's DTSTAMP).
 */
export function deadlinesCalendar(
  deadlines: readonly DeadlineItem[],
  { principal, timeZone, now }: { principal: Principal; timeZone: string; now: Date },
): string {
  const view = [principal.role, principal.partyId].filter(Boolean).join(' ');
  const calendar = ical({
    name: `Contract deadlines (${view})`,
    description: `Notice due, term end, cure deadlines and handover due dates of the contracts visible to ${view}; business dates in ${timeZone}.`,
    prodId: { company: SERVICE, product: 'deadlines', language: 'EN' },
    // A feed published to subscribers, not an invitation: its DTSTAMP is then when the feed was made.
    method: ICalCalendarMethod.PUBLISH,
    ttl: REFRESH_SECONDS,
  });
  for (const deadline of deadlines) {
    calendar.createEvent({
      id: uidOf(deadline),
      stamp: now,
      // A business date, floating (no time zone): the same date wherever the reader is. The library writes a Date's UTC date.
      start: new Date(`${deadline.dueOn}T00:00:00Z`),
      allDay: true,
      summary: deadline.summary,
      description: descriptionOf(deadline),
      alarms: [{ type: ICalAlarmType.display, trigger: REMINDER_SECONDS }],
    });
  }
  return calendar.toString();
}

/** One UID per contract, kind and breach or handover, whatever the date: when a date moves, calendars move the event rather than add one. */
const uidOf = ({ contractId, kind, breachId, handoverId }: DeadlineItem) =>
  `${[kind, breachId ?? handoverId, contractId].filter(Boolean).join('.')}@${SERVICE}`;

/**
 * What is due, the contract and its parties, and where the API shows it (a
 * path, not a URL: the service does not know the address it is reached at,
 * and a calendar's link would not send the API key).
 */
function descriptionOf({ contractId, kind, summary, brand, operator, quarantined }: DeadlineItem): string {
  return [
    summary,
    `Contract ${contractId} between ${brand.name} (brand ${brand.partyId}) and ${operator.name} (operator ${operator.partyId}).`,
    `API: GET /contracts/${contractId}${kind === 'handover_due' ? '/handover' : ''}`,
    ...(quarantined ? ['The service could not apply one of this contract’s events: this date may be out of date.'] : []),
  ].join('\n');
}
