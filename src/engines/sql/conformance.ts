import type { ASTNode } from '@marcbachmann/cel-js';
import { coerceValue, type FieldValue } from '../../cases/coerce.js';
import type { CompiledField } from '../../rubric/compile.js';
import { CEL_ERROR, compileClosure } from '../../rubric/closures.js';
import { calendarDate, isoDateToTimestamp } from '../../rubric/dates.js';
import { createEnvironments } from '../../rubric/expressions.js';
import type { FieldType } from '../../rubric/constants.js';
import type { Dialect } from './dialect.js';
import { expressionSql } from './expression.js';
import { fieldReading } from './reading.js';
import { WHITESPACE } from './text.js';

/**
 * One self-contained query that runs every primitive the compiler uses on
 * inputs with known answers and returns only the probes that fail: run it
 * in a warehouse before trusting compiled rubrics there. The known answers
 * are the JS engine's own, computed as the query is printed, so the query
 * checks the engine against the tool, not against a second copy of the
 * rules.
 */

interface Probe {
  name: string;
  /** SQL that is true when the engine gives the known answer. */
  passed: string;
  expected: string;
  /** SQL of the engine's answer, as text, for the report. */
  actual: string;
}

const ENUM_VALUES = ['alpha', 'beta-gamma', 'Delta Q'];

