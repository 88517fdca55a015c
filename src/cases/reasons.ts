/**
 * Why a cell cannot be read as its type, word for word as every engine
 * reports it: the JS reader (coerce.ts) and the SQL reading rules
 * (src/engines/sql/reading.ts) both take their reasons from here.
 */
export const REASONS = {
  boolean: 'not yes or no: write Y, N, Yes, No, true, false, 1 or 0',
  integer: 'not a whole number',
  integerSeparators: 'write whole numbers without thousands separators',
  integerRange: 'beyond the range of whole numbers (-9223372036854775808 to 9223372036854775807)',
  number: 'not a number',
  numberSeparators: 'write numbers without thousands separators',
  numberRange: 'beyond the range of numbers (1e-300 to 1e300)',
  date: 'not a date: write it as 03/06/2014 or 2014-06-03',
  isoDate: 'no such date',
  twoDigitYear: 'the year must have four digits (03/06/2014, not 03/06/14)',
  dayFirstHint: ' (dates are read day first: 03/06/2014 is 3 June 2014)',
  dateTime: 'not a date and time: write it as 03/06/2014 14:05 or 2014-06-03T14:05',
} as const;

export const REPEATED_HEADER = 'this row repeats the header row (were two exports joined together?)';
