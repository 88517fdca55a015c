import type { ASTNode } from '@marcbachmann/cel-js';

/**
 * Rubric expressions compiled to a tree of closures, built once from the
 * type-checked CEL syntax tree. Running a closure per case costs a few
 * nanoseconds where walking the tree in the general evaluator costs
 * microseconds, and a national export has millions of cases.
 *
 * It covers the part of CEL rubrics use: fields, literals, comparisons,
 * logic, arithmetic, `in` a list, the conditional, and the rubric's own
 * functions. Anything else (macros, methods) returns undefined from
 * `compileClosure`, and that expression runs in the general evaluator. The
 * results are the evaluator's, value for value: tests/rubric/closures.test.ts
 * compares the two on random cases.
 *
 * Errors are values here, not exceptions: CEL's `&&` and `||` absorb an
 * error when the other side decides the result, and a missing field (null)
 * meeting an operator that has no overload for it is exactly such an error.
 */

export const CEL_ERROR: unique symbol = Symbol('CEL error');
type Value = unknown;
/**
 * A case's values by slot: one per declared field in rubric order, then the
 * audit date. Dates and date-times are milliseconds since 1970, which CEL's
 * operations on timestamps need no more than.
 */
export type Slots = readonly unknown[];
export type Closure = (slots: Slots) => Value;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

type Functions = Record<string, (...args: Value[]) => Value>;

