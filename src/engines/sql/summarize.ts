import type { CompiledRubric } from '../../rubric/compile.js';
import { areaTally, emptySummary, groupTally, rubricInfo, type GradeCounts, type Summary, type Tally } from '../../summary/summary.js';

/**
 * A warehouse's result of `audit compile --output summary`, exported as
 * CSV, read back into the summary `audit score` makes, so that every format
 * and the report work on it. The result holds counts only: the rejected
 * rows and the cases a moderator regraded are counted, not listed (the
 * `rejects` and `cases` outputs list them).
 */

export class SummaryResultError extends Error {}

const OUTCOMES = ['met', 'not-met', 'not-applicable', 'not-assessed', 'not_recorded'] as const;

export interface SummaryResult {
  summary: Summary;
  /** Cases a moderator regraded, counted by the warehouse but not listed in its result. */
  moderated: number;
}

/** The summary of a result given as its header and rows of cells (the CSV as read); `file` names it in messages. */
export function summaryFromResult(rubric: CompiledRubric, file: string, header: string[], rows: { row: number; cells: string[] }[], options: { asOf: string; by?: string }): SummaryResult {
  const expected = ['level', 'group', 'area', 'cases', 'good', 'requires-improvement', 'inadequate', 'moderated', ...rubric.criteria.flatMap((c) => OUTCOMES.map((o) => `${c.id}:${o}`))];
  const at = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = expected.filter((name) => !at.has(name));
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
    const grades = (): GradeCounts => ({ cases: count('cases'), good: count('good'), 'requires-improvement': count('requires-improvement'), inadequate: count('inadequate') });
    const fill = (tally: Tally) => {
      tally.totals = grades();
      tally.criteria = rubric.criteria.map((c) => ({ met: count(`${c.id}:met`), 'not-met': count(`${c.id}:not-met`), 'not-applicable': count(`${c.id}:not-applicable`), 'not-assessed': count(`${c.id}:not-assessed`), not_recorded: count(`${c.id}:not_recorded`) }));
    };
    const level = cell('level');
    switch (level) {
      case 'total':
        fill(summary.overall);
        summary.rowsRead += count('cases');
        moderated = count('moderated');
        totals = true;
        break;
      case 'area':
        Object.assign(areaTally(summary.overall, cell('area')), grades());
        break;
      case 'group':
      case 'group area': {
        if (options.by === undefined) throw new SummaryResultError(`${file}: has a breakdown by group: give --by with the field it was compiled with`);
        const tally = groupTally(summary, cell('group'));
        if (level === 'group') fill(tally);
        else Object.assign(areaTally(tally, cell('area')), grades());
        break;
      }
      case 'rejected':
        summary.rowsRejected = count('cases');
        summary.rowsRead += summary.rowsRejected;
        break;
      default:
        throw new SummaryResultError(`${file}: row ${row}, column 'level': '${level.slice(0, 60)}' is not one of total, area, group, group area, rejected`);
    }
  }
  if (!totals) throw new SummaryResultError(`${file}: has no row with level 'total'; is it the whole result of the query?`);
  return { summary, moderated };
}
