import { z } from 'zod';

/**
 * The rubric format. This schema is the rubric's type, its validator and the
 * source of its documentation (docs/rubric-format.md follows it field by field).
 */

const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'enum'] as const;
export const FieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldTypeSchema>;

export const GRADES = ['good', 'requires-improvement', 'inadequate'] as const;
export const GradeSchema = z.enum(GRADES);
export type Grade = z.infer<typeof GradeSchema>;

const columnHeaders = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'column must be a header text or a list of accepted header texts',
});

const fieldCommon = {
  column: columnHeaders.optional(),
  description: z.string().optional(),
};

const PlainFieldSchema = z.strictObject({
  type: z.enum(['string', 'integer', 'number', 'boolean', 'date', 'datetime']),
  ...fieldCommon,
});

const EnumFieldSchema = z.strictObject({
  type: z.literal('enum'),
  values: z.array(z.string().min(1)).min(1, 'an enum field needs at least one value'),
  ...fieldCommon,
});

export const FieldSchema = z.discriminatedUnion('type', [PlainFieldSchema, EnumFieldSchema], {
  error: `type must be one of: ${FIELD_TYPES.join(', ')}`,
});
export type Field = z.infer<typeof FieldSchema>;

export const FieldNameSchema = z.string().regex(identifier, 'field names are letters, digits and _ (for example intel_followed_up)');

export const CriterionSchema = z.strictObject({
  id: z.string().regex(kebabCase, 'criterion id must be kebab-case, for example cse-intel-followed-up'),
  title: z.string().min(1).optional(),
  stage: z.string().min(1).optional(),
  applies: z.string().min(1).optional(),
  check: z.string({ error: 'check is required: a CEL expression that is true when the criterion is met' }).min(1),
  on_fail: z.enum(['requires-improvement', 'inadequate'], {
    error: 'on_fail must be requires-improvement or inadequate',
  }),
  when_missing: z
    .enum(['fail', 'not-assessed'], { error: 'when_missing must be fail or not-assessed' })
    .default('fail'),
  reference: z.string().optional(),
  guidance: z.string().optional(),
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
  id: z.string({ error: 'case.id is required: the field holding the case reference' }),
  area: z.string({ error: 'case.area is required: the field whose values are the rows of the table' }),
  date: z.string().optional(),
  group_by: z.array(z.string()).optional().describe('fields offered for --by breakdowns, such as team'),
});

export const RubricSchema = z.strictObject({
  id: z.string({ error: 'id is required' }).regex(kebabCase, 'id must be kebab-case, for example hmic-ncpi-child-protection'),
  version: z.union([z.string(), z.number()], { error: 'version is required' }).transform(String),
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  case: CaseRolesSchema,
  areas: z.array(AreaSchema).optional(),
  fields: z.record(FieldNameSchema, FieldSchema),
  criteria: z.array(CriterionSchema).min(1, 'a rubric needs at least one criterion'),
  escalate_after: z.number().int('escalate_after must be a whole number').optional(),
  tests: z.array(RubricTestSchema).optional(),
});
export type Rubric = z.infer<typeof RubricSchema>;
