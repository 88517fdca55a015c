import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/cases/csv-records.js';
import { ScoredCases } from '../../src/parallel/scored-cases.js';
import { CaseScorer } from '../../src/scoring/case-scorer.js';
import { ChunkScorer } from '../../src/scoring/chunk-scorer.js';
import { ROOT } from '../e2e/run.js';
import { AS_OF, compile } from '../helpers.js';

function june2014(): { cases: ScoredCases; batch: ReturnType<CsvRecords['end']> } {
  const rubric = compile(readFileSync(path.join(ROOT, 'rubrics', 'hmic-ncpi-child-protection.yaml'), 'utf8'));
  const records = new CsvRecords(',', 1_000_000).end(readFileSync(path.join(ROOT, 'fixtures', 'wmp-2014-06.csv'), 'utf8'));
  const header = records.cells(0);
  const options = { asOf: AS_OF, transient: true };
  const scorer = new CaseScorer('export.csv', header, rubric, options);
  return { cases: new ScoredCases(rubric, scorer, ChunkScorer.for('export.csv', header, rubric, scorer, options), false), batch: records.startingAt(1) };
}

describe('the scored cases of a chunk', () => {
  it('are packed in memory handed back, the newest kept: memory from the small first chunks does not crowd out the rest', () => {
    const { cases, batch } = june2014();
    cases.score(batch);
    const first = cases.result();
    expect(first.count).toBe(115);
    const large = first.fingerprint.buffer as ArrayBuffer;
    // Results of the small first chunks of a file come back first, too small for a chunk of 115 cases.
    cases.recycle(Array.from({ length: 8 }, () => new ArrayBuffer(64)));
    cases.recycle([large]);
    cases.clear();
    cases.score(batch);
    const again = cases.result();
    expect(again.fingerprint.buffer).toBe(large);
    // Every array is cut to size and written whole, whatever the memory held before.
    expect([...again.rows]).toEqual([...first.rows]);
    expect([...again.codes]).toEqual([...first.codes]);
  });
});
