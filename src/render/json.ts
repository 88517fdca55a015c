import { z } from 'zod';
import { CellProblemSchema } from '../cases/coerce.js';
import { GradeSchema } from '../rubric/schema.js';
import { headlineFindings, topShortfalls } from '../summary/findings.js';
import { areaRows, casesScored, sortedGroups, type Summary, type Tally } from '../summary/summary.js';

/** Bump when a field is removed or changes meaning; adding fields keeps the version. */
export const JSON_SCHEMA_VERSION = 1;

const count = z.number().int().nonnegative();
const gradeCounts = { cases: count, good: count, 'requires-improvement': count, inadequate: count };

const TallyJsonSchema = z.object({
  totals: z.object(gradeCounts),
  areas: z.array(z.object({ area: z.string(), label: z.string(), ...gradeCounts })),
  criteria: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      stage: z.string().optional(),
      on_fail: GradeSchema.exclude(['good']),
      met: count,
      'not-met': count,
      'not-applicable': count,
      'not-assessed': count,
      not_recorded: count.describe('of the not-met, how many because the information was not recorded'),
    }),
  ),
  shortfalls: z.array(z.object({ id: z.string(), applied: count, 'not-met': count, percent: count })),
  moderated: z
    .array(z.object({ id: z.string(), area: z.string(), computed: GradeSchema, final: GradeSchema }))
    .describe("cases whose grade a moderator changed: the grade the rubric gave and the moderator's"),
});

/** The shape of `audit score --format json`, documented in docs/output-json.md. */
export const ScoreJsonSchema = z.object({
  schema_version: z.literal(JSON_SCHEMA_VERSION),
  rubric: z.object({ id: z.string(), version: z.string(), title: z.string() }),
  as_of: z.string(),
  input: z.object({ files: z.array(z.string()), rows_read: count, cases_scored: count, rows_rejected: count }),
  ...TallyJsonSchema.shape,
  findings: z.array(z.string()),
  groups: z.object({ by: z.string(), values: z.array(TallyJsonSchema.extend({ value: z.string() })) }).optional(),
  rejects: z.array(CellProblemSchema),
});
export type ScoreJson = z.infer<typeof ScoreJsonSchema>;
type TallyJson = z.infer<typeof TallyJsonSchema>;

function tallyJson(summary: Summary, tally: Tally): TallyJson {
  return {
    totals: { ...tally.totals },
    areas: areaRows(summary.rubric, tally).map((a) => ({ area: a.value, label: a.label, ...a.counts })),
    criteria: summary.rubric.criteria.map((c, i) => ({ ...c, met: 0, 'not-met': 0, 'not-applicable': 0, 'not-assessed': 0, not_recorded: 0, ...tally.criteria[i] })),
    shortfalls: topShortfalls(summary, tally).map((s) => ({ id: s.id, applied: s.applied, 'not-met': s.not_met, percent: s.percent })),
    moderated: tally.moderated,
  };
}

export function toJsonDocument(summary: Summary): ScoreJson {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    rubric: { id: summary.rubric.id, version: summary.rubric.version, title: summary.rubric.title },
    as_of: summary.asOf,
    input: { files: summary.files, rows_read: summary.rowsRead, cases_scored: casesScored(summary), rows_rejected: summary.rowsRejected },
    ...tallyJson(summary, summary.overall),
    findings: headlineFindings(summary),
    ...(summary.groupBy !== undefined
      ? { groups: { by: summary.groupBy, values: sortedGroups(summary).map(([value, tally]) => ({ value, ...tallyJson(summary, tally) })) } }
      : {}),
    rejects: summary.rejects,
  };
}

export function renderJson(summary: Summary): string {
  return `${JSON.stringify(toJsonDocument(summary), null, 2)}\n`;
}
