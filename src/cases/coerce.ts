import type { CompiledField, CompiledRubric } from '../rubric/compile.js';
import type { CellProblem } from '../output-schemas.js';
import { calendarDate } from '../rubric/dates.js';
import { REASONS } from './reasons.js';
import type { FieldType } from '../rubric/schema.js';
import type { ColumnPlan } from './columns.js';
import { nearest } from './nearest.js';
import { cellSpan, RecordBatch } from './record-batch.js';

/** A cell's value as the general evaluator, explain and reports see it; null means the cell was empty. */
export type FieldValue = string | bigint | number | boolean | Date | null;

/**
 * A cell's value as compiled expressions see it: the same, except that dates
 * and date-times are milliseconds since 1970 rather than Date objects. A
 * Date costs about 100 ns to make, and a row of an export has several.
 */
export type SlotValue = string | bigint | number | boolean | null;

const isTimestamp = (type: FieldType): type is 'date' | 'datetime' => type === 'date' || type === 'datetime';

/** A date as 2014-06-03, a date-time as 2014-06-03 14:05, from milliseconds since 1970. */
export function timestampText(milliseconds: number, type: 'date' | 'datetime'): string {
  const iso = new Date(milliseconds).toISOString();
  return type === 'date' ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

/** A slot's value as text, for a case reference or area (either may be any type of field). */
export function slotText(type: FieldType, value: SlotValue): string {
  return typeof value === 'number' && isTimestamp(type) ? timestampText(value, type) : String(value);
}

/** A slot's value as a field value: a timestamp becomes a Date. */
export function fieldValue(type: FieldType, value: SlotValue): FieldValue {
  return typeof value === 'number' && isTimestamp(type) ? new Date(value) : value;
}

/**
 * A case row whose every declared cell was read as its type. Values are held
 * by field index, in rubric order, which is how expressions read them; the
 * by-name view is built only when something asks for it (explain, grouping
 * by a field, --cases-out), because building it for every row of a large
 * export costs more than reading the row.
 */
export class CaseRecord {
  private byName: Record<string, FieldValue> | undefined;

  constructor(
    readonly file: string,
    readonly row: number,
    readonly id: string,
    readonly area: string,
    /** Values in the order of the rubric's fields, timestamps as numbers. */
    readonly slots: readonly SlotValue[],
    private readonly fields: readonly CompiledField[],
  ) {}

  /** Field name → value. Null prototype: a column called `__proto__` is just a column. */
  get values(): Record<string, FieldValue> {
    if (!this.byName) {
      const values: Record<string, FieldValue> = Object.create(null);
      this.fields.forEach((field, i) => (values[field.name] = this.valueAt(i)));
      this.byName = values;
    }
    return this.byName;
  }

  /** The value of one slot as a field value (a timestamp as a Date). */
  valueAt(slot: number): FieldValue {
    const field = this.fields[slot];
    return field ? fieldValue(field.type, this.slots[slot] ?? null) : null;
  }

  /** The same case under another reference (a pseudonym, for --redact). */
  withId(id: string, idSlot: number): CaseRecord {
    const slots = [...this.slots];
    slots[idSlot] = id;
    return new CaseRecord(this.file, this.row, id, this.area, slots, this.fields);
  }
}

export type { CellProblem };

type Coerced = { ok: true; value: FieldValue } | { ok: false; reason: string };

/** Why a cell cannot be read as its type; a distinct class so that reading a good cell allocates nothing extra. */
class Unreadable {
  constructor(readonly reason: string) {}
}

/** Whether a reader's result is a reason rather than a value: no value is an object (timestamps are numbers), so `typeof` tells, faster than `instanceof`. */
export function isUnreadable(value: CellValue): value is Unreadable {
  return typeof value === 'object' && value !== null;
}

type CellValue = SlotValue | Unreadable;

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;

const TRUE_WORDS = new Set(['y', 'yes', 'true', '1']);
const FALSE_WORDS = new Set(['n', 'no', 'false', '0']);
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d+)$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 86_400_000;

/**
 * Bounded memory of earlier results: exports repeat the same dates and small
 * numbers over and over, so most cells are read once and looked up after.
 * Cleared when full, so memory stays flat however long the file.
 */
class Remembered<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly limit: number) {}
  get(key: K, compute: (key: K) => V): V {
    let value = this.entries.get(key);
    if (value === undefined) {
      value = compute(key);
      if (this.entries.size >= this.limit) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }
}

const datesByText = new Remembered<string, CellValue>(50_000);
const integers = new Remembered<string, bigint>(10_000);

