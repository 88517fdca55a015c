import type { Report } from '../report/build.js';
import { escapeMarkdown, markdownTable } from './markdown.js';
import type { Grid } from './sections.js';

type Row = Report['total'];
type Percentage = Row['percent_good'];

const withInterval = (p: Percentage, cases: number) => (cases === 0 ? '–' : `${Math.round(p.value)}% (${Math.round(p.low)}–${Math.round(p.high)}%)`);
const metText = (met: boolean | null) => (met === null ? 'no cases' : met ? '✓ met' : '✗ missed');
const right = (header: string) => ({ header, align: 'right' as const });
const left = (header: string) => ({ header, align: 'left' as const });

function gradeCells(row: Row): string[] {
  return [String(row.cases), String(row.good), String(row['requires-improvement']), String(row.inadequate), withInterval(row.percent_good, row.cases), withInterval(row.percent_inadequate, row.cases)];
}
const GRADE_COLUMNS = ['Cases', 'Good', 'Requires improvement', 'Inadequate', '% good (95% interval)', '% inadequate (95% interval)'].map(right);

/** The report as markdown: renders as a GitHub step summary or on a wiki page. */
export function renderReportMarkdown(report: Report): string {
  const { period, total } = report;
  const areaGrid: Grid = {
    columns: [left('Area'), ...GRADE_COLUMNS],
    rows: [...report.areas.map((a) => [a.label, ...gradeCells(a)]), ['Total', ...gradeCells(total)]],
    totalRow: report.areas.length,
  };
  const trendGrid: Grid = {
    columns: [left(period.kind === 'month' ? 'Month' : 'Quarter'), right('Cases audited'), right('% good'), right('Change'), right('% requires improvement'), right('% inadequate'), right('Change'), ...report.targets.map((t) => left(t.text))],
    rows: report.trend.map((t) => {
      const share = (p: Percentage) => (t.cases ? `${Math.round(p.value)}%` : '–');
      const change = (points: number | null) => (points === null ? '–' : `${points > 0 ? '+' : ''}${points.toFixed(1)} pts`);
      return [
        t.label,
        String(t.cases),
        share(t.percent_good),
        change(t.change_good),
        share(t.percent_requires_improvement),
        share(t.percent_inadequate),
        change(t.change_inadequate),
        ...t.targets.map((x) => metText(x.met)),
      ];
    }),
  };
  const dq = report.data_quality;
  const lines = [
    `# ${escapeMarkdown(report.title)}: ${period.label}`,
    '',
    `Case-file audit, ${period.label}: **${total.inadequate} of ${total.cases} cases inadequate**, ${withInterval(total.percent_inadequate, total.cases)}; ${total.good} good, ${withInterval(total.percent_good, total.cases)}. Intervals are 95%.`,
    '',
    `Rubric: ${escapeMarkdown(report.rubric.title)} (\`${report.rubric.id}\` version ${escapeMarkdown(report.rubric.version)}). Generated ${report.generated}.`,
    '',
    '## Targets',
    '',
    ...(report.targets.length ? markdownTable({ columns: [left('Target'), left(period.label)], rows: report.targets.map((t) => [t.text, metText(t.met)]) }) : ['No targets were set.']),
    '',
    `## Case file audit results by area of child protection, ${period.label}`,
    '',
    ...markdownTable(areaGrid),
    '',
    `> ${report.uncertainty_note}`,
    '',
    '## Trend',
    '',
    ...markdownTable(trendGrid),
  ];
  if (report.groups) {
    lines.push('', `## By ${escapeMarkdown(report.groups.by)}, ${period.label}`, '', ...markdownTable({ columns: [left(report.groups.by), ...GRADE_COLUMNS], rows: report.groups.rows.map((g) => [g.value, ...gradeCells(g)]) }));
  }
  lines.push('', '## Recurring themes', '', `The criteria most often not met in ${period.label}, with their rate in the previous ${period.kind}.`, '');
  lines.push(
    ...(report.themes.length
      ? markdownTable({
          columns: [left('Criterion'), left('Stage'), right('Not met'), right('Rate'), right(`Previous ${period.kind}`)],
          rows: report.themes.map((t) => [t.title, t.stage ?? '', `${t.not_met} of ${t.applied}`, `${Math.round(t.percent)}%`, t.previous_percent === null ? '–' : `${Math.round(t.previous_percent)}%`]),
        })
      : ['Every criterion was met in every case where it applied.']),
  );
  lines.push('', '## Moderation', '');
  if (report.moderation.changed) {
    lines.push(`${report.moderation.changed} ${report.moderation.changed === 1 ? 'grade was' : 'grades were'} changed by a moderator; the tables use the moderated grades.`, '');
    // A line at a time: the cases can be more than a call's arguments may be.
    for (const line of markdownTable({ columns: ['Case', 'Area', 'Grade the rubric gave', "Moderator's grade"].map(left), rows: report.moderation.cases.map((m) => [m.id, m.area, m.computed, m.final]) })) lines.push(line);
  } else {
    lines.push('No grade was changed by a moderator.');
  }
  lines.push('', '## Data quality', '', `Across the files read: ${dq.rows_read} rows read, ${dq.cases_scored} cases scored, ${dq.rows_rejected} rejected for unreadable values.${dq.cases_without_date ? ` ${dq.cases_without_date} scored cases had no date and are in no period.` : ''}${dq.cases_outside_periods ? ` ${dq.cases_outside_periods} scored cases fall outside the periods reported.` : ''}`);
  if (dq.rejected_by_column.length) lines.push('', ...markdownTable({ columns: [left('Column'), right('Rows'), left('For example')], rows: dq.rejected_by_column.map((r) => [r.column, String(r.rows), r.example]) }));
  lines.push('', dq.not_assessed.length ? `Criteria not assessed in ${period.label} because information was missing: ${dq.not_assessed.map((c) => `${escapeMarkdown(c.title)} (${c.cases})`).join(', ')}.` : `No criterion went unassessed for missing information in ${period.label}.`);
  return `${lines.join('\n')}\n`;
}
