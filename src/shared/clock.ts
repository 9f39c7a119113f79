/**
 * The time, injected: the service reads it through a {@link Clock}, so tests
 * move it instead of waiting for it. Business dates (a term's end, a cure
 * deadline) are calendar dates in the business's time zone, not in UTC: at
 * 01:00 in Shanghai it is already tomorrow there, and still today in UTC.
 */
export interface Clock {
  now(): Date;
}

/** The Nest injection token of the service's {@link Clock}. */
export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };

/** The business's calendar: the date now, in the business's time zone. */
export interface BusinessCalendar {
  today(): string;
}

/** The Nest injection token of the service's {@link BusinessCalendar}. */
export const BUSINESS_CALENDAR = Symbol('BusinessCalendar');

/** The calendar of a clock in a time zone. */
export const businessCalendar = (clock: Clock, timeZone: string): BusinessCalendar => ({ today: () => dateIn(clock.now(), timeZone) });

/** The calendar date `YYYY-MM-DD` an instant falls on in a time zone (an IANA name such as Asia/Shanghai). */
export function dateIn(instant: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** Whether a time zone name is one the runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