function dayFirstDate(text: string): CellValue {
  const match = DAY_FIRST.exec(text);
  if (!match) return new Unreadable(REASONS.date);
  const [day, month, year] = [match[1] ?? '', match[2] ?? '', match[3] ?? ''];
  if (year.length !== 4) return new Unreadable(REASONS.twoDigitYear);
  const date = calendarDate(Number(year), Number(month), Number(day));
  if (!date) {
    const hint = Number(month) > 12 && Number(day) <= 12 ? REASONS.dayFirstHint : '';
    return new Unreadable(`no such date: day ${Number(day)} of month ${Number(month)}${hint}`);
  }
  return date.getTime();
}

/** Any date form the tool accepts, with the reason when it is not one. */
function readDate(text: string): CellValue {
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const date = calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date ? date.getTime() : new Unreadable(REASONS.isoDate);
  }
  return dayFirstDate(text);
}

/** What the quick readers below give for text they do not read: a whole number, so that their arithmetic stays on whole numbers. */
const NOT_QUICK = -100_000_000;

function twoDigits(codes: Uint8Array, at: number): number {
  const tens = (codes[at] as number) - 48;
  const units = (codes[at + 1] as number) - 48;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : NOT_QUICK;
}

/**
 * Days since 1970 of the ten-character forms exports use, 2014-06-03 and
 * 03/06/2014, at `at` in the text; NOT_QUICK for anything else, which then
 * takes the general path with its reasons. Arithmetic on character codes: no
 * regular expression, no string made, in the commonest case of a row.
 */
