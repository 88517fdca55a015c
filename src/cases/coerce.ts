import type { CompiledField, CompiledRubric } from '../rubric/compile.js';
import type { CellProblem } from '../output-schemas.js';
import { calendarDate } from '../rubric/dates.js';
import type { FieldType } from '../rubric/schema.js';
import type { ColumnPlan } from './columns.js';
import { nearest } from './nearest.js';
import type { RawRow } from './input.js';

/** A cell's value as expressions see it; null means the cell was empty. */
export type FieldValue = string | bigint | number | boolean | Date | null;

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
    /** Values in the order of the rubric's fields. */
    readonly slots: readonly FieldValue[],
    private readonly fields: readonly CompiledField[],
  ) {}

  /** Field name → value. Null prototype: a column called `__proto__` is just a column. */
  get values(): Record<string, FieldValue> {
    if (!this.byName) {
      const values: Record<string, FieldValue> = Object.create(null);
      this.fields.forEach((field, i) => (values[field.name] = this.slots[i] ?? null));
      this.byName = values;
    }
    return this.byName;
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

type CellValue = FieldValue | Unreadable;

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

// Dates are never changed once read, so one Date object is safely shared by every cell with that day.
const datesByDay = new Remembered<number, Date>(50_000);
const datesByText = new Remembered<string, CellValue>(50_000);
const integers = new Remembered<string, bigint>(10_000);

function dayFirstDate(text: string): CellValue {
  const match = DAY_FIRST.exec(text);
  if (!match) return new Unreadable('not a date: write it as 03/06/2014 or 2014-06-03');
  const [day, month, year] = [match[1] ?? '', match[2] ?? '', match[3] ?? ''];
  if (year.length !== 4) return new Unreadable('the year must have four digits (03/06/2014, not 03/06/14)');
  const date = calendarDate(Number(year), Number(month), Number(day));
  if (!date) {
    const hint = Number(month) > 12 && Number(day) <= 12 ? ' (dates are read day first: 03/06/2014 is 3 June 2014)' : '';
    return new Unreadable(`no such date: day ${Number(day)} of month ${Number(month)}${hint}`);
  }
  return datesByDay.get(date.getTime() / DAY_MS, () => date);
}

/** Any date form the tool accepts, with the reason when it is not one. */
function readDate(text: string): CellValue {
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const date = calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date ? datesByDay.get(date.getTime() / DAY_MS, () => date) : new Unreadable('no such date');
  }
  return dayFirstDate(text);
}

const digit = (text: string, at: number) => {
  const code = text.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : NaN;
};
const twoDigits = (text: string, at: number) => digit(text, at) * 10 + digit(text, at + 1);

/**
 * Days since 1970 of the ten-character forms exports use, 2014-06-03 and
 * 03/06/2014, at the start of the text; NaN for anything else, which then takes the general path with
 * its reasons. Arithmetic on character codes: no regular expression, no
 * string made, in the commonest case of a row.
 */
