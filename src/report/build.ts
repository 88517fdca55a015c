import { z } from 'zod';
import { GradeSchema } from '../rubric/schema.js';
import { topShortfalls } from '../summary/findings.js';
import { GROUP_SEPARATOR } from '../summary/group.js';
import { periodLabel, periodsBetween, type PeriodKind } from '../summary/periods.js';
import { areaRows, emptyTally, mergeTallies, NOT_RECORDED_GROUP, rejectedColumns, type GradeCounts, type Summary, type Tally } from '../summary/summary.js';
import { meetsTarget, type Target } from './targets.js';
import { wilson } from './wilson.js';

/** Bump when a field is removed or changes meaning. */
export const REPORT_SCHEMA_VERSION = 1;

const count = z.number().int().nonnegative();
const Percentage = z.object({
  value: z.number().describe('percentage, one decimal place'),
  low: z.number().describe('lower end of the 95% Wilson score interval'),
  high: z.number().describe('upper end of the 95% Wilson score interval'),
});
const GradeRow = z.object({
  cases: count,
  good: count,
  'requires-improvement': count,
  inadequate: count,
  percent_good: Percentage,
  percent_requires_improvement: Percentage,
  percent_inadequate: Percentage,
});

/** The monthly report as data: what `--format json` prints and what the HTML and markdown show. */
export const ReportSchema = z.object({
  schema_version: z.literal(REPORT_SCHEMA_VERSION),
  title: z.string(),
  rubric: z.object({ id: z.string(), version: z.string(), title: z.string() }),
  generated: z.string().describe('the report date, YYYY-MM-DD (--as-of, default today)'),
  period: z.object({ kind: z.enum(['month', 'quarter']), key: z.string(), label: z.string() }).describe('the period the report is about: the latest one with cases'),
  data_quality: z.object({
    rows_read: count,
    cases_scored: count,
    rows_rejected: count,
    rejected_by_column: z.array(z.object({ column: z.string(), rows: count, example: z.string() })),
    cases_without_date: count,
    cases_outside_periods: count,
    not_assessed: z.array(z.object({ id: z.string(), title: z.string(), cases: count })).describe('criteria not assessed for missing data in the period'),
  }),
  areas: z.array(GradeRow.extend({ area: z.string(), label: z.string() })),
  total: GradeRow,
  uncertainty_note: z.string(),
  targets: z.array(z.object({ text: z.string(), grade: GradeSchema, comparison: z.string(), percent: z.number(), met: z.boolean().nullable() })),
  trend: z.array(
    z.object({
      period: z.string(),
      label: z.string(),
      ...GradeRow.shape,
      change_good: z.number().nullable().describe('change in % good, in percentage points, since the previous period with cases'),
      change_inadequate: z.number().nullable().describe('change in % inadequate, in percentage points, since the previous period with cases'),
      targets: z.array(z.object({ text: z.string(), met: z.boolean().nullable() })),
    }),
  ),
  groups: z.object({ by: z.string(), rows: z.array(GradeRow.extend({ value: z.string() })) }).nullable(),
  themes: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      stage: z.string().optional(),
      applied: count,
      not_met: count,
      percent: z.number(),
      previous_percent: z.number().nullable().describe('the rate in the previous period; null when the criterion did not apply then'),
    }),
  ),
  moderation: z.object({
    changed: count,
    cases: z.array(z.object({ id: z.string(), area: z.string(), computed: GradeSchema, final: GradeSchema })),
  }),
});
export type Report = z.infer<typeof ReportSchema>;

