import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import { CEL_ERROR, compileClosure, type Closure, type Slots } from './closures.js';
import { isoDateToTimestamp } from './dates.js';
import type { FieldType } from './schema.js';

/**
 * Rubric expressions are CEL, run by @marcbachmann/cel-js (never eval).
 *
 * Two environments share one set of functions:
 * - the checking environment declares every field with its real type, so a
 *   rubric that compares a date with a number is refused before any data is
 *   read. It adds `T == null` for every type, because an empty cell is null
 *   and `x != null` is how a rubric says "recorded";
 * - the running environment declares every field as `dyn`, because a typed
 *   CEL variable may not hold null. Types were already proven by the check,
 *   so at run time a null only ever meets an operator that has no overload
 *   for it, which is exactly "cannot be evaluated because data is missing".
 */

const TIMESTAMP = 'google.protobuf.Timestamp';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const CEL_TYPE: Record<FieldType, string> = {
  string: 'string',
  enum: 'string',
  integer: 'int',
  number: 'double',
  boolean: 'bool',
  date: TIMESTAMP,
  datetime: TIMESTAMP,
};

export const EXPRESSION_LIMITS = { maxAstNodes: 500, maxDepth: 32, maxListElements: 200, maxMapEntries: 50, maxCallArguments: 8 };
export const MAX_EXPRESSION_LENGTH = 2000;


function wholeDaysBetween(from: Date, to: Date): bigint {
  return BigInt(Math.floor(to.getTime() / DAY_MS) - Math.floor(from.getTime() / DAY_MS));
}

function hoursBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / HOUR_MS;
}

function parseDateLiteral(text: string): Date {
  const date = isoDateToTimestamp(text);
  if (!date) throw new Error(`date("${text}") is not a date written YYYY-MM-DD`);
  return date;
}

export const RUBRIC_FUNCTIONS = [
  {
    signature: `days_between(${TIMESTAMP}, ${TIMESTAMP}): int`,
    handler: wholeDaysBetween,
    description: 'Whole calendar days from the first date to the second (negative if the second is earlier).',
  },
  {
    signature: `hours_between(${TIMESTAMP}, ${TIMESTAMP}): double`,
    handler: hoursBetween,
    description: 'Hours from the first date and time to the second, with fractions.',
  },
  {
    signature: `date(string): ${TIMESTAMP}`,
    handler: parseDateLiteral,
    description: 'The calendar date written YYYY-MM-DD.',
  },
] as const;

function withFunctions(env: Environment): Environment {
  for (const fn of RUBRIC_FUNCTIONS) env.registerFunction(fn.signature, fn.handler as never, { description: fn.description });
  return env;
}

export interface ExpressionEnvironments {
  check: Environment;
  run: Environment;
  /** Names of fields whose declaration is invalid (typed as dyn). */
  untyped: ReadonlySet<string>;
}

/** `untyped` fields are declared without a usable type: any use of them is accepted, so one mistake is reported once. */
export function createEnvironments(fields: FieldTypes, untyped: readonly string[] = []): ExpressionEnvironments {
  const check = withFunctions(new Environment({ limits: EXPRESSION_LIMITS }));
  const run = withFunctions(new Environment({ limits: EXPRESSION_LIMITS }));
  for (const [name, { type }] of fields) {
    check.registerVariable(name, CEL_TYPE[type]);
    run.registerVariable(name, 'dyn');
  }
  for (const name of untyped) {
    check.registerVariable(name, 'dyn');
    run.registerVariable(name, 'dyn');
  }
  check.registerVariable('as_of', TIMESTAMP);
  run.registerVariable('as_of', TIMESTAMP);
  const untypedNames = new Set(untyped);
  for (const type of new Set(Object.values(CEL_TYPE))) {
    // Registering `T == null` also gives `null == T`, `T != null` and `null != T`.
    check.registerOperator(`${type} == null`, (a: unknown, b: unknown) => a === b);
  }
  return { check, run, untyped: untypedNames };
}

/** One case as expressions see it: values by slot (fields in rubric order, then `as_of`), and by name for the general evaluator. */
export interface EvaluationInput {
  slots: Slots;
  byName(): Record<string, unknown>;
}

/** A rubric expression, parsed and type-checked once, run once per case. */
export interface CompiledExpression {
  source: string;
  /** Fields the expression reads, in order of first use. */
  fields: string[];
  /** The value, when the expression reads no field and no audit date. */
  constant: boolean | undefined;
  /** Whether it runs as compiled closures (true) or in the general CEL evaluator. */
  compiled: boolean;
  /**
   * The compiled closures, for the hot loop: true or false, or CEL_ERROR
   * (then `evaluate` says what went wrong). Undefined when not compiled.
   */
  closure: Closure | undefined;
  /** The slot of each of `fields`. */
  fieldSlots: number[];
  /** The type-checked syntax tree the closures were built from (for the compiled-rubric cache). */
  ast: ASTNode;
  evaluate(input: EvaluationInput): unknown;
}

export interface ExpressionProblem {
  message: string;
  /** Offset of the problem inside the expression text. */
  offset: number;
}

export interface ExpressionWarning extends ExpressionProblem {
  rule: string;
}

export type CompileResult =
  | { ok: true; expression: CompiledExpression; warnings: ExpressionWarning[] }
  | { ok: false; problem: ExpressionProblem };

/** What the compiler knows of each declared field. */
export type FieldTypes = ReadonlyMap<string, { type: FieldType; values?: readonly string[] }>;

