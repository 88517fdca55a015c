import { percent } from '../summary/findings.js';
import { areaRows, sortedGroups, type Summary, type Tally } from '../summary/summary.js';
import { csvLine } from './csv-cell.js';

const GRADE_COLUMNS = ['area', 'label', 'cases', 'good', 'requires_improvement', 'inadequate', 'percent_good', 'percent_inadequate'];

function tallyLines(summary: Summary, tally: Tally, group?: string): string[] {
  const prefix = group === undefined ? [] : [group];
  const rows = [
    ...areaRows(summary.rubric, tally).map((a) => ({ area: a.value, label: a.label, counts: a.counts })),
    { area: 'total', label: 'Total', counts: tally.totals },
  ];
  return rows.map(({ area, label, counts }) =>
    csvLine([...prefix, area, label, counts.cases, counts.good, counts['requires-improvement'], counts.inadequate, percent(counts.good, counts.cases), percent(counts.inadequate, counts.cases)]),
  );
}

/** The area table as CSV for a spreadsheet; with --by, one block of rows per group after the overall rows. */
export function renderCsv(summary: Summary): string {
  if (summary.groupBy === undefined) return [csvLine(GRADE_COLUMNS), ...tallyLines(summary, summary.overall)].join('');
  return [
    csvLine([summary.groupBy, ...GRADE_COLUMNS]),
    ...tallyLines(summary, summary.overall, '(all cases)'),
    ...sortedGroups(summary).flatMap(([value, tally]) => tallyLines(summary, tally, value)),
  ].join('');
}
