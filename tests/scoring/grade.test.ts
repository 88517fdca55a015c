import { describe, expect, it } from 'vitest';
import { compile, outcomesOf, rubricYaml } from '../helpers.js';

const criteria = `  - { id: serious, check: a, on_fail: inadequate }
  - { id: minor-1, check: b, on_fail: requires-improvement }
  - { id: minor-2, check: c, on_fail: requires-improvement }
  - { id: minor-3, check: d, on_fail: requires-improvement }`;
const fields = ['a', 'b', 'c', 'd'].map((f) => `  ${f}: { type: boolean }`).join('\n');
const ok = { ref: 'A', area: 'cse', a: 'Y', b: 'Y', c: 'Y', d: 'Y' };

describe('rolling outcomes up to a grade', () => {
  const rubric = compile(rubricYaml(fields, criteria, 'escalate_after: 3'));
  const grade = (cells: Record<string, string>) => outcomesOf(rubric, { ...ok, ...cells }).grade;

  it('is good when nothing is not met', () => {
    expect(grade({})).toBe('good');
  });

  it('takes the worst on_fail among the shortfalls', () => {
    expect(grade({ b: 'N' })).toBe('requires-improvement');
    expect(grade({ a: 'N' })).toBe('inadequate');
    expect(grade({ a: 'N', b: 'N' })).toBe('inadequate');
  });

  it('makes escalate_after requires-improvement shortfalls inadequate', () => {
    expect(grade({ b: 'N', c: 'N' })).toBe('requires-improvement');
    expect(grade({ b: 'N', c: 'N', d: 'N' })).toBe('inadequate');
  });

  it('never escalates without escalate_after', () => {
    const lenient = compile(rubricYaml(fields, criteria));
    expect(outcomesOf(lenient, { ...ok, b: 'N', c: 'N', d: 'N' }).grade).toBe('requires-improvement');
  });

  it('counts not recorded (when_missing: fail) as a shortfall', () => {
    expect(grade({ a: '' })).toBe('inadequate');
  });
});
