import type { CompiledCriterion, CompiledRubric } from '../rubric/compile.js';

export const CRITERION_PARTS = ['title', 'applies', 'check', 'on_fail', 'when_missing'] as const;
export type CriterionPart = (typeof CRITERION_PARTS)[number];

/** How one rubric differs from another, criterion by criterion and field by field. */
export interface RubricChange {
  old: { id: string; version: string; file: string };
  new: { id: string; version: string; file: string };
  criteriaAdded: string[];
  criteriaRemoved: string[];
  criteriaChanged: Array<{ id: string; parts: CriterionPart[] }>;
  fieldsAdded: string[];
  fieldsRemoved: string[];
  fieldsChanged: Array<{ name: string; from: string; to: string }>;
  escalateAfter?: { from: number | null; to: number | null };
}

function part(criterion: CompiledCriterion, name: CriterionPart): string | undefined {
  if (name === 'applies') return criterion.applies?.source.trim();
  if (name === 'check') return criterion.check.source.trim();
  return criterion[name];
}

export function compareRubrics(before: CompiledRubric, after: CompiledRubric): RubricChange {
  const oldCriteria = new Map(before.criteria.map((c) => [c.id, c]));
  const newCriteria = new Map(after.criteria.map((c) => [c.id, c]));
  const oldFields = new Map(before.fields.map((f) => [f.name, f]));
  const newFields = new Map(after.fields.map((f) => [f.name, f]));
  const describe = (f: { type: string; values?: string[] }) => (f.values ? `${f.type} (${f.values.join(', ')})` : f.type);
  const escalateChanged = before.escalateAfter !== after.escalateAfter;
  return {
    old: { id: before.id, version: before.version, file: before.file },
    new: { id: after.id, version: after.version, file: after.file },
    criteriaAdded: after.criteria.filter((c) => !oldCriteria.has(c.id)).map((c) => c.id),
    criteriaRemoved: before.criteria.filter((c) => !newCriteria.has(c.id)).map((c) => c.id),
    criteriaChanged: after.criteria.flatMap((c) => {
      const previous = oldCriteria.get(c.id);
      if (!previous) return [];
      const parts = CRITERION_PARTS.filter((p) => part(previous, p) !== part(c, p));
      return parts.length > 0 ? [{ id: c.id, parts }] : [];
    }),
    fieldsAdded: after.fields.filter((f) => !oldFields.has(f.name)).map((f) => f.name),
    fieldsRemoved: before.fields.filter((f) => !newFields.has(f.name)).map((f) => f.name),
    fieldsChanged: after.fields.flatMap((f) => {
      const previous = oldFields.get(f.name);
      return previous && describe(previous) !== describe(f) ? [{ name: f.name, from: describe(previous), to: describe(f) }] : [];
    }),
    ...(escalateChanged ? { escalateAfter: { from: before.escalateAfter ?? null, to: after.escalateAfter ?? null } } : {}),
  };
}

export function hasChanges(change: RubricChange): boolean {
  return (
    change.criteriaAdded.length + change.criteriaRemoved.length + change.criteriaChanged.length +
      change.fieldsAdded.length + change.fieldsRemoved.length + change.fieldsChanged.length > 0 || change.escalateAfter !== undefined
  );
}
