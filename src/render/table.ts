import { Chalk } from 'chalk';
import { headlineFindings } from '../summary/findings.js';
import { sortedGroups, type Summary, type Tally } from '../summary/summary.js';
import { AREA_TABLE_TITLE, areaGrid, groupHeading, moderationGrid, reconciliation, rejectedColumnGrid, rejectGrid, rejectsListedNote, rubricLine, shortfallGrid, type Grid } from './sections.js';
import { textTable } from './text-table.js';

export interface TerminalOptions {
  color: boolean;
}

/** The report for a terminal: aligned tables, colour only when asked for. */
export function renderTable(summary: Summary, options: TerminalOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const heading = (text: string) => chalk.bold(text);
  const grid = ({ columns, rows, totalRow }: Grid) =>
    textTable(columns, rows, (line, i) => (i === totalRow ? chalk.bold(line) : line)).map((line, i) => (i === 0 ? chalk.dim(line) : line));
  const breakdown = (tally: Tally) => [...grid(areaGrid(summary, tally)), '', heading('Most frequent shortfalls'), ...shortfalls(tally)];
  const shortfalls = (tally: Tally) => {
    const table = shortfallGrid(summary, tally);
    return table.rows.length > 0 ? grid(table) : ['No criterion was not met.'];
  };

  const lines = [
    heading(summary.rubric.title),
    rubricLine(summary),
    `Input: ${summary.files.join(', ')}`,
    reconciliation(summary),
    '',
    heading(AREA_TABLE_TITLE),
    ...breakdown(summary.overall),
    '',
    heading('Headline findings'),
    ...headlineFindings(summary).map((f) => `- ${f}`),
  ];
  for (const [value, tally] of sortedGroups(summary)) {
    lines.push('', heading(`${AREA_TABLE_TITLE}, ${groupHeading(summary, value)}`), ...breakdown(tally));
  }
  // Joined rather than pushed: a list of cases can be longer than a call's arguments may be.
  const moderation = summary.overall.moderated.length > 0 ? ['', heading('Grades changed by a moderator'), ...grid(moderationGrid(summary.overall))] : [];
  const rejected =
    summary.rejects.length === 0
      ? []
      : [
          '',
          chalk.yellow.bold('Rejected rows (not scored)'),
          ...(summary.rejectsNotListed > 0 ? [...grid(rejectedColumnGrid(summary)), '', rejectsListedNote(summary)] : []),
          ...grid(rejectGrid(summary)),
        ];
  return `${[...lines, ...moderation, ...rejected].join('\n')}\n`;
}
