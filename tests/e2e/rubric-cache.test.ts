import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from './run.js';

// A compiled rubric is cached so that the next run starts without loading the YAML, schema and CEL libraries.
const fresh = () => mkdtempSync(path.join(tmpdir(), 'audit-cache-'));
const SCORE = ['score', 'fixtures/wmp-2014-06.csv', '--format', 'json', '--as-of', '2014-07-01'];

describe('the compiled-rubric cache', () => {
  it('gives the same results from the cache as from compiling, and one cache file per rubric text', async () => {
    const dir = fresh();
    const first = await audit(SCORE, { env: { AUDIT_CACHE_DIR: dir } });
    expect(readdirSync(dir)).toHaveLength(1);
    const second = await audit(SCORE, { env: { AUDIT_CACHE_DIR: dir } });
    expect(second).toEqual(first);
    expect(first.code).toBe(0);
    await audit(['score', 'fixtures/custody-2015-16.csv', '--rubric', 'custody'], { env: { AUDIT_CACHE_DIR: dir } });
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('compiles afresh when a cache file is damaged, and writes nothing with AUDIT_NO_CACHE', async () => {
    const dir = fresh();
    const first = await audit(SCORE, { env: { AUDIT_CACHE_DIR: dir } });
    const [name] = readdirSync(dir);
    for (const damaged of ['{"format": 1, "criteria": [', '{"format": 1, "fields": 7}', '{"format": 1, "fields": [], "criteria": [{"check": {"ast": {"op": "call", "args": null}}}]}']) {
      writeFileSync(path.join(dir, name as string), damaged);
      expect(await audit(SCORE, { env: { AUDIT_CACHE_DIR: dir } })).toEqual(first);
    }
    const none = fresh();
    expect(await audit(SCORE, { env: { AUDIT_CACHE_DIR: none, AUDIT_NO_CACHE: '1' } })).toEqual(first);
    expect(readdirSync(none)).toHaveLength(0);
  });

  it('still names a rubric fault precisely when the rubric comes from the cache, on one thread or several', async () => {
    const dir = fresh();
    const rubric = path.join(dir, 'faulty.yaml');
    writeFileSync(rubric, 'id: faulty\nversion: 1\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string, column: Case Ref }\n  area: { type: enum, values: [cse, missing, custody], column: Area }\n  n: { type: integer, column: Episodes }\ncriteria:\n  - { id: divide, title: t, reference: r, check: "10 / n > 1", on_fail: inadequate }\n');
    const data = path.join(dir, 'cases.csv');
    writeFileSync(data, 'Case Ref,Area,Episodes\nA,cse,2\nB,cse,0\n');
    const args = ['score', data, '--rubric', rubric];
    const compiled = await audit(args, { env: { AUDIT_CACHE_DIR: dir } });
    expect(compiled.stderr).toContain("row 3: criterion 'divide' could not be evaluated: division by zero");
    expect(compiled.code).toBe(2);
    expect(await audit(args, { env: { AUDIT_CACHE_DIR: dir } })).toEqual(compiled);
    expect(await audit([...args, '--jobs', '2'], { env: { AUDIT_CACHE_DIR: dir, AUDIT_CHUNK_BYTES: '64' } })).toEqual(compiled);
  });
});
