import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { booleanCell, coerceRow, coerceValue, dateCell, dateTimeCell, integerCell, isUnreadable, quickDate, quickDateTime, quickFlag, quickInteger } from '../../src/cases/coerce.js';
import { planColumns } from '../../src/cases/columns.js';
import { compile, rubricYaml } from '../helpers.js';

const value = (type: Parameters<typeof coerceValue>[0], text: string, values?: string[]) => {
  const result = coerceValue(type, text, values);
  return result.ok ? result.value : `REJECT: ${result.reason}`;
};
const utc = (...parts: [number, number, number, number?, number?]) => new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0));

describe('reading cell values as their declared type', () => {
  it('strings are kept as written', () => {
    expect(value('string', 'WM-0042')).toBe('WM-0042');
  });

  it('integers are whole numbers; thousands separators and decimals are refused', () => {
    expect(value('integer', '15')).toBe(15n);
    expect(value('integer', '-3')).toBe(-3n);
    expect(value('integer', '1,200')).toBe('REJECT: write whole numbers without thousands separators');
    expect(value('integer', '2.5')).toBe('REJECT: not a whole number');
    expect(value('integer', 'ten')).toBe('REJECT: not a whole number');
  });

  it('numbers accept decimals and exponents', () => {
    expect(value('number', '2.5')).toBe(2.5);
    expect(value('number', '.5')).toBe(0.5);
    expect(value('number', '1e3')).toBe(1000);
    expect(value('number', '1,234.5')).toBe('REJECT: write numbers without thousands separators');
    expect(value('number', '12 hours')).toBe('REJECT: not a number');
  });

  it('booleans accept Y/N, Yes/No, true/false and 1/0 in any case', () => {
    for (const yes of ['Y', 'y', 'Yes', 'YES', 'true', 'TRUE', '1']) expect(value('boolean', yes)).toBe(true);
    for (const no of ['N', 'n', 'No', 'no', 'false', 'False', '0']) expect(value('boolean', no)).toBe(false);
    expect(value('boolean', 'maybe')).toBe('REJECT: not yes or no: write Y, N, Yes, No, true, false, 1 or 0');
  });

  it('dates accept ISO and UK day-first forms', () => {
    expect(value('date', '2014-06-03')).toEqual(utc(2014, 6, 3));
    expect(value('date', '03/06/2014')).toEqual(utc(2014, 6, 3));
    expect(value('date', '3/6/2014')).toEqual(utc(2014, 6, 3));
    expect(value('date', '29/02/2016')).toEqual(utc(2016, 2, 29));
  });

  it('refuses impossible dates, two-digit years and US-style dates', () => {
    expect(value('date', '31/02/2014')).toBe('REJECT: no such date: day 31 of month 2');
    expect(value('date', '29/02/2014')).toBe('REJECT: no such date: day 29 of month 2');
    expect(value('date', '03/06/14')).toBe('REJECT: the year must have four digits (03/06/2014, not 03/06/14)');
    expect(value('date', '06/13/2014')).toBe('REJECT: no such date: day 6 of month 13 (dates are read day first: 03/06/2014 is 3 June 2014)');
    expect(value('date', '2014-13-01')).toBe('REJECT: no such date');
    expect(value('date', 'June 3rd')).toBe('REJECT: not a date: write it as 03/06/2014 or 2014-06-03');
  });

  it('datetimes accept ISO and day-first with a time', () => {
    expect(value('datetime', '2014-06-03T14:05')).toEqual(utc(2014, 6, 3, 14, 5));
    expect(value('datetime', '2014-06-03 14:05:30')).toEqual(new Date(Date.UTC(2014, 5, 3, 14, 5, 30)));
    expect(value('datetime', '03/06/2014 14:05')).toEqual(utc(2014, 6, 3, 14, 5));
    expect(value('datetime', '3/6/2014 9:05')).toEqual(utc(2014, 6, 3, 9, 5));
  });

  it('refuses datetimes without a time, impossible times, and impossible dates', () => {
    expect(value('datetime', '03/06/2014')).toBe('REJECT: not a date and time: write it as 03/06/2014 14:05 or 2014-06-03T14:05');
    expect(value('datetime', '03/06/2014 25:00')).toBe('REJECT: no such time of day: 25:00');
    expect(value('datetime', '31/06/2014 10:00')).toBe('REJECT: no such date: day 31 of month 6');
  });

  it('enums accept their values in any case and suggest the nearest for a typo', () => {
    const areas = ['cse', 'missing', 'custody'];
    expect(value('enum', 'CSE', areas)).toBe('cse');
    expect(value('enum', 'custdy', areas)).toBe("REJECT: not one of cse, missing, custody; did you mean 'custody'?");
    expect(value('enum', 'burglary', areas)).toBe('REJECT: not one of cse, missing, custody');
  });
});

