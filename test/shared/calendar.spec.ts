import { addDays, isCalendarDate, monthsFromTo, nextMonth, parseInstant } from '../../src/shared/calendar';

describe('dates on the calendar', () => {
  it.each(['2027-01-01', '2028-02-29', '2000-02-29', '0000-02-29', '9999-12-31', '2027-04-30', '0001-01-01'])('takes %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each([
    '2027-00-01',
    '2027-13-01',
    '2027-01-00',
    '2027-01-32',
    '2027-02-30',
    '2027-02-29',
    '1900-02-29',
    '2100-02-29',
    '2027-04-31',
    '27-01-01',
    '+02027-01-01',
    '2027-1-1',
    '2027-01-01T00:00:00Z',
    '２０２７-01-01',
    '',
    20270101,
    null,
    ['2027-01-01'],
  ])('refuses %j without throwing', (date) => {
    expect(isCalendarDate(date)).toBe(false);
  });
});

describe('instants with their offset', () => {
  it.each([
    ['2029-12-31T10:00:00+08:00', '2029-12-31T02:00:00.000Z'],
    ['2029-12-31T10:00+08:00', '2029-12-31T02:00:00.000Z'],
    ['2028-02-29T23:59:59.999Z', '2028-02-29T23:59:59.999Z'],
    ['2028-03-01T00:00:00.5700-05:30', '2028-03-01T05:30:00.570Z'],
    ['2028-01-01T00:00:00+14:00', '2027-12-31T10:00:00.000Z'],
    ['2028-01-01T00:00:00-14:00', '2028-01-01T14:00:00.000Z'],
    ['0050-06-01T12:00:00Z', '0050-06-01T12:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2027-13-01T00:00:00Z',
    '2027-02-30T00:00:00Z',
    '2027-01-01T24:00:00Z',
    '2027-01-01T23:60:00Z',
    '2027-01-01T23:59:60Z',
    '2027-01-01T10:00:00+14:30',
    '2027-01-01T10:00:00+15:00',
    '2027-01-01T10:00:00+08:60',
    '2027-01-01T10:00:00',
    '2027-01-01',
    '2027-01-01T10:00:00.1234567890Z',
    'Tue, 01 Jan 2027 10:00:00 GMT',
    '',
    12,
    undefined,
  ])('refuses %j without throwing', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe('stepping through days and months', () => {
  it('steps days across month, leap-day and year ends, to the last year and out of it field by field', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('0001-01-01', -1)).toBe('0000-12-31');
    expect(addDays('9998-12-31', 1)).toBe('9999-01-01');
    // No calendar date (and it sorts before 9999-12-31): why a term ends by 9998-12-31.
    expect(addDays('9999-12-31', 1)).toBe('10000-01-01');
  });

  it('steps months as numbers, so a run of months through 9999-12 ends there', () => {
    expect(monthsFromTo('2027-11', '2028-02')).toEqual(['2027-11', '2027-12', '2028-01', '2028-02']);
    expect(monthsFromTo('9999-11', '9999-12')).toEqual(['9999-11', '9999-12']);
    expect(monthsFromTo('2028-02', '2028-02')).toEqual(['2028-02']);
    expect(monthsFromTo('2028-03', '2028-02')).toEqual([]);
    expect(nextMonth('2027-12')).toBe('2028-01');
    expect(nextMonth('0999-09')).toBe('0999-10');
  });
});
