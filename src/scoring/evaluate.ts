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
    readonly where: { file: string; row: number },
    readonly reason: string,
  ) {
    super(`${where.file}: row ${where.row}: criterion '${criterion}' could not be evaluated: ${reason}`);
    this.name = 'ExpressionRuntimeError';
  }
}

/** A boolean, or the fields whose emptiness kept the expression from giving one. */
type Evaluation = boolean | string[];

function run(expression: CompiledExpression, input: EvaluationInput, criterion: string, record: CaseRecord): Evaluation {
  let value: unknown;
  let failure: unknown;
  try {
    value = expression.evaluate(input);
  } catch (error) {
    failure = error;
  }
  if (typeof value === 'boolean') return value;
  const missing = expression.fields.filter((field) => record.values[field] === null);
  if (missing.length > 0) return missing;
  const reason = failure instanceof Error ? (failure.message.split('\n')[0] ?? failure.message) : `gave ${String(value)} instead of true or false`;
  throw new ExpressionRuntimeError(criterion, record, reason);
}

// The common outcomes carry nothing case-specific, so each criterion shares one object per outcome instead of making one per case.
const sharedOutcomes = new WeakMap<CompiledCriterion, Record<'met' | 'not-met' | 'not-applicable', CriterionOutcome>>();
function shared(criterion: CompiledCriterion) {
  let outcomes = sharedOutcomes.get(criterion);
  if (!outcomes) {
    const { id } = criterion;
    const none: string[] = [];
    Object.freeze(none);
    outcomes = {
      met: Object.freeze({ id, outcome: 'met', missing: none }),
      'not-met': Object.freeze({ id, outcome: 'not-met', missing: none }),
      'not-applicable': Object.freeze({ id, outcome: 'not-applicable', missing: none }),
    };
    sharedOutcomes.set(criterion, outcomes);
  }
  return outcomes;
}

function evaluateCriterion(criterion: CompiledCriterion, variables: EvaluationInput, record: CaseRecord): CriterionOutcome {
  const { id } = criterion;
  const outcomes = shared(criterion);
  if (criterion.applies) {
    const applies = run(criterion.applies, variables, id, record);
    if (applies === false) return outcomes['not-applicable'];
    if (applies !== true) return { id, outcome: 'not-assessed', missing: applies };
  }
  const check = run(criterion.check, variables, id, record);
  if (check === true) return outcomes.met;
  if (check === false) return outcomes['not-met'];
  return { id, outcome: criterion.when_missing === 'fail' ? 'not-met' : 'not-assessed', missing: check };
}

/** Every criterion of the rubric, in rubric order, for one case. */
export function evaluateCase(rubric: CompiledRubric, record: CaseRecord, asOf: Date): CriterionOutcome[] {
  const slots: unknown[] = [...record.slots, asOf];
  // Only expressions outside the compiled part of CEL need the values by name; build that object only for them.
  let byName: Record<string, unknown> | undefined;
  const input: EvaluationInput = { slots, byName: () => (byName ??= Object.create(record.values, { as_of: { value: asOf } }) as Record<string, unknown>) };
  const { criteria } = rubric;
  const outcomes: CriterionOutcome[] = new Array(criteria.length);
  for (let i = 0; i < criteria.length; i++) outcomes[i] = evaluateCriterion(criteria[i] as CompiledCriterion, input, record);
  return outcomes;
}
