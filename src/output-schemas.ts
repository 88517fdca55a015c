import { z } from 'zod';
import { GradeSchema } from './rubric/schema.js';
import { JSON_SCHEMA_VERSION } from './render/json.js';
import { LISTED_REJECTS } from './summary/summary.js';

/**
 * The zod schemas of what audit writes (JSON output, --cases-out, --rejects-out). Kept out of
 * the scoring path so that scoring does not load zod: the modules that produce these
 * documents import only their types.
 */

/** Why one cell of a row could not be used. A row with any problem is rejected, never scored. */
export const CellProblemSchema = z.object({
  file: z.string(),
  row: z.number().int().describe('row number as a spreadsheet shows it: the header is row 1'),
  column: z.string().describe('header text of the column; empty when the problem is the whole row'),
  value: z.string().describe('the cell as written, shortened to 60 characters'),
  reason: z.string(),
});
export type CellProblem = z.infer<typeof CellProblemSchema>;

/** One case, graded. */
export const CaseResultSchema = z.object({
  id: z.string(),
  area: z.string(),
  grade: GradeSchema.describe("the final grade: the moderator's where there is one"),
  /** Present only when a moderator changed the grade the rubric gave. */
  computed_grade: GradeSchema.optional().describe('the grade the rubric gave, when a moderator changed it'),
  not_met: z.array(z.string()),
});
export type CaseResult = z.infer<typeof CaseResultSchema>;

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
  rubric: z.object({ id: z.string(), version: z.string(), title: z.string(), sha256: z.string().describe("SHA-256 of the rubric's text") }),
  as_of: z.string(),
  input: z.object({ files: z.array(z.string()), rows_read: count, cases_scored: count, rows_rejected: count }),
  ...TallyJsonSchema.shape,
  findings: z.array(z.string()),
  groups: z.object({ by: z.string(), values: z.array(TallyJsonSchema.extend({ value: z.string() })) }).optional(),
  rejects: z.array(CellProblemSchema).describe(`the first ${LISTED_REJECTS} unreadable cells, in file order; --rejects-out writes every one`),
  rejects_not_listed: count.describe('unreadable cells after those listed'),
  rejected_by_column: z
    .array(z.object({ column: z.string(), rows: count, example: z.string() }))
    .describe("rows rejected for each column at fault (the column is empty for the row as a whole), the most first, with the first problem's reason"),
});
export type ScoreJson = z.infer<typeof ScoreJsonSchema>;
export type TallyJson = z.infer<typeof TallyJsonSchema>;
