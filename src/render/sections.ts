import { percent, topShortfalls } from '../summary/findings.js';
import { areaRows, casesScored, rejectedColumns, type GradeCounts, type Summary, type Tally } from '../summary/summary.js';
import type { Align } from './text-table.js';

/** The pieces of the score report, as cells, shared by the terminal and markdown renderers. */

export const AREA_TABLE_TITLE = 'Case file audit results by area of child protection';

export interface Grid {
  columns: Array<{ header: string; align: Align }>;
  rows: string[][];
  /** Index of a row to emphasise (the Total row), if any. */
  totalRow?: number;
}

function gradeCells(counts: GradeCounts): string[] {
  return [
    String(counts.cases),
    String(counts.good),
    String(counts['requires-improvement']),
    String(counts.inadequate),
    `${percent(counts.good, counts.cases)}%`,
    `${percent(counts.inadequate, counts.cases)}%`,
  ];
}

export function areaGrid(summary: Summary, tally: Tally): Grid {
  const rows = areaRows(summary.rubric, tally).map((area) => [area.label, ...gradeCells(area.counts)]);
  rows.push(['Total', ...gradeCells(tally.totals)]);
  return {
    columns: [
      { header: 'Area', align: 'left' },
      ...['Cases', 'Good', 'Requires improvement', 'Inadequate', '% good', '% inadequate'].map((header) => ({ header, align: 'right' as const })),
    ],
    rows,
    totalRow: rows.length - 1,
  };
}

export function shortfallGrid(summary: Summary, tally: Tally): Grid {
  return {
    columns: [
      { header: 'Criterion', align: 'left' },
      { header: 'Stage', align: 'left' },
      { header: 'Applied', align: 'right' },
      { header: 'Not met', align: 'right' },
      { header: '% not met', align: 'right' },
    ],
    rows: topShortfalls(summary, tally).map((s) => [s.title, s.stage ?? '', String(s.applied), String(s.not_met), `${s.percent}%`]),
  };
}

/** Rows rejected by the column at fault: shown when there are more unreadable cells than are listed. */
export function rejectedColumnGrid(summary: Summary): Grid {
  return {
    columns: [
      { header: 'Column', align: 'left' },
      { header: 'Rows', align: 'right' },
      { header: 'For example', align: 'left' },
    ],
    rows: rejectedColumns(summary).map((c) => [c.column || '(the whole row)', String(c.rows), c.example]),
  };
}

/** Says that the list below is the start of a longer one, and where the rest is. */
export function rejectsListedNote(summary: Summary): string {
  const cells = summary.rejects.length + summary.rejectsNotListed;
  return `The first ${summary.rejects.length} of ${cells.toLocaleString('en-GB')} unreadable cells; --rejects-out FILE writes every one.`;
}

export function rejectGrid(summary: Summary): Grid {
  return {
    columns: ['File', 'Row', 'Column', 'Value', 'Reason'].map((header) => ({ header, align: header === 'Row' ? 'right' : 'left' })),
    rows: summary.rejects.map((r) => [r.file, String(r.row), r.column, r.value, r.reason]),
  };
}

export function reconciliation(summary: Summary): string {
  return `${summary.rowsRead} rows read, ${casesScored(summary)} cases scored, ${summary.rowsRejected} rejected`;
}

export function rubricLine(summary: Summary): string {
  return `Rubric ${summary.rubric.id} version ${summary.rubric.version}, audit date ${summary.asOf}`;
}

export function groupHeading(summary: Summary, value: string): string {
  return `${summary.groupBy ?? 'group'}: ${value}`;
}

export function moderationGrid(tally: Tally): Grid {
  const label = (g: string) => g.replace('-', ' ');
  return {
    columns: ['Case', 'Area', 'Grade the rubric gave', "Moderator's grade"].map((header) => ({ header, align: 'left' as const })),
    rows: tally.moderated.map((m) => [m.id, m.area, label(m.computed), label(m.final)]),
  };
}
