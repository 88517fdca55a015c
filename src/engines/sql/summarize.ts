import type { CellProblem } from '../../cases/coerce.js';
import type { CompiledRubric } from '../../rubric/compile.js';
import { addRejectedRow, areaTally, emptySummary, groupTally, rubricInfo, type GradeCounts, type ModeratedCase, type Summary, type Tally } from '../../summary/summary.js';
import { GRADES, type Grade } from '../../rubric/constants.js';
import { SUMMARY_OUTCOMES } from './query.js';

/**
 * A warehouse's result of `audit compile --output summary`, exported as
 * CSV, read back into the summary `audit score` makes, so that every format
 * and the report work on it. The result holds counts only: the rejected
 * rows and the cases a moderator regraded are counted, not listed (the
 * `rejects` and `cases` outputs list them).
 */

export class SummaryResultError extends Error {}

/** One row of the summary output, its counts read by column name (`cases`, `good`, …, `criterion-id:outcome`). */
export interface SummaryRow {
  level: string;
  group: string | null;
  area: string | null;
  count(name: string): number;
}

/** Adds one row of the summary output to `summary`; returns how many cases a moderator regraded where the row is the total. */
export function addSummaryRow(summary: Summary, rubric: CompiledRubric, row: SummaryRow): number {
  const grades = (): GradeCounts => ({ cases: row.count('cases'), good: row.count('good'), 'requires-improvement': row.count('requires-improvement'), inadequate: row.count('inadequate') });
  const fill = (tally: Tally) => {
    tally.totals = grades();
    tally.criteria = rubric.criteria.map((c) => ({
      met: row.count(`${c.id}:met`),
      'not-met': row.count(`${c.id}:not-met`),
      'not-applicable': row.count(`${c.id}:not-applicable`),
      'not-assessed': row.count(`${c.id}:not-assessed`),
      not_recorded: row.count(`${c.id}:not_recorded`),
    }));
  };
  switch (row.level) {
    case 'total':
      fill(summary.overall);
      summary.rowsRead += row.count('cases');
      return row.count('moderated');
    case 'area':
      Object.assign(areaTally(summary.overall, row.area ?? ''), grades());
      return 0;
    case 'group':
      fill(groupTally(summary, row.group ?? ''));
      return 0;
    case 'group area':
      Object.assign(areaTally(groupTally(summary, row.group ?? ''), row.area ?? ''), grades());
      return 0;
    case 'rejected':
      summary.rowsRejected = row.count('cases');
      summary.rowsRead += summary.rowsRejected;
      return 0;
    default:
      throw new SummaryResultError(`'${row.level.slice(0, 60)}' is not one of total, area, group, group area, rejected`);
  }
}

/** The columns of the summary output for a rubric. */
export function summaryColumns(rubric: CompiledRubric): string[] {
  return ['level', 'group', 'area', 'cases', 'good', 'requires-improvement', 'inadequate', 'moderated', ...rubric.criteria.flatMap((c) => SUMMARY_OUTCOMES.map((o) => `${c.id}:${o}`))];
}

export interface SummaryResult {
  summary: Summary;
  /** Cases a moderator regraded, counted by the warehouse but not listed in its result. */
  moderated: number;
}

/** The summary of a result given as its header and rows of cells (the CSV as read); `file` names it in messages. */
export function summaryFromResult(rubric: CompiledRubric, file: string, header: string[], rows: { row: number; cells: string[] }[], options: { asOf: string; by?: string }): SummaryResult {
  const at = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = summaryColumns(rubric).filter((name) => !at.has(name));
  if (missing.length > 0) {
    throw new SummaryResultError(`${file}: is not the result of audit compile --output summary for rubric ${rubric.id} version ${rubric.version}: ${missing.length} ${missing.length === 1 ? 'column is' : 'columns are'} missing (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`);
  }
  const summary = emptySummary(rubricInfo(rubric), { asOf: options.asOf, files: [file], ...(options.by !== undefined ? { groupBy: options.by } : {}) });
  let moderated = 0;
  let totals = false;
  for (const { row, cells } of rows) {
    const cell = (name: string) => (cells[at.get(name) ?? -1] ?? '').trim();
    const count = (name: string) => {
      const text = cell(name);
      if (text === '') return 0;
      if (!/^\d+$/.test(text)) throw new SummaryResultError(`${file}: row ${row}, column '${name}': '${text.slice(0, 60)}' is not a count`);
      return Number(text);
    };
    const level = cell('level');
    if ((level === 'group' || level === 'group area') && options.by === undefined) throw new SummaryResultError(`${file}: has a breakdown by group: give --by with the field it was compiled with`);
    try {
      moderated += addSummaryRow(summary, rubric, { level, group: cell('group'), area: cell('area'), count });
    } catch (error) {
      if (error instanceof SummaryResultError) throw new SummaryResultError(`${file}: row ${row}, column 'level': ${error.message}`);
      throw error;
    }
    totals ||= level === 'total';
  }
  if (!totals) throw new SummaryResultError(`${file}: has no row with level 'total'; is it the whole result of the query?`);
  return { summary, moderated };
}

