import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonDocument } from '../../src/render/json.js';
import type { Grade } from '../../src/rubric/schema.js';
import { OUTCOMES, outcomeCodes, type CriterionOutcome } from '../../src/scoring/outcome.js';
import { headlineFindings, topShortfalls } from '../../src/summary/findings.js';
import { addCase, addRejectedRow, emptySummary, LISTED_REJECTS, mergeSummaries, rejectedColumns, rubricInfo, type Summary } from '../../src/summary/summary.js';
import { compile, rubricYaml } from '../helpers.js';

const rubric = compile(
  rubricYaml(
    '  a: { type: boolean }',
    ['  - { id: c1, title: First, stage: investigation, check: a, on_fail: inadequate }', '  - { id: c2, title: Second, check: a, on_fail: requires-improvement }'].join('\n'),
    'areas:\n  - { value: cse, label: Child sexual exploitation }\n  - { value: missing, label: Missing from home }',
  ),
);
const info = rubricInfo(rubric);

interface FakeCase {
  area: string;
  grade: Grade;
  outcomes: CriterionOutcome[];
  group: string;
  rejected: boolean;
  /** For a rejected row: the columns of its problems, '' for the row as a whole. */
  columns: string[];
}

const caseArb: fc.Arbitrary<FakeCase> = fc.record({
  area: fc.constantFrom('cse', 'missing', 'custody'),
  grade: fc.constantFrom<Grade>('good', 'requires-improvement', 'inadequate'),
  outcomes: fc.tuple(fc.constantFrom(...OUTCOMES), fc.constantFrom(...OUTCOMES), fc.boolean()).map(([o1, o2, missing]) => [
    { id: 'c1', outcome: o1, missing: missing ? ['a'] : [] },
    { id: 'c2', outcome: o2, missing: [] },
  ]),
  group: fc.constantFrom('North', 'South', '(not recorded)'),
  rejected: fc.boolean(),
  columns: fc.array(fc.constantFrom('Area', 'Team', ''), { minLength: 1, maxLength: 3 }),
});

/** The summary of `cases`, the first of them at data row `firstRow` (row 2 is the first after the header). */
function summarise(cases: FakeCase[], firstRow = 2): Summary {
  const summary = emptySummary(info, { asOf: '2014-07-01', files: ['a.csv'], groupBy: 'team' });
  cases.forEach((c, i) => {
    const row = firstRow + i;
    if (c.rejected) addRejectedRow(summary, c.columns.map((column) => ({ file: 'a.csv', row, column, value: 'x', reason: `unreadable in row ${row}` })));
    else addCase(summary, c.area, c.grade, outcomeCodes(c.outcomes), c.group);
  });
  return summary;
}

