import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordBatch } from '../../../src/cases/record-batch.js';
import { compileRubric, type CompiledRubric } from '../../../src/rubric/compile.js';
import { RubricError } from '../../../src/rubric/diagnostics.js';
import { CaseScorer } from '../../../src/scoring/case-scorer.js';
import { ExpressionRuntimeError } from '../../../src/scoring/evaluate.js';
import { outcomeCode } from '../../../src/scoring/outcome.js';
import { duckdb, postgres, queryFor, reasonOn, tableName, type SqlEngine, type Staged } from './sql-engines.js';

/**
 * Random rubrics over random exports, scored by the JS engine and by the
 * compiled SQL on DuckDB and PostgreSQL: every criterion's outcome for every
 * case, every grade, and every rejected cell must agree. The expressions mix
 * every construct the compiler takes (logic, equality with missing values,
 * conditionals, 64-bit arithmetic at its limits, division by zero, dates),
 * and the cells are as hostile as exports get: blanks, odd spaces, numbers
 * beyond range, impossible dates, enum values in other cases.
 *
 * AUDIT_SQL_RUNS sets the number of random rubrics (default 40).
 */

const RUNS = Number(process.env.AUDIT_SQL_RUNS ?? 40);
const ROWS = 30;
const AS_OF = new Date(Date.UTC(2016, 2, 27));

const FIELDS = {
  ref: 'string',
  area: 'enum',
  i1: 'integer',
  i2: 'integer',
  n1: 'number',
  s1: 'string',
  e1: 'enum',
  b1: 'boolean',
  b2: 'boolean',
  d1: 'date',
  t1: 'datetime',
  t2: 'datetime',
} as const;
type FieldName = keyof typeof FIELDS;

const pick = <T,>(...values: T[]) => fc.constantFrom(...values);

// ---------------------------------------------------------------------------
// Expressions, typed, as CEL text.

const comparison = pick('<', '<=', '>', '>=');
const equality = pick('==', '!=');

