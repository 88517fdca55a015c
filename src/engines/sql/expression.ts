import type { ASTNode } from '@marcbachmann/cel-js';
import { isoDateToTimestamp } from '../../rubric/dates.js';
import type { FieldType } from '../../rubric/constants.js';
import type { Dialect } from './dialect.js';

/**
 * A rubric expression, type-checked by CEL, written as SQL with the tool's
 * semantics exactly (the JS engine's; docs/engines.md has the table).
 *
 * A CEL value here is present, a missing value (an empty cell: `null`), or
 * an error (a missing value met an operator, a division by zero, an
 * overflow). SQL has one NULL for the last two, and that is enough almost
 * everywhere: SQL's AND, OR and NOT treat NULL as CEL's `&&`, `||` and `!`
 * treat errors, absorbing it where the other side decides. Only equality and
 * `in` tell them apart (a missing value equals `null`, an error equals
 * nothing), so each compiled part carries, beside its value, the SQL that is
 * true when it is an error.
 */

export class NotCompilable extends Error {
  constructor(
    message: string,
    /** Offset inside the expression text. */
    readonly offset: number,
    /** Where in the rubric: the expression's YAML path, when the fault is in one. */
    readonly path?: (string | number)[],
  ) {
    super(message);
    this.name = 'NotCompilable';
  }
}

type SqlType = 'bool' | 'int' | 'double' | 'string' | 'timestamp' | 'null';

interface Part {
  sql: string;
  type: SqlType;
  /** Whether the value may be a missing value (rather than an error) when the SQL is NULL. */
  missingValue: boolean;
  /** SQL that is true when the part is an error, or false when it never is. */
  error: string | false;
}

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;

/** How the compiler reads a case's fields and the audit date. */
export interface ExpressionScope {
  /** SQL of a declared field's value, or undefined for a name that is not a field. */
  field(name: string): string | undefined;
  /** A declared field's type. */
  type(name: string): FieldType | undefined;
  asOf: number;
}

const SQL_TYPE: Record<FieldType, SqlType> = { string: 'string', enum: 'string', integer: 'int', number: 'double', boolean: 'bool', date: 'timestamp', datetime: 'timestamp' };

/**
 * SQL for a type-checked CEL expression; the CEL type is bool, so the SQL is
 * TRUE, FALSE or NULL (not decided). Types are worked out here from the
 * fields' declarations, not read from the checker's annotations, which a
 * rubric from the cache does not keep.
 */