describe('reading a row', () => {
  const rubric = compile(rubricYaml('  age: { type: integer }\n  seen: { type: date }', '  - { id: c1, check: "age > 3", on_fail: inadequate }'));
  const header = ['ref', 'area', 'age', 'seen', 'notes'];
  const plan = planColumns('cases.csv', header, rubric.fields);
  const read = (cells: string[]) => coerceRow('cases.csv', { row: 7, cells }, header, plan, rubric);

  it('treats an empty cell as missing, never as false or zero', () => {
    const result = read(['WM-1', 'cse', '', '  ', 'free text']);
    expect(result.ok && result.record.values).toEqual(Object.assign(Object.create(null), { ref: 'WM-1', area: 'cse', age: null, seen: null }));
  });

  it('never reads a column the rubric does not declare', () => {
    const result = read(['WM-1', 'cse', '4', '', 'secret notes']);
    expect(result.ok && Object.values(result.record.values)).not.toContain('secret notes');
  });

  it('rejects a row naming every bad cell with row, column, value and reason', () => {
    const result = read(['WM-1', 'burglary', 'four', '31/02/2014', '']);
    expect(result).toEqual({
      ok: false,
      problems: [
        { file: 'cases.csv', row: 7, column: 'area', value: 'burglary', reason: 'not one of cse, missing, custody' },
        { file: 'cases.csv', row: 7, column: 'age', value: 'four', reason: 'not a whole number' },
        { file: 'cases.csv', row: 7, column: 'seen', value: '31/02/2014', reason: 'no such date: day 31 of month 2' },
      ],
    });
  });

  it('rejects a row without a case reference or an area', () => {
    const result = read(['', '', '4', '', '']);
    expect(result.ok ? [] : result.problems.map((p) => p.reason)).toEqual([
      'the case reference is empty',
      'the area is empty, so the case cannot be placed in the table',
    ]);
  });

  it('rejects a row with too many or too few cells', () => {
    expect(read(['WM-1', 'cse', '4'])).toEqual({ ok: false, problems: [{ file: 'cases.csv', row: 7, column: '', value: '', reason: 'the row has 3 cells but the header has 5' }] });
    expect(read(['WM-1', 'cse', '4', '', '', 'extra']).ok).toBe(false);
  });

  it('shortens a long value in a reject', () => {
    const result = read(['WM-1', 'cse', 'x'.repeat(500), '', '']);
    expect(result.ok ? '' : result.problems[0]?.value).toBe(`${'x'.repeat(60)}…`);
  });

  it('keeps a column called __proto__ from touching the record object', () => {
    const hostile = compile(rubricYaml('  constructor: { type: string }', '  - { id: c1, check: "constructor != null", on_fail: inadequate }'));
    const h = ['ref', 'area', 'constructor'];
    const result = coerceRow('x.csv', { row: 2, cells: ['A', 'cse', 'polluted'] }, h, planColumns('x.csv', h, hostile.fields), hostile);
    expect(result.ok && result.record.values.constructor).toBe('polluted');
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});

describe('the quick date reader agrees with the calendar (property)', () => {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const valid = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
  const parts = fc.record({ year: fc.integer({ min: 100, max: 9999 }), month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }) });

  it('dates in both forms are the calendar day, or refused', () => {
    fc.assert(
      fc.property(parts, fc.boolean(), ({ year, month, day }, iso) => {
        const text = iso ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : `${pad(day)}/${pad(month)}/${pad(year, 4)}`;
        const expected = new Date(Date.UTC(2000, month - 1, day));
        expected.setUTCFullYear(year);
        expect(value('date', text)).toEqual(valid(year, month, day) ? expected : expect.stringMatching(/^REJECT: no such date/));
      }),
      { numRuns: 2000 },
    );
  });

  it('date-times in both forms are the calendar day and time, or refused', () => {
    const time = fc.record({ hours: fc.integer({ min: 0, max: 25 }), minutes: fc.integer({ min: 0, max: 61 }), seconds: fc.option(fc.integer({ min: 0, max: 61 })) });
    fc.assert(
      fc.property(parts, time, fc.constantFrom('iso-T', 'iso-space', 'day-first'), ({ year, month, day }, { hours, minutes, seconds }, form) => {
        const clock = `${pad(hours)}:${pad(minutes)}${seconds === null ? '' : `:${pad(seconds)}`}`;
        const date = form === 'day-first' ? `${pad(day)}/${pad(month)}/${pad(year, 4)}` : `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
        const text = `${date}${form === 'iso-T' ? 'T' : ' '}${clock}`;
        const expected = new Date(Date.UTC(2000, month - 1, day, hours, minutes, seconds ?? 0));
        expected.setUTCFullYear(year);
        const readable = valid(year, month, day) && hours <= 23 && minutes <= 59 && (seconds ?? 0) <= 59;
        expect(value('datetime', text)).toEqual(readable ? expected : expect.stringMatching(/^REJECT: no such (date|time of day)/));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the quick readers the column reader uses (property)', () => {
  // Texts near the forms the quick readers take: digits and the separators of dates and times, with the odd letter or space.
  const near = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789012345678901234567890123-/: T+.a'), minLength: length - 2, maxLength: length + 2 });
  const codes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const agree = (quick: (codes: Uint8Array, start: number, end: number) => number, general: (text: string, start: number, end: number) => unknown) =>
    fc.property(near(16), fc.nat(3), (text, margin) => {
      const padded = `${'x'.repeat(margin)}${text}${'x'.repeat(margin)}`;
      const [start, end] = [margin, margin + text.length];
      const number = quick(codes(padded), start, end);
      if (Number.isNaN(number)) return;
      const value = general(padded, start, end);
      expect(isUnreadable(value as never)).toBe(false);
      expect(number).toBe(Number(value));
    });

  it('read a cell as the general reader does, or leave it to it (NaN)', () => {
    fc.assert(agree(quickInteger, integerCell), { numRuns: 3000 });
    fc.assert(agree(quickDate, dateCell), { numRuns: 3000 });
    fc.assert(agree(quickDateTime, dateTimeCell), { numRuns: 3000 });
  });

  it('take no cell with spaces at its ends or quotes in it, so that the column reader may give them a cell as split, untrimmed (property)', () => {
    const untrimmed = fc.string({ unit: fc.constantFrom(...'0123456789-/: T', ' ', '\t', '"', '\u00a0'), maxLength: 22 });
    fc.assert(
      fc.property(untrimmed, (text) => {
        for (const quick of [quickInteger, quickDate, quickDateTime]) {
          if (!Number.isNaN(quick(codes(text), 0, text.length))) expect([text.trim(), text.includes('"')]).toEqual([text, false]);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('read a yes-or-no cell as booleanCell does, in any case, or leave it to it (-1) (property)', () => {
    // Letters of the words in both cases, digits, and codes that an upper-case letter's code is near.
    const near = fc.string({ unit: fc.constantFrom(...'yesnotrufalYESNOTRUFAL01@[`{\u0011\u0010'), maxLength: 6 });
    fc.assert(
      fc.property(near, fc.nat(3), (text, margin) => {
        const padded = `${'x'.repeat(margin)}${text}${'x'.repeat(margin)}`;
        const [start, end] = [margin, margin + text.length];
        const value = booleanCell(padded, start, end);
        expect(quickFlag(codes(padded), start, end)).toBe(isUnreadable(value) ? -1 : value ? 1 : 0);
      }),
      { numRuns: 5000 },
    );
    expect(['Y', 'yes', 'TRUE', '1', 'N', 'No', 'fAlSe', '0', 'Yess', 'T'].map((word) => quickFlag(codes(word), 0, word.length))).toEqual([1, 1, 1, 1, 0, 0, 0, 0, -1, -1]);
  });

  it('take the usual forms', () => {
    expect(quickInteger(codes('x123456789x'), 1, 10)).toBe(123456789);
    expect(quickInteger(codes('1234567890'), 0, 10)).toBeNaN();
    expect(quickInteger(codes('-1'), 0, 2)).toBeNaN();
    expect(quickInteger(codes('12'), 1, 1)).toBeNaN();
    expect(quickDate(codes('03/06/2014'), 0, 10)).toBe(Date.UTC(2014, 5, 3));
    expect(quickDateTime(codes('2014-06-03T14:05:09'), 0, 19)).toBe(Date.UTC(2014, 5, 3, 14, 5, 9));
  });
});

describe('a case reference or area that is not text', () => {
  it('is named as the export writes a date or date-time, not as a number of milliseconds', () => {
    const yaml = rubricYaml('  seen_at: { type: datetime }\n  opened: { type: date }', '  - { id: c1, check: "seen_at != null", on_fail: inadequate }').replace('case: { id: ref, area: area }', 'case: { id: seen_at, area: opened }');
    const rubric = compile(yaml);
    const header = ['ref', 'area', 'seen_at', 'opened'];
    const result = coerceRow('cases.csv', { row: 2, cells: ['WM-1', 'cse', '03/06/2014 11:00', '2014-06-03'] }, header, planColumns('cases.csv', header, rubric.fields), rubric);
    expect(result.ok && [result.record.id, result.record.area]).toEqual(['2014-06-03 11:00', '2014-06-03']);
    expect(result.ok && result.record.values.seen_at).toEqual(new Date(Date.UTC(2014, 5, 3, 11, 0)));
  });
});
