import { GRADES } from '../rubric/constants.js';
import { OUTCOME_CODE } from '../scoring/outcome.js';
import { areaTally, groupTally, type ModeratedCase, type Summary, type Tally } from './summary.js';

/**
 * The counts a summary keeps for the cases of one area (and group), as one
 * array of whole numbers: cases by grade, then per criterion cases by
 * outcome code. A worker thread counts a chunk's cases into these, so that
 * the main thread adds a few arrays per chunk rather than every case.
 */
const OUTCOME_CODES = 5;

export function caseCountsLength(criteria: number): number {
  return GRADES.length + criteria * OUTCOME_CODES;
}

export function caseCounts(criteria: number): Int32Array {
  return new Int32Array(caseCountsLength(criteria));
}

/** Counts one case (or, with `by` −1, takes it out again): its grade by index into GRADES, its outcome codes from `codes[at]` on. */
export function countCase(counts: Int32Array, grade: number, codes: ArrayLike<number>, at: number, criteria: number, by = 1): void {
  (counts[grade] as number) += by;
  for (let c = 0; c < criteria; c++) (counts[GRADES.length + c * OUTCOME_CODES + (codes[at + c] as number)] as number) += by;
}

function addToTally(tally: Tally, area: string, counts: Int32Array, cases: number): void {
  const areaCounts = areaTally(tally, area);
  tally.totals.cases += cases;
  areaCounts.cases += cases;
  GRADES.forEach((grade, g) => {
    tally.totals[grade] += counts[g] as number;
    areaCounts[grade] += counts[g] as number;
  });
  tally.criteria.forEach((outcomes, c) => {
    const at = GRADES.length + c * OUTCOME_CODES;
    const code = (code: number) => counts[at + code] as number;
    outcomes.met += code(OUTCOME_CODE.met);
    outcomes['not-met'] += code(OUTCOME_CODE.notMet) + code(OUTCOME_CODE.notMetNotRecorded);
    outcomes.not_recorded += code(OUTCOME_CODE.notMetNotRecorded);
    outcomes['not-applicable'] += code(OUTCOME_CODE.notApplicable);
    outcomes['not-assessed'] += code(OUTCOME_CODE.notAssessed);
  });
}

/** Adds the counts of cases of one area and group to the summary, as addCase would one by one. */
export function addCaseCounts(summary: Summary, area: string, group: string | undefined, counts: Int32Array): void {
  let cases = 0;
  for (let g = 0; g < GRADES.length; g++) cases += counts[g] as number;
  // Cases counted and taken out again (repeated references) leave no trace, not even an empty row.
  if (cases === 0) return;
  summary.rowsRead += cases;
  addToTally(summary.overall, area, counts, cases);
  if (group !== undefined) addToTally(groupTally(summary, group), area, counts, cases);
}

/** A case whose grade a moderator changed, counted with the rest of its chunk. */
export function addModeratedCase(summary: Summary, group: string | undefined, moderated: ModeratedCase): void {
  summary.overall.moderated.push(moderated);
  if (group !== undefined) groupTally(summary, group).moderated.push(moderated);
}
