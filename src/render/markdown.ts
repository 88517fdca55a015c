import { headlineFindings } from '../summary/findings.js';
import { sortedGroups, type Summary, type Tally } from '../summary/summary.js';
import { AREA_TABLE_TITLE, areaGrid, groupHeading, moderationGrid, reconciliation, rejectedColumnGrid, rejectGrid, rejectsListedNote, rubricLine, shortfallGrid, type Grid } from './sections.js';

/** Keeps a value from the data from breaking out of its table cell or being read as markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function markdownTable({ columns, rows, totalRow }: Grid): string[] {
  const bold = (cells: string[]) => cells.map((c) => (c ? `**${c}**` : c));
  return [
    `| ${columns.map((c) => escapeMarkdown(c.header)).join(' | ')} |`,
    `|${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`,
    ...rows.map((row, i) => {
      const cells = row.map(escapeMarkdown);
      return `| ${(i === totalRow ? bold(cells) : cells).join(' | ')} |`;
    }),
  ];
}

/** The report as GitHub-flavoured markdown, for a wiki page or a CI step summary. */
export function renderMarkdown(summary: Summary): string {
  const shortfalls = (tally: Tally) => {
    const grid = shortfallGrid(summary, tally);
    return grid.rows.length > 0 ? markdownTable(grid) : ['No criterion was not met.'];
  };
  const lines = [
    `# ${escapeMarkdown(summary.rubric.title)}`,
    '',
    `${rubricLine(summary)}.  `,
    `Input: ${summary.files.map((f) => `\`${f.replace(/`/g, "'")}\``).join(', ')}.  `,
    `${reconciliation(summary)}.`,
    '',
    `## ${AREA_TABLE_TITLE}`,
    '',
    ...markdownTable(areaGrid(summary, summary.overall)),
    '',
    '## Most frequent shortfalls',
    '',
    ...shortfalls(summary.overall),
    '',
    '## Headline findings',
    '',
    ...headlineFindings(summary).map((f) => `- ${escapeMarkdown(f)}`),
  ];
  for (const [value, tally] of sortedGroups(summary)) {
    lines.push('', `## ${escapeMarkdown(groupHeading(summary, value))}`, '', ...markdownTable(areaGrid(summary, tally)), '', '### Most frequent shortfalls', '', ...shortfalls(tally));
  }
  // Joined rather than pushed: a list of cases can be longer than a call's arguments may be.
  const moderation = summary.overall.moderated.length > 0 ? ['', '## Grades changed by a moderator', '', ...markdownTable(moderationGrid(summary.overall))] : [];
  const rejected =
    summary.rejects.length === 0
      ? []
      : [
          '',
          '## Rejected rows (not scored)',
          '',
          ...(summary.rejectsNotListed > 0 ? [...markdownTable(rejectedColumnGrid(summary)), '', escapeMarkdown(rejectsListedNote(summary)), ''] : []),
          ...markdownTable(rejectGrid(summary)),
        ];
  return `${[...lines, ...moderation, ...rejected].join('\n')}\n`;
}
