import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonDocument } from '../../src/render/json.js';
import type { Grade } from '../../src/rubric/schema.js';
import { OUTCOMES, outcomeCodes, type CriterionOutcome } from '../../src/scoring/outcome.js';
import { headlineFindings, topShortfalls } from '../../src/summary/findings.js';
import { addCase, addRejectedRow, emptySummary, mergeSummaries, rubricInfo, type Summary } from '../../src/summary/summary.js';
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
});

function summarise(cases: FakeCase[]): Summary {
  const summary = emptySummary(info, { asOf: '2014-07-01', files: ['a.csv'], groupBy: 'team' });
  cases.forEach((c, i) => {
    if (c.rejected) addRejectedRow(summary, [{ file: 'a.csv', row: i + 2, column: 'Area', value: 'x', reason: 'bad' }]);
    else addCase(summary, c.area, c.grade, outcomeCodes(c.outcomes), c.group);
  });
  return summary;
}

describe('summaries', () => {
  it('merge: the summary of two parts merged equals the summary of the whole, in either order', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { maxLength: 40 }), fc.nat(), (cases, cut) => {
        const at = cases.length === 0 ? 0 : cut % (cases.length + 1);
        const whole = toJsonDocument(summarise(cases));
        const [left, right] = [summarise(cases.slice(0, at)), summarise(cases.slice(at))];
        // Row numbers restart in each part; renumber the right-hand rejects as the whole would.
        right.rejects.forEach((r) => (r.row += at));
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

  it('lists the most frequent shortfalls, ties in rubric order', () => {
    const summary = summarise([
      { area: 'cse', grade: 'inadequate', outcomes: [{ id: 'c1', outcome: 'not-met', missing: [] }, { id: 'c2', outcome: 'not-met', missing: [] }], group: 'x', rejected: false },
      { area: 'cse', grade: 'good', outcomes: [{ id: 'c1', outcome: 'met', missing: [] }, { id: 'c2', outcome: 'not-assessed', missing: [] }], group: 'x', rejected: false },
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
        cases.push({ area, grade, outcomes: [{ id: 'c1', outcome, missing: [] }, { id: 'c2', outcome: 'met', missing: [] }], group: 'x', rejected: false });
      }
    }
    for (let i = 0; i < rejected; i++) cases.push({ ...cases[0]!, rejected: true });
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

  it('says so when nothing was scored', () => {
    expect(make([])).toEqual(['No cases were scored.']);
  });
});