export interface ReportOptions {
  kind: PeriodKind;
  /** The field whose values break down the period (--by), if any. */
  by?: string;
  from?: string;
  to?: string;
  targets: Target[];
  title: string;
  generated: string;
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

function percentage(part: number, whole: number) {
  const { low, high } = wilson(part, whole);
  return { value: whole === 0 ? 0 : oneDecimal((100 * part) / whole), low: oneDecimal(100 * low), high: oneDecimal(100 * high) };
}

function gradeRow(counts: GradeCounts) {
  return {
    ...counts,
    percent_good: percentage(counts.good, counts.cases),
    percent_requires_improvement: percentage(counts['requires-improvement'], counts.cases),
    percent_inadequate: percentage(counts.inadequate, counts.cases),
  };
}

export class EmptyReportError extends Error {}

/**
 * Builds the report from a summary whose groups are periods (or period and
 * --by value): the latest period with cases is the subject, earlier ones its
 * trend.
 */
export function buildReport(summary: Summary, options: ReportOptions): Report {
  const criteriaCount = summary.rubric.criteria.length;
  const byPeriod = new Map<string, Tally>();
  const byGroup = new Map<string, Map<string, Tally>>();
  for (const [key, tally] of summary.groups) {
    const [period = '', group] = key.split(GROUP_SEPARATOR);
    byPeriod.set(period, mergeTallies(byPeriod.get(period) ?? emptyTally(criteriaCount), tally));
    if (group !== undefined) byGroup.set(period, (byGroup.get(period) ?? new Map()).set(group, tally));
  }

  const dated = [...byPeriod.keys()].filter((p) => p !== NOT_RECORDED_GROUP).sort();
  const inRange = dated.filter((p) => (options.from === undefined || p >= options.from) && (options.to === undefined || p <= options.to));
  const subject = inRange.at(-1);
  if (subject === undefined) {
    const range = options.from || options.to ? ` between ${options.from ?? 'the start'} and ${options.to ?? 'the end'}` : '';
    throw new EmptyReportError(`no cases with a ${options.kind === 'month' ? 'month' : 'quarter'}${range} to report on`);
  }
  const periods = periodsBetween(inRange[0] ?? subject, subject, options.kind);
  const tallyOf = (period: string) => byPeriod.get(period) ?? emptyTally(criteriaCount);
  const current = tallyOf(subject);
  const previousPeriod = periods.length > 1 ? periods[periods.length - 2] : undefined;
  const previous = previousPeriod ? tallyOf(previousPeriod) : undefined;

  const casesIn = (list: string[]) => list.reduce((n, p) => n + tallyOf(p).totals.cases, 0);

  let lastWithCases: ReturnType<typeof gradeRow> | undefined;
  const trend = periods.map((period) => {
    const counts = tallyOf(period).totals;
    const row = gradeRow(counts);
    const change = (pick: (r: typeof row) => number) => (lastWithCases === undefined || counts.cases === 0 ? null : oneDecimal(pick(row) - pick(lastWithCases)));
    const changes = { change_good: change((r) => r.percent_good.value), change_inadequate: change((r) => r.percent_inadequate.value) };
    if (counts.cases > 0) lastWithCases = row;
    return { period, label: periodLabel(period, options.kind), ...row, ...changes, targets: options.targets.map((t) => ({ text: t.text, met: meetsTarget(t, counts) })) };
  });

  const groupTallies = byGroup.get(subject);
  return {
    schema_version: REPORT_SCHEMA_VERSION,
    title: options.title,
    rubric: { id: summary.rubric.id, version: summary.rubric.version, title: summary.rubric.title },
    generated: options.generated,
    period: { kind: options.kind, key: subject, label: periodLabel(subject, options.kind) },
    data_quality: {
      rows_read: summary.rowsRead,
      cases_scored: summary.overall.totals.cases,
      rows_rejected: summary.rowsRejected,
      rejected_by_column: rejectedColumns(summary).map((c) => ({ ...c, column: c.column || '(the whole row)' })),
      cases_without_date: tallyOf(NOT_RECORDED_GROUP).totals.cases,
      cases_outside_periods: casesIn(dated.filter((p) => !periods.includes(p))),
      not_assessed: summary.rubric.criteria
        .map((c, i) => ({ id: c.id, title: c.title, cases: current.criteria[i]?.['not-assessed'] ?? 0 }))
        .filter((c) => c.cases > 0)
        .sort((a, b) => b.cases - a.cases),
    },
    areas: areaRows(summary.rubric, current).map((a) => ({ area: a.value, label: a.label, ...gradeRow(a.counts) })),
    total: gradeRow(current.totals),
    uncertainty_note:
      'Each percentage comes with a 95% interval (Wilson score), because samples are small: with 9 cases, 5 inadequate is 56%, but the true rate could be anywhere from about 27% to 81%.',
    targets: options.targets.map((t) => ({ text: t.text, grade: t.grade, comparison: t.comparison, percent: t.percent, met: meetsTarget(t, current.totals) })),
    trend,
    groups: groupTallies
      ? {
          by: options.by ?? 'group',
          rows: [...groupTallies].sort(([a], [b]) => (a === NOT_RECORDED_GROUP ? 1 : b === NOT_RECORDED_GROUP ? -1 : a.localeCompare(b))).map(([value, t]) => ({ value, ...gradeRow(t.totals) })),
        }
      : null,
    themes: topShortfalls(summary, current, 5).map((s) => {
      const index = summary.rubric.criteria.findIndex((c) => c.id === s.id);
      const before = previous?.criteria[index];
      const applied = before ? before.met + before['not-met'] : 0;
      return {
        id: s.id,
        title: s.title,
        ...(s.stage !== undefined ? { stage: s.stage } : {}),
        applied: s.applied,
        not_met: s.not_met,
        percent: oneDecimal((100 * s.not_met) / s.applied),
        previous_percent: before && applied > 0 ? oneDecimal((100 * before['not-met']) / applied) : null,
      };
    }),
    moderation: { changed: current.moderated.length, cases: current.moderated },
  };
}

