/**
 * Calendar dates and instants as the API writes them, checked field by field
 * and never by the lenient Date parser (which rolls 2027-02-30 over to March
 * and throws on month 13), so the pure domain can use them too.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** The widest offset in use (Kiribati, +14:00). */
const MAX_OFFSET_MINUTES = 14 * 60;

/** The number of days in a month (1-12) of a year. */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a date `YYYY-MM-DD` that is on the calendar (years 0000 to 9999, no 2027-02-30, no month 13). Never throws. */
export function isCalendarDate(value: unknown): value is string {
  const parts = typeof value === 'string' ? DATE.exec(value) : null;
  if (!parts) return false;
  const [year, month, day] = parts.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/**
 * The instant an ISO 8601 time with its offset names (`2029-12-31T10:00:00+08:00`,
 * seconds and fraction optional), or undefined when it is not one: a date on
 * the calendar, hours 00-23, minutes and seconds 00-59, an offset within
 * ±14:00. Computed field by field, never by the lenient Date parser. Never throws.
 */
export function parseInstant(value: unknown): Date | undefined {
  const parts = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!parts || !isCalendarDate(parts[1])) return undefined;
  const [date, hours, minutes, seconds = '0', fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] = parts.slice(1);
  const offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  if (
    Number(hours) > 23 ||
    Number(minutes) > 59 ||
    Number(seconds) > 59 ||
    Number(offsetMinutes) > 59 ||
    Math.abs(offset) > MAX_OFFSET_MINUTES
  )
    return undefined;
  const [year, month, day] = date.split('-').map(Number);
  const instant = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(Number(hours), Number(minutes) - offset, Number(seconds), Number(fraction.slice(1, 4).padEnd(3, '0')));
  return instant;
}

/** True for an ISO 8601 time with its offset that {@link parseInstant} reads. */
export function isInstant(value: unknown): value is string {
  return parseInstant(value) !== undefined;
}

/** A calendar month `YYYY-MM`. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month `YYYY-MM` of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** The first day of a month `YYYY-MM`. */
export const firstDayOf = (month: string): string => `${month}-01`;

/** The number of days of a month `YYYY-MM`. */
export function daysInMonth(month: string): number {
  return daysIn(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
}

/** The last day of a month `YYYY-MM`. */
export const lastDayOf = (month: string): string => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;

/**
 * A month `YYYY-MM` as a count of months (year x 12 + month - 1), to step
 * and compare months as numbers: past year 9999 the strings no longer sort
 * ('10000-01' < '9999-12'), so a loop over generated strings would not end.
 */
export const monthIndex = (month: string): number => Number(month.slice(0, -3)) * 12 + Number(month.slice(-2)) - 1;

/** The month `YYYY-MM` a {@link monthIndex} counts to. */
export const monthAt = (index: number): string =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The month after a month `YYYY-MM`. */
export const nextMonth = (month: string): string => monthAt(monthIndex(month) + 1);

/** Every month from `first` through `last`, in order; none when `last` comes first. Stepped as numbers, so it always ends. */
export function monthsFromTo(first: string, last: string): string[] {
  const months: string[] = [];
  for (let index = monthIndex(first); index <= monthIndex(last); index += 1) months.push(monthAt(index));
  return months;
}

/**
 * The date `days` days after a date (before, when negative), written field
 * by field: one past 9999-12-31 is 10000-01-01, which is no calendar date and
 * does not sort as one, so the domain keeps the dates it steps from earlier.
 */
export function addDays(date: string, days: number): string {
  const day = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  day.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + days);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${String(day.getUTCFullYear()).padStart(4, '0')}-${two(day.getUTCMonth() + 1)}-${two(day.getUTCDate())}`;
}

/** The number of days from one date to another, both counted: 1 for the same day. */
export function daysFromTo(first: string, last: string): number {
  const at = (date: string) => {
    const day = new Date(0);
    day.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
    return day.getTime();
  };
  return Math.round((at(last) - at(first)) / 86_400_000) + 1;
}
