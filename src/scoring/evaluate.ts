import type { CaseRecord } from '../cases/coerce.js';
import type { CompiledRubric } from '../rubric/compile.js';
import type { CompiledExpression, EvaluationInput } from '../rubric/expressions.js';
import { NeedsEvaluator } from '../rubric/needs-evaluator.js';
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

/** The general path: the evaluator's own result, the missing fields, or a rubric fault named precisely. */
function runInGeneral(expression: CompiledExpression, input: EvaluationInput, criterion: string, record: CaseRecord): Evaluation {
  let value: unknown;
  let failure: unknown;
  try {
    value = expression.evaluate(input);
  } catch (error) {
    failure = error;
  }
  if (failure instanceof NeedsEvaluator) throw failure;
  if (typeof value === 'boolean') return value;
  const missing = expression.fields.filter((field) => record.values[field] === null);
  if (missing.length > 0) return missing;
  const reason = failure instanceof Error ? (failure.message.split('\n')[0] ?? failure.message) : `gave ${String(value)} instead of true or false`;
  throw new ExpressionRuntimeError(criterion, record, reason);
}

/** One case's values as the closures read them: fields by slot, then the audit date. Filled afresh for each case, never kept. */
interface Case {
  slots: unknown[];
  record: CaseRecord;
  asOf: Date;
}

function run(expression: CompiledExpression, current: Case, criterion: string): Evaluation {
  const closure = expression.closure;
  const slots = current.slots;
  if (closure !== undefined) {
    const result = closure(slots);
    if (result === true || result === false) return result;
    // Most often a field is empty: say which, without the general evaluator.
    const fieldSlots = expression.fieldSlots;
    let missing: string[] | undefined;
    for (let i = 0; i < fieldSlots.length; i++) if (slots[fieldSlots[i] as number] === null) (missing ??= []).push(expression.fields[i] as string);
    if (missing) return missing;
  }
  const { record, asOf } = current;
  const input: EvaluationInput = { slots, byName: () => Object.create(record.values, { as_of: { value: asOf } }) as Record<string, unknown> };
  return runInGeneral(expression, input, criterion, record);
}

/**
 * A criterion ready to run, every one the same shape (criteria themselves
 * differ in which optional keys they have, which would make each property
 * read in the loop below a slow one). The common outcomes carry nothing
 * case-specific, so each is one shared object.
 */
interface Runner {
  id: string;
  applies: CompiledExpression | undefined;
  check: CompiledExpression;
  failsWhenMissing: boolean;
  met: CriterionOutcome;
  notMet: CriterionOutcome;
  notApplicable: CriterionOutcome;
}

const runners = new WeakMap<CompiledRubric, { runners: Runner[]; slots: unknown[] }>();
function prepared(rubric: CompiledRubric) {
  let ready = runners.get(rubric);
  if (!ready) {
    const none: readonly string[] = Object.freeze([]);
    const outcome = (id: string, outcome: CriterionOutcome['outcome']) => Object.freeze({ id, outcome, missing: none });
    ready = {
      runners: rubric.criteria.map((criterion) => ({
        id: criterion.id,
        applies: criterion.applies ?? undefined,
        check: criterion.check,
        failsWhenMissing: criterion.when_missing === 'fail',
        met: outcome(criterion.id, 'met'),
        notMet: outcome(criterion.id, 'not-met'),
        notApplicable: outcome(criterion.id, 'not-applicable'),
      })),
      slots: new Array(rubric.fields.length + 1),
    };
    runners.set(rubric, ready);
  }
  return ready;
}

function evaluateCriterion(runner: Runner, current: Case): CriterionOutcome {
  const { id, applies } = runner;
  if (applies !== undefined) {
    const applying = run(applies, current, id);
    if (applying === false) return runner.notApplicable;
    if (applying !== true) return { id, outcome: 'not-assessed', missing: applying };
  }
  const check = run(runner.check, current, id);
  if (check === true) return runner.met;
  if (check === false) return runner.notMet;
  return { id, outcome: runner.failsWhenMissing ? 'not-met' : 'not-assessed', missing: check };
}

/** Every criterion of the rubric, in rubric order, for one case; into `into` when given (an array used again from case to case). */
export function evaluateCase(rubric: CompiledRubric, record: CaseRecord, asOf: Date, into?: CriterionOutcome[]): CriterionOutcome[] {
  const { runners, slots } = prepared(rubric);
  // One array per rubric, refilled for each case: cases are evaluated one at a time and nothing keeps it.
  const values = record.slots;
  for (let i = 0; i < values.length; i++) slots[i] = values[i];
  slots[values.length] = asOf.getTime();
  const current: Case = { slots, record, asOf };
  const outcomes: CriterionOutcome[] = into ?? new Array(runners.length);
  for (let i = 0; i < runners.length; i++) outcomes[i] = evaluateCriterion(runners[i] as Runner, current);
  return outcomes;
}
