import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CEL_ERROR, compileClosure } from '../../src/rubric/closures.js';
import { isoDateToTimestamp } from '../../src/rubric/dates.js';
import { createEnvironments } from '../../src/rubric/expressions.js';
import type { FieldType } from '../../src/rubric/schema.js';
import { compile } from '../helpers.js';
import { ROOT } from '../e2e/run.js';

/** What an evaluation came to: true, false, or an error (thrown, or a value that is not true or false). */
type Verdict = true | false | 'error';

const valueFor: Record<FieldType, fc.Arbitrary<unknown>> = {
  string: fc.constantFrom('cse', 'missing', 'x', ''),
  enum: fc.constantFrom('cse', 'missing', 'custody', 'other', 'domestic-abuse', 'no-apparent-risk', 'low', 'high'),
  integer: fc.bigInt({ min: -3n, max: 40n }),
  number: fc.double({ min: -5, max: 100, noNaN: true }),
  boolean: fc.boolean(),
  date: fc.integer({ min: 15_000, max: 17_000 }).map((day) => new Date(day * 86_400_000)),
  datetime: fc.integer({ min: 15_000 * 24, max: 17_000 * 24 }).map((hour) => new Date(hour * 3_600_000)),
};

function compare(fields: Map<string, FieldType>, expressions: string[]) {
  const environments = createEnvironments(new Map([...fields].map(([name, type]) => [name, { type }])));
  const slotOf = new Map([...fields.keys(), 'as_of'].map((name, i) => [name, i]));
  const cases = expressions.map((source) => {
    const general = environments.run.parse(source);
    const closure = compileClosure(environments.check.parse(source).ast, slotOf, isoDateToTimestamp);
    expect(closure, source).toBeDefined();
    return { source, general, closure: closure! };
  });
  const record = fc.record(Object.fromEntries([...fields].map(([name, type]) => [name, fc.option(valueFor[type], { nil: null, freq: 3 })])));
  fc.assert(
    fc.property(record, fc.integer({ min: 15_500, max: 17_000 }), (values, asOfDay) => {
      const asOf = new Date(asOfDay * 86_400_000);
      // Compiled expressions read timestamps as milliseconds (src/cases/coerce.ts, SlotValue).
      const slots = [...fields.keys()].map((name) => (values[name] instanceof Date ? (values[name] as Date).getTime() : values[name]));
      slots.push(asOf.getTime());
      for (const { source, general, closure } of cases) {
        let expected: Verdict;
        try {
          const result = general({ ...values, as_of: asOf });
          expected = typeof result === 'boolean' ? result : 'error';
        } catch {
          expected = 'error';
        }
        const result = closure(slots);
        const actual: Verdict = result === CEL_ERROR || typeof result !== 'boolean' ? 'error' : result;
        expect(actual, `${source} with ${JSON.stringify(values, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`).toBe(expected);
      }
    }),
    { numRuns: 400 },
  );
}

describe('compiled closures give the general CEL evaluator’s results, value for value', () => {
  it('for every expression of the shipped rubrics', () => {
    for (const name of ['hmic-ncpi-child-protection', 'custody', 'missing']) {
      const rubric = compile(readFileSync(path.join(ROOT, 'rubrics', `${name}.yaml`), 'utf8'));
      const fields = new Map(rubric.fields.map((f) => [f.name, f.type]));
      const expressions = rubric.criteria.flatMap((c) => [c.applies?.source, c.check.source]).filter((s): s is string => s !== undefined);
      expect(rubric.criteria.every((c) => c.check.compiled && (c.applies?.compiled ?? true))).toBe(true);
      compare(fields, expressions);
    }
  });

  it('for the rest of the covered language: arithmetic, negation, conditionals, lists, null tests, mixed numbers', () => {
    const fields = new Map<string, FieldType>([
      ['a', 'boolean'],
      ['b', 'boolean'],
      ['n', 'integer'],
      ['m', 'integer'],
      ['x', 'number'],
      ['s', 'string'],
      ['d', 'date'],
      ['t', 'datetime'],
    ]);
    compare(fields, [
      'a && b || !a',
      '(a || b) && !(a && b)',
      'a ? n > 3 : x < 2.5',
      'n + m > 10 && n - m < 5 && n * m != 12',
      'n / m >= 1',
      'n % m == 0',
      '-n < 0 || -x > 1.0',
      'x / 2.0 > 1.5',
      'n == 3.0 || x == 3',
      'n < x',
      's in ["cse", "missing"] || n in [1, 2, 3]',
      'n != null && s == null',
      'null == d || t != null',
      'd < date("2015-10-26") && days_between(d, as_of) <= 365',
      'hours_between(t, d) >= -24.0',
      't == d || d >= t',
      's + "x" == "csex"',
      's < "m" && a == true',
      '[n, m] == [1, 2]',
      'a != b',
      // Field against literal, both ways round (compiled to direct tests).
      'n >= 12 && 12 <= m && n < -1 || 3 > m || n <= 0 || 40 >= n',
      '"cse" == s || s != "missing" && false == a && b == true',
      'n == 3 || x > 2 || 2 < x',
    ]);
  });
});