function isNumber(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** CEL equality: two ints exactly, across int and double by value (timestamps too, as numbers), lists element by element; different kinds are unequal. */
function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' && typeof b === 'bigint') return false;
  if (isNumber(a) && isNumber(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return false;
}

/** Ordering of two values of a kind that has one, or undefined (an error) when they cannot be ordered. */
function compare(a: Value, b: Value): number | undefined {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const [x, y] = [Number(a), Number(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

/**
 * Strings in order of their code points, as CEL (and SQL's binary collation) orders them. JavaScript's `<` compares
 * UTF-16 units, which puts a character beyond U+FFFF before U+E000 to U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only where the units differ does it matter: a surrogate (U+D800 to U+DFFF) stands for a code point above U+FFFF.
    const surrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;
    if (surrogate(x) !== surrogate(y)) return surrogate(x) ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;

/** A CEL int: a 64-bit integer; beyond that, CEL's overflow error. */
export function int64(value: bigint): bigint | typeof CEL_ERROR {
  return value < INT_MIN || value > INT_MAX ? CEL_ERROR : value;
}

function arithmetic(op: string, a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if ((op === '/' || op === '%') && b === 0n) return CEL_ERROR;
    return int64(op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b);
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : CEL_ERROR;
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  return CEL_ERROR;
}

const COMPARISONS: Record<string, (order: number) => boolean> = {
  '<': (o) => o < 0,
  '<=': (o) => o <= 0,
  '>': (o) => o > 0,
  '>=': (o) => o >= 0,
};

function functions(): Functions {
  const dates = (f: (a: number, b: number) => Value) => (a: Value, b: Value) => (typeof a === 'number' && typeof b === 'number' ? f(a, b) : CEL_ERROR);
  return {
    days_between: dates((a, b) => BigInt(Math.floor(b / DAY_MS) - Math.floor(a / DAY_MS))),
    hours_between: dates((a, b) => (b - a) / HOUR_MS),
  };
}

/**
 * A closure for the expression, or undefined when it uses something outside
 * the covered part of CEL. Variables are read by slot (`slotOf`), not by
 * name. `date("…")` must already be proven valid (the rubric compiler does),
 * so it is computed here once.
 */
export function compileClosure(ast: ASTNode, slotOf: ReadonlyMap<string, number>, dateLiteral: (text: string) => Date | null): Closure | undefined {
  const library = functions();
  const unsupported = Symbol('unsupported');

  function build(node: ASTNode): Closure {
    switch (node.op) {
      case 'value': {
        const value = node.args;
        if (value !== null && !['string', 'number', 'bigint', 'boolean'].includes(typeof value)) throw unsupported;
        return () => value;
      }
      case 'id': {
        const slot = slotOf.get(node.args);
        if (slot === undefined) throw unsupported;
        return (v) => v[slot];
      }
      case 'list': {
        const items = node.args.map(build);
        return (v) => {
          const out = items.map((item) => item(v));
          return out.includes(CEL_ERROR) ? CEL_ERROR : out;
        };
      }
      case '&&':
      case '||': {
        const [left, right] = node.args.map(build) as [Closure, Closure];
        const decisive = node.op === '||';
        return (v) => {
          const a = left(v);
          if (a === decisive) return decisive;
          const b = right(v);
          if (b === decisive) return decisive;
          return typeof a === 'boolean' && typeof b === 'boolean' ? !decisive : CEL_ERROR;
        };
      }
      case '!_': {
        const operand = build(node.args);
        return (v) => {
          const a = operand(v);
          return typeof a === 'boolean' ? !a : CEL_ERROR;
        };
      }
      case '-_': {
        const operand = build(node.args);
        return (v) => {
          const a = operand(v);
          return typeof a === 'bigint' ? int64(-a) : typeof a === 'number' ? -a : CEL_ERROR;
        };
      }
      case '?:': {
        const [condition, then, otherwise] = node.args.map(build) as [Closure, Closure, Closure];
        return (v) => {
          const c = condition(v);
          return c === true ? then(v) : c === false ? otherwise(v) : CEL_ERROR;
        };
      }
      case '==':
      case '!=': {
        const wanted = node.op === '==';
        // The commonest test of all, a field against a string, true/false or null: equality is identity there.
        const field = fieldAgainstLiteral(node.args as [ASTNode, ASTNode]);
        if (field && (typeof field.literal === 'string' || typeof field.literal === 'boolean' || field.literal === null)) {
          const { slot, literal } = field;
          return (v) => (v[slot] === literal) === wanted;
        }
        const [left, right] = node.args.map(build) as [Closure, Closure];
        return (v) => {
          const a = left(v);
          const b = right(v);
          return a === CEL_ERROR || b === CEL_ERROR ? CEL_ERROR : equal(a, b) === wanted;
        };
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const test = COMPARISONS[node.op] as (order: number) => boolean;
        // A whole-number field against a whole number, as in `age >= 12`: compared directly when the field holds one.
        const field = fieldAgainstLiteral(node.args as [ASTNode, ASTNode]);
        if (field && typeof field.literal === 'bigint') {
          const { slot, literal, fieldFirst } = field;
          return (v) => {
            const a = v[slot];
            if (typeof a !== 'bigint') {
              const order = fieldFirst ? compare(a, literal) : compare(literal, a);
              return order === undefined ? CEL_ERROR : test(order);
            }
            return test(fieldFirst ? (a < literal ? -1 : a > literal ? 1 : 0) : a < literal ? 1 : a > literal ? -1 : 0);
          };
        }
        const [left, right] = node.args.map(build) as [Closure, Closure];
        return (v) => {
          const order = compare(left(v), right(v));
          return order === undefined ? CEL_ERROR : test(order);
        };
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const [left, right] = node.args.map(build) as [Closure, Closure];
        const op = node.op;
        return (v) => arithmetic(op, left(v), right(v));
      }
      case 'in': {
        const [left, right] = node.args as [ASTNode, ASTNode];
        if (right.op !== 'list') throw unsupported;
        const needle = build(left);
        const haystack = build(right);
        return (v) => {
          const a = needle(v);
          const list = haystack(v);
          if (a === CEL_ERROR || list === CEL_ERROR) return CEL_ERROR;
          return (list as Value[]).some((item) => equal(a, item));
        };
      }
      case 'call': {
        const [name, argNodes] = node.args;
        if (name === 'date') {
          const [literal] = argNodes;
          const date = literal?.op === 'value' && typeof literal.args === 'string' ? dateLiteral(literal.args) : null;
          if (!date) throw unsupported;
          const time = date.getTime();
          return () => time;
        }
        const fn = library[name];
        if (!fn) throw unsupported;
        const args = argNodes.map(build);
        if (args.length !== 2) throw unsupported;
        const [first, second] = args as [Closure, Closure];
        return (v) => fn(first(v), second(v));
      }
      default:
        throw unsupported;
    }
  }

  /** A field on one side and a literal on the other, in either order. */
  function fieldAgainstLiteral([left, right]: [ASTNode, ASTNode]): { slot: number; literal: unknown; fieldFirst: boolean } | undefined {
    const [field, literal, fieldFirst] = left.op === 'id' && right.op === 'value' ? [left, right, true] : right.op === 'id' && left.op === 'value' ? [right, left, false] : [];
    const slot = field?.op === 'id' ? slotOf.get(field.args) : undefined;
    return slot === undefined || literal?.op !== 'value' ? undefined : { slot, literal: literal.args, fieldFirst: fieldFirst as boolean };
  }

  try {
    return build(ast);
  } catch (error) {
    if (error === unsupported) return undefined;
    throw error;
  }
}
