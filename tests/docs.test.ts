import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlocks, workedExample } from './docs-examples.js';
import { audit, ROOT } from './e2e/run.js';
import { ScoreJsonSchema } from '../src/output-schemas.js';
import { RULES } from '../src/rubric/diagnostics.js';
import { compile } from './helpers.js';

describe('docs/rubric-format.md', () => {
  it('every complete rubric on the page loads', () => {
    const rubrics = codeBlocks('rubric-format.md').filter((b) => b.lang === 'yaml' && b.text.startsWith('id:'));
    expect(rubrics.length).toBeGreaterThanOrEqual(2);
    for (const block of rubrics) expect(() => compile(block.text)).not.toThrow();
  });

  it('the worked example prints exactly what the page shows', async () => {
    const dir = workedExample();
    const expected = codeBlocks('rubric-format.md').find((b) => b.lang === 'text')?.text;
    const run = await audit(['score', 'cases.csv', '--rubric', 'example-cse.yaml', '--as-of', '2014-07-01'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expected);
  });
});

describe('docs/output-json.md', () => {
  it('shows exactly the JSON the worked example gives, and it fits the schema', async () => {
    const dir = workedExample();
    const expected = codeBlocks('output-json.md').find((b) => b.lang === 'json')?.text ?? '';
    const run = await audit(['score', 'cases.csv', '--rubric', 'example-cse.yaml', '--as-of', '2014-07-01', '--format', 'json', '--by', 'month'], { cwd: dir });
    expect(run.stdout).toBe(expected);
    const parsed = JSON.parse(run.stdout);
    expect(ScoreJsonSchema.parse(parsed)).toEqual(parsed);
  });
});

describe('docs/ci.md', () => {
  it('the workflow’s audit commands pass on the shipped rubrics and fixture', async () => {
    const workflow = codeBlocks('ci.md').find((b) => b.lang === 'yaml')?.text ?? '';
    const commands = [...workflow.matchAll(/npx audit (.+)$/gm)].map((m) => m[1] ?? '');
    expect(commands.map((c) => c.split(' ')[0])).toEqual(['lint', 'test', 'diff']);
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-ci-'));
    const base = path.join(dir, 'base-rubric.yaml');
    writeFileSync(base, readFileSync(path.join(ROOT, 'rubrics', 'hmic-ncpi-child-protection.yaml')));
    for (const command of commands) {
      const args = command.replace(/\s*>>?\s*\S+$/, '').replace('base-rubric.yaml', base).split(/\s+/);
      const run = await audit(args);
      expect(run.code, `audit ${command}\n${run.stderr}`).toBe(0);
    }
  });
});

describe('the lint rules table', () => {
  it('lists every rule with the description the tool uses', () => {
    const page = readFileSync(path.join(ROOT, 'docs', 'rubric-format.md'), 'utf8');
    for (const [rule, meta] of Object.entries(RULES)) expect(page).toContain(`| \`${rule}\` | ${meta.severity} | ${meta.description} |`);
  });
});

describe('the test-file example', () => {
  it('passes against the rubric it is written for', async () => {
    const blocks = codeBlocks('rubric-format.md').filter((b) => b.lang === 'yaml');
    const rubric = blocks.find((b) => b.text.startsWith('id: custody-law-by-date'))?.text ?? '';
    const tests = blocks.find((b) => b.text.startsWith('tests:'))?.text ?? '';
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-docs-tests-'));
    writeFileSync(path.join(dir, 'custody-law-by-date.yaml'), rubric);
    writeFileSync(path.join(dir, 'custody-law-by-date.test.yaml'), tests);
    const run = await audit(['test', 'custody-law-by-date.yaml', '--min-coverage', '100'], { cwd: dir });
    expect(run.stdout).toContain('4 tests, 4 passed, 0 failed; coverage 100%');
    expect(run.code).toBe(0);
  });
});

describe('docs/reports.md', () => {
  it('its markdown excerpt is what the command prints', async () => {
    const page = readFileSync(path.join(ROOT, 'docs', 'reports.md'), 'utf8');
    const excerpt = /^````markdown\n([\s\S]*?)^````$/m.exec(page)?.[1] ?? '';
    expect(excerpt.length).toBeGreaterThan(500);
    const run = await audit(['report', 'fixtures/monthly-2014.csv', '--targets', 'inadequate<=25%,good>=40%', '--by', 'team', '--as-of', '2014-07-01']);
    expect(run.stdout.startsWith(excerpt)).toBe(true);
  });
});

describe('docs/engines.md', () => {
  const postgres = process.env.AUDIT_TEST_POSTGRES;
  it.skipIf(!postgres)("the PostgreSQL steps: a staging table, \\copy, psql --csv, audit summarize, give score's counts", async () => {
    const fixture = path.join(ROOT, 'fixtures', 'wmp-2014-06.csv');
    const header = readFileSync(fixture, 'utf8').split(/\r?\n/)[0]?.split(',') ?? [];
    const quoted = header.map((h) => `"${h}"`);
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-pg-steps-'));
    const psql = (args: string[]) => execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', postgres ?? '', ...args], { encoding: 'utf8' });
    psql(['-c', 'DROP TABLE IF EXISTS docs_cases']);
    // Step 1, as the page writes it, with every column of the export.
    // The block sits in a numbered list, indented: read from the page itself.
    const page = readFileSync(path.join(ROOT, 'docs', 'engines.md'), 'utf8');
    const create = (/^ *(CREATE TABLE cases \([\s\S]*?\);)/m.exec(page)?.[1] ?? '')
      .replace('CREATE TABLE cases', 'CREATE TABLE docs_cases')
      .replace(/"Case Ref" text.*$/m, `${quoted.map((q) => `${q} text`).join(', ')}`);
    psql(['-c', create]);
    psql(['-c', `\\copy docs_cases (${quoted.join(', ')}) FROM '${fixture}' WITH (FORMAT csv, HEADER true)`]);
    const compiled = await audit(['compile', 'hmic-ncpi-child-protection', '--dialect', 'postgres', '--source', 'docs_cases', '--source-columns', fixture, '--as-of', '2014-07-01', '--by', 'team']);
    writeFileSync(path.join(dir, 'audit.sql'), compiled.stdout);
    writeFileSync(path.join(dir, 'result.csv'), psql(['--csv', '-f', path.join(dir, 'audit.sql')]));
    psql(['-c', 'DROP TABLE docs_cases']);
    const summarized = JSON.parse((await audit(['summarize', path.join(dir, 'result.csv'), '--as-of', '2014-07-01', '--by', 'team', '--format', 'json'])).stdout);
    const scored = JSON.parse((await audit(['score', fixture, '--as-of', '2014-07-01', '--by', 'team', '--format', 'json'])).stdout);
    expect(summarized.totals).toEqual(scored.totals);
    expect(summarized.areas).toEqual(scored.areas);
    expect(summarized.criteria).toEqual(scored.criteria);
    expect(summarized.groups.values.map((g: { value: string; totals: unknown }) => [g.value, g.totals])).toEqual(scored.groups.values.map((g: { value: string; totals: unknown }) => [g.value, g.totals]));
  });

  it("the DuckDB steps load an export and the compiled query gives score's counts", async () => {
    const load = codeBlocks('engines.md').find((b) => b.lang === 'sql' && b.text.includes('read_csv'))?.text ?? '';
    const fixture = path.join(ROOT, 'fixtures', 'wmp-2014-06.csv');
    const compiled = await audit(['compile', 'hmic-ncpi-child-protection', '--dialect', 'duckdb', '--source-columns', fixture, '--as-of', '2014-07-01']);
    const score = JSON.parse((await audit(['score', fixture, '--format', 'json', '--as-of', '2014-07-01'])).stdout);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await connection.run(load.replace("'june.csv'", `'${fixture}'`));
      const rows = (await connection.runAndReadAll(compiled.stdout)).getRowObjectsJS();
      const total = rows.find((r) => r.level === 'total');
      expect(['cases', 'good', 'requires-improvement', 'inadequate'].map((k) => Number(total?.[k]))).toEqual([score.totals.cases, score.totals.good, score.totals['requires-improvement'], score.totals.inadequate]);
    } finally {
      connection.closeSync();
    }
  });

  it("the DuckDB steps stage a Parquet export, and the compiled query gives score's counts", async () => {
    const load = codeBlocks('engines.md').find((b) => b.lang === 'sql' && b.text.includes('read_parquet'))?.text ?? '';
    const fixture = path.join(ROOT, 'fixtures', 'wmp-2014-06.csv');
    const parquet = path.join(mkdtempSync(path.join(tmpdir(), 'audit-docs-parquet-')), 'june.parquet');
    const compiled = await audit(['compile', 'hmic-ncpi-child-protection', '--dialect', 'duckdb', '--source-columns', fixture, '--as-of', '2014-07-01']);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await connection.run(`COPY (SELECT * FROM read_csv('${fixture}', header = true, all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
      const score = JSON.parse((await audit(['score', parquet, '--format', 'json', '--as-of', '2014-07-01'])).stdout);
      await connection.run(load.replace("'june.parquet'", `'${parquet}'`));
      const rows = (await connection.runAndReadAll(compiled.stdout)).getRowObjectsJS();
      const total = rows.find((r) => r.level === 'total');
      expect(['cases', 'good', 'requires-improvement', 'inadequate'].map((k) => Number(total?.[k]))).toEqual([score.totals.cases, score.totals.good, score.totals['requires-improvement'], score.totals.inadequate]);
    } finally {
      connection.closeSync();
    }
  });
});
