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
    expect((await audit(['compile', 'missing', '--dialect', 'duckdb', '--output', 'cases', '--by', 'team'])).stderr).toContain('--by applies to --output summary only');
    expect((await audit(['compile', 'missing', '--dialect', 'duckdb', '--by', 'nothing'])).stderr).toContain('--by nothing: no such field in rubric missing-from-home');
  });
});
