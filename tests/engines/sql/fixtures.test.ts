import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCases } from '../../../src/cases/open.js';
import type { CellProblem } from '../../../src/cases/coerce.js';
import { scoreInputs } from '../../../src/pipeline.js';
import { grouping } from '../../../src/summary/group.js';
import type { Tally } from '../../../src/summary/summary.js';
import { compileRubric, type CompiledRubric } from '../../../src/rubric/compile.js';
import type { CaseResult } from '../../../src/scoring/outcome.js';
import { ROOT } from '../../e2e/run.js';
import { duckdb, postgres, queryFor, reasonOn, stage, tableName, type SqlEngine } from './sql-engines.js';

/**
 * The compiled SQL against the JS engine on the shipped fixtures and the
 * bad-input fixtures: the same cases with the same grades and shortfalls,
 * and the same rejected rows with the same row, column, value and reason.
 */

const AS_OF = new Date(Date.UTC(2014, 6, 1));

const PAIRS: [rubric: string, fixture: string][] = [
  ['rubrics/hmic-ncpi-child-protection.yaml', 'fixtures/wmp-2014-06.csv'],
  ['rubrics/hmic-ncpi-child-protection.yaml', 'fixtures/monthly-2014.csv'],
  ['rubrics/custody.yaml', 'fixtures/custody-2015-16.csv'],
  ['rubrics/missing.yaml', 'fixtures/missing-2014.csv'],
  ['fixtures/bad-input-checks.yaml', 'fixtures/bad/bad-values.csv'],
  ['fixtures/bad-input-checks.yaml', 'fixtures/bad/duplicate-reference.csv'],
  ['fixtures/bad-input-checks.yaml', 'fixtures/bad/repeated-header.csv'],
  ['fixtures/formats/rubric.yaml', 'fixtures/formats/windows-1252.csv'],
  ['fixtures/formats/rubric.yaml', 'fixtures/formats/utf16be.csv'],
];

function rubricAt(file: string): CompiledRubric {
  return compileRubric(readFileSync(path.join(ROOT, file), 'utf8'), file);
}

async function jsEngine(rubric: CompiledRubric, file: string) {
  const cases: CaseResult[] = [];
  const rejects: Omit<CellProblem, 'file'>[] = [];
  await scoreInputs(rubric, [path.join(ROOT, file)], (f) => openCases(f), {
    asOf: AS_OF,
    onResult: (result) => cases.push(result),
    onReject: (problems) => rejects.push(...problems.map(({ file: _, ...problem }) => problem)),
  });
  return { cases, rejects };
}

/** The counts of a JS engine summary, in the shape the SQL summary is compared in. */
async function jsSummary(rubric: CompiledRubric, file: string, by: string | undefined) {
  const summary = await scoreInputs(rubric, [path.join(ROOT, file)], (f) => openCases(f), { asOf: AS_OF, ...(by ? { grouping: grouping(rubric, by) } : {}) });
  const counts = (tally: Tally) => ({
    ...tally.totals,
    areas: Object.fromEntries([...tally.areas].filter(([, c]) => c.cases > 0).sort(([a], [b]) => a.localeCompare(b))),
    criteria: tally.criteria,
    moderated: tally.moderated.length,
  });
  return { rejected: summary.rowsRejected, overall: counts(summary.overall), groups: Object.fromEntries([...summary.groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, tally]) => [key, counts(tally)])) };
}

/** The SQL summary's rows in the same shape. */
function summaryOf(rubric: CompiledRubric, rows: Record<string, unknown>[]) {
  const n = (value: unknown) => Number(value ?? 0);
  const grades = (row: Record<string, unknown>) => ({ cases: n(row.cases), good: n(row.good), 'requires-improvement': n(row['requires-improvement']), inadequate: n(row.inadequate) });
  const tally = (level: string, group: unknown) => {
    const total = rows.find((r) => r.level === level && r.group === group);
    const areas = rows.filter((r) => r.level === (level === 'total' ? 'area' : 'group area') && r.group === group);
    return {
      ...grades(total ?? {}),
      areas: Object.fromEntries(areas.map((r) => [String(r.area), grades(r)]).sort(([a], [b]) => String(a).localeCompare(String(b)))),
      criteria: rubric.criteria.map((c) => ({
        met: n(total?.[`${c.id}:met`]),
        'not-met': n(total?.[`${c.id}:not-met`]),
        'not-applicable': n(total?.[`${c.id}:not-applicable`]),
        'not-assessed': n(total?.[`${c.id}:not-assessed`]),
        not_recorded: n(total?.[`${c.id}:not_recorded`]),
      })),
      moderated: n(total?.moderated),
    };
  };
  const groups = rows.filter((r) => r.level === 'group').map((r) => String(r.group)).sort((a, b) => a.localeCompare(b));
  return { rejected: n(rows.find((r) => r.level === 'rejected')?.cases), overall: tally('total', null), groups: Object.fromEntries(groups.map((g) => [g, tally('group', g)])) };
}

const asCase = (row: Record<string, unknown>): CaseResult => ({
  id: String(row.id),
  area: String(row.area),
  grade: row.grade as CaseResult['grade'],
  ...(row.computed_grade ? { computed_grade: row.computed_grade as CaseResult['grade'] } : {}),
  not_met: row.not_met ? String(row.not_met).split(';') : [],
});

const asReject = (row: Record<string, unknown>) => ({ row: Number(row.row), column: String(row.column), value: String(row.value), reason: String(row.reason) });

for (const [name, open] of [
  ['DuckDB', duckdb],
  ['PostgreSQL', postgres],
] as const) {
  describe(`compiled SQL on ${name} gives the JS engine's cases and rejects on the fixtures`, () => {
    let engine: SqlEngine | undefined;
    beforeAll(async () => {
      engine = await open();
    });
    afterAll(async () => engine?.close());

    for (const [rubricFile, fixture] of PAIRS) {
      it(`${fixture} with ${path.basename(rubricFile)}`, async (context) => {
        if (!engine) return context.skip();
        const rubric = rubricAt(rubricFile);
        const staged = await stage(fixture);
        const table = tableName();
        await engine.load(table, staged);
        try {
          const js = await jsEngine(rubric, fixture);
          const cases = (await engine.query(queryFor(rubric, engine, table, staged, 'cases', AS_OF))).map(asCase);
          const rejects = (await engine.query(queryFor(rubric, engine, table, staged, 'rejects', AS_OF))).map(asReject);
          const expectedRejects = js.rejects.map((r) => ({ ...r, reason: reasonOn(engine!, r.reason) }));
          expect(cases).toEqual(js.cases);
          for (const by of [undefined, ...(rubric.fields.some((f) => f.name === 'team') ? ['team'] : []), ...(rubric.dateField ? ['month', 'quarter'] : [])]) {
            const summary = await jsSummary(rubric, fixture, by);
            const rows = await engine.query(queryFor(rubric, engine, table, staged, 'summary', AS_OF, by));
            expect(summaryOf(rubric, rows), `--by ${by}`).toEqual(summary);
          }
          expect(rejects).toEqual(expectedRejects.filter((r) => !r.reason.startsWith('the row has ')));
        } finally {
          await engine.drop(table);
        }
      });
    }
  });
}