describe('summaries', () => {
  it('merge: the summary of two parts merged equals the summary of the whole, in either order', () => {
    fc.assert(
      // Up to 250 rows, so that the parts can have more unreadable cells than are listed.
      fc.property(fc.array(caseArb, { maxLength: 250, size: 'max' }), fc.nat(), (cases, cut) => {
        const at = cases.length === 0 ? 0 : cut % (cases.length + 1);
        const whole = toJsonDocument(summarise(cases));
        const [left, right] = [summarise(cases.slice(0, at)), summarise(cases.slice(at), 2 + at)];
        expect(toJsonDocument(mergeSummaries(left, right))).toEqual(whole);
        expect(toJsonDocument(mergeSummaries(right, left))).toEqual(whole);
      }),
    );
  });

  it('reconciles: rows read = cases scored + rows rejected', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { maxLength: 40 }), (cases) => {
        const doc = toJsonDocument(summarise(cases));
        expect(doc.input.rows_read).toBe(doc.input.cases_scored + doc.input.rows_rejected);
        expect(doc.totals.cases).toBe(doc.areas.reduce((n, a) => n + a.cases, 0));
      }),
    );
  });

  it('lists the first unreadable cells and counts the rest, each row once for each column at fault', () => {
    const cases = Array.from({ length: 150 }, (_, i): FakeCase => ({ area: 'cse', grade: 'good', outcomes: [], group: 'x', rejected: i % 3 !== 2, columns: i % 3 === 0 ? ['Team', 'Team'] : [''] }));
    const summary = summarise(cases);
    expect(summary.rowsRejected).toBe(100);
    expect(summary.rejects).toHaveLength(LISTED_REJECTS);
    expect(summary.rejects[0]).toEqual({ file: 'a.csv', row: 2, column: 'Team', value: 'x', reason: 'unreadable in row 2' });
    expect(summary.rejects.at(-1)?.row).toBe(2 + 99);
    // 50 rows with two problems and 50 with one: 150 cells.
    expect(summary.rejectsNotListed).toBe(150 - LISTED_REJECTS);
    expect(rejectedColumns(summary)).toEqual([
      { column: '', rows: 50, example: 'unreadable in row 3' },
      { column: 'Team', rows: 50, example: 'unreadable in row 2' },
    ]);
  });

  it('lists the most frequent shortfalls, ties in rubric order', () => {
    const summary = summarise([
      { area: 'cse', grade: 'inadequate', outcomes: [{ id: 'c1', outcome: 'not-met', missing: [] }, { id: 'c2', outcome: 'not-met', missing: [] }], group: 'x', rejected: false, columns: [] },
      { area: 'cse', grade: 'good', outcomes: [{ id: 'c1', outcome: 'met', missing: [] }, { id: 'c2', outcome: 'not-assessed', missing: [] }], group: 'x', rejected: false, columns: [] },
    ]);
    expect(topShortfalls(summary)).toEqual([
      { id: 'c1', title: 'First', stage: 'investigation', on_fail: 'inadequate', applied: 2, not_met: 1, not_assessed: 0, percent: 50 },
      { id: 'c2', title: 'Second', on_fail: 'requires-improvement', applied: 1, not_met: 1, not_assessed: 1, percent: 100 },
    ]);
  });
});

describe('headline findings', () => {
  const make = (counts: Array<[string, Grade, number]>, rejected = 0) => {
    const cases: FakeCase[] = [];
    for (const [area, grade, n] of counts) {
      for (let i = 0; i < n; i++) {
        const outcome = grade === 'good' ? 'met' : 'not-met';
        cases.push({ area, grade, outcomes: [{ id: 'c1', outcome, missing: [] }, { id: 'c2', outcome: 'met', missing: [] }], group: 'x', rejected: false, columns: [] });
      }
    }
    for (let i = 0; i < rejected; i++) cases.push({ ...cases[0]!, rejected: true, columns: ['Area'] });
    return headlineFindings(summarise(cases));
  };

  it('states the inadequate share, the grade split, the worst areas and the top shortfall', () => {
    expect(make([['cse', 'inadequate', 5], ['cse', 'good', 4], ['missing', 'inadequate', 1], ['missing', 'requires-improvement', 9]])).toEqual([
      '6 of 19 cases (32%) were inadequate.',
      '4 (21%) were good and 9 (47%) required improvement.',
      '5 of 9 child sexual exploitation cases were inadequate.',
      'The most frequent shortfall: "First", not met in 15 of 19 cases where it applied.',
    ]);
  });

  it('mentions rejected rows', () => {
    expect(make([['cse', 'good', 2]], 1)).toEqual([
      '0 of 2 cases (0%) were inadequate.',
      '2 (100%) were good and 0 (0%) required improvement.',
      'Every criterion was met in every case where it applied.',
      '1 row was rejected for unreadable values and not scored; they are listed under "Rejected rows".',
    ]);
  });

  it('says how many rejected cells are listed when not all of them are', () => {
    expect(make([['cse', 'good', 2]], 150).at(-1)).toBe('150 rows were rejected for unreadable values and not scored; the first 100 unreadable cells are listed under "Rejected rows", with the rows for each column.');
  });

  it('says so when nothing was scored', () => {
    expect(make([])).toEqual(['No cases were scored.']);
  });
});