/**
 * Lists the rejected rows of a warehouse run in the summary, from its
 * result of `audit compile --output rejects` (row, column, value, reason;
 * one row per problem, in row order), as `audit score` lists them. The rows
 * it names must be the rows the summary counts as rejected.
 */
export function addRejectsFromResult(summary: Summary, file: string, header: string[], rows: { row: number; cells: string[] }[]): void {
  const at = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = ['row', 'column', 'value', 'reason'].filter((name) => !at.has(name));
  if (missing.length > 0) throw new SummaryResultError(`${file}: is not the result of audit compile --output rejects: ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')} missing`);
  const byRow = new Map<number, CellProblem[]>();
  for (const { row, cells } of rows) {
    const cell = (name: string) => cells[at.get(name) ?? -1] ?? '';
    const text = cell('row').trim();
    if (!/^\d+$/.test(text)) throw new SummaryResultError(`${file}: row ${row}, column 'row': '${text.slice(0, 60)}' is not a row number`);
    const problems = byRow.get(Number(text)) ?? [];
    problems.push({ file, row: Number(text), column: cell('column'), value: cell('value'), reason: cell('reason') });
    byRow.set(Number(text), problems);
  }
  if (byRow.size !== summary.rowsRejected) {
    throw new SummaryResultError(`${file}: lists ${byRow.size} rejected ${byRow.size === 1 ? 'row' : 'rows'} where the summary counts ${summary.rowsRejected}: were both queries run on the same table?`);
  }
  // Counted again, row by row, as the rows are listed.
  summary.rowsRead -= summary.rowsRejected;
  summary.rowsRejected = 0;
  for (const row of [...byRow.keys()].sort((a, b) => a - b)) addRejectedRow(summary, byRow.get(row) ?? []);
}

/**
 * Lists the cases a moderator regraded in the summary, from the warehouse's
 * result of `audit compile --output cases` (compiled with the summary's
 * `--by`, for each case's group), as `audit score` lists them. `moderated`
 * is how many the summary counts; the result must list as many.
 */
export function addModeratedFromResult(summary: Summary, file: string, header: string[], rows: { row: number; cells: string[] }[], moderated: number, by: string | undefined): void {
  const at = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = ['id', 'area', 'grade', 'computed_grade', ...(by !== undefined ? ['group'] : [])].filter((name) => !at.has(name));
  if (missing.length > 0) {
    throw new SummaryResultError(`${file}: is not the result of audit compile --output cases${by !== undefined ? ` --by ${by}` : ''}: ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')} missing`);
  }
  const grade = (text: string, row: number, column: string): Grade => {
    if (!(GRADES as readonly string[]).includes(text)) throw new SummaryResultError(`${file}: row ${row}, column '${column}': '${text.slice(0, 60)}' is not a grade`);
    return text as Grade;
  };
  const listed: { moderated: ModeratedCase; group: string | undefined }[] = [];
  for (const { row, cells } of rows) {
    const cell = (name: string) => cells[at.get(name) ?? -1] ?? '';
    if (cell('computed_grade').trim() === '') continue;
    listed.push({
      moderated: { id: cell('id'), area: cell('area'), computed: grade(cell('computed_grade').trim(), row, 'computed_grade'), final: grade(cell('grade').trim(), row, 'grade') },
      group: by !== undefined ? cell('group') : undefined,
    });
  }
  if (listed.length !== moderated) {
    throw new SummaryResultError(`${file}: lists ${listed.length} regraded ${listed.length === 1 ? 'case' : 'cases'} where the summary counts ${moderated}: were both queries run on the same table?`);
  }
  for (const { moderated: regraded, group } of listed) {
    summary.overall.moderated.push(regraded);
    if (group !== undefined) groupTally(summary, group).moderated.push(regraded);
  }
}
