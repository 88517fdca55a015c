import type { CompiledField } from '../../rubric/compile.js';
import type { Dialect, TimestampFormat } from './dialect.js';
import { REASONS } from '../../cases/reasons.js';
import { NotCompilable } from './expression.js';
import { asciiKey } from './text.js';

/**
 * The reading rules of docs/rubric-format.md ("How cells are read") in SQL,
 * not left to an engine's casts: engines accept what the tool refuses
 * (`1,200`, `03/06/14`, ` yes`, month-first dates) and refuse what it reads.
 * Each cell's text is first trimmed of the characters JavaScript's trim
 * removes, then taken apart by regular expressions written with [0-9] (never
 * \d, which some engines extend beyond ASCII), and only cast once the parts
 * are proven to make a value of the type. The reasons are the JS engine's,
 * word for word.
 */



/**
 * A cell's reading, in three steps so that the regular expressions run only
 * where they are needed: `quick` reads the forms most cells take (Y, 15,
 * 03/06/2014) and is NULL for any other text; `parts` (regular-expression
 * groups) are computed only for cells `quick` did not read; `value` and
 * `reason` follow from the text, `quick` and the parts.
 */
export interface FieldReading {
  /** The value of a cell in a common form, or NULL; never a value the full rules would not give. */
  quick: string;
  /** Named parts of the text, for cells `quick` did not read. Names are local to the field. */
  parts: Record<string, string>;
  /** The value (NULL when the cell is empty or cannot be read). */
  value: string;
  /** The reason the cell cannot be read, or NULL. */
  reason: string;
}

/** SQL for the columns a reading refers to, once the earlier steps have computed them. */
export interface ReadingColumns {
  /** The trimmed text, NULL when the cell is empty. */
  text: string;
  quick: string;
  part(name: string): string;
  value: string;
}

/** The parts of the fixed-width forms of dates exports write: four-digit years from 0001, two-digit months, days, hours, minutes and seconds. */
const YEAR = '(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])';
const MONTH = '(?:0[1-9]|1[0-2])';
const DAY = '(?:0[1-9]|[12][0-9]|3[01])';
const HOUR = '(?:[01][0-9]|2[0-3])';
const SIXTY = '[0-5][0-9]';

/**
 * How to read one field: the reading rules of docs/rubric-format.md ("How
 * cells are read") as SQL over the columns of `columns`.
 */
