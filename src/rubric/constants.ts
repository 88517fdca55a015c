/** Constants of the rubric format, without zod, for modules on the scoring path. */
export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'enum'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const GRADES = ['good', 'requires-improvement', 'inadequate'] as const;
export type Grade = (typeof GRADES)[number];
/** Rubrics are small; a file this large is a mistake or an attack, not a rubric. */
export const MAX_RUBRIC_BYTES = 1_000_000;