export function expressionSql(ast: ASTNode, scope: ExpressionScope, dialect: Dialect): string {
  const d = dialect;
  const bigint = (n: bigint) => `CAST(${n} AS ${d.types.bigint})`;
  const errorOf = (part: Part) => (part.error === false ? 'FALSE' : part.error);
  /** A part that is never a missing value: its NULL is an error. */
  const strict = (sql: string, type: SqlType): Part => ({ sql, type, missingValue: false, error: `(${sql} IS NULL)` });
  const anyError = (parts: Part[]): string | false => {
    const errors = parts.map((p) => p.error).filter((e): e is string => e !== false);
    return errors.length === 0 ? false : errors.join(' OR ');
  };
  const refuse = (node: ASTNode, what: string): never => {
    throw new NotCompilable(`${what} is not compiled to SQL`, node.start ?? 0);
  };

  function build(node: ASTNode): Part {
    switch (node.op) {
      case 'value':
        return literal(node);
      case 'id': {
        if (node.args === 'as_of') return { sql: d.timestampLiteral(scope.asOf), type: 'timestamp', missingValue: false, error: false };
        const sql = scope.field(node.args);
        const type = scope.type(node.args);
        if (sql === undefined || type === undefined) return refuse(node, `'${node.args}'`);
        return { sql, type: SQL_TYPE[type], missingValue: true, error: false };
      }
      case '&&':
      case '||': {
        const [left, right] = (node.args as ASTNode[]).map(build) as [Part, Part];
        return strict(`(${left.sql} ${node.op === '&&' ? 'AND' : 'OR'} ${right.sql})`, 'bool');
      }
      case '!_':
        return strict(`(NOT ${build(node.args as ASTNode).sql})`, 'bool');
      case '-_': {
        const operand = build(node.args as ASTNode);
        if (operand.type === 'int') return strict(`(CASE WHEN ${operand.sql} = ${bigint(INT_MIN)} THEN NULL ELSE -(${operand.sql}) END)`, 'int');
        if (operand.type === 'double') return strict(`(-(${operand.sql}))`, 'double');
        return refuse(node, 'this negation');
      }
      case '?:': {
        const [condition, then, otherwise] = (node.args as ASTNode[]).map(build) as [Part, Part, Part];
        const sql = `(CASE WHEN ${condition.sql} THEN ${then.sql} WHEN NOT ${condition.sql} THEN ${otherwise.sql} END)`;
        if (!then.missingValue && !otherwise.missingValue) return strict(sql, then.type);
        const error =
          then.error === false && otherwise.error === false
            ? `(${condition.sql} IS NULL)`
            : `(CASE WHEN ${condition.sql} THEN ${errorOf(then)} WHEN NOT ${condition.sql} THEN ${errorOf(otherwise)} ELSE TRUE END)`;
        return { sql, type: then.type, missingValue: true, error };
      }
      case '==':
      case '!=': {
        const [left, right] = (node.args as ASTNode[]).map(build) as [Part, Part];
        if (left.type !== right.type && left.type !== 'null' && right.type !== 'null') return refuse(node, `comparing ${left.type} with ${right.type}`);
        const equal = d.notDistinct(left.sql, right.sql);
        const test = node.op === '==' ? equal : `(NOT ${equal})`;
        const error = anyError([left, right]);
        return error === false ? { sql: test, type: 'bool', missingValue: false, error: false } : strict(`(CASE WHEN ${error} THEN NULL ELSE ${test} END)`, 'bool');
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const [left, right] = (node.args as ASTNode[]).map(build) as [Part, Part];
        const numeric = (t: SqlType) => t === 'int' || t === 'double';
        if (!(left.type === right.type || (numeric(left.type) && numeric(right.type)))) return refuse(node, `ordering ${left.type} and ${right.type}`);
        const [a, b] = left.type === 'string' ? [d.binaryText(left.sql), d.binaryText(right.sql)] : [left.sql, right.sql];
        return strict(`(${a} ${node.op} ${b})`, 'bool');
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return arithmetic(node);
      case 'in': {
        const [needleNode, listNode] = node.args as [ASTNode, ASTNode];
        if (listNode.op !== 'list') return refuse(node, '`in` anything but a list written in the rubric');
        const needle = build(needleNode);
        const items = (listNode.args as ASTNode[]).map(build);
        const matches = items.length === 0 ? 'FALSE' : `(${items.map((item) => d.notDistinct(needle.sql, item.sql)).join(' OR ')})`;
        const error = anyError([needle, ...items]);
        return error === false ? { sql: matches, type: 'bool', missingValue: false, error: false } : strict(`(CASE WHEN ${error} THEN NULL ELSE ${matches} END)`, 'bool');
      }
      case 'call':
        return call(node);
      case 'rcall':
        return refuse(node, `.${String((node.args as unknown[])[0])}()`);
      default:
        return refuse(node, `'${node.op}'`);
    }
  }

  function literal(node: ASTNode): Part {
    const value: unknown = node.args;
    const constant = (sql: string, type: SqlType): Part => ({ sql, type, missingValue: false, error: false });
    if (value === null) return { sql: 'NULL', type: 'null', missingValue: true, error: false };
    if (typeof value === 'boolean') return constant(value ? 'TRUE' : 'FALSE', 'bool');
    if (typeof value === 'string') return constant(d.text(value), 'string');
    if (typeof value === 'bigint') return constant(bigint(value), 'int');
    if (typeof value === 'number' && Number.isFinite(value)) return constant(`CAST(${d.text(String(value))} AS ${d.types.double})`, 'double');
    return refuse(node, 'this literal');
  }

  function arithmetic(node: ASTNode): Part {
    const [a, b] = (node.args as ASTNode[]).map(build) as [Part, Part];
    const op = node.op as '+' | '-' | '*' | '/' | '%';
    if (a.type === 'string' && b.type === 'string' && op === '+') return strict(`(${a.sql} || ${b.sql})`, 'string');
    if (a.type !== 'int' || b.type !== 'int') {
      // JS arithmetic on doubles overflows to Infinity where SQL engines raise an error or give NULL.
      return refuse(node, a.type === 'double' || b.type === 'double' ? 'arithmetic on numbers with fractions' : `'${op}' on ${a.type} and ${b.type}`);
    }
    const [min, max] = [bigint(INT_MIN), bigint(INT_MAX)];
    switch (op) {
      case '+':
        return strict(`(CASE WHEN (${b.sql} > 0 AND ${a.sql} > ${max} - ${b.sql}) OR (${b.sql} < 0 AND ${a.sql} < ${min} - ${b.sql}) THEN NULL ELSE ${a.sql} + ${b.sql} END)`, 'int');
      case '-':
        return strict(`(CASE WHEN (${b.sql} < 0 AND ${a.sql} > ${max} + ${b.sql}) OR (${b.sql} > 0 AND ${a.sql} < ${min} + ${b.sql}) THEN NULL ELSE ${a.sql} - ${b.sql} END)`, 'int');
      case '*': {
        const product = `(${d.wide(a.sql)} * ${d.wide(b.sql)})`;
        return strict(`(CASE WHEN ${product} BETWEEN ${min} AND ${max} THEN CAST(${product} AS ${d.types.bigint}) END)`, 'int');
      }
      case '/':
        return strict(`(CASE WHEN ${b.sql} = 0 OR (${a.sql} = ${min} AND ${b.sql} = -1) THEN NULL ELSE ${d.intDivide(a.sql, b.sql)} END)`, 'int');
      case '%':
        return strict(`(CASE WHEN ${b.sql} = 0 THEN NULL WHEN ${b.sql} = -1 THEN ${a.sql} * 0 ELSE ${d.intRemainder(a.sql, b.sql)} END)`, 'int');
    }
  }

  function call(node: ASTNode): Part {
    const [name, argNodes] = node.args as [string, ASTNode[]];
    if (name === 'date') {
      const [argument] = argNodes;
      const date = argument?.op === 'value' && typeof argument.args === 'string' ? isoDateToTimestamp(argument.args) : null;
      if (!date) return refuse(node, 'date() of anything but a date written in the rubric');
      return { sql: d.timestampLiteral(date.getTime()), type: 'timestamp', missingValue: false, error: false };
    }
    if ((name === 'days_between' || name === 'hours_between') && argNodes.length === 2) {
      const [from, to] = argNodes.map(build) as [Part, Part];
      if (name === 'days_between') return strict(d.daysBetween(from.sql, to.sql), 'int');
      return strict(`(CAST(${d.secondsBetween(from.sql, to.sql)} AS ${d.types.double}) / CAST(3600 AS ${d.types.double}))`, 'double');
    }
    return refuse(node, `${name}()`);
  }

  const result = build(ast);
  if (result.type !== 'bool') throw new NotCompilable('the expression is not true-or-false', 0);
  return result.sql;
}