export function fieldReading(field: CompiledField, dialect: Dialect, columns: ReadingColumns): FieldReading {
  const d = dialect;
  const { text: t, value } = columns;
  const part = columns.part;
  const quickSql = quickReading(field, d, t);
  const quick = quickSql === 'NULL' ? 'NULL' : columns.quick;
  // Parts are taken only from cells the quick reading left: the others need no regular expression.
  const needsParts = (sql: string) => (quick === 'NULL' ? sql : `(CASE WHEN ${quick} IS NULL AND ${t} IS NOT NULL THEN ${sql} END)`);
  const group = (pattern: string, n: number) => needsParts(`NULLIF(${d.group(t, pattern, n)}, '')`);
  const int = (sql: string) => `CAST(${sql} AS ${d.types.integer})`;
  const unreadable = (reason: string) => d.text(reason);
  const quickOr = (full: string) => (quick === 'NULL' ? full : `(CASE WHEN ${quick} IS NOT NULL THEN ${quick} ELSE ${full} END)`);
  /** The reason, given only where the cell has text and no value. */
  const reasonWhenUnread = (full: string) => `(CASE WHEN ${t} IS NULL OR ${value} IS NOT NULL THEN NULL ELSE ${full} END)`;
  switch (field.type) {
    case 'string':
      return { quick: quickSql, parts: {}, value: t, reason: 'NULL' };
    case 'boolean': {
      const lower = `lower(${t})`;
      return {
        quick: quickSql,
        parts: {},
        value: quickOr(`(CASE WHEN ${lower} IN ('y', 'yes', 'true', '1') THEN TRUE WHEN ${lower} IN ('n', 'no', 'false', '0') THEN FALSE END)`),
        reason: reasonWhenUnread(unreadable(REASONS.boolean)),
      };
    }
    case 'integer': {
      const magnitude = part('digits');
      const negative = `(${d.substring(t, '1', '1')} = '-')`;
      const inRange = `(${d.length(magnitude)} < 19 OR (${d.length(magnitude)} = 19 AND (${d.binaryText(magnitude)} <= '9223372036854775807' OR (${negative} AND ${magnitude} = '9223372036854775808'))))`;
      const readable = `(${part('whole')} IS NOT NULL AND ${inRange})`;
      return {
        quick: quickSql,
        parts: { whole: group('([+-]?[0-9]+)', 1), digits: needsParts(d.group(t, '[+-]?0*([0-9]*)', 1)) },
        value: quickOr(`(CASE WHEN ${readable} THEN CAST(${t} AS ${d.types.bigint}) END)`),
        reason: reasonWhenUnread(
          `(CASE WHEN ${part('whole')} IS NOT NULL THEN ${unreadable(REASONS.integerRange)} WHEN ${d.fullMatch(t, '[+-]?[0-9]{1,3}(,[0-9]{3})+')} THEN ${unreadable(REASONS.integerSeparators)} ELSE ${unreadable(REASONS.integer)} END)`,
        ),
      };
    }
    case 'number': {
      const pattern = '[+-]?(([0-9]+)[.]?([0-9]*)|[.]([0-9]+))([eE]([+-]?)([0-9]+))?';
      const integerDigits = d.trimLeading(`COALESCE(${part('int')}, '')`, "'0'");
      const fraction = `COALESCE(${part('fraction')}, '')`;
      const fractionDigits = d.trimLeading(fraction, "'0'");
      const zero = `(${integerDigits} = '' AND ${fractionDigits} = '')`;
      const exponentDigits = d.trimLeading(`COALESCE(${part('exponent')}, '')`, "'0'");
      const exponent = `(CASE WHEN ${exponentDigits} = '' THEN 0 ELSE CAST(${exponentDigits} AS ${d.types.bigint}) END * CASE WHEN ${part('exponentSign')} = '-' THEN -1 ELSE 1 END)`;
      const lead = `(CASE WHEN ${integerDigits} <> '' THEN ${d.length(integerDigits)} - 1 ELSE ${d.length(fractionDigits)} - ${d.length(fraction)} - 1 END)`;
      const inRange = `(${zero} OR (${d.length(exponentDigits)} <= 9 AND ${lead} + ${exponent} BETWEEN -300 AND 299))`;
      const matched = `(${part('mantissa')} IS NOT NULL)`;
      return {
        quick: quickSql,
        parts: {
          mantissa: group(pattern, 1),
          int: group(pattern, 2),
          fraction: `COALESCE(${group(pattern, 3)}, ${group(pattern, 4)})`,
          exponentSign: group(pattern, 6),
          exponent: group(pattern, 7),
        },
        value: quickOr(`(CASE WHEN ${matched} AND ${inRange} THEN CAST(${t} AS ${d.types.double}) END)`),
        reason: reasonWhenUnread(
          `(CASE WHEN ${matched} THEN ${unreadable(REASONS.numberRange)} WHEN ${d.fullMatch(t, '[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?')} THEN ${unreadable(REASONS.numberSeparators)} ELSE ${unreadable(REASONS.number)} END)`,
        ),
      };
    }
    case 'date':
    case 'datetime': {
      const time = field.type === 'datetime';
      // The date forms, and for a date-time the time after them: ISO (2014-06-03) or day first (03/06/2014).
      const iso = time ? '([0-9]{4})-([0-9]{2})-([0-9]{2})[T ](([0-9]{1,2}):([0-9]{2})(:([0-9]{2}))?)([.][0-9]+)?Z?' : '([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})';
      const dayFirst = time ? '([0-9]{1,2})/([0-9]{1,2})/([0-9]+) (([0-9]{1,2}):([0-9]{2})(:([0-9]{2}))?)' : '([0-9]{1,2})/([0-9]{1,2})/([0-9]+)';
      const parts: Record<string, string> = {
        isoYear: group(iso, 1),
        isoMonth: group(iso, 2),
        isoDay: group(iso, 3),
        dayFirstDay: group(dayFirst, 1),
        dayFirstMonth: group(dayFirst, 2),
        dayFirstYear: group(dayFirst, 3),
      };
      if (time) {
        Object.assign(parts, {
          isoTime: group(iso, 4),
          isoHour: group(iso, 5),
          isoMinute: group(iso, 6),
          isoSecond: group(iso, 8),
          dayFirstTime: group(dayFirst, 4),
          dayFirstHour: group(dayFirst, 5),
          dayFirstMinute: group(dayFirst, 6),
          dayFirstSecond: group(dayFirst, 8),
        });
      }
      const isIso = `(${part('isoYear')} IS NOT NULL)`;
      const isDayFirst = `(${part('dayFirstYear')} IS NOT NULL)`;
      const fourDigitYear = `(${d.length(part('dayFirstYear'))} = 4)`;
      const year = `(CASE WHEN ${isIso} THEN ${int(part('isoYear'))} WHEN ${isDayFirst} AND ${fourDigitYear} THEN ${int(part('dayFirstYear'))} END)`;
      const month = `(CASE WHEN ${isIso} THEN ${int(part('isoMonth'))} ELSE ${int(part('dayFirstMonth'))} END)`;
      const day = `(CASE WHEN ${isIso} THEN ${int(part('isoDay'))} ELSE ${int(part('dayFirstDay'))} END)`;
      const leap = `((${d.intRemainder(year, '4')} = 0 AND ${d.intRemainder(year, '100')} <> 0) OR ${d.intRemainder(year, '400')} = 0)`;
      const daysInMonth = `(CASE WHEN ${month} = 2 THEN (CASE WHEN ${leap} THEN 29 ELSE 28 END) WHEN ${month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)`;
      const validDate = `(${year} >= 1 AND ${month} BETWEEN 1 AND 12 AND ${day} BETWEEN 1 AND ${daysInMonth})`;
      const which = (isoPart: string, dayFirstPart: string) => `(CASE WHEN ${isIso} THEN ${part(isoPart)} ELSE ${part(dayFirstPart)} END)`;
      const hour = time ? int(which('isoHour', 'dayFirstHour')) : '0';
      const minute = time ? int(which('isoMinute', 'dayFirstMinute')) : '0';
      const second = time ? `COALESCE(${int(which('isoSecond', 'dayFirstSecond'))}, 0)` : '0';
      const validTime = time ? `(${hour} <= 23 AND ${minute} <= 59 AND ${second} <= 59)` : 'TRUE';
      const readable = `((${isIso} OR (${isDayFirst} AND ${fourDigitYear})) AND ${validDate} AND ${validTime})`;
      const noSuchDayFirstDate = d.concat([
        d.text('no such date: day '),
        d.numberText(int(part('dayFirstDay'))),
        d.text(' of month '),
        d.numberText(int(part('dayFirstMonth'))),
        `(CASE WHEN ${int(part('dayFirstMonth'))} > 12 AND ${int(part('dayFirstDay'))} <= 12 THEN ${d.text(REASONS.dayFirstHint)} ELSE '' END)`,
      ]);
      const noSuchTime = time ? d.concat([d.text('no such time of day: '), which('isoTime', 'dayFirstTime')]) : 'NULL';
      return {
        quick: quickSql,
        parts,
        value: quickOr(`(CASE WHEN ${readable} THEN ${d.makeTimestamp(year, month, day, hour, minute, second)} END)`),
        reason: reasonWhenUnread(`(CASE WHEN NOT ${isIso} AND NOT ${isDayFirst} THEN ${unreadable(time ? REASONS.dateTime : REASONS.date)}
          WHEN ${isDayFirst} AND NOT ${fourDigitYear} THEN ${unreadable(REASONS.twoDigitYear)}
          WHEN NOT ${validDate} THEN (CASE WHEN ${isIso} THEN ${unreadable(REASONS.isoDate)} ELSE ${noSuchDayFirstDate} END)
          ELSE ${noSuchTime} END)`),
      };
    }
    case 'enum': {
      const values = field.values ?? [];
      if (values.some((v) => /[^\x20-\x7e]/.test(v))) throw new NotCompilable(`the values of '${field.name}' have characters beyond ASCII, which engines lower-case differently`, 0);
      const key = (v: string) => v.toLowerCase().replace(/[\s_-]+/g, '-');
      // Two values with one key: the JS engine's map keeps the last. The key, a regular expression, only where no value matches exactly.
      const byKey = [...values].reverse().map((v) => `WHEN ${d.text(key(v))} THEN ${d.text(v)}`).join(' ');
      const suggestion = d.editDistance ? nearestSql(t, values, d, d.editDistance) : undefined;
      const reason = suggestion
        ? d.concat([d.text(`not one of ${values.join(', ')}`), `(CASE WHEN ${suggestion} IS NOT NULL THEN ${d.concat([d.text("; did you mean '"), suggestion, d.text("'?")])} ELSE '' END)`])
        : unreadable(`not one of ${values.join(', ')}`);
      return {
        quick: quickSql,
        parts: {},
        value: quickOr(`(CASE ${asciiKey(t, d, '-')} ${byKey} END)`),
        reason: reasonWhenUnread(reason),
      };
    }
  }
}

