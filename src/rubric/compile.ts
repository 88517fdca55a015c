import { RubricError, compareDiagnostics, type Diagnostic } from './diagnostics.js';
import { compileExpression, createEnvironments, type CompiledExpression } from './expressions.js';
import type { LoadedRubric, YamlPath } from './load.js';
import type { Criterion, FieldType } from './schema.js';

export interface CompiledField {
  name: string;
  type: FieldType;
  /** Header texts that are accepted for this field's column. */
  headers: string[];
  /** Allowed values of an enum field, as the rubric writes them. */
  values?: string[];
}

export interface CompiledCriterion extends Omit<Criterion, 'applies' | 'check'> {
  applies: CompiledExpression | null;
  check: CompiledExpression;
}

export interface AreaLabel {
  value: string;
  label: string;
}

/** A rubric ready to score cases: columns resolved, expressions parsed and type-checked once. */
export interface CompiledRubric {
  id: string;
  version: string;
  title: string;
  description?: string;
  file: string;
  fields: CompiledField[];
  idField: string;
  areaField: string;
  dateField?: string;
  /** Areas in table order: those the rubric lists, then any enum values it does not list. */
  areas: AreaLabel[];
  criteria: CompiledCriterion[];
  escalateAfter?: number;
}

function humanise(value: string): string {
  const words = value.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Resolves a loaded rubric into the form the scorer runs. Every error is
 * collected and thrown together, so an author fixes them in one pass.
 */
export function compileRubric({ rubric, source }: LoadedRubric): CompiledRubric {
  const diagnostics: Diagnostic[] = [];
  const error = (path: YamlPath, message: string, rule: string, position = source.locate(path)) =>
    diagnostics.push({ file: source.file, ...position, severity: 'error', message, rule });

  const fields: CompiledField[] = Object.entries(rubric.fields).map(([name, field]) => ({
    name,
    type: field.type,
    headers: field.column === undefined ? [name] : typeof field.column === 'string' ? [field.column] : field.column,
    ...(field.type === 'enum' ? { values: field.values } : {}),
  }));
  const fieldTypes = new Map(fields.map((f) => [f.name, f.type]));
  const byName = new Map(fields.map((f) => [f.name, f]));

  for (const role of ['id', 'area', 'date'] as const) {
    const name = rubric.case[role];
    if (name === undefined) continue;
    const field = byName.get(name);
    if (!field) error(['case', role], `case.${role} names '${name}', which is not declared under fields`, 'case-field');
    else if (role === 'date' && field.type !== 'date' && field.type !== 'datetime') {
      error(['case', role], `case.date must name a date or datetime field; '${name}' is ${field.type}`, 'case-field');
    }
  }

  const areaField = byName.get(rubric.case.area);
  const areas: AreaLabel[] = [];
  (rubric.areas ?? []).forEach((area, index) => {
    if (areaField?.values && !areaField.values.includes(area.value)) {
      error(['areas', index, 'value'], `area '${area.value}' is not a value of the field '${areaField.name}' (${areaField.values.join(', ')})`, 'area-value');
    }
    if (areas.some((a) => a.value === area.value)) error(['areas', index, 'value'], `area '${area.value}' is listed twice`, 'area-value');
    areas.push(area);
  });
  for (const value of areaField?.values ?? []) {
    if (!areas.some((a) => a.value === value)) areas.push({ value, label: humanise(value) });
  }

  const environments = createEnvironments(fieldTypes);
  const declared = new Set(fieldTypes.keys());
  const firstIndexOfId = new Map<string, number>();
  const criteria: CompiledCriterion[] = [];
  rubric.criteria.forEach((criterion, index) => {
    const first = firstIndexOfId.get(criterion.id);
    if (first !== undefined) {
      const at = source.locate(['criteria', first, 'id']);
      error(['criteria', index, 'id'], `criterion id '${criterion.id}' is already used at line ${at.line}`, 'duplicate-id');
    } else {
      firstIndexOfId.set(criterion.id, index);
    }
    const compile = (key: 'applies' | 'check'): CompiledExpression | null => {
      const text = criterion[key];
      if (text === undefined) return null;
      const result = compileExpression(text, environments, declared);
      if (result.ok) return result.expression;
      const path = ['criteria', index, key];
      error(path, `${key} of '${criterion.id}': ${result.problem.message}`, 'expression', source.locateInString(path, result.problem.offset));
      return null;
    };
    const applies = compile('applies');
    const check = compile('check');
    if (check) criteria.push({ ...criterion, applies, check });
  });

  if (rubric.escalate_after !== undefined && rubric.escalate_after < 1) {
    error(['escalate_after'], 'escalate_after must be 1 or more: the number of requires-improvement shortfalls that make a case inadequate', 'escalate-after');
  }

  if (diagnostics.length > 0) throw new RubricError(diagnostics.sort(compareDiagnostics));
  return {
    id: rubric.id,
    version: rubric.version,
    title: rubric.title ?? rubric.id,
    ...(rubric.description !== undefined ? { description: rubric.description } : {}),
    file: source.file,
    fields,
    idField: rubric.case.id,
    areaField: rubric.case.area,
    ...(rubric.case.date !== undefined ? { dateField: rubric.case.date } : {}),
    areas,
    criteria,
    ...(rubric.escalate_after !== undefined ? { escalateAfter: rubric.escalate_after } : {}),
  };
}
