import type { ASTNode } from '@marcbachmann/cel-js';
import type { FieldType } from './constants.js';

/**
 * Rubric expressions compiled to run over a column of cases at once: each
 * node of the syntax tree becomes a loop over typed arrays, so a chunk of
 * an export costs one call per node rather than one closure call per node
 * per case, and no value is boxed.
 *
 * The results are the closures' (closures.ts), case for case:
 * tests/rubric/vectors.test.ts compares the two on random columns. The part
 * of CEL covered is smaller: fields, literals, `date()`, `as_of`, logic, the
 * conditional over conditions, comparisons of numbers and timestamps,
 * equality, `in` a list of literals, null tests, `days_between` and
 * `hours_between`. Anything else (arithmetic, string ordering, lists as
 * values) gives undefined from `compileVector`, and the rubric is then
 * scored case by case.
 *
 * A condition's result per case is TRUE, FALSE or ABSENT: ABSENT when CEL
 * would give an error or a value that is not true or false, which is how
 * an empty field shows (the caller then looks for the empty field, as the
 * case-by-case path does).
 */
export const FALSE = 0;
export const TRUE = 1;
export const ABSENT = 2;

/** The cases' values by field slot, as typed columns (src/scoring/chunk-scorer.ts fills them). */
export interface Columns {
  /** Boolean fields: FALSE, TRUE, or ABSENT for an empty cell. */
  flags(slot: number): Uint8Array;
  /** Integer, number, date and date-time fields (timestamps in milliseconds): NaN for an empty cell. */
  numbers(slot: number): Float64Array;
  /** Enum fields: the index of the value among the field's values, -1 for an empty cell. */
  choices(slot: number): Int32Array;
  /** String fields: 1 where the cell has text. */
  present(slot: number): Uint8Array;
  /** String fields whose text an expression compares (`VectorExpression.texts`). */
  texts(slot: number): readonly string[];
  /** The audit date, in milliseconds. */
  readonly asOf: number;
}

/** The result for cases 0 to `count` − 1: TRUE, FALSE or ABSENT each. Valid until the expression runs again. */
export type Vector = (columns: Columns, count: number) => Uint8Array;

export interface VectorExpression {
  run: Vector;
  /** Slots of the string fields whose text it compares. */
  texts: number[];
}

export interface VectorField {
  type: FieldType;
  values?: readonly string[];
}

/**
 * How a node can fail to give a value: never; as an empty field does (null,
 * which equality can test); as an error (which equality passes on); or
 * either, depending on the case.
 */
type Absence = 'never' | 'null' | 'error' | 'mixed';

type Condition = { kind: 'condition'; absence: Absence; run: Vector };
type Numeric = { kind: 'number'; absence: Absence; timestamp: boolean; constant?: number; run: (columns: Columns, count: number) => Float64Array };
/** Text is only ever a field or a literal compared with one: it has no column of its own. */
type Text = { kind: 'text'; slot: number; field: VectorField } | { kind: 'text'; literal: string };
type Null = { kind: 'null' };
type Node = Condition | Numeric | Text | Null;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const unsupported = Symbol('unsupported');

function fail(): never {
  throw unsupported;
}

/** A result buffer of its own for each node, grown when a chunk is larger than any before. */
function buffers<T extends Uint8Array | Float64Array>(make: (length: number) => T): (count: number) => T {
  let buffer = make(0);
  return (count) => (buffer.length >= count ? buffer : (buffer = make(Math.max(count, 2 * buffer.length))));
}
const conditionBuffer = () => buffers((n) => new Uint8Array(n));
const numberBuffer = () => buffers((n) => new Float64Array(n));

/** A condition node: `fill` writes the result for cases 0 to count − 1 into `result`, a buffer of the node's own. */
function conditionNode(absence: Absence, fill: (columns: Columns, count: number, result: Uint8Array) => void): Condition {
  const out = conditionBuffer();
  return {
    kind: 'condition',
    absence,
    run: (columns, count) => {
      const result = out(count);
      fill(columns, count, result);
      return result;
    },
  };
}

function constantCondition(value: boolean): Condition {
  const out = conditionBuffer();
  return { kind: 'condition', absence: 'never', run: (_, count) => out(count).fill(value ? TRUE : FALSE, 0, count) };
}