/** The value of a cell in the forms most cells take, or NULL: 'NULL' where the type or dialect has no quick reading. */
function quickReading(field: CompiledField, d: Dialect, t: string): string {
  switch (field.type) {
    case 'string':
      return 'NULL';
    case 'boolean': {
      // A simple CASE, not IN: engines may turn a long IN list into a join. The usual spellings first.
      const spellings = (words: string[]) => [...new Set(words.flatMap((w) => [w, w.toUpperCase(), `${w.slice(0, 1).toUpperCase()}${w.slice(1)}`]))];
      const yes = spellings(['y', 'yes', 'true', '1']).map((w) => `WHEN ${d.text(w)} THEN TRUE`);
      const no = spellings(['n', 'no', 'false', '0']).map((w) => `WHEN ${d.text(w)} THEN FALSE`);
      const interleaved = yes.flatMap((w, i) => [w, no[i] ?? '']).filter(Boolean);
      return `(CASE ${t} ${[...interleaved, ...no.slice(yes.length)].join(' ')} END)`;
    }
    case 'integer':
      // Up to 18 digits is always within 64 bits.
      return `(CASE WHEN ${d.fullMatch(t, '-?[0-9]{1,18}')} THEN CAST(${t} AS ${d.types.bigint}) END)`;
    case 'number':
      // Up to 15 digits either side of the point: zero, or between 1e-15 and 1e15, always in range.
      return `(CASE WHEN ${d.fullMatch(t, '-?[0-9]{1,15}([.][0-9]{1,15})?')} THEN CAST(${t} AS ${d.types.double}) END)`;
    case 'date':
    case 'datetime':
      return quickTimestamp(d, t, field.type === 'datetime');
    case 'enum': {
      const values = field.values ?? [];
      return values.length === 0 ? 'NULL' : `(CASE ${values.map((v) => `WHEN ${t} = ${d.text(v)} THEN ${d.text(v)}`).join(' ')} END)`;
    }
  }
}