/** Cell texts for each type: what the tool reads and what it refuses, with the edges of each rule. */
const READING_SAMPLES: Record<FieldType, string[]> = {
  string: ['alpha', 'é', '😀 x', 'a  b'],
  integer: ['15', '-3', '+5', '007', '-0', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809', '99999999999999999999', '1,200', '2.5', 'ten', '١٢', '123456789012345678', '-999999999999999999', '1234567890123456789'],
  number: ['2.5', '.5', '5.', '1e3', '-0', '+.5e+2', '9.99e299', '1e300', '1e-300', '1e-301', '0e999999999999', '0.000e5', '1,234.5', 'NaN', 'Infinity', '12 hours', '0.1', '-0.5', '123456789012345.123456789012345', '0.000000000000001'],
  boolean: ['Y', 'N', 'y', 'yes', 'No', 'TRUE', 'false', '1', '0', 'maybe', 'Ｙ', 'Yes', 'NO', 'True', 'yES', 'nO'],
  date: ['2014-06-03', '2014-6-3', '3/6/2014', '03/06/2014', '29/02/2016', '29/02/1900', '31/04/2016', '0001-01-01', '0000-01-01', '0099-12-31', '03/06/14', '06/13/2014', '2014-06-03 10:00', '٠٣/٠٦/٢٠١٤', '2016-02-29', '2015-02-29', '2014-04-31', '31/12/9999', '00/01/2014', '01/00/2014', '32/01/2014', '2014-13-01', '0010-10-10'],
  datetime: ['2014-06-03T14:05', '2014-06-03 14:05:30', '03/06/2014 14:05', '3/6/2014 9:05', '2014-06-03T14:05:00.123Z', '03/06/2014 25:00', '2014-06-03T14:60', '03/06/14 10:00', '03/06/2014', '0050-01-01 00:00', '29/02/2017 10:00', '2014-06-03 23:59:59', '2014-06-03T24:00', '2014-06-03 00:00:60', '29/02/2016 10:00:59', '31/06/2016 10:00', '30/06/2016 20:00:00', '0000-06-03T10:00', '2014-06-03T14:05Z'],
  enum: ['alpha', 'ALPHA', 'Beta_Gamma', 'BETA  GAMMA', 'beta\u00a0gamma', 'delta-q', 'alpah', 'gamma', '\u212Aelvin', 'İalpha'],
};

/** Expressions over a few fields with given values, each answer true, false or "no value" (a missing value or an error). */
const EXPRESSION_FIELDS: Record<string, FieldType> = { i: 'integer', j: 'integer', n: 'number', s: 'string', t: 'string', b: 'boolean', a: 'datetime', z: 'datetime' };
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const at = (text: string) => {
  const [date, time = '00:00'] = text.split(' ');
  const [hours, minutes] = time.split(':').map(Number);
  return (isoDateToTimestamp(date ?? '')?.getTime() ?? NaN) + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000;
};
const EXPRESSION_SAMPLES: Array<[string, Record<string, unknown>]> = [
  ['b && false', { b: null }],
  ['b || true', { b: null }],
  ['b || false', { b: null }],
  ['!b', { b: null }],
  ['i == null', { i: null }],
  ['i != 5', { i: null }],
  ['(i + 1) == null', { i: null }],
  ['i in [1, 2]', { i: null }],
  ['s in ["a", "b"]', { s: 'b' }],
  ['(b ? s : t) == null', { b: true, s: null, t: 'x' }],
  ['(b ? s : t) == null', { b: null, s: null, t: 'x' }],
  ['i + j > 0', { i: MAX, j: 1n }],
  ['i - j < 0', { i: MIN, j: 1n }],
  ['i * j > 0', { i: 3037000500n, j: 3037000500n }],
  ['i * j < 0', { i: -3037000499n, j: 3037000499n }],
  ['i / j == 0', { i: 1n, j: 0n }],
  ['i % j == 0', { i: 1n, j: 0n }],
  ['i / j == -2', { i: -7n, j: 3n }],
  ['i % j == -1', { i: -7n, j: 3n }],
  ['i / j == 1', { i: MIN, j: -1n }],
  ['i % j == 0', { i: MIN, j: -1n }],
  ['-i > 0', { i: MIN }],
  ['i == j', { i: 9007199254740993n, j: 9007199254740992n }],
  ['i < n', { i: 3n, n: 3.5 }],
  ['n == 0.1', { n: 0.1 }],
  ['s < t', { s: '\uFFFF', t: '😀' }],
  ['s < t', { s: 'Z', t: 'a' }],
  ['s == t', { s: 'a', t: 'a ' }],
  ['s + t == "ab"', { s: 'a', t: 'b' }],
  ['s + t == null', { s: 'a', t: null }],
  ['days_between(a, z) == 1', { a: at('2016-03-26 23:59'), z: at('2016-03-27 00:01') }],
  ['days_between(a, z) == -1', { a: at('2016-03-01 00:00'), z: at('2016-02-29 23:00') }],
  ['days_between(a, z) == 366', { a: at('2016-01-01 00:00'), z: at('2017-01-01 00:00') }],
  ['hours_between(a, z) == 0.5', { a: at('2016-03-27 00:30'), z: at('2016-03-27 01:00') }],
  ['hours_between(a, z) == -72.0', { a: at('2016-03-30 10:00'), z: at('2016-03-27 10:00') }],
  ['a < date("2016-02-29")', { a: at('2016-02-28 23:59') }],
  ['a >= date("0099-12-31")', { a: at('0050-01-01 00:00') }],
  ['(b ? i : j) > 0', { b: null, i: 1n, j: 1n }],
];

/** A value as a SQL literal of its field's type. */
function literal(d: Dialect, type: FieldType, value: unknown): string {
  const sqlType = { integer: d.types.bigint, number: d.types.double, string: d.types.text, enum: d.types.text, boolean: d.types.boolean, date: d.types.timestamp, datetime: d.types.timestamp }[type];
  if (value === null) return `CAST(NULL AS ${sqlType})`;
  switch (type) {
    case 'integer':
      return `CAST(${d.text(String(value))} AS ${d.types.bigint})`;
    case 'number':
      return `CAST(${d.text(String(value))} AS ${d.types.double})`;
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'date':
    case 'datetime':
      return d.timestampLiteral(value as number);
    default:
      return d.text(String(value));
  }
}

/**
 * The reading rules on every sample, one chain of steps per type as in the
 * rubric query (quick, parts, readings, checked). The samples are a materialized
 * step, so that no engine folds the casts of a reading it would not take.
 */
function readingSteps(d: Dialect): { steps: string[]; probes: string[]; count: number } {
  const q = d.ident;
  const steps: string[] = [];
  const probes: string[] = [];
  let count = 0;
  for (const [type, samples] of Object.entries(READING_SAMPLES) as [FieldType, string[]][]) {
    const field: CompiledField = { name: 'x', type, headers: ['x'], optional: false, ...(type === 'enum' ? { values: ENUM_VALUES } : {}) };
    const rows = samples.map((text) => {
      const coerced = coerceValue(type, text, field.values);
      const reason = coerced.ok ? null : d.editDistance ? coerced.reason : coerced.reason.replace(/; did you mean '.*'\?$/, '');
      const expected = coerced.ok ? expectedLiteral(d, type, coerced.value) : { sql: literal(d, type, null), text: reason ?? '' };
      return `SELECT ${d.text(`reading ${type} '${text}'`)} AS ${q('probe')}, ${d.text(text)} AS ${q('cell')}, ${reason === null ? `CAST(NULL AS ${d.types.text})` : d.text(reason)} AS ${q('reason')}, ${expected.sql} AS ${q('value')}, ${d.text(expected.text)} AS ${q('expected')}`;
    });
    count += rows.length;
    const cell = q('cell');
    const reading = fieldReading(field, d, { text: cell, quick: q('quick'), part: (name) => q(`part:${name}`), value: q('actual value') });
    const quick = reading.quick === 'NULL' ? '' : `, ${reading.quick} AS ${q('quick')}`;
    const parts = Object.entries(reading.parts).map(([name, sql]) => `, ${sql} AS ${q(`part:${name}`)}`).join('');
    steps.push(`${type}_samples AS ${d.materialized}(\n    ${rows.join('\n    UNION ALL\n    ')}\n  )`);
    steps.push(
      `${type}_read AS (\n    SELECT *, ${reading.reason} AS ${q('actual reason')}\n    FROM (SELECT *, ${reading.value} AS ${q('actual value')} FROM (SELECT *${parts} FROM (SELECT *${quick} FROM ${type}_samples) AS ${type}_quick) AS ${type}_parts) AS ${type}_values\n  )`,
    );
    probes.push(
      `SELECT ${q('probe')}, COALESCE(CASE WHEN ${q('reason')} IS NULL THEN ${q('actual reason')} IS NULL AND ${q('actual value')} = ${q('value')} ELSE ${q('actual value')} IS NULL AND ${q('actual reason')} = ${q('reason')} END, FALSE) AS ${q('passed')}, ${q('expected')}, COALESCE(${q('actual reason')}, CAST(${q('actual value')} AS ${d.types.text}), 'no value') AS ${q('actual')} FROM ${type}_read`,
    );
  }
  // Each space character at both ends, at the start only and at the end only.
  for (const code of WHITESPACE) {
    const space = String.fromCodePoint(code);
    for (const [where, text] of [['around', `${space}a${space}`], ['before', `${space}a`], ['after', `a${space}`]] as const) {
      const trimmed = d.trim(d.text(text), d.characters(WHITESPACE));
      probes.push(`SELECT ${d.text(`trimming U+${code.toString(16).toUpperCase().padStart(4, '0')} ${where}`)}, COALESCE(${trimmed} = 'a', FALSE), 'a', ${trimmed}`);
      count++;
    }
  }
  return { steps, probes, count };
}

function expectedLiteral(d: Dialect, type: FieldType, value: FieldValue): { sql: string; text: string } {
  if (value instanceof Date) return { sql: d.timestampLiteral(value.getTime()), text: value.toISOString().slice(0, 19).replace('T', ' ') };
  return { sql: literal(d, type, value), text: String(value) };
}

function expressionProbes(d: Dialect): Probe[] {
  const types = new Map(Object.entries(EXPRESSION_FIELDS).map(([name, type]) => [name, { type }]));
  const environments = createEnvironments(types);
  const names = Object.keys(EXPRESSION_FIELDS);
  const slotOf = new Map([...names, 'as_of'].map((name, i) => [name, i]));
  const asOf = calendarDate(2016, 3, 27)?.getTime() ?? 0;
  return EXPRESSION_SAMPLES.map(([source, values]) => {
    const parsed = environments.check.parse(source);
    const checked = parsed.check();
    if (!checked.valid) throw new Error(`conformance probe ${source}: ${checked.error?.message}`);
    const closure = compileClosure(parsed.ast, slotOf, isoDateToTimestamp);
    if (!closure) throw new Error(`conformance probe ${source} is outside the compiled part of CEL`);
    const result = closure([...names.map((name) => values[name] ?? null), asOf]);
    const expected = result === true ? 'true' : result === false ? 'false' : 'no value';
    const scope = { field: (name: string) => (name in EXPRESSION_FIELDS ? literal(d, EXPRESSION_FIELDS[name] as FieldType, values[name] ?? null) : undefined), type: (name: string) => EXPRESSION_FIELDS[name], asOf };
    const sql = expressionSql(parsed.ast as ASTNode, scope, d);
    const given = Object.entries(values)
      .map(([name, value]) => `${name} = ${value === null ? 'null' : typeof value === 'number' && EXPRESSION_FIELDS[name] === 'datetime' ? new Date(value).toISOString().slice(0, 16) : String(value)}`)
      .join(', ');
    return {
      name: `${source} with ${given}`,
      passed: result === CEL_ERROR || typeof result !== 'boolean' ? `(${sql} IS NULL)` : `(${sql} = ${result ? 'TRUE' : 'FALSE'})`,
      expected,
      actual: `(CASE WHEN ${sql} THEN 'true' WHEN NOT ${sql} THEN 'false' ELSE 'no value' END)`,
    };
  });
}

/** The query, and how many probes it runs: one row per probe that fails (name, expected, actual); no rows when the engine computes every primitive as the tool does. */
export function conformanceQuery(d: Dialect): { sql: string; probes: number } {
  const q = d.ident;
  const reading = readingSteps(d);
  const expressions = expressionProbes(d).map((p) => `SELECT ${d.text(p.name)}, COALESCE(${p.passed}, FALSE), ${d.text(p.expected)}, ${p.actual}`);
  const sql = `WITH\n  ${reading.steps.join(',\n  ')},\n  probes AS (\n    ${[...reading.probes, ...expressions].join('\n    UNION ALL\n    ')}\n  )\nSELECT ${q('probe')}, ${q('expected')}, ${q('actual')}\nFROM probes\nWHERE NOT ${q('passed')}\nORDER BY ${q('probe')}`;
  return { sql, probes: reading.count + expressions.length };
}
