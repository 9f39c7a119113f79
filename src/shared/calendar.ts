/**
 * Calendar dates and instants as the API writes them, checked without the
 * clock or `Date` (which rolls 2027-02-30 over to March and throws on
 * month 13), so the pure domain can use them too.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DD` naming a day that exists (no 2027-02-30, no month 13). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** An ISO 8601 time with its offset (`Z` or `±hh:mm`, at most 14 hours), on a day that exists, e.g. 2029-12-31T10:00:00+08:00. */
export function isInstant(text: string): boolean {
  const match = INSTANT.exec(text);
  if (!match || !isCalendarDate(match[1])) return false;
  const [hours, minutes, seconds = '0', , offsetHours = '0', offsetMinutes = '0'] = match.slice(2);
  return Number(hours) <= 23 && Number(minutes) <= 59 && Number(seconds) <= 59 && Number(offsetHours) <= 14 && Number(offsetMinutes) <= 59;
}
