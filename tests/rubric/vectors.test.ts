import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CEL_ERROR, compileClosure } from '../../src/rubric/closures.js';
import { isoDateToTimestamp } from '../../src/rubric/dates.js';
import { createEnvironments } from '../../src/rubric/expressions.js';
import type { FieldType } from '../../src/rubric/schema.js';
import { ABSENT, compileVector, FALSE, TRUE, type Columns, type VectorField } from '../../src/rubric/vectors.js';
import { compile } from '../helpers.js';
import { ROOT } from '../e2e/run.js';

const ENUM_VALUES = ['cse', 'missing', 'custody', 'no-apparent-risk', 'high'];

/** Values as the closures read them: timestamps in milliseconds, integers as bigints. */
const valueFor: Record<FieldType, fc.Arbitrary<unknown>> = {
  string: fc.constantFrom('cse', 'missing', 'x', 'a b'),
  enum: fc.constantFrom(...ENUM_VALUES),
  integer: fc.bigInt({ min: -3n, max: 40n }),
  number: fc.oneof(fc.double({ min: -5, max: 100, noNaN: true }), fc.constantFrom(3, 12, 0)),
  boolean: fc.boolean(),
  date: fc.integer({ min: 15_000, max: 17_000 }).map((day) => day * 86_400_000),
  datetime: fc.integer({ min: 15_000 * 24, max: 17_000 * 24 }).map((hour) => hour * 3_600_000 + 60_000 * (hour % 7)),
};

/** Cases as columns, the way FieldColumns lays them out. */
function columnsOf(fields: VectorField[], cases: unknown[][], asOf: number): Columns {
  const column = <T>(slot: number, make: (value: unknown) => T) => cases.map((slots) => make(slots[slot]));
  return {
    asOf,
    flags: (slot) => Uint8Array.from(column(slot, (v) => (v === null ? ABSENT : v ? TRUE : FALSE))),
    numbers: (slot) => Float64Array.from(column(slot, (v) => (v === null ? NaN : Number(v)))),
    choices: (slot) => Int32Array.from(column(slot, (v) => (v === null ? -1 : (fields[slot]?.values ?? []).indexOf(v as string)))),
    present: (slot) => Uint8Array.from(column(slot, (v) => (v === null ? 0 : 1))),
    texts: (slot) => column(slot, (v) => (v === null ? '' : (v as string))),
  };
}

/** Each expression run over random columns gives, case for case, what its closure gives. */
function compare(declared: Map<string, FieldType>, expressions: string[]) {
  const fields: VectorField[] = [...declared.values()].map((type) => (type === 'enum' ? { type, values: ENUM_VALUES } : { type }));
  const environments = createEnvironments(new Map([...declared].map(([name, type]) => [name, type === 'enum' ? { type, values: ENUM_VALUES } : { type }])));
  const slotOf = new Map([...declared.keys(), 'as_of'].map((name, i) => [name, i]));
  const compiled = expressions.map((source) => {
    const ast = environments.check.parse(source).ast;
    const closure = compileClosure(ast, slotOf, isoDateToTimestamp);
    const vector = compileVector(ast, fields, slotOf, isoDateToTimestamp);
    expect(vector, source).toBeDefined();
    return { source, closure: closure!, vector: vector! };
  });
  const oneCase = fc.tuple(...[...declared.values()].map((type) => fc.option(valueFor[type], { nil: null, freq: 3 })));
  fc.assert(
    fc.property(fc.array(oneCase, { minLength: 1, maxLength: 40 }), fc.integer({ min: 15_500, max: 17_000 }), (cases, asOfDay) => {
      const asOf = asOfDay * 86_400_000;
      const columns = columnsOf(fields, cases, asOf);
      for (const { source, closure, vector } of compiled) {
        const results = vector.run(columns, cases.length);
        cases.forEach((values, i) => {
          const result = closure([...values, asOf]);
          const expected = result === CEL_ERROR || typeof result !== 'boolean' ? ABSENT : result ? TRUE : FALSE;
          expect(results[i], `${source} with ${JSON.stringify(values, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`).toBe(expected);
        });
      }
    }),
    { numRuns: 300 },
  );
}

describe('vector expressions give the closures’ results, case for case', () => {
  it('for every expression of the shipped rubrics and the benchmark rubric', () => {
    const rubrics = [...['hmic-ncpi-child-protection', 'custody', 'missing'].map((name) => path.join(ROOT, 'rubrics', `${name}.yaml`)), path.join(ROOT, 'scripts', 'bench', 'rubric.yaml')];
    for (const file of rubrics) {
      const rubric = compile(readFileSync(file, 'utf8'));
      const slotOf = new Map([...rubric.fields.map((f) => f.name), 'as_of'].map((name, i) => [name, i]));
      for (const criterion of rubric.criteria) {
        for (const expression of [criterion.applies, criterion.check]) {
          if (expression) expect(compileVector(expression.ast, rubric.fields, slotOf, isoDateToTimestamp), `${file}: ${expression.source}`).toBeDefined();
        }
      }
    }
  });

  it('for the part of CEL they cover: logic, conditionals, comparisons, equality, lists, null tests, dates', () => {
    const fields = new Map<string, FieldType>([
      ['a', 'boolean'],
      ['b', 'boolean'],
      ['n', 'integer'],
      ['m', 'integer'],
      ['x', 'number'],
      ['s', 'string'],
      ['e', 'enum'],
      ['d', 'date'],
      ['t', 'datetime'],
    ]);
    compare(fields, [
      'a && b || !a',
      '(a || b) && !(a && b)',
      'a ? n > 3 : x < 2.5',
      'a ? b : !b',
      'n == 3.0 || x == 3',
      'n == m || n != x',
      'n < x && m >= -2',
      's in ["cse", "missing"] || n in [1, 2, 3]',
      'e in ["cse", "high", "not-a-value"]',
      'x in [3.0, 12.0] || n in [0, 40]',
      'n != null && s == null',
      'null == d || t != null || e == null || a == null',
      'd < date("2015-10-26") && days_between(d, as_of) <= 365',
      'hours_between(t, d) >= -24.0 && hours_between(d, t) < 30.5',
      'days_between(d, t) == 0 || days_between(d, t) != days_between(t, d)',
      'days_between(d, t) in [0, 1, 2]',
      't == d || d >= t',
      'as_of > t && as_of != d',
      'a == true || b != false',
      'a == b',
      '(a && b) == (n > 3)',
      'e == "cse" || "missing" == e || e != "custody" && e == "not-a-value"',
      's == "cse" || "x" != s',
      'n >= 12 && 12 <= m && n < -1 || 3 > m || n <= 0 || 40 >= n',
    ]);
  });

  it('leave what they do not cover to the closures', () => {
    const fields: VectorField[] = [{ type: 'integer' }, { type: 'string' }, { type: 'boolean' }];
    const environments = createEnvironments(new Map<string, { type: FieldType }>([['n', { type: 'integer' }], ['s', { type: 'string' }], ['a', { type: 'boolean' }]]));
    const slotOf = new Map(['n', 's', 'a', 'as_of'].map((name, i) => [name, i]));
    for (const source of ['n + 1 > 3', 's < "m"', 's + "x" == "cse"', 'a < true', '[n, 1] == [1, 1]', 'n * 2 in [4]']) {
      expect(compileVector(environments.check.parse(source).ast, fields, slotOf, isoDateToTimestamp), source).toBeUndefined();
    }
  });
});
