import { GRADES, type Grade } from '../rubric/constants.js';
import type { CaseResult } from '../scoring/outcome.js';
import type { Summary } from '../summary/summary.js';

export interface ChangedCase {
  id: string;
  area: string;
  from: Grade;
  to: Grade;
  /** Criteria not met under the new rubric that were met (or did not apply) under the old. */
  newlyNotMet: string[];
  /** Criteria not met under the old rubric that are no longer not met. */
  noLongerNotMet: string[];
  /** Criteria not met under both. */
  stillNotMet: string[];
}

/** How the same cases move between two rubrics. */
export interface CaseMigration {
  /** matrix[old grade][new grade] = number of cases. */
  matrix: Record<Grade, Record<Grade, number>>;
  scoredByBoth: number;
  onlyOld: number;
  onlyNew: number;
  changed: ChangedCase[];
  before: Summary;
  after: Summary;
}

export function emptyMatrix(): Record<Grade, Record<Grade, number>> {
  const row = () => Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  return { good: row(), 'requires-improvement': row(), inadequate: row() };
}

/** Joins the graded cases of the old and the new rubric by case reference. */
export function migrate(oldResults: Map<string, CaseResult>, newResults: Map<string, CaseResult>, before: Summary, after: Summary): CaseMigration {
  const matrix = emptyMatrix();
  const changed: ChangedCase[] = [];
  let scoredByBoth = 0;
  for (const [id, next] of newResults) {
    const previous = oldResults.get(id);
    if (!previous) continue;
    scoredByBoth++;
    matrix[previous.grade][next.grade]++;
    if (previous.grade === next.grade) continue;
    changed.push({
      id,
      area: next.area,
      from: previous.grade,
      to: next.grade,
      newlyNotMet: next.not_met.filter((c) => !previous.not_met.includes(c)),
      noLongerNotMet: previous.not_met.filter((c) => !next.not_met.includes(c)),
      stillNotMet: next.not_met.filter((c) => previous.not_met.includes(c)),
    });
  }
  return { matrix, scoredByBoth, onlyOld: oldResults.size - scoredByBoth, onlyNew: newResults.size - scoredByBoth, changed, before, after };
}
