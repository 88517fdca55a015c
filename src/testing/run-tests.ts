import { coerceRow } from '../cases/coerce.js';
import { planColumns } from '../cases/columns.js';
import type { CompiledRubric } from '../rubric/compile.js';
import { isoDateToTimestamp } from '../rubric/dates.js';
import type { Grade, RubricTest } from '../rubric/schema.js';
import { evaluateCase } from '../scoring/evaluate.js';
import { gradeCase } from '../scoring/grade.js';
import type { Outcome } from '../scoring/outcome.js';

/** A rubric test with where it is written. */
export interface LocatedTest {
  test: RubricTest;
  file: string;
  line: number;
}

export interface OutcomeDifference {
  id: string;
  expected: Outcome;
  actual: Outcome;
}

export interface TestResult {
  /** Unique within the run: `rubric-id::test name`. */
  id: string;
  name: string;
  file: string;
  line: number;
  passed: boolean;
  expectedGrade: Grade;
  actualGrade?: Grade;
  differences: OutcomeDifference[];
  /** Problems that stopped the case being scored at all (an unreadable value, an unknown field). */
  problems: string[];
  /** Outcome per criterion id, when the case could be scored. */
  outcomes: Record<string, Outcome>;
}

const EXPECTATIONS: Array<[keyof RubricTest, Outcome]> = [
  ['met', 'met'],
  ['not_met', 'not-met'],
  ['not_applicable', 'not-applicable'],
  ['not_assessed', 'not-assessed'],
];

function runOne(rubric: CompiledRubric, { test, file, line }: LocatedTest, id: string, defaultAsOf: Date): TestResult {
  const base = { id, name: test.name, file, line, expectedGrade: test.grade, differences: [], outcomes: {} };
  const fieldNames = new Set(rubric.fields.map((f) => f.name));
  const criterionIds = new Set(rubric.criteria.map((c) => c.id));
  const problems = [
    ...Object.keys(test.case)
      .filter((name) => !fieldNames.has(name))
      .map((name) => `case names '${name}', which is not a field of the rubric (fields: ${[...fieldNames].join(', ')})`),
    ...EXPECTATIONS.flatMap(([key]) => ((test[key] as string[] | undefined) ?? []).filter((c) => !criterionIds.has(c)).map((c) => `${key} names '${c}', which is not a criterion of the rubric`)),
  ];
  const asOf = test.as_of === undefined ? defaultAsOf : isoDateToTimestamp(test.as_of);
  if (!asOf) problems.push(`as_of ${test.as_of} is not a date`);
  if (problems.length > 0 || !asOf) return { ...base, passed: false, problems };

  // The case goes through the same reading rules as an export: one column per field, under its first header.
  const header = rubric.fields.map((f) => f.headers[0] ?? f.name);
  const cells = rubric.fields.map((f) => test.case[f.name] ?? '');
  const coerced = coerceRow(file, { row: line, cells }, header, planColumns(file, header, rubric.fields), rubric);
  if (!coerced.ok) {
    const reasons = coerced.problems.map((p) => `${rubric.fields[header.indexOf(p.column)]?.name ?? p.column} = '${p.value}': ${p.reason}`);
    return { ...base, passed: false, problems: reasons };
  }

  const outcomes = evaluateCase(rubric, coerced.record, asOf);
  const actualGrade = gradeCase(rubric, outcomes);
  const byId = Object.fromEntries(outcomes.map((o) => [o.id, o.outcome])) as Record<string, Outcome>;
  const differences = EXPECTATIONS.flatMap(([key, expected]) =>
    ((test[key] as string[] | undefined) ?? []).flatMap((criterion) => {
      const actual = byId[criterion];
      return actual && actual !== expected ? [{ id: criterion, expected, actual }] : [];
    }),
  );
  return { ...base, passed: actualGrade === test.grade && differences.length === 0, actualGrade, differences, problems: [], outcomes: byId };
}

/** Runs a rubric's tests: each hand-written case is read, evaluated and graded exactly as a row of an export would be. */
export function runRubricTests(rubric: CompiledRubric, tests: LocatedTest[], defaultAsOf: Date): TestResult[] {
  const seen = new Map<string, number>();
  return tests.map((located) => {
    const base = `${rubric.id}::${located.test.name}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return runOne(rubric, located, count === 1 ? base : `${base} #${count}`, defaultAsOf);
  });
}

export interface CriterionCoverage {
  id: string;
  met: boolean;
  notMet: boolean;
}

/** For each criterion, whether some passing test makes it met and some passing test makes it not met. */
export function coverage(rubric: CompiledRubric, results: TestResult[]): CriterionCoverage[] {
  const passing = results.filter((r) => r.passed);
  return rubric.criteria.map(({ id }) => ({
    id,
    met: passing.some((r) => r.outcomes[id] === 'met'),
    notMet: passing.some((r) => r.outcomes[id] === 'not-met'),
  }));
}

export interface RubricTestReport {
  rubric: { id: string; version: string; file: string };
  results: TestResult[];
  coverage: CriterionCoverage[];
}

/** Criteria both met and not met by some passing test, as a whole-number percentage of all criteria. */
export function coveragePercent(reports: RubricTestReport[]): number {
  const all = reports.flatMap((r) => r.coverage);
  const covered = all.filter((c) => c.met && c.notMet).length;
  return all.length === 0 ? 100 : Math.floor((100 * covered) / all.length);
}