const expressions = fc.letrec<{ bool: string; int: string; double: string; string: string; time: string }>((tie) => ({
  bool: fc.oneof(
    { depthSize: 'small', maxDepth: 5, depthIdentifier: 'expression', withCrossShrink: true },
    pick('b1', 'b2', 'true', 'false'),
    fc.tuple(tie('bool'), pick('&&', '||'), tie('bool')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('bool').map((a) => `!(${a})`),
    fc.tuple(tie('int'), comparison, tie('int')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('int'), comparison, tie('double')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('double'), comparison, tie('double')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('string'), fc.oneof(comparison, equality), tie('string')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('time'), fc.oneof(comparison, equality), tie('time')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('int'), equality, tie('int')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('double'), equality, tie('double')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('bool'), equality, tie('bool')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc.tuple(pick(...(Object.keys(FIELDS) as FieldName[])), equality).map(([f, op]) => `(${f} ${op} null)`),
    fc.tuple(tie('int'), equality).map(([a, op]) => `(${a}) ${op} null`),
    fc.tuple(tie('string'), fc.array(tie('string'), { maxLength: 3 })).map(([a, list]) => `(${a} in [${list.join(', ')}])`),
    fc.tuple(tie('int'), fc.array(tie('int'), { maxLength: 3 })).map(([a, list]) => `(${a} in [${list.join(', ')}])`),
    fc.tuple(tie('bool'), tie('bool'), tie('bool')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  int: fc.oneof(
    { depthSize: 'small', maxDepth: 5, depthIdentifier: 'expression', withCrossShrink: true },
    pick('i1', 'i2', '0', '1', '-1', '3', '17', '9223372036854775807', '-9223372036854775807', '4611686018427387904', '3037000500'),
    fc.tuple(tie('int'), pick('+', '-', '*', '/', '%'), tie('int')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('int').map((a) => `-(${a})`),
    fc.tuple(tie('time'), tie('time')).map(([a, b]) => `days_between(${a}, ${b})`),
    fc.tuple(tie('bool'), tie('int'), tie('int')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  double: fc.oneof(
    { depthSize: 'small', maxDepth: 5, depthIdentifier: 'expression', withCrossShrink: true },
    pick('n1', '2.5', '0.0', '-1.5', '72.0', '1e10', '0.1'),
    tie('double').map((a) => `-(${a})`),
    fc.tuple(tie('time'), tie('time')).map(([a, b]) => `hours_between(${a}, ${b})`),
    fc.tuple(tie('bool'), tie('double'), tie('double')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  string: fc.oneof(
    { depthSize: 'small', maxDepth: 5, depthIdentifier: 'expression', withCrossShrink: true },
    pick('s1', 'e1', '"alpha"', '"beta-gamma"', '"Delta Q"', '""', '"é"', '"😀"', '"\uFFFD"', '"a b"'),
    fc.tuple(tie('string'), tie('string')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('bool'), tie('string'), tie('string')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  time: fc.oneof(
    { depthSize: 'small', maxDepth: 5, depthIdentifier: 'expression', withCrossShrink: true },
    pick('d1', 't1', 't2', 'as_of', 'date("2014-06-03")', 'date("2016-02-29")', 'date("0099-12-31")'),
    fc.tuple(tie('bool'), tie('time'), tie('time')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
}));

interface CriterionSpec {
  applies: string | undefined;
  check: string;
  onFail: 'inadequate' | 'requires-improvement';
  whenMissing: 'fail' | 'not-assessed';
}

const criterion: fc.Arbitrary<CriterionSpec> = fc.record({
  applies: fc.option(expressions.bool, { nil: undefined, freq: 2 }),
  check: expressions.bool,
  onFail: pick('inadequate', 'requires-improvement'),
  whenMissing: pick('fail', 'not-assessed'),
});

// ---------------------------------------------------------------------------
// Cells, as exports write them.

const SPACES = ['', ' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2009'];
const spaced = (cell: fc.Arbitrary<string>) => fc.tuple(pick(...SPACES), cell, pick(...SPACES)).map(([a, c, b]) => `${a}${c}${b}`);
const blank = pick('', ' ', '\u00a0');

/** Per type: cells the tool reads, and cells it rejects (rarer, so that most rows are scored). */
const CELLS: Record<string, { good: fc.Arbitrary<string>; bad: fc.Arbitrary<string> }> = {
  integer: {
    good: fc.oneof(fc.integer({ min: -20, max: 20 }).map(String), pick('+5', '007', '-0', '9223372036854775807', '-9223372036854775808', '0', '4611686018427387904', '-3037000500'), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)),
    bad: pick('9223372036854775808', '99999999999999999999', '-9223372036854775809', '1,200', 'ten', '2.5', '+-1'),
  },
  number: {
    good: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String), pick('2.5', '.5', '5.', '1e3', '-0', '1E-3', '9.99e299', '1e-300', '0e999999999999', '0.000e5', '+.5e+2', '72')),
    bad: pick('1e300', '1e-301', '1,234.5', 'NaN', 'Infinity', '12 hours', '1e', '.'),
  },
  boolean: { good: pick('Y', 'N', 'y', 'yes', 'No', 'TRUE', 'false', '1', '0'), bad: pick('maybe', 'Ｙ', 'YES!', 'ye') },
  date: {
    good: pick('2014-06-03', '3/6/2014', '03/06/2014', '29/02/2016', '0001-01-01', '0099-12-31', '2014-6-3', '28/03/2016', '27/03/2016', '2016-03-26'),
    bad: pick('31/02/2014', '29/02/1900', '0000-01-01', '03/06/14', '06/13/2014', '2014-06-03 10:00', 'soon', '32/01/2014'),
  },
  datetime: {
    good: pick('2014-06-03T14:05', '2014-06-03 14:05:30', '03/06/2014 14:05', '3/6/2014 9:05', '2014-06-03T14:05:00.123Z', '2016-03-27 01:30', '2016-03-26T23:59:59', '29/02/2016 00:00', '0050-01-01 00:00', '2016-03-27 00:00'),
    bad: pick('03/06/2014 25:00', '31/04/2016 10:00', '03/06/14 10:00', '03/06/2014', '2014-06-03T14:60', '13/13/2016 10:00'),
  },
  string: {
    good: fc.oneof(pick('alpha', 'beta-gamma', 'Delta Q', 'é', '😀', '\uFFFD', 'a b', 'x'), fc.string({ maxLength: 8, unit: 'grapheme' }).filter((s) => !s.includes('\0'))),
    bad: fc.constant('x'),
  },
  e1: {
    good: pick('alpha', 'ALPHA', 'beta-gamma', 'Beta_Gamma', 'BETA  GAMMA', 'delta-q', 'Delta Q', 'delta q', 'beta\u00a0gamma', '\u212Alpha'.replace('\u212A', 'a')),
    bad: pick('alpah', 'gamma', '\u212Aelvin', 'x', 'beta', 'İalpha', 'delta_q_'),
  },
  area: { good: pick('north', 'South', ' north ', 'NORTH'), bad: pick('east', 'nrth') },
};

const cellFor = (name: FieldName): fc.Arbitrary<string> => {
  const type = FIELDS[name];
  const cells = (name === 'e1' || name === 'area' ? CELLS[name] : CELLS[type]) as { good: fc.Arbitrary<string>; bad: fc.Arbitrary<string> };
  return fc.oneof({ arbitrary: spaced(cells.good), weight: 32 }, { arbitrary: spaced(cells.bad), weight: 1 }, { arbitrary: blank, weight: 6 });
};

const rowOf = fc.record(Object.fromEntries((Object.keys(FIELDS) as FieldName[]).filter((f) => f !== 'ref').map((f) => [f, cellFor(f)])) as Record<Exclude<FieldName, 'ref'>, fc.Arbitrary<string>>);

function rubricText(criteria: CriterionSpec[], escalateAfter: number | undefined): string {
  const quote = (text: string) => JSON.stringify(text);
  return `id: random
version: 1.0.0
case: { id: ref, area: area }
fields:
  ref: { type: string }
  area: { type: enum, values: [north, south] }
  i1: { type: integer }
  i2: { type: integer }
  n1: { type: number }
  s1: { type: string }
  e1: { type: enum, values: [alpha, beta-gamma, Delta Q] }
  b1: { type: boolean }
  b2: { type: boolean }
  d1: { type: date }
  t1: { type: datetime }
  t2: { type: datetime }
${escalateAfter ? `escalate_after: ${escalateAfter}\n` : ''}criteria:
${criteria
  .map(
    (c, i) => `  - id: c${i}
${c.applies ? `    applies: ${quote(c.applies)}\n` : ''}    check: ${quote(c.check)}
    on_fail: ${c.onFail}
    when_missing: ${c.whenMissing}`,
  )
  .join('\n')}
`;
}

interface JsRow {
  row: number;
  verdict: 'fault' | { rejected: { column: string; value: string; reason: string }[] } | { outcomes: number[]; computed: string; grade: string; area: string };
}

function scoreWithJs(rubric: CompiledRubric, staged: Staged): JsRow[] {
  const scorer = new CaseScorer('random.csv', staged.header, rubric, { asOf: AS_OF });
  return staged.rows.map(({ row, cells }) => {
    try {
      const verdict = scorer.score(RecordBatch.of([cells], [row]), 0);
      if (verdict.kind === 'rejected') return { row, verdict: { rejected: verdict.problems.map(({ column, value, reason }) => ({ column, value, reason })) } };
      return { row, verdict: { outcomes: verdict.outcomes.map(outcomeCode), computed: verdict.computed, grade: verdict.grade, area: verdict.record.area } };
    } catch (error) {
      if (error instanceof ExpressionRuntimeError) return { row, verdict: 'fault' as const };
      throw error;
    }
  });
}

const totals = new Map<string, { rubrics: number; expressions: number; evaluations: number; cases: number; rejects: number; faults: number }>();

async function compareOn(engine: SqlEngine, rubric: CompiledRubric, staged: Staged, js: JsRow[]): Promise<void> {
  const total = totals.get(engine.dialect.title) ?? { rubrics: 0, expressions: 0, evaluations: 0, cases: 0, rejects: 0, faults: 0 };
  totals.set(engine.dialect.title, total);
  const faults = new Set(js.filter((r) => r.verdict === 'fault').map((r) => r.row));
  const clean: Staged = { header: staged.header, rows: staged.rows.filter((r) => !faults.has(r.row)) };
  const table = tableName();
  await engine.load(table, clean);
  try {
    const outcomes = await engine.query(queryFor(rubric, engine, table, clean, 'outcomes', AS_OF));
    const rejects = await engine.query(queryFor(rubric, engine, table, clean, 'rejects', AS_OF));
    const byRow = new Map(outcomes.map((o) => [Number(o.row), o]));
    const rejectsByRow = new Map<number, { column: string; value: string; reason: string }[]>();
    for (const r of rejects) rejectsByRow.set(Number(r.row), [...(rejectsByRow.get(Number(r.row)) ?? []), { column: String(r.column), value: String(r.value), reason: String(r.reason) }]);
    for (const { row, verdict } of js) {
      if (verdict === 'fault') continue;
      const cells = Object.fromEntries(staged.header.map((h, i) => [h, staged.rows.find((r) => r.row === row)?.cells[i]]));
      const where = `row ${row} of ${JSON.stringify(cells)}`;
      if ('rejected' in verdict) {
        expect(rejectsByRow.get(row), where).toEqual(verdict.rejected.map((r) => ({ ...r, reason: reasonOn(engine, r.reason) })));
        expect(byRow.has(row), where).toBe(false);
        total.rejects++;
        continue;
      }
      const sql = byRow.get(row);
      expect(sql, where).toBeDefined();
      expect(rubric.criteria.map((c) => Number(sql?.[`outcome:${c.id}`])), where).toEqual(verdict.outcomes);
      expect({ computed: sql?.computed_grade, grade: sql?.grade, area: sql?.area }, where).toEqual({ computed: verdict.computed, grade: verdict.grade, area: verdict.area });
      total.cases++;
      total.evaluations += rubric.criteria.reduce((n, c) => n + (c.applies ? 2 : 1), 0);
    }
  } finally {
    await engine.drop(table);
  }
  // A rubric fault (division by zero, overflow) on a case with every field present stops the JS run; the SQL must stop too.
  for (const row of [...faults].slice(0, 2)) {
    const single: Staged = { header: staged.header, rows: staged.rows.filter((r) => r.row === row) };
    const faultTable = tableName();
    await engine.load(faultTable, single);
    try {
      await expect(engine.query(queryFor(rubric, engine, faultTable, single, 'outcomes', AS_OF))).rejects.toThrow(/could not be evaluated/);
      total.faults++;
    } finally {
      await engine.drop(faultTable);
    }
  }
  total.rubrics++;
  total.expressions += rubric.criteria.reduce((n, c) => n + (c.applies ? 2 : 1), 0);
}

describe('compiled SQL agrees with the JS engine on random rubrics and exports', () => {
  const engines: SqlEngine[] = [];
  beforeAll(async () => {
    engines.push(await duckdb());
    const pg = await postgres();
    if (pg) engines.push(pg);
  });
  afterAll(async () => {
    for (const engine of engines) await engine.close();
    for (const [name, t] of totals) {
      console.log(`${name}: ${t.rubrics} random rubrics, ${t.expressions} expressions, ${t.evaluations} evaluations over ${t.cases} cases, ${t.rejects} rejected rows, ${t.faults} rubric faults; 0 mismatches`);
    }
  });

  it('outcome by outcome, grade by grade, reject by reject', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(criterion, { minLength: 1, maxLength: 8 }), fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), fc.array(rowOf, { minLength: ROWS, maxLength: ROWS }), async (criteria, escalateAfter, rows) => {
        let rubric: CompiledRubric;
        try {
          rubric = compileRubric(rubricText(criteria, escalateAfter), 'random.yaml');
        } catch (error) {
          // The tool refuses an expression that reads no field and always fails (`-(3) == null`): nothing to compare.
          fc.pre(!(error instanceof RubricError && error.diagnostics.every((d) => d.message.includes('expression always fails'))));
          throw error;
        }
        const header = Object.keys(FIELDS);
        const staged: Staged = { header, rows: rows.map((cells, i) => ({ row: i + 2, cells: [`R${i}`, ...header.slice(1).map((f) => cells[f as Exclude<FieldName, 'ref'>])] })) };
        const js = scoreWithJs(rubric, staged);
        for (const engine of engines) await compareOn(engine, rubric, staged, js);
      }),
      // Shrinking reruns the databases hundreds of times: the first counterexample, with its seed, is enough to start from.
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 900_000);
});
