import { RubricError, compareDiagnostics, type Diagnostic } from './diagnostics.js';
import { compileExpression, createEnvironments, type CompiledExpression, type FieldTypes } from './expressions.js';
import { loadRubric, type LoadedRubric, type RubricSource, type YamlPath } from './load.js';
import { GRADES, type FieldType } from './constants.js';
import type { Criterion, RubricTest } from './schema.js';

export interface CompiledField {
  name: string;
  type: FieldType;
  /** Header texts that are accepted for this field's column. */
  headers: string[];
  /** Allowed values of an enum field, as the rubric writes them. */
  values?: string[];
  /** The column may be absent from an export. */
  optional: boolean;
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
  /** Moderation: the fields holding a moderator's grade and reason. */
  moderation?: { gradeField: string; reasonField: string; /** Index of the grade field in `fields`. */ gradeSlot: number };
  /** Areas in table order: those the rubric lists, then any enum values it does not list. */
  areas: AreaLabel[];
  criteria: CompiledCriterion[];
  escalateAfter?: number;
  /** Tests written in the rubric itself, under `tests:`. */
  tests: RubricTest[];
  source: RubricSource;
}

export interface RubricAnalysis {
  diagnostics: Diagnostic[];
  /** Present only when there is no error. */
  compiled?: CompiledRubric;
}

