import { describe, expect, it } from 'vitest';
import { normaliseHeader, planColumns } from '../../src/cases/columns.js';
import { InputError } from '../../src/cases/errors.js';
import { compile } from '../helpers.js';

const rubric = compile(`id: t
version: 1
case: { id: ref, area: area }
fields:
  ref: { type: string, column: Case Ref }
  area: { type: enum, values: [cse] }
  arrested_on: { type: date, column: Arrest Date }
  intel: { type: boolean, column: [Intel Submitted, Intelligence Submitted] }
criteria:
  - { id: c1, check: "intel", on_fail: inadequate }
`);

const failure = (header: string[]) => {
  try {
    planColumns('cases.csv', header, rubric.fields);
  } catch (error) {
    if (error instanceof InputError) return error.message;
  }
  return 'no error';
};

describe('matching headers to fields', () => {
  it('ignores case, surrounding spaces and the difference between space, _ and -', () => {
    expect(normaliseHeader('  Case_Ref ')).toBe('case ref');
    expect(normaliseHeader('ARREST-DATE')).toBe('arrest date');
    expect(planColumns('c.csv', ['intel_submitted', 'AREA', ' case-ref ', 'arrest  date', 'Notes'], rubric.fields)).toEqual([2, 1, 3, 0]);
  });

  it('accepts any of a list of headers', () => {
    expect(planColumns('c.csv', ['Case Ref', 'Area', 'Arrest Date', 'Intelligence Submitted'], rubric.fields)).toEqual([0, 1, 2, 3]);
  });

  it('names every missing column at once, suggesting the nearest header', () => {
    expect(failure(['Case Ref', 'Arrested Date', 'Notes'])).toBe(
      [
        'cases.csv: 3 columns the rubric needs are missing:',
        "  - column 'area' not found",
        "  - column 'Arrest Date' not found; did you mean 'Arrested Date'?",
        "  - column 'Intel Submitted' not found (accepted headers: 'Intel Submitted', 'Intelligence Submitted')",
      ].join('\n'),
    );
  });

  it('names a single missing column in one line', () => {
    expect(failure(['Case Ref', 'Area', 'Arrest Date'])).toBe(
      "cases.csv: column 'Intel Submitted' not found (accepted headers: 'Intel Submitted', 'Intelligence Submitted')",
    );
  });

  it('refuses a column that appears twice', () => {
    expect(failure(['Case Ref', 'Area', 'Arrest Date', 'Intel Submitted', 'case ref'])).toBe("cases.csv: column 'Case Ref' appears more than once (columns 1 and 5)");
  });
});