function constantNumber(value: number, timestamp: boolean): Numeric {
  const out = numberBuffer();
  return { kind: 'number', absence: 'never', timestamp, constant: value, run: (_, count) => out(count).fill(value, 0, count) };
}

/**
 * Writes `empty` for each case with the field empty and `filled` for the
 * rest: a loop for each type of column, so that no function is called per case.
 */
function emptiness(slot: number, field: VectorField): (columns: Columns, count: number, result: Uint8Array, empty: number, filled: number) => void {
  switch (field.type) {
    case 'boolean':
      return (columns, count, result, empty, filled) => {
        const flags = columns.flags(slot);
        for (let i = 0; i < count; i++) result[i] = flags[i] === ABSENT ? empty : filled;
      };
    case 'enum':
      return (columns, count, result, empty, filled) => {
        const choices = columns.choices(slot);
        for (let i = 0; i < count; i++) result[i] = (choices[i] as number) < 0 ? empty : filled;
      };
    case 'string':
      return (columns, count, result, empty, filled) => {
        const present = columns.present(slot);
        for (let i = 0; i < count; i++) result[i] = present[i] === 0 ? empty : filled;
      };
    default:
      return (columns, count, result, empty, filled) => {
        const numbers = columns.numbers(slot);
        for (let i = 0; i < count; i++) result[i] = Number.isNaN(numbers[i]) ? empty : filled;
      };
  }
}

