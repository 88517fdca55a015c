import { describe, expect, it } from 'vitest';
import { evaluateCase, ExpressionRuntimeError } from '../../src/scoring/evaluate.js';
import { AS_OF, compile, outcomesOf, record, rubricYaml } from '../helpers.js';

const rubric = compile(
  rubricYaml(
    `  intel_submitted: { type: boolean }
  intel_followed_up: { type: boolean }
  referred_at: { type: datetime }
  met_at: { type: datetime }
  seen: { type: date }
  age: { type: integer }
  grade: { type: enum, values: [low, high] }`,
    `  - id: followed-up
    applies: area == "cse" && intel_submitted
    check: intel_followed_up
    on_fail: inadequate
  - id: met-in-24h
    check: met_at != null && hours_between(referred_at, met_at) <= 24.0
    on_fail: requires-improvement
  - id: seen-this-year
    check: days_between(seen, as_of) <= 365
    when_missing: not-assessed
    on_fail: requires-improvement
  - id: either
    check: intel_submitted || intel_followed_up
    on_fail: requires-improvement
  - id: graded-high
    check: grade == "high"
    on_fail: requires-improvement
  - id: law-from-2015
    applies: age == 17 && seen >= date("2015-10-26")
    check: "false"
    on_fail: inadequate`,
  ),
);

describe('criterion outcomes', () => {
  it('met and not met follow the check', () => {
    expect(outcomesOf(rubric, { ref: 'A', area: 'cse', intel_submitted: 'Y', intel_followed_up: 'Y' }).outcomes['followed-up']).toBe('met');
    expect(outcomesOf(rubric, { ref: 'A', area: 'cse', intel_submitted: 'Y', intel_followed_up: 'N' }).outcomes['followed-up']).toBe('not-met');
  });

  it('not applicable when applies is false', () => {
    expect(outcomesOf(rubric, { ref: 'A', area: 'missing', intel_submitted: 'Y' }).outcomes['followed-up']).toBe('not-applicable');
    expect(outcomesOf(rubric, { ref: 'A', area: 'cse', intel_submitted: 'N' }).outcomes['followed-up']).toBe('not-applicable');
  });

  it('not assessed when applies cannot be evaluated for missing data', () => {
    const { detail } = outcomesOf(rubric, { ref: 'A', area: 'cse', intel_followed_up: 'Y' });
    expect(detail[0]).toEqual({ id: 'followed-up', outcome: 'not-assessed', missing: ['intel_submitted'] });
  });

  it('when_missing: fail counts a check on an empty field as not met (not recorded)', () => {
    const { detail } = outcomesOf(rubric, { ref: 'A', area: 'cse', intel_submitted: 'Y' });
    expect(detail[0]).toEqual({ id: 'followed-up', outcome: 'not-met', missing: ['intel_followed_up'] });
  });

  it('when_missing: not-assessed leaves the criterion out of the grade', () => {
    const result = outcomesOf(rubric, { ref: 'A', area: 'missing', intel_submitted: 'Y', met_at: '2014-06-01 10:00', referred_at: '2014-06-01 09:00', grade: 'high' });
    expect(result.detail[2]).toEqual({ id: 'seen-this-year', outcome: 'not-assessed', missing: ['seen'] });
    expect(result.grade).toBe('good');
  });

  it('an expression that tests for null handles the missing value itself', () => {
    expect(outcomesOf(rubric, { ref: 'A', area: 'cse', referred_at: '2014-06-01 09:00' }).detail[1]).toEqual({ id: 'met-in-24h', outcome: 'not-met', missing: [] });
  });

  it('hours_between and days_between measure from the first date to the second', () => {
    const at = (met: string) => outcomesOf(rubric, { ref: 'A', area: 'cse', referred_at: '01/06/2014 09:00', met_at: met }).outcomes['met-in-24h'];
    expect(at('02/06/2014 09:00')).toBe('met');
    expect(at('02/06/2014 09:01')).toBe('not-met');
    const seen = (date: string) => outcomesOf(rubric, { ref: 'A', area: 'cse', seen: date }).outcomes['seen-this-year'];
    expect(seen('2013-07-01')).toBe('met');
    expect(seen('2013-06-30')).toBe('not-met');
  });

  it('follows CEL: true || missing is true; an equality with a missing value is false', () => {
    expect(outcomesOf(rubric, { ref: 'A', area: 'cse', intel_followed_up: 'Y' }).outcomes.either).toBe('met');
    expect(outcomesOf(rubric, { ref: 'A', area: 'cse', intel_followed_up: 'N' }).detail[3]).toEqual({ id: 'either', outcome: 'not-met', missing: ['intel_submitted'] });
    expect(outcomesOf(rubric, { ref: 'A', area: 'cse' }).detail[4]).toEqual({ id: 'graded-high', outcome: 'not-met', missing: [] });
  });

  it('applies the law in force on the case date', () => {
    expect(outcomesOf(rubric, { ref: 'A', area: 'custody', age: '17', seen: '2015-10-25' }).outcomes['law-from-2015']).toBe('not-applicable');
    expect(outcomesOf(rubric, { ref: 'A', area: 'custody', age: '17', seen: '2015-10-26' }).outcomes['law-from-2015']).toBe('not-met');
  });

  it('stops on an expression that fails with all its data present: a rubric fault, not a case fault', () => {
    const faulty = compile(rubricYaml('  n: { type: integer }', '  - { id: divide, check: "10 / n > 1", on_fail: inadequate }'));
    expect(() => evaluateCase(faulty, record(faulty, { ref: 'A', area: 'cse', n: '0' }), AS_OF)).toThrow(ExpressionRuntimeError);
    expect(() => evaluateCase(faulty, record(faulty, { ref: 'A', area: 'cse', n: '0' }), AS_OF)).toThrow("test.csv: row 2: criterion 'divide' could not be evaluated: division by zero");
  });
});
