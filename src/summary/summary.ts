import { createHash } from 'node:crypto';
import type { CellProblem } from '../cases/coerce.js';
import type { AreaLabel, CompiledRubric } from '../rubric/compile.js';
import type { Grade } from '../rubric/schema.js';
import { OUTCOME_CODE, type Outcome } from '../scoring/outcome.js';

export type GradeCounts = { cases: number } & Record<Grade, number>;

export type OutcomeCounts = Record<Outcome, number> & {
  /** Of the not-met, how many because the information was not recorded. */
  not_recorded: number;
};

/** A case whose grade a moderator changed. The moderator's reason is free text and is never kept. */
export interface ModeratedCase {
  id: string;
  area: string;
  computed: Grade;
  final: Grade;
}

/** Counts for one set of cases: the whole input, or one group of it. */
export interface Tally {
  totals: GradeCounts;
  areas: Map<string, GradeCounts>;
  /** Outcome counts per criterion, in rubric order. */
  criteria: OutcomeCounts[];
  moderated: ModeratedCase[];
}

export interface CriterionInfo {
  id: string;
  title: string;
  stage?: string;
  on_fail: 'requires-improvement' | 'inadequate';
}

export interface RubricInfo {
  id: string;
  version: string;
  title: string;
  /** SHA-256 of the rubric's text: summaries are merged only when it is the same. */
  sha256: string;
  areas: AreaLabel[];
  criteria: CriterionInfo[];
}

/**
 * How many unreadable cells a summary lists: the first, in file order. Each
 * one goes to --rejects-out as it is found, but a summary that kept them all
 * would hold a badly broken export in memory (one column in an unexpected
 * date format rejects every row), and no one reads a list of 100,000 lines.
 */
export const LISTED_REJECTS = 100;

/** The rows rejected for a problem in one column, with the first such problem as the example. */
export interface RejectedColumn {
  rows: number;
  first: CellProblem;
}

/**
 * Everything `score` reports, accumulated one case at a time. Summaries of
 * parts of the input merge into the summary of the whole.
 */
export interface Summary {
  rubric: RubricInfo;
  asOf: string;
  files: string[];
  rowsRead: number;
  rowsRejected: number;
  /** The first LISTED_REJECTS unreadable cells, in file order. */
  rejects: CellProblem[];
  /** How many unreadable cells there were after those listed. */
  rejectsNotListed: number;
  /** Rows rejected, by the column at fault ('' for the row as a whole). */
  rejectedColumns: Map<string, RejectedColumn>;
  overall: Tally;
  groupBy?: string;
  groups: Map<string, Tally>;
}

export function rubricInfo(rubric: CompiledRubric): RubricInfo {
  return {
    id: rubric.id,
    version: rubric.version,
    title: rubric.title,
    sha256: createHash('sha256').update(rubric.source.text).digest('hex'),
    areas: rubric.areas,
    criteria: rubric.criteria.map((c) => ({
      id: c.id,
      title: c.title ?? c.id,
      ...(c.stage !== undefined ? { stage: c.stage } : {}),
      on_fail: c.on_fail,
    })),
  };
}

export function emptyGradeCounts(): GradeCounts {
  return { cases: 0, good: 0, 'requires-improvement': 0, inadequate: 0 };
}

function emptyOutcomeCounts(): OutcomeCounts {
  return { met: 0, 'not-met': 0, 'not-applicable': 0, 'not-assessed': 0, not_recorded: 0 };
}

export function emptyTally(criteria: number): Tally {
  return { totals: emptyGradeCounts(), areas: new Map(), criteria: Array.from({ length: criteria }, emptyOutcomeCounts), moderated: [] };
}

export function emptySummary(info: RubricInfo, options: { asOf: string; files: string[]; groupBy?: string }): Summary {
  return {
    rubric: info,
    asOf: options.asOf,
    files: options.files,
    rowsRead: 0,
    rowsRejected: 0,
    rejects: [],
    rejectsNotListed: 0,
    rejectedColumns: new Map(),
    overall: emptyTally(info.criteria.length),
    ...(options.groupBy !== undefined ? { groupBy: options.groupBy } : {}),
    groups: new Map(),
  };
}

function addToTally(tally: Tally, area: string, grade: Grade, codes: ArrayLike<number>, moderated?: ModeratedCase): void {
  if (moderated) tally.moderated.push(moderated);
  tally.totals.cases++;
  tally.totals[grade]++;
  const areaCounts = areaTally(tally, area);
  areaCounts.cases++;
  areaCounts[grade]++;
  for (let i = 0; i < codes.length; i++) {
    const counts = tally.criteria[i];
    if (!counts) continue;
    // Each case passes here once per criterion: named increments, not a lookup of the outcome's name.
    switch (codes[i]) {
      case OUTCOME_CODE.met:
        counts.met++;
        break;
      case OUTCOME_CODE.notMet:
        counts['not-met']++;
        break;
      case OUTCOME_CODE.notMetNotRecorded:
        counts['not-met']++;
        counts.not_recorded++;
        break;
      case OUTCOME_CODE.notApplicable:
        counts['not-applicable']++;
        break;
      default:
        counts['not-assessed']++;
    }
  }
}

/**
 * Adds one scored case, its outcomes given as codes (`outcomeCodes`) in rubric
 * order; `moderated` when a moderator changed its grade (`grade` is then the final one).
 */