export function compileVector(ast: ASTNode, fields: readonly VectorField[], slotOf: ReadonlyMap<string, number>, dateLiteral: (text: string) => Date | null): VectorExpression | undefined {
  const texts = new Set<number>();

  function build(node: ASTNode): Node {
    switch (node.op) {
      case 'value':
        return literal(node.args);
      case 'id': {
        const slot = slotOf.get(node.args) ?? fail();
        if (slot === fields.length) {
          const out = numberBuffer();
          return { kind: 'number', absence: 'never', timestamp: true, run: (columns, count) => out(count).fill(columns.asOf, 0, count) };
        }
        const field = fields[slot] ?? fail();
        switch (field.type) {
          case 'boolean':
            return { kind: 'condition', absence: 'null', run: (columns) => columns.flags(slot) };
          case 'enum':
          case 'string':
            return { kind: 'text', slot, field };
          default:
            return { kind: 'number', absence: 'null', timestamp: field.type === 'date' || field.type === 'datetime', run: (columns) => columns.numbers(slot) };
        }
      }
      case '&&':
      case '||': {
        const [left, right] = (node.args as ASTNode[]).map(condition) as [Condition, Condition];
        const decisive = node.op === '||' ? TRUE : FALSE;
        // Either side that decides it decides it, even when the other is an error; otherwise both must be true or false.
        // Looked up by both sides at once (3 × left + right): the values are as good as random from case to case, so
        // a loop that branched on them would mostly guess wrong.
        const outcome = new Uint8Array(9);
        for (const x of [FALSE, TRUE, ABSENT]) {
          for (const y of [FALSE, TRUE, ABSENT]) outcome[3 * x + y] = x === decisive || y === decisive ? decisive : x === ABSENT || y === ABSENT ? ABSENT : 1 - decisive;
        }
        return conditionNode('error', (columns, count, result) => {
          const a = left.run(columns, count);
          const b = right.run(columns, count);
          for (let i = 0; i < count; i++) result[i] = outcome[3 * (a[i] as number) + (b[i] as number)] as number;
        });
      }
      case '!_': {
        const operand = condition(node.args as ASTNode);
        return conditionNode('error', (columns, count, result) => {
          const a = operand.run(columns, count);
          for (let i = 0; i < count; i++) result[i] = a[i] === ABSENT ? ABSENT : 1 - (a[i] as number);
        });
      }
      case '-_': {
        const operand = build(node.args as ASTNode);
        if (operand.kind !== 'number' || operand.constant === undefined) fail();
        return constantNumber(-operand.constant, operand.timestamp);
      }
      case '?:': {
        const [test, then, otherwise] = (node.args as ASTNode[]).map(condition) as [Condition, Condition, Condition];
        return conditionNode('mixed', (columns, count, result) => {
          const c = test.run(columns, count);
          const a = then.run(columns, count);
          const b = otherwise.run(columns, count);
          for (let i = 0; i < count; i++) result[i] = c[i] === TRUE ? (a[i] as number) : c[i] === FALSE ? (b[i] as number) : ABSENT;
        });
      }
      case '==':
      case '!=':
        return equality(node.args as [ASTNode, ASTNode], node.op === '==');
      case '<':
      case '<=':
      case '>':
      case '>=':
        return ordering(node.args as [ASTNode, ASTNode], node.op);
      case 'in':
        return membership(node.args as [ASTNode, ASTNode]);
      case 'call':
        return call(node.args as [string, ASTNode[]]);
      default:
        return fail();
    }
  }

  function literal(value: unknown): Node {
    if (value === null) return { kind: 'null' };
    if (typeof value === 'boolean') return constantCondition(value);
    if (typeof value === 'string') return { kind: 'text', literal: value };
    // CEL ints are compared as numbers here, which is exact only up to 2^53.
    if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? constantNumber(Number(value), false) : fail();
    if (typeof value === 'number') return constantNumber(value, false);
    return fail();
  }

  function condition(node: ASTNode): Condition {
    const built = build(node);
    return built.kind === 'condition' ? built : fail();
  }

  function numeric(node: ASTNode): Numeric {
    const built = build(node);
    return built.kind === 'number' ? built : fail();
  }

  function equality([leftNode, rightNode]: [ASTNode, ASTNode], wanted: boolean): Condition {
    const [left, right] = [build(leftNode), build(rightNode)];
    const yes = wanted ? TRUE : FALSE;
    const no = wanted ? FALSE : TRUE;
    // A field against null: whether the cell is empty.
    if (left.kind === 'null' || right.kind === 'null') {
      const other = left.kind === 'null' ? right : left;
      const fieldNode = left.kind === 'null' ? rightNode : leftNode;
      const slot = fieldNode.op === 'id' ? slotOf.get(fieldNode.args) : undefined;
      const field = slot === undefined ? undefined : fields[slot];
      if (other.kind === 'null' || slot === undefined || !field) return fail();
      const fill = emptiness(slot, field);
      return conditionNode('never', (columns, count, result) => fill(columns, count, result, yes, no));
    }
    if (left.kind === 'text' || right.kind === 'text') return textEquality(left, right, yes, no);
    if (left.kind !== right.kind || left.absence === 'mixed' || right.absence === 'mixed') return fail();
    const [leftError, rightError] = [left.absence === 'error', right.absence === 'error'];
    const absence: Absence = leftError || rightError ? 'error' : 'never';
    if (left.kind === 'condition' && right.kind === 'condition') {
      return conditionNode(absence, (columns, count, result) => {
        const a = left.run(columns, count);
        const b = right.run(columns, count);
        for (let i = 0; i < count; i++) {
          const x = a[i] as number;
          const y = b[i] as number;
          result[i] = (x === ABSENT && leftError) || (y === ABSENT && rightError) ? ABSENT : x === y ? yes : no;
        }
      });
    }
    const [l, r] = [left as Numeric, right as Numeric];
    return conditionNode(absence, (columns, count, result) => {
      const a = l.run(columns, count);
      const b = r.run(columns, count);
      for (let i = 0; i < count; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        // NaN is an empty field (equal only to another) or an error, by the node it came from.
        const xAbsent = x !== x;
        const yAbsent = y !== y;
        result[i] = (xAbsent && leftError) || (yAbsent && rightError) ? ABSENT : xAbsent || yAbsent ? (xAbsent && yAbsent ? yes : no) : x === y ? yes : no;
      }
    });
  }

  /** An enum or string field against a string literal, either way round. */
  function textEquality(left: Node, right: Node, yes: number, no: number): Condition {
    const [field, literal] = left.kind === 'text' && 'slot' in left ? [left, right] : [right, left];
    if (field.kind !== 'text' || !('slot' in field) || literal.kind !== 'text' || !('literal' in literal)) return fail();
    const { slot } = field;
    if (field.field.type === 'enum') {
      const wanted = (field.field.values ?? []).indexOf(literal.literal);
      return conditionNode('never', (columns, count, result) => {
        const choices = columns.choices(slot);
        // A literal that is not one of the values (-1) matches no case, empty ones included.
        for (let i = 0; i < count; i++) result[i] = wanted >= 0 && choices[i] === wanted ? yes : no;
      });
    }
    texts.add(slot);
    const wanted = literal.literal;
    return conditionNode('never', (columns, count, result) => {
      const present = columns.present(slot);
      const values = columns.texts(slot);
      for (let i = 0; i < count; i++) result[i] = present[i] === 1 && values[i] === wanted ? yes : no;
    });
  }

  function ordering([leftNode, rightNode]: [ASTNode, ASTNode], op: '<' | '<=' | '>' | '>='): Condition {
    const [left, right] = [numeric(leftNode), numeric(rightNode)];
    return conditionNode('error', (columns, count, result) => {
      const a = left.run(columns, count);
      const b = right.run(columns, count);
      // A NaN (empty or error) cannot be ordered, which CEL makes an error. Worked out without branching on the
      // values, which are as good as random from case to case: a comparison with NaN is false (FALSE, 0), and
      // ABSENT is 2, so TRUE or FALSE with ABSENT's bit set when either side is NaN gives ABSENT.
      for (let i = 0; i < count; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        const holds = op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
        result[i] = +holds | ((+(x !== x) | +(y !== y)) << 1);
      }
    });
  }

  function membership([needleNode, listNode]: [ASTNode, ASTNode]): Condition {
    if (listNode.op !== 'list') return fail();
    const items = (listNode.args as ASTNode[]).map((item) => (item.op === 'value' ? item.args : fail()));
    const needle = build(needleNode);
    if (needle.kind === 'text' && 'slot' in needle && items.every((item) => typeof item === 'string')) {
      const { slot, field } = needle;
      if (field.type === 'enum') {
        const values = field.values ?? [];
        const chosen = new Uint8Array(values.length + 1);
        values.forEach((value, index) => (chosen[index + 1] = items.includes(value) ? TRUE : FALSE));
        return conditionNode('never', (columns, count, result) => {
          const choices = columns.choices(slot);
          // Index + 1, so that an empty cell (-1) is at 0, in no list.
          for (let i = 0; i < count; i++) result[i] = chosen[(choices[i] as number) + 1] as number;
        });
      }
      texts.add(slot);
      const wanted = new Set(items as string[]);
      return conditionNode('never', (columns, count, result) => {
        const present = columns.present(slot);
        const values = columns.texts(slot);
        for (let i = 0; i < count; i++) result[i] = present[i] === 1 && wanted.has(values[i] as string) ? TRUE : FALSE;
      });
    }
    if (needle.kind !== 'number' || needle.absence === 'mixed' || !items.every((item) => typeof item === 'number' || (typeof item === 'bigint' && Number.isSafeInteger(Number(item))))) return fail();
    const wanted = (items as (number | bigint)[]).map(Number);
    const errors = needle.absence === 'error';
    return conditionNode(needle.absence === 'error' ? 'error' : 'never', (columns, count, result) => {
      const a = needle.run(columns, count);
      for (let i = 0; i < count; i++) {
        const x = a[i] as number;
        result[i] = x !== x ? (errors ? ABSENT : FALSE) : wanted.includes(x) ? TRUE : FALSE;
      }
    });
  }

  function call([name, args]: [string, ASTNode[]]): Node {
    if (name === 'date') {
      const [argument] = args;
      const date = argument?.op === 'value' && typeof argument.args === 'string' ? dateLiteral(argument.args) : null;
      return date ? constantNumber(date.getTime(), true) : fail();
    }
    if ((name !== 'days_between' && name !== 'hours_between') || args.length !== 2) return fail();
    const [from, to] = args.map(numeric) as [Numeric, Numeric];
    // Only timestamps: the closures give an error for anything else.
    if (!from.timestamp || !to.timestamp) return fail();
    const days = name === 'days_between';
    const out = numberBuffer();
    return {
      kind: 'number',
      absence: 'error',
      timestamp: false,
      run: (columns, count) => {
        const a = from.run(columns, count);
        const b = to.run(columns, count);
        const result = out(count);
        // NaN in gives NaN out: an empty timestamp makes the call an error.
        if (days) for (let i = 0; i < count; i++) result[i] = Math.floor((b[i] as number) / DAY_MS) - Math.floor((a[i] as number) / DAY_MS);
        else for (let i = 0; i < count; i++) result[i] = ((b[i] as number) - (a[i] as number)) / HOUR_MS;
        return result;
      },
    };
  }

  try {
    const top = build(ast);
    return top.kind === 'condition' ? { run: top.run, texts: [...texts] } : undefined;
  } catch (error) {
    if (error === unsupported) return undefined;
    throw error;
  }
}
