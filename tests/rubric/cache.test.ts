import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCachedRubric, writeCachedRubric } from '../../src/rubric/cache.js';
import { compileRubric } from '../../src/rubric/compile.js';
import { evaluateCase } from '../../src/scoring/evaluate.js';
import { AS_OF, record, rubricYaml } from '../helpers.js';

const file = 'cached.yaml';
const text = rubricYaml(
  '  age: { type: integer }\n  seen: { type: date }\n  done: { type: boolean }',
  '  - { id: young, title: Y, reference: r, applies: age != null, check: "age < 16 || done", on_fail: inadequate }\n  - { id: recent, title: R, reference: r, check: "days_between(seen, as_of) <= 30", on_fail: requires-improvement }',
);

describe('the compiled-rubric cache', () => {
  it('reads back a rubric that grades as the compiled one does, and only for the same text and version', async () => {
    const env = { AUDIT_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'audit-cache-unit-')) };
    const compiled = compileRubric(text, file);
    expect(await readCachedRubric(text, file, 'v1', env)).toBeUndefined();
    await writeCachedRubric(text, 'v1', compiled, env);
    const cached = await readCachedRubric(text, file, 'v1', env);
    expect(cached).toBeDefined();
    // A cached rubric has no YAML positions: that is how it can be told from a compiled one.
    expect(cached?.source.locate(['criteria', 1])).toEqual({ line: 1, column: 1 });
    expect(compiled.source.locate(['criteria', 1]).line).toBeGreaterThan(1);
    expect(cached?.criteria.map((c) => c.id)).toEqual(compiled.criteria.map((c) => c.id));
    const examples: Record<string, string>[] = [{ age: '17', seen: '2014-06-20', done: 'N' }, { age: '12', seen: '2014-01-02' }, { seen: '2014-06-30', done: 'Y' }, {}];
    for (const cells of examples) {
      const row: Record<string, string> = { ref: 'A', area: 'cse', ...cells };
      expect(evaluateCase(cached!, record(cached!, row), AS_OF)).toEqual(evaluateCase(compiled, record(compiled, row), AS_OF));
    }
    expect(await readCachedRubric(text, file, 'v2', env)).toBeUndefined();
    expect(await readCachedRubric(`${text}\n`, file, 'v1', env)).toBeUndefined();
    expect(await readCachedRubric(text, file, 'v1', { ...env, AUDIT_NO_CACHE: '1' })).toBeUndefined();
  });
});