function quickDay(text: string): number {
  let year: number;
  let month: number;
  let day: number;
  if (text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
    month = twoDigits(text, 5);
    day = twoDigits(text, 8);
  } else if (text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47) {
    day = twoDigits(text, 0);
    month = twoDigits(text, 3);
    year = twoDigits(text, 6) * 100 + twoDigits(text, 8);
  } else return NaN;
  // Years before 100 are left to the general path, which reads them as Date.UTC does.
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
  return daysFromCivil(year, month, day);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function dateCell(text: string): CellValue {
  const day = text.length === 10 ? quickDay(text) : NaN;
  if (day === day) return datesByDay.get(day, () => new Date(day * DAY_MS));
  return datesByText.get(text, readDate);
}

/** Seconds into the day of HH:MM or HH:MM:SS at `at` to the end of the text; NaN otherwise. */
function quickTime(text: string, at: number): number {
  const length = text.length - at;
  if ((length !== 5 && length !== 8) || text.charCodeAt(at + 2) !== 58) return NaN;
  const hours = twoDigits(text, at);
  const minutes = twoDigits(text, at + 3);
  let seconds = 0;
  if (length === 8) {
    if (text.charCodeAt(at + 5) !== 58) return NaN;
    seconds = twoDigits(text, at + 6);
  }
  return hours <= 23 && minutes <= 59 && seconds <= 59 ? (hours * 60 + minutes) * 60 + seconds : NaN;
}

/** Times are read as written (UK local wall-clock time) and kept without conversion. */
function dateTimeCell(text: string): CellValue {
  const separator = text.charCodeAt(10);
  const iso = text.charCodeAt(4) === 45;
  if (separator === 32 || (iso && separator === 84)) {
    const day = quickDay(text);
    const seconds = quickTime(text, 11);
    if (day === day && seconds === seconds) return new Date(day * DAY_MS + seconds * 1000);
  }
  return readDateTime(text);
}

function readDateTime(text: string): CellValue {
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?Z?$/.exec(text);
  const dayFirst = /^(\d{1,2}\/\d{1,2}\/\d+) (\d{1,2}:\d{2}(?::\d{2})?)$/.exec(text);
  const parts = iso ?? dayFirst;
  if (!parts) return new Unreadable('not a date and time: write it as 03/06/2014 14:05 or 2014-06-03T14:05');
  const date = dateCell(parts[1] ?? '');
  if (date instanceof Unreadable) return date;
  const time = TIME.exec(parts[2] ?? '');
  const [hours, minutes, seconds] = [Number(time?.[1]), Number(time?.[2]), Number(time?.[3] ?? 0)];
  if (!time || hours > 23 || minutes > 59 || seconds > 59) return new Unreadable(`no such time of day: ${parts[2]}`);
  return new Date((date as Date).getTime() + ((hours * 60 + minutes) * 60 + seconds) * 1000);
}

function booleanCell(text: string): CellValue {
  if (text === 'Y') return true;
  if (text === 'N') return false;
  const word = text.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return new Unreadable('not yes or no: write Y, N, Yes, No, true, false, 1 or 0');
}

function integerCell(text: string): CellValue {
  if (/^[+-]?\d+$/.test(text)) return text.length <= 6 ? integers.get(text, BigInt) : BigInt(text);
  return new Unreadable(/^[+-]?\d{1,3}(,\d{3})+$/.test(text) ? 'write whole numbers without thousands separators' : 'not a whole number');
}

function numberCell(text: string): CellValue {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  return new Unreadable(/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? 'write numbers without thousands separators' : 'not a number');
}

/** "Requires improvement", "requires_improvement" and "REQUIRES-IMPROVEMENT" are one value. */
const enumKey = (v: string) => v.toLowerCase().replace(/[\s_-]+/g, '-');

function enumReader(allowed: readonly string[]): (text: string) => CellValue {
  const byKey = new Map(allowed.map((v) => [enumKey(v), v]));
  // Exports mostly write the values exactly as the rubric does: look those up before normalising.
  const exact = new Map(allowed.map((v) => [v, v]));
  return (text) => {
    const match = exact.get(text) ?? byKey.get(enumKey(text));
    if (match !== undefined) return match;
    const suggestion = nearest(text, allowed);
    return new Unreadable(`not one of ${allowed.join(', ')}${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
  };
}

function cellReader(type: FieldType, values: readonly string[] = []): (text: string) => CellValue {
  switch (type) {
    case 'string':
      return (text) => text;
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
  const value = cellReader(type, values)(text);
  return value instanceof Unreadable ? { ok: false, reason: value.reason } : { ok: true, value };
}

const MAX_SHOWN_VALUE = 60;

function shown(text: string): string {
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text;
}

export type CoercedRow = { ok: true; record: CaseRecord } | { ok: false; problems: CellProblem[] };

/**
 * Reads the rubric's cells of each row of one export as their declared types.
 * Other cells are never looked at. Built once per export: the column of each
 * field and the reader of its type are worked out here, not per row.
 */
export class RowReader {
  private readonly readers: ((text: string) => CellValue)[];
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
    this.types = rubric.fields.map((field) => field.type);
    const slot = (name: string) => rubric.fields.findIndex((f) => f.name === name);
    this.idSlot = slot(rubric.idField);
    this.areaSlot = slot(rubric.areaField);
    const { moderation } = rubric;
    this.moderation = moderation ? { gradeSlot: moderation.gradeSlot, reasonSlot: slot(moderation.reasonField) } : undefined;
  }

  read(raw: RawRow): CoercedRow {
    const { file, header, plan, readers, types } = this;
    const { cells, row } = raw;
    if (cells.length !== header.length) {
      const reason = `the row has ${cells.length} cells but the header has ${header.length}`;
      return { ok: false, problems: [{ file, row, column: '', value: '', reason }] };
    }
    const fields = this.rubric.fields;
    // Filled in order by push, so the engine keeps it a plain packed array.
    const slots: FieldValue[] = [];
    let problems: CellProblem[] | undefined;
    for (let i = 0; i < fields.length; i++) {
      const index = plan[i] ?? -1;
      const text = (cells[index] ?? '').trim();
      if (text === '') {
        slots.push(null);
        continue;
      }
      // The commonest types are called directly, so that the engine can inline them; the rest through their reader.
      const type = types[i];
      const value = type === 'boolean' ? booleanCell(text) : type === 'date' ? dateCell(text) : type === 'datetime' ? dateTimeCell(text) : (readers[i] as (text: string) => CellValue)(text);
      if (value instanceof Unreadable) {
        (problems ??= []).push(this.problem(row, i, text, value.reason));
        slots.push(null);
      } else slots.push(value);
    }

    const moderation = this.moderation;
    if (moderation && slots[moderation.gradeSlot] != null && slots[moderation.reasonSlot] === null) {
      (problems ??= []).push(this.problem(row, moderation.reasonSlot, '', "a moderated grade needs the moderator's reason"));
    }
    // Empty, not unreadable (which is already a problem of its own).
    if (slots[this.idSlot] === null && isEmpty(cells, plan, this.idSlot)) (problems ??= []).push(this.problem(row, this.idSlot, '', 'the case reference is empty'));
    if (slots[this.areaSlot] === null && isEmpty(cells, plan, this.areaSlot)) (problems ??= []).push(this.problem(row, this.areaSlot, '', 'the area is empty, so the case cannot be placed in the table'));
    if (problems) return { ok: false, problems };
    return { ok: true, record: new CaseRecord(file, row, String(slots[this.idSlot]), String(slots[this.areaSlot]), slots, fields) };
  }

  private problem(row: number, slot: number, value: string, reason: string): CellProblem {
    const field = this.rubric.fields[slot];
    const index = this.plan[slot] ?? -1;
    return { file: this.file, row, column: this.header[index] ?? field?.headers[0] ?? field?.name ?? '', value: shown(value), reason };
  }
}

function isEmpty(cells: string[], plan: ColumnPlan, slot: number): boolean {
  return (cells[plan[slot] ?? -1] ?? '').trim() === '';
}

/** Reads one row (a RowReader reads many). */
export function coerceRow(file: string, raw: RawRow, header: string[], plan: ColumnPlan, rubric: CompiledRubric): CoercedRow {
  return new RowReader(file, header, plan, rubric).read(raw);
}
