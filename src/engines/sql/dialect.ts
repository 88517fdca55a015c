/**
 * What differs between SQL engines, and nothing else: each dialect says how
 * to write one primitive (a literal, a regular-expression match, a date
 * difference) and the compiler builds every query from these. A primitive a
 * dialect cannot write exactly is not approximated: the compiler refuses the
 * rubric (NotCompilable) before any SQL is printed.
 *
 * Every primitive takes and returns SQL text. Booleans are SQL booleans with
 * NULL for "no value", which is how CEL's errors and missing values travel
 * (see expression.ts).
 */

export const DIALECT_NAMES = ['duckdb', 'postgres', 'spark', 'bigquery'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** The fixed-width forms of dates most exports write, in strftime notation; an ISO date-time may have T for the space, and seconds or not. */
export const TIMESTAMP_FORMATS = ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%d/%m/%Y', '%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S'] as const;
export type TimestampFormat = (typeof TIMESTAMP_FORMATS)[number];

export interface Dialect {
  name: DialectName;
  /** The name people know the engine by, for messages. */
  title: string;
  ident(name: string): string;
  /** A string literal. */
  text(value: string): string;
  /** A one-character string from its code point, for characters that should not appear raw in SQL text. */
  char(code: number): string;
  /** A constant string of these characters, by code point, written so that no character appears raw in the SQL text. */
  characters(codes: number[]): string;
  /** A character of a regular expression's bracket expression, by code point. */
  regexChar(code: number): string;
  types: { bigint: string; double: string; text: string; timestamp: string; integer: string; boolean: string };
  /** Whether `value` matches `pattern` from start to end (the pattern has no anchors of its own). */
  fullMatch(value: string, pattern: string): string;
  /** The text of capture group `group` (1-based) where `value` matches `pattern` from start to end. */
  group(value: string, pattern: string, group: number): string;
  /** Every run that matches `pattern` replaced by `replacement`. */
  replaceAll(value: string, pattern: string, replacement: string): string;
  /** `value` without any of the characters of `characters` (a SQL string expression) at either end. */
  trim(value: string, characters: string): string;
  /** `value` without any of `characters` at its start. */
  trimLeading(value: string, characters: string): string;
  /** The 1-based position of `part` in `value`, 0 when it is not there. */
  position(value: string, part: string): string;
  /** Length in characters (code points). */
  length(value: string): string;
  /** `length` characters from the 1-based position `from`. */
  substring(value: string, from: string, length: string): string;
  /** Joins the non-null parts with the separator (a literal), skipping nulls. */
  joinNonNull(separator: string, parts: string[]): string;
  concat(parts: string[]): string;
  /** True when `a` and `b` are equal or both NULL; never NULL. */
  notDistinct(a: string, b: string): string;
  /** Text compared by code point (binary collation), for <, <=, > and >=. */
  binaryText(value: string): string;
  /** Whole-number division truncated toward zero (both operands BIGINT, divisor never 0). */
  intDivide(a: string, b: string): string;
  /** Remainder with the sign of the dividend (both BIGINT, divisor never 0 or -1). */
  intRemainder(a: string, b: string): string;
  /** A type that holds the product of two BIGINTs exactly, and a cast to it. */
  wide(value: string): string;
  /** A timestamp from whole-number parts that are known to make a valid date and time. */
  makeTimestamp(year: string, month: string, day: string, hour: string, minute: string, second: string): string;
  /** A timestamp literal from milliseconds since 1970 (UTC, no time zone). */
  timestampLiteral(milliseconds: number): string;
  /** Whole calendar days from `a` to `b` (timestamps), as BIGINT. */
  daysBetween(a: string, b: string): string;
  /** Whole seconds from `a` to `b` (timestamps with whole seconds), as BIGINT. */
  secondsBetween(a: string, b: string): string;
  /** A timestamp as YYYY-MM-DD text. */
  dateText(value: string): string;
  /** A timestamp as YYYY-MM-DD HH:MM text. */
  dateTimeText(value: string): string;
  /** The year and month (1 to 12) of a timestamp, as integers. */
  year(value: string): string;
  month(value: string): string;
  /** A number as text. */
  numberText(value: string): string;
  /** Written after `name AS` in a WITH step that the engine must compute once, as it stands, however many steps read it. */
  materialized: string;
  /** Written after `name AS` in a WITH step that the engine must fold into each step that reads it, so that a filter there reaches the table. */
  inlined: string;
  /**
   * A timestamp from text known to be in the fixed-width form `format` (one of
   * TIMESTAMP_FORMATS) with every part in range, NULL when the day is beyond
   * its month; where the engine parses such text faster than the reading rules.
   */
  parseTimestamp?: (text: string, format: TimestampFormat) => string;
  /** Levenshtein distance between two texts, where the engine has it (for "did you mean" in a reason). */
  editDistance?: (a: string, b: string) => string;
  /**
   * An expression of type `type` that stops the query with `message` (SQL
   * text of a string) when it is evaluated: a rubric fault found in the
   * data, as the JS engine stops the run.
   */
  fail(message: string, type: string): string;
}

const doubleQuoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
const singleQuoted = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** How many capturing groups a pattern has: its opening parentheses not followed by `?` (the patterns escape no parenthesis). */
const capturingGroups = (pattern: string) => (pattern.match(/\((?!\?)/g) ?? []).length;

const hex = (code: number, width: number) => code.toString(16).toUpperCase().padStart(width, '0');

export const DUCKDB: Dialect = {
  name: 'duckdb',
  title: 'DuckDB',
  ident: doubleQuoted,
  text: singleQuoted,
  char: (code) => `chr(${code})`,
  characters: (codes) => `concat(${codes.map((code) => `chr(${code})`).join(', ')})`,
  // RE2 syntax.
  regexChar: (code) => (code < 0x7f && /[A-Za-z0-9 ]/.test(String.fromCharCode(code)) ? String.fromCharCode(code) : `\\x{${hex(code, 4)}}`),
  types: { bigint: 'BIGINT', double: 'DOUBLE', text: 'VARCHAR', timestamp: 'TIMESTAMP', integer: 'INTEGER', boolean: 'BOOLEAN' },
  fullMatch: (value, pattern) => `regexp_full_match(${value}, ${singleQuoted(pattern)})`,
  // Every group of the pattern at once, as a struct: the engine runs the expression once for all the groups of one cell.
  group: (value, pattern, group) => {
    const groups = Array.from({ length: capturingGroups(pattern) }, (_, i) => `'g${i + 1}'`);
    return `regexp_extract(${value}, ${singleQuoted(`^(?:${pattern})$`)}, [${groups.join(', ')}]).g${group}`;
  },
  replaceAll: (value, pattern, replacement) => `regexp_replace(${value}, ${singleQuoted(pattern)}, ${replacement}, 'g')`,
  // DuckDB's trim with a set of characters beyond ASCII is slow, and most cells have nothing to trim: it runs only where an end may be one of
  // them. Text compares byte by byte, so a first character that is not printable ASCII is told by comparing the whole text with '!' and DEL.
  trim: (value, characters) => `(CASE WHEN ${value} < '!' OR ${value} >= chr(127) OR contains(${characters}, ${value}[-1]) THEN trim(${value}, ${characters}) ELSE ${value} END)`,
  trimLeading: (value, characters) => `ltrim(${value}, ${characters})`,
  position: (value, part) => `strpos(${value}, ${part})`,
  length: (value) => `length(${value})`,
  substring: (value, from, length) => `substring(${value}, ${from}, ${length})`,
  joinNonNull: (separator, parts) => `concat_ws(${singleQuoted(separator)}, ${parts.join(', ')})`,
  concat: (parts) => `concat(${parts.join(', ')})`,
  notDistinct: (a, b) => `(${a} IS NOT DISTINCT FROM ${b})`,
  binaryText: (value) => value,
  intDivide: (a, b) => `(${a} // ${b})`,
  intRemainder: (a, b) => `(${a} % ${b})`,
  wide: (value) => `CAST(${value} AS HUGEINT)`,
  makeTimestamp: (y, m, d, h, mi, s) => `make_timestamp(${y}, ${m}, ${d}, ${h}, ${mi}, ${s})`,
  timestampLiteral: (ms) => `TIMESTAMP '${timestampText(ms)}'`,
  daysBetween: (a, b) => `date_diff('day', CAST(${a} AS DATE), CAST(${b} AS DATE))`,
  secondsBetween: (a, b) => `date_diff('second', ${a}, ${b})`,
  dateText: (value) => `strftime(${value}, '%Y-%m-%d')`,
  dateTimeText: (value) => `strftime(${value}, '%Y-%m-%d %H:%M')`,
  numberText: (value) => `CAST(${value} AS VARCHAR)`,
  year: (value) => `year(${value})`,
  month: (value) => `month(${value})`,
  fail: (message, type) => `CAST(error(${message}) AS ${type})`,
  editDistance: (a, b) => `levenshtein(${a}, ${b})`,
  materialized: 'MATERIALIZED ',
  inlined: 'NOT MATERIALIZED ',
  // DuckDB casts ISO text (with T or a space, seconds or not) as fast as it parses, and day-first text with strptime.
  parseTimestamp: (text, format) => (format.startsWith('%Y') ? `TRY_CAST(${text} AS TIMESTAMP)` : `try_strptime(${text}, ${singleQuoted(format)})`),
};

export const POSTGRES: Dialect = {
  name: 'postgres',
  title: 'PostgreSQL',
  ident: doubleQuoted,
  text: singleQuoted,
  char: (code) => `chr(${code})`,
  characters: (codes) => `U&'${codes.map((code) => (code > 0xffff ? `\\+${hex(code, 6)}` : `\\${hex(code, 4)}`)).join('')}'`,
  // Advanced regular expressions (ARE).
  regexChar: (code) => (code < 0x7f && /[A-Za-z0-9 ]/.test(String.fromCharCode(code)) ? String.fromCharCode(code) : code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`),
  types: { bigint: 'BIGINT', double: 'DOUBLE PRECISION', text: 'TEXT', timestamp: 'TIMESTAMP', integer: 'INTEGER', boolean: 'BOOLEAN' },
  fullMatch: (value, pattern) => `(${value} ~ ${singleQuoted(`^(?:${pattern})$`)})`,
  group: (value, pattern, group) => `(regexp_match(${value}, ${singleQuoted(`^(?:${pattern})$`)}))[${group}]`,
  replaceAll: (value, pattern, replacement) => `regexp_replace(${value}, ${singleQuoted(pattern)}, ${replacement}, 'g')`,
  trim: (value, characters) => `btrim(${value}, ${characters})`,
  trimLeading: (value, characters) => `ltrim(${value}, ${characters})`,
  position: (value, part) => `strpos(${value}, ${part})`,
  length: (value) => `char_length(${value})`,
  substring: (value, from, length) => `substr(${value}, ${from}, ${length})`,
  joinNonNull: (separator, parts) => `concat_ws(${singleQuoted(separator)}, ${parts.join(', ')})`,
  concat: (parts) => `concat(${parts.join(', ')})`,
  notDistinct: (a, b) => `(${a} IS NOT DISTINCT FROM ${b})`,
  binaryText: (value) => `(${value} COLLATE "C")`,
  intDivide: (a, b) => `(${a} / ${b})`,
  intRemainder: (a, b) => `(${a} % ${b})`,
  wide: (value) => `CAST(${value} AS NUMERIC)`,
  makeTimestamp: (y, m, d, h, mi, s) => `make_timestamp(CAST(${y} AS INTEGER), CAST(${m} AS INTEGER), CAST(${d} AS INTEGER), CAST(${h} AS INTEGER), CAST(${mi} AS INTEGER), CAST(${s} AS DOUBLE PRECISION))`,
  timestampLiteral: (ms) => `TIMESTAMP '${timestampText(ms)}'`,
  daysBetween: (a, b) => `CAST(CAST(${b} AS DATE) - CAST(${a} AS DATE) AS BIGINT)`,
  secondsBetween: (a, b) => `CAST(EXTRACT(EPOCH FROM (${b} - ${a})) AS BIGINT)`,
  dateText: (value) => `to_char(${value}, 'YYYY-MM-DD')`,
  dateTimeText: (value) => `to_char(${value}, 'YYYY-MM-DD HH24:MI')`,
  numberText: (value) => `CAST(${value} AS TEXT)`,
  year: (value) => `CAST(EXTRACT(YEAR FROM ${value}) AS INTEGER)`,
  month: (value) => `CAST(EXTRACT(MONTH FROM ${value}) AS INTEGER)`,
  // PostgreSQL has no function that raises an error in plain SQL: a cast of the message to a number fails with the message in it.
  fail: (message, type) => `CAST(CAST(${message} AS INTEGER) AS ${type})`,
  materialized: 'MATERIALIZED ',
  inlined: 'NOT MATERIALIZED ',
};

/**
 * A string literal where a backslash starts an escape (Spark SQL, BigQuery):
 * backslashes and quotes escaped, and every character that is not plain
 * printable ASCII written as \uXXXX (\UXXXXXXXX beyond U+FFFF), which both read.
 */
const escapedLiteral = (value: string, astral: 'U' | 'surrogates' = 'U') =>
  `'${Array.from(value, (c) => {
    const code = c.codePointAt(0) ?? 0;
    if (c === '\\' || c === "'") return `\\${c}`;
    if (code >= 0x20 && code < 0x7f) return c;
    if (code <= 0xffff) return `\\u${hex(code, 4)}`;
    return astral === 'U' ? `\\U${hex(code, 8)}` : Array.from({ length: 2 }, (_, i) => `\\u${hex(c.charCodeAt(i), 4)}`).join('');
  }).join('')}'`;

/** Spark reads \uXXXX as one UTF-16 unit: a character beyond U+FFFF is its two surrogates. */
const sparkLiteral = (value: string) => escapedLiteral(value, 'surrogates');

const backticked = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Only the `keep`-th capturing group (1-based) of a pattern left capturing: BigQuery's REGEXP_EXTRACT takes a pattern with one. */
function onlyGroup(pattern: string, keep: number): string {
  let seen = 0;
  return pattern.replace(/\((?!\?)/g, () => (++seen === keep ? '(' : '(?:'));
}

/** Spark SQL 3.4 and later (Databricks): make_timestamp_ntz and TIMESTAMP_NTZ literals are 3.4's. */
export const SPARK: Dialect = {
  name: 'spark',
  title: 'Spark SQL',
  ident: backticked,
  text: sparkLiteral,
  char: (code) => sparkLiteral(String.fromCodePoint(code)),
  characters: (codes) => sparkLiteral(String.fromCodePoint(...codes)),
  // Java regular expressions.
  regexChar: (code) => (code < 0x7f && /[A-Za-z0-9 ]/.test(String.fromCharCode(code)) ? String.fromCharCode(code) : `\\x{${hex(code, 4)}}`),
  types: { bigint: 'BIGINT', double: 'DOUBLE', text: 'STRING', timestamp: 'TIMESTAMP_NTZ', integer: 'INT', boolean: 'BOOLEAN' },
  // RLIKE finds a match anywhere, and Java's $ also matches before a final line break: anchored with ^ and \z.
  fullMatch: (value, pattern) => `(${value} RLIKE ${sparkLiteral(`^(?:${pattern})\\z`)})`,
  group: (value, pattern, group) => `(CASE WHEN ${value} RLIKE ${sparkLiteral(`^(?:${pattern})\\z`)} THEN regexp_extract(${value}, ${sparkLiteral(`^(?:${pattern})\\z`)}, ${group}) END)`,
  replaceAll: (value, pattern, replacement) => `regexp_replace(${value}, ${sparkLiteral(pattern)}, ${replacement})`,
  trim: (value, characters) => `trim(BOTH ${characters} FROM ${value})`,
  trimLeading: (value, characters) => `trim(LEADING ${characters} FROM ${value})`,
  position: (value, part) => `instr(${value}, ${part})`,
  length: (value) => `char_length(${value})`,
  substring: (value, from, length) => `substring(${value}, CAST(${from} AS INT), CAST(${length} AS INT))`,
  joinNonNull: (separator, parts) => `concat_ws(${sparkLiteral(separator)}, ${parts.join(', ')})`,
  concat: (parts) => `concat(${parts.join(', ')})`,
  notDistinct: (a, b) => `(${a} <=> ${b})`,
  binaryText: (value) => value,
  intDivide: (a, b) => `(${a} div ${b})`,
  intRemainder: (a, b) => `(${a} % ${b})`,
  wide: (value) => `CAST(${value} AS DECIMAL(20, 0))`,
  makeTimestamp: (y, m, d, h, mi, s) => `make_timestamp_ntz(CAST(${y} AS INT), CAST(${m} AS INT), CAST(${d} AS INT), CAST(${h} AS INT), CAST(${mi} AS INT), CAST(${s} AS DECIMAL(16, 6)))`,
  timestampLiteral: (ms) => `TIMESTAMP_NTZ '${timestampText(ms)}'`,
  daysBetween: (a, b) => `CAST(datediff(CAST(${b} AS DATE), CAST(${a} AS DATE)) AS BIGINT)`,
  secondsBetween: (a, b) => `timestampdiff(SECOND, ${a}, ${b})`,
  dateText: (value) => `date_format(${value}, 'yyyy-MM-dd')`,
  dateTimeText: (value) => `date_format(${value}, 'yyyy-MM-dd HH:mm')`,
  year: (value) => `year(${value})`,
  month: (value) => `month(${value})`,
  numberText: (value) => `CAST(${value} AS STRING)`,
  fail: (message, type) => `CAST(raise_error(${message}) AS ${type})`,
  editDistance: (a, b) => `levenshtein(${a}, ${b})`,
  materialized: '',
  inlined: '',
};

/** BigQuery (GoogleSQL). Timestamps are DATETIME: a date and time with no time zone, as exports write them. */
export const BIGQUERY: Dialect = {
  name: 'bigquery',
  title: 'BigQuery',
  ident: backticked,
  text: escapedLiteral,
  char: (code) => `CHR(${code})`,
  characters: (codes) => `CODE_POINTS_TO_STRING([${codes.join(', ')}])`,
  // RE2.
  regexChar: (code) => (code < 0x7f && /[A-Za-z0-9 ]/.test(String.fromCharCode(code)) ? String.fromCharCode(code) : `\\x{${hex(code, 4)}}`),
  types: { bigint: 'INT64', double: 'FLOAT64', text: 'STRING', timestamp: 'DATETIME', integer: 'INT64', boolean: 'BOOL' },
  fullMatch: (value, pattern) => `REGEXP_CONTAINS(${value}, ${escapedLiteral(`^(?:${pattern})$`)})`,
  group: (value, pattern, group) => `REGEXP_EXTRACT(${value}, ${escapedLiteral(`^(?:${onlyGroup(pattern, group)})$`)})`,
  replaceAll: (value, pattern, replacement) => `REGEXP_REPLACE(${value}, ${escapedLiteral(pattern)}, ${replacement})`,
  trim: (value, characters) => `TRIM(${value}, ${characters})`,
  trimLeading: (value, characters) => `LTRIM(${value}, ${characters})`,
  position: (value, part) => `STRPOS(${value}, ${part})`,
  length: (value) => `CHAR_LENGTH(${value})`,
  substring: (value, from, length) => `SUBSTR(${value}, ${from}, ${length})`,
  // No CONCAT_WS: each part with the separator before it, and the first separator cut off.
  joinNonNull: (separator, parts) => `SUBSTR(CONCAT(${parts.map((p) => `COALESCE(CONCAT(${escapedLiteral(separator)}, ${p}), '')`).join(', ')}), ${separator.length + 1})`,
  concat: (parts) => `CONCAT(${parts.join(', ')})`,
  notDistinct: (a, b) => `(${a} IS NOT DISTINCT FROM ${b})`,
  binaryText: (value) => value,
  intDivide: (a, b) => `DIV(${a}, ${b})`,
  intRemainder: (a, b) => `MOD(${a}, ${b})`,
  wide: (value) => `CAST(${value} AS BIGNUMERIC)`,
  makeTimestamp: (y, m, d, h, mi, s) => `DATETIME(${y}, ${m}, ${d}, ${h}, ${mi}, ${s})`,
  timestampLiteral: (ms) => `DATETIME '${timestampText(ms)}'`,
  daysBetween: (a, b) => `DATE_DIFF(DATE(${b}), DATE(${a}), DAY)`,
  secondsBetween: (a, b) => `DATETIME_DIFF(${b}, ${a}, SECOND)`,
  dateText: (value) => `FORMAT_DATETIME('%E4Y-%m-%d', ${value})`,
  dateTimeText: (value) => `FORMAT_DATETIME('%E4Y-%m-%d %H:%M', ${value})`,
  year: (value) => `EXTRACT(YEAR FROM ${value})`,
  month: (value) => `EXTRACT(MONTH FROM ${value})`,
  numberText: (value) => `CAST(${value} AS STRING)`,
  fail: (message, type) => `CAST(ERROR(${message}) AS ${type})`,
  materialized: '',
  inlined: '',
};

export const DIALECTS: Record<DialectName, Dialect> = { duckdb: DUCKDB, postgres: POSTGRES, spark: SPARK, bigquery: BIGQUERY };

/** YYYY-MM-DD HH:MM:SS of milliseconds since 1970, years 1 to 9999 written with four digits. */
function timestampText(milliseconds: number): string {
  const date = new Date(milliseconds);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}