function humanise(value: string): string {
  const words = value.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Every check of a rubric beyond its schema: case roles, areas, expressions,
 * duplicate ids, and the warnings `audit lint` shows. Works on whatever parts
 * of the rubric were valid, so one run reports every problem.
 */
export function analyseRubric({ source, parts, diagnostics: loadProblems }: LoadedRubric): RubricAnalysis {
  const diagnostics: Diagnostic[] = [...loadProblems];
  if (!parts) return { diagnostics };
  const report = (severity: Diagnostic['severity'], path: YamlPath, message: string, rule: string, position = source.locate(path)) =>
    diagnostics.push({ file: source.file, ...position, severity, message, rule });

  const fields: CompiledField[] = parts.fields.map(([name, field]) => ({
    name,
    type: field.type,
    headers: field.column === undefined ? [name] : typeof field.column === 'string' ? [field.column] : field.column,
    ...(field.type === 'enum' ? { values: field.values } : {}),
    optional: field.optional === true,
  }));
  const byName = new Map(fields.map((f) => [f.name, f]));
  const fieldTypes: FieldTypes = new Map(fields.map((f) => [f.name, { type: f.type, ...(f.values ? { values: f.values } : {}) }]));
  const used = new Set<string>();

  const roles = parts.case;
  for (const role of ['id', 'area', 'date', 'moderated_grade', 'moderation_reason'] as const) {
    const name = roles?.[role];
    if (name === undefined) continue;
    used.add(name);
    const field = byName.get(name);
    if (!field) {
      if (!parts.invalidFields.includes(name)) report('error', ['case', role], `case.${role} names '${name}', which is not declared under fields`, 'case-field');
    } else if (role === 'date' && field.type !== 'date' && field.type !== 'datetime') {
      report('error', ['case', role], `case.date must name a date or datetime field; '${name}' is ${field.type}`, 'case-field');
    } else if (role === 'moderated_grade' && !(field.type === 'enum' && field.values?.every((v) => (GRADES as readonly string[]).includes(v)))) {
      report('error', ['case', role], `case.moderated_grade must name an enum field whose values are grades (${GRADES.join(', ')})`, 'case-field');
    }
  }
  if ((roles?.moderated_grade === undefined) !== (roles?.moderation_reason === undefined)) {
    report('error', ['case'], 'case.moderated_grade and case.moderation_reason go together: a moderated grade needs the field holding its reason', 'case-field');
  }
  roles?.group_by?.forEach((name, index) => {
    used.add(name);
    if (!byName.has(name) && !parts.invalidFields.includes(name)) report('error', ['case', 'group_by', index], `case.group_by names '${name}', which is not declared under fields`, 'case-field');
  });

  const areaField = roles ? byName.get(roles.area) : undefined;
  const areas: AreaLabel[] = [];
  for (const { index, area } of parts.areas) {
    if (areaField?.values && !areaField.values.includes(area.value)) {
      report('error', ['areas', index, 'value'], `area '${area.value}' is not a value of the field '${areaField.name}' (${areaField.values.join(', ')})`, 'area-value');
    }
    if (areas.some((a) => a.value === area.value)) report('error', ['areas', index, 'value'], `area '${area.value}' is listed twice`, 'area-value');
    areas.push(area);
  }
  for (const value of areaField?.values ?? []) {
    if (!areas.some((a) => a.value === value)) areas.push({ value, label: humanise(value) });
  }

  const firstIndexOfId = new Map<string, number>();
  for (const { index, id } of parts.criterionIds) {
    const first = firstIndexOfId.get(id);
    if (first === undefined) firstIndexOfId.set(id, index);
    else report('error', ['criteria', index, 'id'], `criterion id '${id}' is already used at line ${source.locate(['criteria', first, 'id']).line}`, 'duplicate-id');
  }

  const environments = createEnvironments(fieldTypes, parts.invalidFields);
  const declaredNames = [...byName.keys(), ...parts.invalidFields];
  const criteria: CompiledCriterion[] = [];
  for (const { index, criterion } of parts.criteria) {
    if (criterion.title === undefined) report('warning', ['criteria', index], `criterion '${criterion.id}' has no title`, 'criterion-title');
    if (criterion.reference === undefined) report('warning', ['criteria', index], `criterion '${criterion.id}' has no reference to the law, guidance or finding behind it`, 'criterion-reference');

    const compile = (key: 'applies' | 'check'): CompiledExpression | null => {
      const text = criterion[key];
      if (text === undefined) return null;
      const path = ['criteria', index, key];
      const result = compileExpression(text, environments, fieldTypes);
      if (!result.ok) {
        // The expression is broken, but the fields it names are still meant to be used.
        declaredNames.filter((name) => new RegExp(`\\b${name}\\b`).test(text)).forEach((name) => used.add(name));
        report('error', path, `${key} of '${criterion.id}': ${result.problem.message}`, 'expression', source.locateInString(path, result.problem.offset));
        return null;
      }
      result.expression.fields.forEach((f) => used.add(f));
      for (const warning of result.warnings) {
        report('warning', path, `${key} of '${criterion.id}': ${warning.message}`, warning.rule, source.locateInString(path, warning.offset));
      }
      return result.expression;
    };
    const applies = compile('applies');
    const check = compile('check');
    if (applies?.constant === false) report('warning', ['criteria', index, 'applies'], `applies of '${criterion.id}' is never true, so the criterion never applies`, 'never-applies');
    if (check && (criterion.applies === undefined || applies)) criteria.push({ ...criterion, applies, check });
  }

  if (parts.escalate_after !== undefined && parts.escalate_after < 1) {
    report('error', ['escalate_after'], 'escalate_after must be 1 or more: the number of requires-improvement shortfalls that make a case inadequate', 'escalate-after');
  }
  parts.fields.forEach(([name]) => {
    if (!used.has(name)) report('warning', ['fields', name], `field '${name}' is declared but no expression or case entry uses it`, 'unused-field', source.locateKey(['fields', name]));
  });

  diagnostics.sort(compareDiagnostics);
  if (diagnostics.some((d) => d.severity === 'error') || !roles || parts.id === undefined || parts.version === undefined) return { diagnostics };
  return {
    diagnostics,
    compiled: {
      id: parts.id,
      version: parts.version,
      title: parts.title ?? parts.id,
      ...(parts.description !== undefined ? { description: parts.description } : {}),
      file: source.file,
      fields,
      idField: roles.id,
      areaField: roles.area,
      ...(roles.date !== undefined ? { dateField: roles.date } : {}),
      ...(roles.moderated_grade !== undefined && roles.moderation_reason !== undefined
        ? { moderation: { gradeField: roles.moderated_grade, reasonField: roles.moderation_reason, gradeSlot: fields.findIndex((f) => f.name === roles.moderated_grade) } }
        : {}),
      areas,
      criteria,
      ...(parts.escalate_after !== undefined ? { escalateAfter: parts.escalate_after } : {}),
      tests: parts.tests,
      source,
    },
  };
}

/** Every diagnostic, errors and warnings, for `audit lint`. */
export function lintRubric(text: string, file: string): Diagnostic[] {
  return analyseRubric(loadRubric(text, file)).diagnostics;
}

/** A rubric ready to score, or a RubricError carrying every error found. */
export function compileRubric(text: string, file: string): CompiledRubric {
  const { compiled, diagnostics } = analyseRubric(loadRubric(text, file));
  if (!compiled) throw new RubricError(diagnostics.filter((d) => d.severity === 'error'));
  return compiled;
}

