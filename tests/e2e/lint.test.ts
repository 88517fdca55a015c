import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, expectGolden } from './run.js';

const MANY = 'tests/rubrics/many-problems.yaml';
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-lint-'));

describe('audit lint', () => {
  it('reports every problem of a rubric in one run, each at its line and column', async () => {
    const run = await audit(['lint', MANY]);
    expect(run.code).toBe(1);
    // Positions checked by hand against tests/rubrics/many-problems.yaml.
    expect(run.stdout.split('\n').map((line) => line.split('  (')[0]?.split('  ').slice(0, 2).join(' '))).toEqual([
      `${MANY}:7:9 error`, // case.date names a string field
      `${MANY}:10:14 error`, // area 'gangs' is not a value of the area enum
      `${MANY}:17:3 warning`, // notes is never used
      `${MANY}:18:18 error`, // type: text
      `${MANY}:23:12 error`, // a date compared with a number
      `${MANY}:25:5 warning`, // no title
      `${MANY}:25:5 warning`, // no reference
      `${MANY}:26:22 warning`, // "CSE" is not a value of area
      `${MANY}:27:23 error`, // expression ends too early
      `${MANY}:29:9 error`, // duplicate id, reported at the second
      `${MANY}:34:14 error`, // on_fail: sometimes
      `${MANY}:40:17 error`, // escalate_after: 0
      '1 rubric checked: 8 errors, 4 warnings',
      '',
    ]);
    expectGolden('lint-many-problems.txt', run.stdout);
  });

  it('passes the shipped rubrics, searching a folder', async () => {
    const run = await audit(['lint', 'rubrics', '--max-warnings', '0']);
    expect([run.code, run.stdout]).toEqual([0, '3 rubrics checked: no problems\n']);
  });

  it('exits 0 on warnings alone, and 1 when they exceed --max-warnings', async () => {
    const file = path.join(tmp, 'warnings.yaml');
    writeFileSync(file, 'id: w\nversion: 1\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string }\n  area: { type: enum, values: [a] }\n  unused: { type: boolean }\ncriteria:\n  - { id: c1, check: "area == \'a\'", on_fail: inadequate }\n');
    const lenient = await audit(['lint', file]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('1 rubric checked: 0 errors, 3 warnings');
    expect((await audit(['lint', file, '--max-warnings', '3'])).code).toBe(0);
    const strict = await audit(['lint', file, '--max-warnings', '2']);
    expect([strict.code, strict.stderr]).toEqual([1, 'audit: 3 warnings, more than --max-warnings 2\n']);
  });

  it('prints GitHub workflow annotations', async () => {
    const run = await audit(['lint', MANY, '--format', 'github']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe(`::error file=${MANY},line=7,col=9,title=audit lint (case-field)::case.date must name a date or datetime field; 'team' is string`);
    expect(lines[2]).toBe(`::warning file=${MANY},line=17,col=3,title=audit lint (unused-field)::field 'notes' is declared but no expression or case entry uses it`);
  });

  it('prints JSON', async () => {
    const run = await audit(['lint', MANY, '--format', 'json']);
    const result = JSON.parse(run.stdout);
    expect([result.errors, result.warnings, result.diagnostics.length]).toEqual([8, 4, 12]);
    expect(result.diagnostics[0]).toEqual({ file: MANY, line: 7, column: 9, severity: 'error', message: "case.date must name a date or datetime field; 'team' is string", rule: 'case-field' });
  });

  it('prints SARIF 2.1.0 that code-scanning tools accept', async () => {
    const run = await audit(['lint', MANY, '--format', 'sarif']);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const [only] = sarif.runs;
    expect(only.tool.driver.name).toBe('audit');
    const ruleIds = only.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(only.results).toHaveLength(12);
    for (const result of only.results) {
      expect(['error', 'warning']).toContain(result.level);
      expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
      expect(result.message.text).toEqual(expect.any(String));
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(MANY);
      expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    }
  });

  it('exits 2 for a path that does not exist or a bad option', async () => {
    expect(await audit(['lint', 'nope.yaml'])).toMatchObject({ code: 2, stderr: 'audit: nope.yaml: no such file or folder\n' });
    expect((await audit(['lint', MANY, '--max-warnings', 'many'])).code).toBe(2);
    expect((await audit(['lint', MANY, '--format', 'xml'])).code).toBe(2);
  });

  it('a rubric that lints clean scores without expression errors', async () => {
    for (const [rubric, fixture] of [['hmic-ncpi-child-protection', 'fixtures/wmp-2014-06.csv'], ['custody', 'fixtures/custody-2015-16.csv'], ['missing', 'fixtures/missing-2014.csv']]) {
      const run = await audit(['score', fixture!, '--rubric', rubric!, '--format', 'json']);
      expect(run.code).toBe(0);
    }
  });
});