/**
 * A date or date-time in a fixed-width form (2014-06-03, 03/06/2014, with
 * HH:MM or HH:MM:SS after a date-time's date), where the dialect parses such
 * text itself, NULL for a day beyond its month; otherwise NULL. Every part is
 * proven in range first, so the engine decides only whether the day exists.
 */
function quickTimestamp(d: Dialect, t: string, time: boolean): string {
  const parse = d.parseTimestamp;
  if (!parse) return 'NULL';
  const iso = `${YEAR}-${MONTH}-${DAY}`;
  const dayFirst = `${DAY}/${MONTH}/${YEAR}`;
  const forms: Array<[pattern: string, format: TimestampFormat]> = time
    ? [
        [`${iso}[T ]${HOUR}:${SIXTY}(?::${SIXTY})?`, '%Y-%m-%d %H:%M:%S'],
        [`${dayFirst} ${HOUR}:${SIXTY}`, '%d/%m/%Y %H:%M'],
        [`${dayFirst} ${HOUR}:${SIXTY}:${SIXTY}`, '%d/%m/%Y %H:%M:%S'],
      ]
    : [
        [iso, '%Y-%m-%d'],
        [dayFirst, '%d/%m/%Y'],
      ];
  return `(CASE ${forms.map(([pattern, format]) => `WHEN ${d.fullMatch(t, pattern)} THEN ${parse(t, format)}`).join(' ')} END)`;
}

/**
 * The value `nearest` (src/cases/nearest.ts) suggests for an unreadable
 * cell, or NULL: the first value that contains the text (of 3 characters or
 * more), else the first of the closest by edit distance, if close enough.
 */
function nearestSql(text: string, values: readonly string[], d: Dialect, editDistance: (a: string, b: string) => string): string {
  const target = `lower(${text})`;
  const containing = values.map((v) => `WHEN ${d.length(text)} >= 3 AND ${d.position(d.text(v.toLowerCase()), target)} > 0 THEN ${d.text(v)}`);
  const distance = values.map((v) => editDistance(target, d.text(v.toLowerCase())));
  const closest = values.map((v, i) => {
    const first = distance.flatMap((other, j) => (j < i ? [`${distance[i]} < ${other}`] : j > i ? [`${distance[i]} <= ${other}`] : []));
    const limit = `GREATEST(1, ${d.intDivide(`GREATEST(${d.length(text)}, ${v.length})`, '3')})`;
    return `WHEN ${first.length ? first.join(' AND ') : 'TRUE'} THEN (CASE WHEN ${distance[i]} <= ${limit} THEN ${d.text(v)} END)`;
  });
  return `(CASE ${[...containing, ...closest].join(' ')} END)`;
}
