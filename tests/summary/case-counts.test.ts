import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRADES, type Grade } from '../../src/rubric/constants.js';
import { OUTCOME_CODE } from '../../src/scoring/outcome.js';
import { addCaseCounts, addModeratedCase, caseCounts, countCase } from '../../src/summary/case-counts.js';
import { addCase, emptySummary, rubricInfo } from '../../src/summary/summary.js';
import { compile, rubricYaml } from '../helpers.js';

const rubric = compile(rubricYaml('  a: { type: boolean }', ['  - { id: c1, check: a, on_fail: inadequate }', '  - { id: c2, check: a, on_fail: requires-improvement }', '  - { id: c3, check: a, on_fail: requires-improvement }'].join('\n')));
const criteria = rubric.criteria.length;
const emptyOne = () => emptySummary(rubricInfo(rubric), { asOf: '2014-07-01', files: ['export.csv'] });

const code = fc.constantFrom(...Object.values(OUTCOME_CODE));
const oneCase = fc.record({
  area: fc.constantFrom('cse', 'missing', 'custody'),
  group: fc.option(fc.constantFrom('North', 'South'), { nil: undefined }),
  grade: fc.nat(GRADES.length - 1),
  codes: fc.array(code, { minLength: criteria, maxLength: criteria }),
  repeated: fc.boolean(),
});

describe('counting a chunk’s cases by area and group', () => {
  it('gives the summary that adding the cases one by one gives, with the cases taken out again leaving no trace (property)', () => {
    fc.assert(
      fc.property(fc.array(oneCase, { maxLength: 40 }), fc.boolean(), (cases, grouped) => {
        const oneByOne = emptyOne();
        const byCounts = emptyOne();
        const counts = new Map<string, { area: string; group: string | undefined; counts: Int32Array }>();
        for (const c of cases) {
          const group = grouped ? c.group : undefined;
          const key = `${c.area}/${group}`;
          if (!counts.has(key)) counts.set(key, { area: c.area, group, counts: caseCounts(criteria) });
          const counted = counts.get(key)!;
          countCase(counted.counts, c.grade, c.codes, 0, criteria);
          // A repeated reference is found after its chunk was counted, and taken out.
          if (c.repeated) countCase(counted.counts, c.grade, c.codes, 0, criteria, -1);
          else addCase(oneByOne, c.area, GRADES[c.grade] as Grade, c.codes, group);
        }
        for (const { area, group, counts: chunk } of counts.values()) addCaseCounts(byCounts, area, group, chunk);
        expect(byCounts).toEqual(oneByOne);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a moderated case in the whole and in its group', () => {
    const summary = emptyOne();
    const moderated = { id: 'WM-1', area: 'cse', computed: 'inadequate' as const, final: 'good' as const };
    addModeratedCase(summary, 'North', moderated);
    addModeratedCase(summary, undefined, { ...moderated, id: 'WM-2' });
    expect(summary.overall.moderated.map((m) => m.id)).toEqual(['WM-1', 'WM-2']);
    expect(summary.groups.get('North')?.moderated).toEqual([moderated]);
  });
});
