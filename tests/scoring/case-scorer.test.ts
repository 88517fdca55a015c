import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/cases/csv-records.js';
import { CaseScorer, type RowVerdict } from '../../src/scoring/case-scorer.js';
import { ROOT } from '../e2e/run.js';
import { AS_OF, compile } from '../helpers.js';

/** What a verdict says, copied out at once (a transient verdict's arrays are used again for the next row). */
function snapshot(verdict: RowVerdict) {
  if (verdict.kind === 'rejected') return verdict;
  return { id: verdict.record.id, area: verdict.record.area, values: { ...verdict.record.values }, outcomes: [...verdict.outcomes], grade: verdict.grade, computed: verdict.computed, group: verdict.group };
}

describe('scoring rows whose verdicts are transient', () => {
  it('gives every row of the June 2014 fixture the same verdict as scoring that keeps them', () => {
    const rubric = compile(readFileSync(path.join(ROOT, 'rubrics', 'hmic-ncpi-child-protection.yaml'), 'utf8'));
    const batch = new CsvRecords(',', 1_000_000).end(readFileSync(path.join(ROOT, 'fixtures', 'wmp-2014-06.csv'), 'utf8'));
    const header = batch.cells(0);
    const kept = new CaseScorer('wmp.csv', header, rubric, { asOf: AS_OF });
    const transient = new CaseScorer('wmp.csv', header, rubric, { asOf: AS_OF, transient: true });
    const keptVerdicts = [];
    const transientVerdicts = [];
    for (let i = 1; i < batch.count; i++) {
      keptVerdicts.push(kept.score(batch, i));
      transientVerdicts.push(snapshot(transient.score(batch, i)));
    }
    expect(transientVerdicts).toEqual(keptVerdicts.map(snapshot));
    expect(keptVerdicts.length).toBe(115);
  });
});