export function addCase(summary: Summary, area: string, grade: Grade, codes: ArrayLike<number>, group?: string, moderated?: ModeratedCase): void {
  summary.rowsRead++;
  addToTally(summary.overall, area, grade, codes, moderated);
  if (group !== undefined) addToTally(groupTally(summary, group), area, grade, codes, moderated);
}

/** The counts of one area in a tally, started empty when the area first has a case. */
export function areaTally(tally: Tally, area: string): GradeCounts {
  let counts = tally.areas.get(area);
  if (!counts) tally.areas.set(area, (counts = emptyGradeCounts()));
  return counts;
}

/** The tally of one group, started empty when the group first has a case. */
export function groupTally(summary: Summary, group: string): Tally {
  let tally = summary.groups.get(group);
  if (!tally) summary.groups.set(group, (tally = emptyTally(summary.rubric.criteria.length)));
  return tally;
}

export function addRejectedRow(summary: Summary, problems: CellProblem[]): void {
  summary.rowsRead++;
  summary.rowsRejected++;
  problems.forEach((problem, i) => {
    if (summary.rejects.length < LISTED_REJECTS) summary.rejects.push(problem);
    else summary.rejectsNotListed++;
    // A row counts once for each column at fault, however many problems that column has.
    if (problems.findIndex((p) => p.column === problem.column) !== i) return;
    const column = summary.rejectedColumns.get(problem.column);
    if (column) column.rows++;
    else summary.rejectedColumns.set(problem.column, { rows: 1, first: problem });
  });
}

/** The columns at fault, the most rows first. */
export function rejectedColumns(summary: Summary): Array<{ column: string; rows: number; example: string }> {
  return [...summary.rejectedColumns]
    .map(([column, { rows, first }]) => ({ column, rows, example: first.reason }))
    .sort((a, b) => b.rows - a.rows || a.column.localeCompare(b.column));
}

function mergeCounts<T extends Record<string, number>>(a: T, b: T): T {
  const out = { ...a };
  for (const key of Object.keys(b) as (keyof T)[]) out[key] = ((a[key] ?? 0) + (b[key] ?? 0)) as T[keyof T];
  return out;
}

export function mergeTallies(a: Tally, b: Tally): Tally {
  const areas = new Map(a.areas);
  for (const [area, counts] of b.areas) areas.set(area, mergeCounts(areas.get(area) ?? emptyGradeCounts(), counts));
  return {
    totals: mergeCounts(a.totals, b.totals),
    areas,
    criteria: a.criteria.map((counts, i) => mergeCounts(counts, b.criteria[i] ?? emptyOutcomeCounts())),
    moderated: [...a.moderated, ...b.moderated].sort((x, y) => x.id.localeCompare(y.id)),
  };
}

function compareRejects(a: CellProblem, b: CellProblem): number {
  return a.file.localeCompare(b.file) || a.row - b.row;
}

/** The summary of both inputs together, whatever the order they are given in. */
export function mergeSummaries(a: Summary, b: Summary): Summary {
  const groups = new Map(a.groups);
  for (const [key, tally] of b.groups) groups.set(key, mergeTallies(groups.get(key) ?? emptyTally(a.rubric.criteria.length), tally));
  // The first cells of the whole are among the first of each part.
  const listed = [...a.rejects, ...b.rejects].sort(compareRejects);
  const rejectedColumns = new Map(a.rejectedColumns);
  for (const [column, theirs] of b.rejectedColumns) {
    const ours = rejectedColumns.get(column);
    rejectedColumns.set(column, ours ? { rows: ours.rows + theirs.rows, first: compareRejects(ours.first, theirs.first) <= 0 ? ours.first : theirs.first } : theirs);
  }
  return {
    ...a,
    files: [...new Set([...a.files, ...b.files])].sort(),
    rowsRead: a.rowsRead + b.rowsRead,
    rowsRejected: a.rowsRejected + b.rowsRejected,
    rejects: listed.slice(0, LISTED_REJECTS),
    rejectsNotListed: a.rejectsNotListed + b.rejectsNotListed + Math.max(0, listed.length - LISTED_REJECTS),
    rejectedColumns,
    overall: mergeTallies(a.overall, b.overall),
    groups,
  };
}

/** Areas to show, in rubric order, then any other values met in the data, alphabetically. */
export function areaRows(info: RubricInfo, tally: Tally): Array<AreaLabel & { counts: GradeCounts }> {
  const known = info.areas.map((a) => ({ ...a, counts: tally.areas.get(a.value) ?? emptyGradeCounts() }));
  const others = [...tally.areas.keys()]
    .filter((value) => !info.areas.some((a) => a.value === value))
    .sort()
    .map((value) => ({ value, label: value, counts: tally.areas.get(value) ?? emptyGradeCounts() }));
  return [...known, ...others];
}

export const NOT_RECORDED_GROUP = '(not recorded)';

/** Groups in a stable order: by value, with "not recorded" last. */
export function sortedGroups(summary: Summary): Array<[string, Tally]> {
  return [...summary.groups].sort(([a], [b]) => (a === NOT_RECORDED_GROUP ? 1 : b === NOT_RECORDED_GROUP ? -1 : a.localeCompare(b)));
}

export function casesScored(summary: Summary): number {
  return summary.overall.totals.cases;
}
