import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledRubric } from '../../src/rubric/compile.js';
import { GRADES } from '../../src/rubric/schema.js';
import { gradeCase } from '../../src/scoring/grade.js';
import { OUTCOMES, outcomeCodes, type CriterionOutcome } from '../../src/scoring/outcome.js';
import { addCase, emptySummary, rubricInfo } from '../../src/summary/summary.js';

const rank = (grade: string) => GRADES.indexOf(grade as (typeof GRADES)[number]);

/** Just enough of a compiled rubric for grading: the criteria's on_fail and escalate_after. */
const rubricArb = fc.record({
  onFail: fc.array(fc.constantFrom('requires-improvement' as const, 'inadequate' as const), { minLength: 1, maxLength: 8 }),
  escalateAfter: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
});

function rubricOf({ onFail, escalateAfter }: { onFail: Array<'requires-improvement' | 'inadequate'>; escalateAfter: number | undefined }): CompiledRubric {
  return {
    criteria: onFail.map((on_fail, i) => ({ id: `c${i}`, on_fail })),
    areas: [{ value: 'a', label: 'A' }],
    source: { text: `rubric of ${onFail.length} criteria` },
    ...(escalateAfter !== undefined ? { escalateAfter } : {}),
  } as unknown as CompiledRubric;
}

const withOutcomes = rubricArb.chain((r) =>
  fc.record({ rubric: fc.constant(r), outcomes: fc.array(fc.constantFrom(...OUTCOMES), { minLength: r.onFail.length, maxLength: r.onFail.length }) }),
);

const asOutcomes = (outcomes: string[]): CriterionOutcome[] => outcomes.map((outcome, i) => ({ id: `c${i}`, outcome: outcome as CriterionOutcome['outcome'], missing: [] }));

describe('grading (properties)', () => {
  it('making one not-met criterion met never worsens a case’s grade', () => {
    fc.assert(
      fc.property(withOutcomes, fc.nat(), ({ rubric, outcomes }, pick) => {
        const notMet = outcomes.map((o, i) => (o === 'not-met' ? i : -1)).filter((i) => i >= 0);
        fc.pre(notMet.length > 0);
        const index = notMet[pick % notMet.length]!;
        const better = outcomes.map((o, i) => (i === index ? 'met' : o));
        const compiled = rubricOf(rubric);
        expect(rank(gradeCase(compiled, asOutcomes(better)))).toBeLessThanOrEqual(rank(gradeCase(compiled, asOutcomes(outcomes))));
      }),
    );
  });

  it('a case is good exactly when nothing is not met', () => {
    fc.assert(
      fc.property(withOutcomes, ({ rubric, outcomes }) => {
        expect(gradeCase(rubricOf(rubric), asOutcomes(outcomes)) === 'good').toBe(!outcomes.includes('not-met'));
      }),
    );
  });

  it('area counts sum to the total, and each criterion’s outcomes sum to the cases scored', () => {
    fc.assert(
      fc.property(rubricArb, fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.array(fc.constantFrom(...OUTCOMES), { minLength: 8, maxLength: 8 }))), (r, cases) => {
        const rubric = rubricOf(r);
        const summary = emptySummary(rubricInfo(rubric), { asOf: '2014-07-01', files: [] });
        for (const [area, outcomes] of cases) {
          const relevant = asOutcomes(outcomes.slice(0, r.onFail.length));
          addCase(summary, area, gradeCase(rubric, relevant), outcomeCodes(relevant));
        }
        const { totals, areas, criteria } = summary.overall;
        expect([...areas.values()].reduce((n, a) => n + a.cases, 0)).toBe(totals.cases);
        expect(totals.good + totals['requires-improvement'] + totals.inadequate).toBe(totals.cases);
        for (const counts of criteria) expect(counts.met + counts['not-met'] + counts['not-applicable'] + counts['not-assessed']).toBe(totals.cases);
      }),
    );
  });
});
