import { z } from 'zod';

/**
 * The rubric format. This schema is the rubric's type, its validator and the
 * source of its documentation (docs/rubric-format.md follows it field by field).
 */

const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Names starting with __ are refused: `__proto__` would reach JavaScript's object machinery.
const identifier = /^(?!__)[A-Za-z_][A-Za-z0-9_]*$/;

import { FIELD_TYPES, GRADES } from './constants.js';
export { FIELD_TYPES, GRADES } from './constants.js';
export const FieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldTypeSchema>;

export const GradeSchema = z.enum(GRADES);
export type Grade = z.infer<typeof GradeSchema>;

const columnHeaders = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'column must be a header text or a list of accepted header texts',
});

const fieldCommon = {
  column: columnHeaders.optional().describe('Header text of the column in the export, or a list of accepted header texts. Default: the field name. Matching ignores case, surrounding spaces and the difference between space, _ and -.'),
  description: z.string().optional().describe('Free text for readers of the rubric.'),
  optional: z.boolean().optional().describe('The column may be absent from an export (every value is then missing), as moderation columns are where nobody moderates. Default: the column is required.'),
};

const PlainFieldSchema = z.strictObject({
  type: z.enum(['string', 'integer', 'number', 'boolean', 'date', 'datetime']),
  ...fieldCommon,
});

const EnumFieldSchema = z.strictObject({
  type: z.literal('enum'),
  values: z.array(z.string().min(1)).min(1, 'an enum field needs at least one value').describe('The allowed values. A cell is matched in any case; anything else rejects the row.'),
  ...fieldCommon,
});

export const FieldSchema = z.discriminatedUnion('type', [PlainFieldSchema, EnumFieldSchema], {
  error: `type must be one of: ${FIELD_TYPES.join(', ')}`,
});
export type Field = z.infer<typeof FieldSchema>;

export const FieldNameSchema = z.string().regex(identifier, 'field names are letters, digits and _, not starting with __ (for example intel_followed_up)');

export const CriterionSchema = z.strictObject({
  id: z.string().regex(kebabCase, 'criterion id must be kebab-case, for example cse-intel-followed-up'),
  title: z.string().min(1).optional().describe('What good practice looks like, shown in reports.'),
  stage: z.string().min(1).optional().describe('Stage of the police response: initial contact, assessment and help, investigation, decision-making, trusted adult, managing those who pose a risk, police detention, leadership and management.'),
  applies: z.string().min(1).optional().describe('CEL expression: does the criterion apply to this case? Default: always.'),
  check: z.string({ error: 'check is required: a CEL expression that is true when the criterion is met' }).min(1).describe('CEL expression: true when the criterion is met.'),
  on_fail: z
    .enum(['requires-improvement', 'inadequate'], { error: 'on_fail must be requires-improvement or inadequate' })
    .describe('The grade a shortfall limits the case to.'),
  when_missing: z
    .enum(['fail', 'not-assessed'], { error: 'when_missing must be fail or not-assessed' })
    .default('fail')
    .describe('When check cannot be evaluated because a field it uses is empty: fail (not recorded = not done) or not-assessed (left out of the grade).'),
  reference: z.string().optional().describe('The law, guidance or inspection finding behind the criterion.'),
  guidance: z.string().optional().describe('What good looks like; shown by audit explain.'),
});
export type Criterion = z.infer<typeof CriterionSchema>;

export const AreaSchema = z.strictObject({
  value: z.string().min(1),
  label: z.string().min(1),
});

const cellText = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((value) => (value === null ? '' : String(value)));

/**
 * A hand-written case with the grade the rubric should give it. Values are
 * written as they appear in an export, so the same reading rules are tested.
 */
export const RubricTestSchema = z.strictObject({
  name: z.string({ error: 'name is required: say what the test shows' }).min(1),
  case: z.record(z.string(), cellText, { error: 'case is required: a map from field names to values as written in an export' }),
  as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'as_of is written YYYY-MM-DD').optional(),
  grade: z.enum(GRADES, { error: 'grade is required: good, requires-improvement or inadequate' }),
  met: z.array(z.string()).optional(),
  not_met: z.array(z.string()).optional(),
  not_applicable: z.array(z.string()).optional(),
  not_assessed: z.array(z.string()).optional(),
});
export type RubricTest = z.infer<typeof RubricTestSchema>;

/** A sibling NAME.test.yaml holds tests for NAME.yaml. */
export const RubricTestFileSchema = z.strictObject({
  tests: z.array(RubricTestSchema).min(1, 'a test file needs at least one test'),
});

export const CaseRolesSchema = z.strictObject({
  id: z.string({ error: 'case.id is required: the field holding the case reference' }).describe('The field holding the case reference.'),
  area: z.string({ error: 'case.area is required: the field whose values are the rows of the table' }).describe('The field whose values are the rows of the table.'),
  date: z.string().optional().describe('A date or datetime field used for periods (--by month, --by quarter, audit report).'),
  moderated_grade: z.string().optional().describe("A field holding a moderator's grade; where it has a value, that is the case's final grade."),
  moderation_reason: z.string().optional().describe("A field holding the moderator's reason; a moderated grade without one rejects the row."),
  group_by: z.array(z.string()).optional().describe('fields offered for --by breakdowns, such as team'),
});

export const RubricSchema = z.strictObject({
  id: z.string({ error: 'id is required' }).regex(kebabCase, 'id must be kebab-case, for example hmic-ncpi-child-protection').describe('Kebab-case identifier of the rubric, shown on every report.'),
  version: z.union([z.string(), z.number()], { error: 'version is required' }).transform(String).describe('Version of the rubric, e.g. 1.0.0, shown on every report.'),
  title: z.string().min(1).optional().describe('Heading of the report; defaults to the id.'),
  description: z.string().optional().describe('Free text for readers of the rubric.'),
  case: CaseRolesSchema.describe('Which fields identify a case.'),
  areas: z.array(AreaSchema).optional().describe('Order and labels of the area rows of the table.'),
  fields: z.record(FieldNameSchema, FieldSchema).describe('Every column the rubric reads; nothing else is read.'),
  criteria: z.array(CriterionSchema).min(1, 'a rubric needs at least one criterion').describe('What each case is checked against.'),
  escalate_after: z.number().int('escalate_after must be a whole number').optional().describe('This many requires-improvement shortfalls make a case inadequate (1 or more).'),
  tests: z.array(RubricTestSchema).optional().describe('Hand-written cases with the grade the rubric should give them; run by audit test.'),
});
export type Rubric = z.infer<typeof RubricSchema>;