function quickDay(codes: Uint8Array, at: number): number {
  let year: number;
  let month: number;
  let day: number;
  if ((codes[at + 4] as number) === 45 && (codes[at + 7] as number) === 45) {
    year = twoDigits(codes, at) * 100 + twoDigits(codes, at + 2);
    month = twoDigits(codes, at + 5);
    day = twoDigits(codes, at + 8);
  } else if ((codes[at + 2] as number) === 47 && (codes[at + 5] as number) === 47) {
    day = twoDigits(codes, at);
    month = twoDigits(codes, at + 3);
    year = twoDigits(codes, at + 6) * 100 + twoDigits(codes, at + 8);
  } else return NOT_QUICK;
  // Years before 100 are left to the general path (daysFromCivil counts from the year 100).
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NOT_QUICK;
  return daysFromCivil(year, month, day);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date from the year 100 on (H. Hinnant's algorithm, in whole-number division). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Milliseconds since 1970 of a date in one of the two ten-character forms,
 * NaN for anything else (which dateCell then reads, or gives its reason).
 * Never allocates: the column reader calls it for every date cell.
 */
export function quickDate(codes: Uint8Array, start: number, end: number): number {
  const day = end - start === 10 ? quickDay(codes, start) : NOT_QUICK;
  return day === NOT_QUICK ? NaN : day * DAY_MS;
}

/** A date in any form the tool takes, or why it is not one (quickDate reads the usual forms faster). */
export function dateCell(text: string, start: number, end: number): CellValue {
  return datesByText.get(text.slice(start, end), readDate);
}

/** Seconds into the day of HH:MM or HH:MM:SS from `at` to `end`; NOT_QUICK otherwise. */
function quickTime(codes: Uint8Array, at: number, end: number): number {
  const length = end - at;
  if ((length !== 5 && length !== 8) || (codes[at + 2] as number) !== 58) return NOT_QUICK;
  const hours = twoDigits(codes, at);
  const minutes = twoDigits(codes, at + 3);
  let seconds = 0;
  if (length === 8) {
    if ((codes[at + 5] as number) !== 58) return NOT_QUICK;
    seconds = twoDigits(codes, at + 6);
  }
  return hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59 && seconds >= 0 && seconds <= 59 ? (hours * 60 + minutes) * 60 + seconds : NOT_QUICK;
}

/**
 * A date-time in any form the tool takes, or why it is not one (quickDateTime
 * reads the usual forms faster). Times are read as written (UK local
 * wall-clock time) and kept without conversion.
 */
export function dateTimeCell(text: string, start: number, end: number): CellValue {
  return readDateTime(text.slice(start, end));
}

/** Milliseconds since 1970 of a date-time in the usual forms (2014-06-03 14:05, 2014-06-03T14:05:00, 03/06/2014 14:05), NaN for anything else. */
export function quickDateTime(codes: Uint8Array, start: number, end: number): number {
  const separator = codes[start + 10] as number;
  const iso = (codes[start + 4] as number) === 45;
  if (separator === 32 || (iso && separator === 84)) {
    const day = quickDay(codes, start);
    const seconds = quickTime(codes, start + 11, end);
    if (day !== NOT_QUICK && seconds !== NOT_QUICK) return day * DAY_MS + seconds * 1000;
  }
  return NaN;
}

function readDateTime(text: string): CellValue {
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?Z?$/.exec(text);
  const dayFirst = /^(\d{1,2}\/\d{1,2}\/\d+) (\d{1,2}:\d{2}(?::\d{2})?)$/.exec(text);
  const parts = iso ?? dayFirst;
  if (!parts) return new Unreadable(REASONS.dateTime);
  const datePart = parts[1] ?? '';
  const date = dateCell(datePart, 0, datePart.length);
  if (date instanceof Unreadable) return date;
  const time = TIME.exec(parts[2] ?? '');
  const [hours, minutes, seconds] = [Number(time?.[1]), Number(time?.[2]), Number(time?.[3] ?? 0)];
  if (!time || hours > 23 || minutes > 59 || seconds > 59) return new Unreadable(`no such time of day: ${parts[2]}`);
  return (date as number) + ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

/** The yes-or-no words (TRUE_WORDS, FALSE_WORDS) as codes, with what each means: 1 yes, 0 no. */
const FLAG_WORDS: readonly (readonly [Uint8Array, number])[] = [
  ...[...TRUE_WORDS].map((word) => [Uint8Array.from(word, (c) => c.charCodeAt(0)), 1] as const),
  ...[...FALSE_WORDS].map((word) => [Uint8Array.from(word, (c) => c.charCodeAt(0)), 0] as const),
];

/**
 * A yes-or-no cell read from its codes, as booleanCell reads it from the
 * text (any case): 1 for yes, 0 for no, -1 for anything else, which
 * booleanCell reads or gives its reason for.
 */
export function quickFlag(codes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 1) {
    const code = codes[start];
    if (code === 89) return 1; // Y
    if (code === 78) return 0; // N
  }
  for (let w = 0; w < FLAG_WORDS.length; w++) {
    const [word, flag] = FLAG_WORDS[w] as (typeof FLAG_WORDS)[number];
    if (word.length !== length) continue;
    let i = 0;
    for (; i < length; i++) {
      const code = codes[start + i] as number;
      const letter = word[i] as number;
      // The word's letter in either case; a digit as itself.
      if (code !== letter && !(letter >= 97 && letter <= 122 && code === letter - 32)) break;
    }
    if (i === length) return flag;
  }
  return -1;
}

export function booleanCell(text: string, start: number, end: number): CellValue {
  if (end - start === 1) {
    const code = text.charCodeAt(start);
    if (code === 89) return true; // Y
    if (code === 78) return false; // N
  }
  const word = text.slice(start, end).toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return new Unreadable(REASONS.boolean);
}

/** A whole number of one to nine digits with no sign, NaN for anything else (which integerCell reads, or gives its reason). */
export function quickInteger(codes: Uint8Array, start: number, end: number): number {
  if (end === start || end - start > 9) return NaN;
  let value = 0;
  for (let at = start; at < end; at++) {
    const digit = (codes[at] as number) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** A whole number as a bigint, or why it is not one (quickInteger reads the usual forms faster). */
export function integerCell(text: string, start: number, end: number): CellValue {
  const written = text.slice(start, end);
  if (/^[+-]?\d+$/.test(written)) {
    if (written.length <= 6) return integers.get(written, BigInt);
    const value = BigInt(written);
    return value >= INT_MIN && value <= INT_MAX ? value : new Unreadable(REASONS.integerRange);
  }
  return new Unreadable(/^[+-]?\d{1,3}(,\d{3})+$/.test(written) ? REASONS.integerSeparators : REASONS.integer);
}

/**
 * A whole number as a number, where a number holds it exactly (up to 2^53),
 * for the column reader; a larger one is unreadable here and left to the
 * row reader, which reads it with integerCell as a bigint.
 */
export function safeIntegerCell(text: string, start: number, end: number): CellValue {
  const value = integerCell(text, start, end);
  if (isUnreadable(value)) return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : new Unreadable('beyond 2^53: read on its own, as a bigint');
}

const NUMBER = /^[+-]?((\d+)\.?(\d*)|\.(\d+))([eE]([+-]?)(\d+))?$/;

/**
 * Whether a number written with these digits is zero or between 1e-300 and
 * 1e300: a rule of the tool's own, so that every engine reads the same
 * numbers (beyond it, JavaScript rounds to Infinity or 0 where SQL engines
 * refuse the value or give NULL).
 */
function inNumberRange(integerPart: string, fraction: string, exponentSign: string, exponent: string): boolean {
  const integerDigits = integerPart.replace(/^0+/, '');
  const fractionDigits = fraction.replace(/^0+/, '');
  if (integerDigits === '' && fractionDigits === '') return true;
  const exponentDigits = exponent.replace(/^0+/, '');
  if (exponentDigits.length > 9) return false;
  const lead = integerDigits !== '' ? integerDigits.length - 1 : fractionDigits.length - fraction.length - 1;
  const power = lead + (exponentSign === '-' ? -1 : 1) * Number(exponentDigits || '0');
  return power >= -300 && power <= 299;
}

export function numberCell(text: string, start: number, end: number): CellValue {
  const written = text.slice(start, end);
  const parts = NUMBER.exec(written);
  if (parts) return inNumberRange(parts[2] ?? '', parts[3] ?? parts[4] ?? '', parts[6] ?? '', parts[7] ?? '') ? Number(written) : new Unreadable(REASONS.numberRange);
  return new Unreadable(/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(written) ? REASONS.numberSeparators : REASONS.number);
}

/** "Requires improvement", "requires_improvement" and "REQUIRES-IMPROVEMENT" are one value. */
const enumKey = (v: string) => v.toLowerCase().replace(/[\s_-]+/g, '-');

/** Reads a cell as the text between two positions, already trimmed and not empty. */
export type CellReader = (text: string, start: number, end: number) => CellValue;

export function enumReader(allowed: readonly string[]): CellReader {
  const byKey = new Map(allowed.map((v) => [enumKey(v), v]));
  return (text, start, end) => {
    // Exports mostly write the values exactly as the rubric does: those are matched in place, with no string made.
    const length = end - start;
    for (const value of allowed) if (value.length === length && text.startsWith(value, start)) return value;
    const written = text.slice(start, end);
    const match = byKey.get(enumKey(written));
    if (match !== undefined) return match;
    const suggestion = nearest(written, allowed);
    return new Unreadable(`not one of ${allowed.join(', ')}${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
  };
}

function cellReader(type: FieldType, values: readonly string[] = []): CellReader {
  switch (type) {
    case 'string':
      return (text, start, end) => (start === 0 && end === text.length ? text : text.slice(start, end));
    case 'integer':
      return integerCell;
    case 'number':
      return numberCell;
    case 'boolean':
      return booleanCell;
    case 'date':
      return dateCell;
    case 'datetime':
      return dateTimeCell;
    case 'enum':
      return enumReader(values);
  }
}

/** One cell's text read as a type: the value, or why it cannot be read. */
export function coerceValue(type: FieldType, text: string, values?: readonly string[]): Coerced {
  const value = cellReader(type, values)(text, 0, text.length);
  return value instanceof Unreadable ? { ok: false, reason: value.reason } : { ok: true, value: fieldValue(type, value) };
}

// The small whole numbers exports are full of (ages, counts), by value.
const SMALL_INTEGERS = Array.from({ length: 1000 }, (_, i) => BigInt(i));

/** A cell in one of the usual forms of its type read from the batch's codes (RecordBatch.codes), or undefined to read it from the text. */
function quickValue(type: FieldType, codes: Uint8Array, start: number, end: number): SlotValue | undefined {
  let value: number;
  switch (type) {
    case 'date':
      value = quickDate(codes, start, end);
      break;
    case 'datetime':
      value = quickDateTime(codes, start, end);
      break;
    case 'integer':
      value = quickInteger(codes, start, end);
      return Number.isNaN(value) ? undefined : value < 1000 ? SMALL_INTEGERS[value] : BigInt(value);
    default:
      return undefined;
  }
  return Number.isNaN(value) ? undefined : value;
}

const MAX_SHOWN_VALUE = 60;

/** At most MAX_SHOWN_VALUE characters (code points, as SQL engines count them), then an ellipsis. */
function shown(text: string): string {
  if (text.length <= MAX_SHOWN_VALUE) return text;
  const characters = Array.from(text);
  return characters.length > MAX_SHOWN_VALUE ? `${characters.slice(0, MAX_SHOWN_VALUE).join('')}…` : text;
}

export type CoercedRow = { ok: true; record: CaseRecord } | { ok: false; problems: CellProblem[] };

/**
 * Reads the rubric's cells of each row of one export as their declared types.
 * Other cells are never looked at. Built once per export: the column of each
 * field and the reader of its type are worked out here, not per row.
 */
export class RowReader {
  private readonly readers: CellReader[];
  /** One row's values while it is read. */
  private readonly scratch: SlotValue[];
  /** Where the cell being read lies. */
  private readonly span = cellSpan();
  private readonly types: FieldType[];
  private readonly idSlot: number;
  private readonly areaSlot: number;
  private readonly moderation: { gradeSlot: number; reasonSlot: number } | undefined;

  constructor(
    private readonly file: string,
    private readonly header: readonly string[],
    private readonly plan: ColumnPlan,
    private readonly rubric: CompiledRubric,
  ) {
    this.readers = rubric.fields.map((field) => cellReader(field.type, field.values));
    this.scratch = rubric.fields.map(() => null);
    this.types = rubric.fields.map((field) => field.type);
    const slot = (name: string) => rubric.fields.findIndex((f) => f.name === name);
    this.idSlot = slot(rubric.idField);
    this.areaSlot = slot(rubric.areaField);
    const { moderation } = rubric;
    this.moderation = moderation ? { gradeSlot: moderation.gradeSlot, reasonSlot: slot(moderation.reasonField) } : undefined;
  }

  /** Record `record` of the batch; with `transient`, the record's values are in an array used again for the next row. */
  read(batch: RecordBatch, record: number, transient = false): CoercedRow {
    const { file, header, plan, readers, types } = this;
    const row = batch.row(record);
    const cellCount = batch.cellCount(record);
    if (cellCount !== header.length) {
      const reason = `the row has ${cellCount} cells but the header has ${header.length}`;
      return { ok: false, problems: [{ file, row, column: '', value: '', reason }] };
    }
    const { span } = this;
    const fields = this.rubric.fields;
    // Filled in place, then copied once at its full length unless transient: an array grown by push is copied as it grows.
    const slots = this.scratch;
    let problems: CellProblem[] | undefined;
    for (let i = 0; i < fields.length; i++) {
      const index = plan[i] ?? -1;
      if (index < 0) {
        slots[i] = null;
        continue;
      }
      // The cell is read where it lies in the text, trimmed by moving its ends; only a cell with doubled quotes is copied out first.
      const ascii = batch.locateCodes(record, index, span);
      const { start, end } = span;
      if (start === end) {
        slots[i] = null;
        continue;
      }
      const type = types[i] as FieldType;
      const value = (ascii ? quickValue(type, batch.codes, start, end) : undefined) ?? (readers[i] as CellReader)(span.text, start, end);
      if (isUnreadable(value)) {
        (problems ??= []).push(this.problem(row, i, span.text.slice(start, end), value.reason));
        slots[i] = null;
      } else slots[i] = value;
    }

    const moderation = this.moderation;
    if (moderation && slots[moderation.gradeSlot] != null && slots[moderation.reasonSlot] === null) {
      (problems ??= []).push(this.problem(row, moderation.reasonSlot, '', "a moderated grade needs the moderator's reason"));
    }
    // Empty, not unreadable (which is already a problem of its own).
    if (slots[this.idSlot] === null && this.isEmpty(batch, record, this.idSlot)) (problems ??= []).push(this.problem(row, this.idSlot, '', 'the case reference is empty'));
    if (slots[this.areaSlot] === null && this.isEmpty(batch, record, this.areaSlot)) (problems ??= []).push(this.problem(row, this.areaSlot, '', 'the area is empty, so the case cannot be placed in the table'));
    if (problems) return { ok: false, problems };
    const { idSlot, areaSlot } = this;
    return { ok: true, record: new CaseRecord(file, row, slotText(types[idSlot] as FieldType, slots[idSlot] ?? null), slotText(types[areaSlot] as FieldType, slots[areaSlot] ?? null), transient ? slots : slots.slice(), fields) };
  }

  private isEmpty(batch: RecordBatch, record: number, slot: number): boolean {
    const index = this.plan[slot] ?? -1;
    return index < 0 || batch.cell(record, index).trim() === '';
  }

  private problem(row: number, slot: number, value: string, reason: string): CellProblem {
    const field = this.rubric.fields[slot];
    const index = this.plan[slot] ?? -1;
    return { file: this.file, row, column: this.header[index] ?? field?.headers[0] ?? field?.name ?? '', value: shown(value), reason };
  }
}

/** Reads one row given as cell texts (a RowReader reads many, from the text of an export). */
export function coerceRow(file: string, row: { row: number; cells: string[] }, header: string[], plan: ColumnPlan, rubric: CompiledRubric): CoercedRow {
  return new RowReader(file, header, plan, rubric).read(RecordBatch.of([row.cells], [row.row]), 0);
}
