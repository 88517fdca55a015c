import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, expectGolden } from './run.js';

const RUBRIC = 'tests/rubrics/transfer.yaml';
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-test-'));

describe('audit test', () => {
  it('runs the tests in the rubric and in its sibling test file, naming each failure with expected and actual', async () => {
    const run = await audit(['test', RUBRIC]);
    expect(run.code).toBe(1);
    expectGolden('test-transfer.txt', run.stdout);
    expect(run.stdout).toContain('FAIL  this test is wrong on purpose  (tests/rubrics/transfer.test.yaml:11)\n          grade: expected requires-improvement, got inadequate\n          transfer-overnight: expected met, got not-met\n');
    expect(run.stdout).toContain("age = 'fifteen': not a whole number");
    expect(run.stdout).toContain('uncovered: appropriate-adult (never not met)');
    expect(run.stdout).toContain('5 tests, 3 passed, 2 failed; coverage 50%');
  });

  it('writes JUnit XML with stable, unique names rubric-id::test name', async () => {
    const run = await audit(['test', RUBRIC, '--format', 'junit']);
    expect(run.code).toBe(1);
    expectGolden('test-transfer.junit.xml', run.stdout);
    const names = [...run.stdout.matchAll(/<testcase classname="transfer" name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual([
      'transfer::child held overnight without a transfer request is inadequate',
      'transfer::child transferred is good',
      'transfer::a blank appropriate adult is not assessed',
      'transfer::this test is wrong on purpose',
      'transfer::an unreadable value fails the test with the reason',
    ]);
    expect(run.stdout.match(/<failure /g)).toHaveLength(2);
  });

  it('writes JSON', async () => {
    const result = JSON.parse((await audit(['test', RUBRIC, '--format', 'json'])).stdout);
    expect([result.tests, result.failed, result.coverage_percent]).toEqual([5, 2, 50]);
    expect(result.rubrics[0].uncovered).toEqual(['appropriate-adult']);
    expect(result.rubrics[0].results[3]).toMatchObject({ passed: false, expected_grade: 'requires-improvement', actual_grade: 'inadequate', differences: [{ id: 'transfer-overnight', expected: 'met', actual: 'not-met' }] });
  });

  it('fails below --min-coverage even when every test passes', async () => {
    const file = path.join(tmp, 'covered.yaml');
    writeFileSync(
      file,
      `id: covered
version: 1
case: { id: ref, area: area }
fields:
  ref: { type: string }
  area: { type: enum, values: [a] }
  done: { type: boolean }
criteria:
  - { id: done, title: Done, reference: r, check: done, on_fail: inadequate }
tests:
  - { name: done is good, case: { ref: A, area: a, done: Y }, grade: good, met: [done] }
`,
    );
    expect((await audit(['test', file])).code).toBe(0);
    const strict = await audit(['test', file, '--min-coverage', '100']);
    expect([strict.code, strict.stderr]).toEqual([1, 'audit: coverage 0% is below --min-coverage 100%\n']);
    expect(strict.stdout).toContain('uncovered: done (never not met)');
  });

  it('reports a test that names an unknown field or criterion', async () => {
    const file = path.join(tmp, 'unknown.yaml');
    writeFileSync(
      file,
      `id: unknown
version: 1
case: { id: ref, area: area }
fields:
  ref: { type: string }
  area: { type: enum, values: [a] }
criteria:
  - { id: c1, title: C, reference: r, check: area == "a", on_fail: inadequate }
tests:
  - { name: typo, case: { ref: A, area: a, aera: b }, grade: good, met: [c2] }
`,
    );
    const run = await audit(['test', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("case names 'aera', which is not a field of the rubric (fields: ref, area)");
    expect(run.stdout).toContain("met names 'c2', which is not a criterion of the rubric");
  });

  it('exits 2 for an invalid test file, with its position', async () => {
    const rubric = path.join(tmp, 'r.yaml');
    writeFileSync(rubric, 'id: r\nversion: 1\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string }\n  area: { type: enum, values: [a] }\ncriteria:\n  - { id: c1, check: area == "a", on_fail: inadequate }\n');
    writeFileSync(path.join(tmp, 'r.test.yaml'), 'tests:\n  - name: no grade\n    case: { ref: A, area: a }\n');
    const run = await audit(['test', rubric]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('r.test.yaml:2:5  error  tests[0].grade: grade is required: good, requires-improvement or inadequate  (schema)');
  });

  it('passes the shipped rubrics with full coverage', async () => {
    const run = await audit(['test', 'rubrics', '--min-coverage', '100']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
