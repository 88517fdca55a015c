import type { CaseRecord } from '../cases/coerce.js';
import type { CompiledCriterion, CompiledRubric } from '../rubric/compile.js';
import type { CompiledExpression, EvaluationInput } from '../rubric/expressions.js';
import type { CriterionOutcome } from './outcome.js';

/**
 * An expression failed on data that was all present. Type-checking makes this
 * a rubric fault (say, division by zero), never a fault of the case, so it
 * stops the run rather than quietly marking cases down.
 */
export class ExpressionRuntimeError extends Error {
  constructor(
    readonly criterion: string,
    readonly record: CaseRecord,
    readonly reason: string,
  ) {
    super(`${record.file}: row ${record.row}: criterion '${criterion}' could not be evaluated: ${reason}`);
    this.name = 'ExpressionRuntimeError';
  }
}

type Evaluation = { kind: 'value'; value: boolean } | { kind: 'missing'; fields: string[] };

function run(expression: CompiledExpression, input: EvaluationInput, criterion: string, record: CaseRecord): Evaluation {
  let value: unknown;
  let failure: unknown;
  try {
    value = expression.evaluate(input);
  } catch (error) {
    failure = error;
  }
  if (typeof value === 'boolean') return { kind: 'value', value };
  const missing = expression.fields.filter((field) => record.values[field] === null);
  if (missing.length > 0) return { kind: 'missing', fields: missing };
  const reason = failure instanceof Error ? (failure.message.split('\n')[0] ?? failure.message) : `gave ${String(value)} instead of true or false`;
  throw new ExpressionRuntimeError(criterion, record, reason);
}

function evaluateCriterion(criterion: CompiledCriterion, variables: EvaluationInput, record: CaseRecord): CriterionOutcome {
  const { id } = criterion;
  if (criterion.applies) {
    const applies = run(criterion.applies, variables, id, record);
    if (applies.kind === 'missing') return { id, outcome: 'not-assessed', missing: applies.fields };
    if (!applies.value) return { id, outcome: 'not-applicable', missing: [] };
  }
  const check = run(criterion.check, variables, id, record);
  if (check.kind === 'value') return { id, outcome: check.value ? 'met' : 'not-met', missing: [] };
  return { id, outcome: criterion.when_missing === 'fail' ? 'not-met' : 'not-assessed', missing: check.fields };
}

/** Every criterion of the rubric, in rubric order, for one case. */
export function evaluateCase(rubric: CompiledRubric, record: CaseRecord, asOf: Date): CriterionOutcome[] {
  const slots = rubric.fields.map((f) => record.values[f.name] ?? null);
  slots.push(asOf);
  // Only expressions outside the compiled part of CEL need the values by name; build that object only for them.
  let byName: Record<string, unknown> | undefined;
  const input: EvaluationInput = { slots, byName: () => (byName ??= Object.create(record.values, { as_of: { value: asOf } }) as Record<string, unknown>) };
  return rubric.criteria.map((criterion) => evaluateCriterion(criterion, input, record));
}
