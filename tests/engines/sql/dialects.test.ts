import { describe, expect, it } from 'vitest';
import { audit, expectGolden } from '../../e2e/run.js';

/**
 * Spark SQL and BigQuery are compile-only here (no engine of either runs in
 * CI): their SQL is reviewed as golden files, and checked for constructs the
 * dialect does not have or reads differently. `audit conformance` is how a
 * user checks them in their own warehouse.
 */

const FORBIDDEN: Record<'spark' | 'bigquery', [RegExp, string][]> = {
  spark: [
    [/"/, 'double quotes make strings in Spark SQL, not identifiers'],
    [/IS (NOT )?DISTINCT FROM/, 'null-safe equality is <=>'],
    [/regexp_full_match|regexp_matches|regexp_match\(|strpos\(|btrim\(/, 'DuckDB and PostgreSQL functions'],
    [/\bchr\(/, 'chr() gives only characters up to 255'],
    [/::|HUGEINT|NUMERIC\b|COLLATE|strftime|to_char|date_diff\('|make_timestamp\(/, 'casts and functions of other dialects'],
    [/ \/\/ /, 'DuckDB integer division'],
  ],
  bigquery: [
    [/"/, 'double quotes make strings in BigQuery, not identifiers'],
    [/concat_ws|CONCAT_WS/, 'BigQuery has no CONCAT_WS'],
    [/[^'"\w] % /, 'BigQuery writes the remainder MOD(a, b)'],
    [/::|HUGEINT|BIGINT|DOUBLE\b|VARCHAR|COLLATE|strftime|to_char|date_diff\('|make_timestamp|TIMESTAMP_NTZ/, 'types and functions of other dialects'],
    [/regexp_extract\(/, "DuckDB's and Spark's regexp_extract, which takes a group number: BigQuery's REGEXP_EXTRACT takes a pattern with one group"],
    [/levenshtein|EDIT_DISTANCE/, 'no edit distance is used: which units BigQuery counts is not documented'],
  ],
};

/** The SQL without its string literals (where a backslash escapes), whose text may hold anything. */
const code = (sql: string) =>
  sql
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''");

const RUNS: [string, string[]][] = [
  ['bad-input-checks.summary-by-month', ['compile', 'fixtures/bad-input-checks.yaml', '--output', 'summary', '--by', 'month', '--as-of', '2014-07-01']],
  ['bad-input-checks.cases', ['compile', 'fixtures/bad-input-checks.yaml', '--output', 'cases', '--as-of', '2014-07-01']],
  ['formats.rejects', ['compile', 'fixtures/formats/rubric.yaml', '--output', 'rejects', '--as-of', '2014-07-01']],
];

for (const dialect of ['spark', 'bigquery'] as const) {
  describe(`audit compile --dialect ${dialect}`, () => {
    for (const [name, args] of RUNS) {
      it(`${name}: the reviewed SQL, with nothing the dialect lacks`, async () => {
        const run = await audit([...args, '--dialect', dialect]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expectGolden(`sql/${name}.${dialect}.sql`, run.stdout);
        for (const [pattern, why] of FORBIDDEN[dialect]) expect(code(run.stdout), why).not.toMatch(pattern);
      });
    }

    it('compiles every shipped rubric', async () => {
      for (const rubric of ['hmic-ncpi-child-protection', 'custody', 'missing']) {
        const run = await audit(['compile', rubric, '--dialect', dialect, '--output', 'cases', '--as-of', '2014-07-01']);
        expect(run.code, `${rubric}: ${run.stderr}`).toBe(0);
      }
    });

    it('prints the conformance query', async () => {
      const run = await audit(['conformance', '--dialect', dialect]);
      expect(run.code).toBe(0);
      for (const [pattern, why] of FORBIDDEN[dialect]) expect(code(run.stdout), why).not.toMatch(pattern);
    });
  });
}
