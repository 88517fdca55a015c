import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

const rubricsDir = path.join(ROOT, 'rubrics');
const yamlOf = (file: string) => parse(readFileSync(path.join(rubricsDir, file), 'utf8'));

describe('audit schema', () => {
  it('prints the JSON Schema that docs/ holds and the shipped rubrics reference', async () => {
    const run = await audit(['schema']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(ROOT, 'docs', 'rubric.schema.json'), 'utf8'));
    const tests = await audit(['schema', '--tests']);
    expect(tests.stdout).toBe(readFileSync(path.join(ROOT, 'docs', 'rubric-tests.schema.json'), 'utf8'));
  });

  it('accepts every shipped rubric and its tests, and refuses what the loader refuses', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const rubricSchema = ajv.compile(JSON.parse((await audit(['schema'])).stdout));
    const testSchema = ajv.compile(JSON.parse((await audit(['schema', '--tests'])).stdout));
    const files = readdirSync(rubricsDir).filter((f) => f.endsWith('.yaml'));
    for (const file of files.filter((f) => !f.endsWith('.test.yaml'))) {
      expect(readFileSync(path.join(rubricsDir, file), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/docs\/rubric\.schema\.json\n/);
      expect(rubricSchema(yamlOf(file)), `${file}: ${JSON.stringify(rubricSchema.errors)}`).toBe(true);
    }
    for (const file of files.filter((f) => f.endsWith('.test.yaml'))) {
      expect(testSchema(yamlOf(file)), `${file}: ${JSON.stringify(testSchema.errors)}`).toBe(true);
    }
    const broken = { ...yamlOf('custody.yaml'), criteria: [{ id: 'Bad Id', check: 'x', on_fail: 'sometimes', colour: 'red' }] };
    expect(rubricSchema(broken)).toBe(false);
    expect(rubricSchema.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/criteria/0/id', '/criteria/0/on_fail']));
  });
});
