import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdb, stage } from '../engines/sql/sql-engines.js';
import { audit } from './run.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-compile-'));

describe('audit compile', () => {
  it("prints SQL whose summary, run on DuckDB, gives score's counts", async () => {
    const run = await audit(['compile', 'hmic-ncpi-child-protection', '--dialect', 'duckdb', '--source', 'wmp', '--source-columns', 'fixtures/wmp-2014-06.csv', '--as-of', '2014-07-01']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^-- audit compile: rubric hmic-ncpi-child-protection version 1\.0\.0 \(sha256 [0-9a-f]{16}\), DuckDB, --output summary\n/);
    const score = JSON.parse((await audit(['score', 'fixtures/wmp-2014-06.csv', '--format', 'json', '--as-of', '2014-07-01'])).stdout);

    const engine = await duckdb();
    try {
      await engine.load('wmp', await stage('fixtures/wmp-2014-06.csv'));
      const rows = await engine.query(run.stdout);
      const total = rows.find((r) => r.level === 'total');
      expect({ cases: Number(total?.cases), good: Number(total?.good), 'requires-improvement': Number(total?.['requires-improvement']), inadequate: Number(total?.inadequate) }).toEqual(score.totals);
      for (const area of score.areas.filter((a: { cases: number }) => a.cases > 0)) {
        const row = rows.find((r) => r.level === 'area' && r.area === area.area);
        expect(Number(row?.inadequate), area.area).toBe(area.inadequate);
      }
      expect(Number(total?.inadequate)).toBe(48);
    } finally {
      await engine.close();
    }
  });

  it('takes the column names from a list, one to a line, and says which columns are missing from it', async () => {
    const list = path.join(tmp, 'columns.txt');
    writeFileSync(list, 'Case Ref\nArea\nReferred On\nArrest Date\nIntel Followed Up\nEpisodes\n');
    const ok = await audit(['compile', 'fixtures/bad-input-checks.yaml', '--dialect', 'postgres', '--output', 'cases', '--source-columns', list]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('-- Columns read: Case Ref, Area, Referred On, Arrest Date, Intel Followed Up, Episodes.');
    writeFileSync(list, 'Case Ref\nArea\nReferred On\n');
    const missing = await audit(['compile', 'fixtures/bad-input-checks.yaml', '--dialect', 'postgres', '--source-columns', list]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("columns the rubric needs are missing");
    expect(missing.stderr).toContain("column 'Arrest Date' not found");
  });

  it('refuses what it cannot write exactly, at the position in the rubric, with exit 2', async () => {
    const rubric = path.join(tmp, 'methods.yaml');
    writeFileSync(
      rubric,
      `id: methods
version: 1.0.0
case: { id: ref, area: area }
fields:
  ref: { type: string }
  area: { type: enum, values: [cse] }
  notes: { type: string }
criteria:
  - id: strategy-noted
    check: notes.startsWith("strategy")
    on_fail: inadequate
`,
    );
    const run = await audit(['compile', rubric, '--dialect', 'duckdb']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`audit: ${rubric}:10:12: cannot be compiled to DuckDB: check of 'strategy-noted': .startsWith() is not compiled to SQL\n`);
  });

  it('checks its options', async () => {
    expect((await audit(['compile', 'missing', '--dialect', 'oracle'])).stderr).toContain('--dialect oracle: choose one of duckdb, postgres');
    expect((await audit(['compile', 'missing', '--dialect', 'duckdb', '--source', 'cases; DROP TABLE x'])).code).toBe(2);
    expect((await audit(['compile', 'missing', '--dialect', 'duckdb', '--output', 'rejects', '--by', 'team'])).stderr).toContain('--by applies to --output summary and cases only');
    expect((await audit(['compile', 'missing', '--dialect', 'duckdb', '--by', 'nothing'])).stderr).toContain('--by nothing: no such field in rubric missing-from-home');
  });
});

describe('audit summarize', () => {
  it("reads a warehouse's summary result back into the summary audit score gives", async () => {
    const compile = (output: string, ...extra: string[]) => audit(['compile', 'hmic-ncpi-child-protection', '--dialect', 'duckdb', '--source', 'monthly', '--source-columns', 'fixtures/monthly-2014.csv', '--as-of', '2014-07-01', '--output', output, ...extra]);
    const compiled = await compile('summary', '--by', 'team');
    const compiledRejects = await compile('rejects');
    const compiledCases = await compile('cases', '--by', 'team');
    const engine = await duckdb();
    const result = path.join(tmp, 'result.csv');
    const rejectsResult = path.join(tmp, 'rejects.csv');
    const casesResult = path.join(tmp, 'cases.csv');
    try {
      await engine.load('monthly', await stage('fixtures/monthly-2014.csv'));
      const cell = (value: unknown) => (value === null || value === undefined ? '' : `"${String(value).replace(/"/g, '""')}"`);
      for (const [sql, file] of [[compiled.stdout, result], [compiledRejects.stdout, rejectsResult], [compiledCases.stdout, casesResult]] as const) {
        const rows = await engine.query(sql);
        const columns = Object.keys(rows[0] ?? {});
        writeFileSync(file, [columns.map(cell).join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\n'));
      }
    } finally {
      await engine.close();
    }
    const summarized = await audit(['summarize', result, '--as-of', '2014-07-01', '--by', 'team', '--format', 'json']);
    expect(summarized.code).toBe(0);
    expect(summarized.stderr).toBe('audit: 2 rows were rejected in the warehouse; audit compile --output rejects lists them, and --rejects reads that list\naudit: a moderator regraded 1 case; audit compile --output cases lists them, and --cases reads that list\n');
    const scored = await audit(['score', 'fixtures/monthly-2014.csv', '--as-of', '2014-07-01', '--by', 'team', '--format', 'json']);
    // The result holds counts: the rejected rows and the regraded cases are counted there, and listed by the other outputs.
    const counts = (json: Record<string, unknown>) => {
      const { input, rejects, rejects_not_listed, rejected_by_column, findings, moderated, groups, ...rest } = json as Record<string, any>;
      return { ...rest, rows: [input.rows_read, input.cases_scored, input.rows_rejected], groups: groups.values.map(({ moderated: _, ...group }: Record<string, unknown>) => group) };
    };
    expect(counts(JSON.parse(summarized.stdout))).toEqual(counts(JSON.parse(scored.stdout)));

    // With the rejects and cases results, the summary is score's, byte for byte but for the files named.
    const complete = await audit(['summarize', result, '--rejects', rejectsResult, '--cases', casesResult, '--as-of', '2014-07-01', '--by', 'team', '--format', 'json']);
    expect(complete.stderr).toBe('');
    const named = (text: string, files: Record<string, string>) => Object.entries(files).reduce((out, [file, name]) => out.replaceAll(JSON.stringify(file).slice(1, -1), name), text);
    expect(named(complete.stdout, { [result]: 'RESULT', [rejectsResult]: 'EXPORT' })).toBe(named(scored.stdout, { 'fixtures/monthly-2014.csv': 'EXPORT' }).replace('"files": [\n      "EXPORT"\n    ]', '"files": [\n      "RESULT"\n    ]'));

    // A rejects result of another table is refused.
    writeFileSync(path.join(tmp, 'one-reject.csv'), 'row,column,value,reason\n5,Area,x,not one of cse\n');
    const mismatched = await audit(['summarize', result, '--rejects', path.join(tmp, 'one-reject.csv'), '--as-of', '2014-07-01', '--by', 'team']);
    expect(mismatched.code).toBe(2);
    expect(mismatched.stderr).toMatch(/one-reject\.csv: lists 1 rejected row where the summary counts 2: were both queries run on the same table\?/);
    const casesWithoutGroups = await audit(['summarize', result, '--cases', casesResult, '--as-of', '2014-07-01']);
    expect(casesWithoutGroups.code).toBe(2);
  });

  it('refuses a file that is not such a result, and needs the audit date', async () => {
    expect((await audit(['summarize', 'fixtures/wmp-2014-06.csv', '--as-of', '2014-07-01'])).stderr).toMatch(/is not the result of audit compile --output summary for rubric hmic-ncpi-child-protection version 1\.0\.0: \d+ columns are missing \(level, group, /);
    expect((await audit(['summarize', 'fixtures/wmp-2014-06.csv'])).stderr).toContain('--as-of: give the audit date the query was compiled with');
  });
});