/** Rewrites the evaluator's type names into the words a rubric uses. */
export function friendlyTypes(message: string): string {
  return message
    .replace(/google\.protobuf\.Timestamp/g, 'date')
    .replace(/\bdouble\b/g, 'number')
    .replace(/\bint\b/g, 'integer')
    .replace(/\bbool\b/g, 'boolean')
    .replace(/\bnull_type\b/g, 'null');
}

function errorSummary(error: unknown): { message: string; offset: number } {
  const err = error as { summary?: string; message?: string; node?: { pos?: number; start?: number } };
  const message = err.summary ?? err.message?.split('\n')[0] ?? String(error);
  return { message: friendlyTypes(message), offset: err.node?.start ?? err.node?.pos ?? 0 };
}

function* walk(node: ASTNode): Generator<ASTNode> {
  yield node;
  const args: unknown = node.args;
  const children: unknown[] = Array.isArray(args) ? args.flat(2) : [args];
  for (const child of children) {
    if (child && typeof child === 'object' && 'op' in child) yield* walk(child as ASTNode);
  }
}

/** Enum fields compared with a literal the enum does not have: `area == "cse "` can never be true. */
function enumWarnings(node: ASTNode, fields: FieldTypes): ExpressionWarning[] {
  const enumValues = (side: ASTNode | undefined) => (side?.op === 'id' ? fields.get(side.args)?.values : undefined);
  const literals = (side: ASTNode | undefined): ASTNode[] =>
    side?.op === 'value' && typeof side.args === 'string' ? [side] : side?.op === 'list' ? side.args.filter((n) => n.op === 'value' && typeof n.args === 'string') : [];
  const warn = (field: ASTNode, literal: ASTNode, values: readonly string[]): ExpressionWarning[] =>
    values.includes(literal.args as string)
      ? []
      : [{ rule: 'enum-value', offset: literal.start, message: `'${String(literal.args)}' is not a value of ${field.op === 'id' ? field.args : 'the field'} (${values.join(', ')})` }];
  if (node.op === '==' || node.op === '!=') {
    const [left, right] = node.args;
    const values = enumValues(left) ?? enumValues(right);
    const field = enumValues(left) ? left : right;
    const literal = enumValues(left) ? right : left;
    if (values && literal.op === 'value' && typeof literal.args === 'string') return warn(field, literal, values);
  }
  if (node.op === 'in') {
    const [left, right] = node.args;
    const values = enumValues(left);
    if (values) return literals(right).flatMap((literal) => warn(left, literal, values));
  }
  return [];
}

export function compileExpression(source: string, environments: ExpressionEnvironments, fieldTypes: FieldTypes): CompileResult {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, problem: { message: `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, offset: 0 } };
  }
  let parsed;
  try {
    parsed = environments.check.parse(source);
  } catch (error) {
    return { ok: false, problem: errorSummary(error) };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, problem: errorSummary(checked.error) };
  if (checked.type !== 'bool') {
    return { ok: false, problem: { message: `expression must be true or false, but gives a ${friendlyTypes(checked.type ?? 'value')}`, offset: 0 } };
  }
  const fields: string[] = [];
  const warnings: ExpressionWarning[] = [];
  let readsAuditDate = false;
  for (const node of walk(parsed.ast)) {
    const isField = node.op === 'id' && (fieldTypes.has(node.args) || environments.untyped.has(node.args));
    if (isField && !fields.includes(node.args)) fields.push(node.args);
    if (node.op === 'id' && node.args === 'as_of') readsAuditDate = true;
    if (node.op === 'call' && node.args[0] === 'date') {
      // Only a date written in the rubric can be proven valid before the data is read.
      const [argument] = node.args[1];
      if (argument?.op !== 'value' || typeof argument.args !== 'string') {
        return { ok: false, problem: { message: 'date() takes a date written in the rubric, such as date("2015-10-26")', offset: node.start } };
      }
      if (!isoDateToTimestamp(argument.args)) {
        return { ok: false, problem: { message: `date("${argument.args}") is not a date written YYYY-MM-DD`, offset: argument.start } };
      }
    }
    warnings.push(...enumWarnings(node, fieldTypes));
  }
  // The general evaluator is needed only outside the compiled subset, or to name a fault: parse for it on first use.
  let parsedForRun: ((context: Record<string, unknown>) => unknown) | undefined;
  const program = (context: Record<string, unknown>) => (parsedForRun ??= environments.run.parse(source))(context);
  let constant: unknown;
  if (fields.length === 0 && !readsAuditDate) {
    try {
      constant = program({});
    } catch (error) {
      return { ok: false, problem: { ...errorSummary(error), message: `expression always fails: ${errorSummary(error).message}` } };
    }
  }
  const slotOf = new Map([...fieldTypes.keys(), 'as_of'].map((name, i) => [name, i]));
  const closure = compileClosure(parsed.ast, slotOf, isoDateToTimestamp);
  const fieldSlots = fields.map((f) => slotOf.get(f) ?? -1);
  const evaluate = closure
    ? (input: EvaluationInput) => {
        const result = closure(input.slots);
        if (result !== CEL_ERROR) return result;
        // An error with a field missing is "cannot be evaluated for missing data"; any other is a fault the
        // general evaluator describes precisely (it throws), so the message names the cause. Where the general
        // evaluator misses the fault (it lets the negation of the smallest 64-bit integer through), the closures'
        // verdict stands, as CEL's.
        if (fieldSlots.some((slot) => input.slots[slot] === null)) return undefined;
        program(input.byName());
        throw new Error('a whole-number operation went beyond 64 bits or divided by zero');
      }
    : (input: EvaluationInput) => program(input.byName());
  return { ok: true, expression: { source, fields, constant: typeof constant === 'boolean' ? constant : undefined, compiled: closure !== undefined, closure, fieldSlots, ast: parsed.ast, evaluate }, warnings };
}
