/** Calendar dates as expressions see them (UTC midnight). No dependencies: loaded by the CSV reader and the options parser. */

/** The calendar date written YYYY-MM-DD, as a UTC midnight timestamp, or null when no such day exists. */
export function isoDateToTimestamp(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match ? calendarDate(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The date at UTC midnight, or null when there is no such day (31 February, month 13, year 0). */
export function calendarDate(year: number, month: number, day: number): Date | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (year < 1 || day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0))) return null;
  const date = new Date(Date.UTC(2000, month - 1, day));
  // Date.UTC reads the years 0 to 99 as 1900 to 1999; setUTCFullYear does not.
  date.setUTCFullYear(year);
  return date;
}
