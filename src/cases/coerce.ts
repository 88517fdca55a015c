import { z } from 'zod';
import type { CompiledField, CompiledRubric } from '../rubric/compile.js';
import { calendarDate } from '../rubric/expressions.js';
import type { FieldType } from '../rubric/schema.js';
import type { ColumnPlan } from './columns.js';
import { nearest } from './nearest.js';
import type { RawRow } from './input.js';

/** A cell's value as expressions see it; null means the cell was empty. */
export type FieldValue = string | bigint | number | boolean | Date | null;

/** A case row whose every declared cell was read as its type. */
export interface CaseRecord {
  file: string;
  row: number;
  id: string;
  area: string;
  /** Field name → value. Null prototype: a column called `__proto__` is just a column. */
  values: Record<string, FieldValue>;
}

/** Why one cell of a row could not be used. A row with any problem is rejected, never scored. */
export const CellProblemSchema = z.object({
  file: z.string(),
  row: z.number().int().describe('row number as a spreadsheet shows it: the header is row 1'),
  column: z.string().describe('header text of the column; empty when the problem is the whole row'),
  value: z.string().describe('the cell as written, shortened to 60 characters'),
  reason: z.string(),
});
export type CellProblem = z.infer<typeof CellProblemSchema>;

type Coerced = { ok: true; value: FieldValue } | { ok: false; reason: string };

const TRUE_WORDS = new Set(['y', 'yes', 'true', '1']);
const FALSE_WORDS = new Set(['n', 'no', 'false', '0']);
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d+)$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function dayFirstDate(text: string): Coerced {
  const match = DAY_FIRST.exec(text);
  if (!match) return { ok: false, reason: 'not a date: write it as 03/06/2014 or 2014-06-03' };
  const [day, month, year] = [match[1] ?? '', match[2] ?? '', match[3] ?? ''];
  if (year.length !== 4) return { ok: false, reason: 'the year must have four digits (03/06/2014, not 03/06/14)' };
  const date = calendarDate(Number(year), Number(month), Number(day));
  if (!date) {
    const hint = Number(month) > 12 && Number(day) <= 12 ? ' (dates are read day first: 03/06/2014 is 3 June 2014)' : '';
    return { ok: false, reason: `no such date: day ${Number(day)} of month ${Number(month)}${hint}` };
  }
  return { ok: true, value: date };
}

function readDate(text: string): Coerced {
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const date = calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date ? { ok: true, value: date } : { ok: false, reason: 'no such date' };
  }
  return dayFirstDate(text);
}

/** Times are read as written (UK local wall-clock time) and kept without conversion. */
function readDateTime(text: string): Coerced {
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?Z?$/.exec(text);
  const dayFirst = /^(\d{1,2}\/\d{1,2}\/\d+) (\d{1,2}:\d{2}(?::\d{2})?)$/.exec(text);
  const parts = iso ?? dayFirst;
  if (!parts) {
    return { ok: false, reason: 'not a date and time: write it as 03/06/2014 14:05 or 2014-06-03T14:05' };
  }
  const date = rememberedDate(parts[1] ?? '');
  if (!date.ok) return date;
  const time = TIME.exec(parts[2] ?? '');
  const [hours, minutes, seconds] = [Number(time?.[1]), Number(time?.[2]), Number(time?.[3] ?? 0)];
  if (!time || hours > 23 || minutes > 59 || seconds > 59) return { ok: false, reason: `no such time of day: ${parts[2]}` };
  return { ok: true, value: new Date((date.value as Date).getTime() + ((hours * 60 + minutes) * 60 + seconds) * 1000) };
}

/**
 * Exports repeat the same dates over and over, and reading one is among the
 * costliest parts of a row; results are remembered, a bounded number of them,
 * so memory stays flat however long the file. Dates are never changed once
 * read, so sharing one is safe.
 */
const MAX_REMEMBERED = 50_000;
const rememberedDates = new Map<string, Coerced>();

function rememberedDate(text: string): Coerced {
  let result = rememberedDates.get(text);
  if (result === undefined) {
    result = readDate(text);
    if (rememberedDates.size >= MAX_REMEMBERED) rememberedDates.clear();
    rememberedDates.set(text, result);
  }
  return result;
}

// Shared results for the commonest cells: a row allocates less.
const YES: Coerced = { ok: true, value: true };
const NO: Coerced = { ok: true, value: false };

/** "Requires improvement", "requires_improvement" and "REQUIRES-IMPROVEMENT" are one value. */
const enumKey = (v: string) => v.toLowerCase().replace(/[\s_-]+/g, '-');
const enumLookups = new WeakMap<readonly string[], Map<string, string>>();
function enumLookup(values: readonly string[]): Map<string, string> {
  let lookup = enumLookups.get(values);
  if (!lookup) {
    lookup = new Map(values.map((v) => [enumKey(v), v]));
    enumLookups.set(values, lookup);
  }
  return lookup;
}

export function coerceValue(type: FieldType, text: string, values?: readonly string[]): Coerced {
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'integer':
      if (/^[+-]?\d+$/.test(text)) return { ok: true, value: BigInt(text) };
      return { ok: false, reason: /^[+-]?\d{1,3}(,\d{3})+$/.test(text) ? 'write whole numbers without thousands separators' : 'not a whole number' };
    case 'number':
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return { ok: true, value: Number(text) };
      return { ok: false, reason: /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? 'write numbers without thousands separators' : 'not a number' };
    case 'boolean': {
      if (text === 'Y') return YES;
      if (text === 'N') return NO;
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return YES;
      if (FALSE_WORDS.has(word)) return NO;
      return { ok: false, reason: 'not yes or no: write Y, N, Yes, No, true, false, 1 or 0' };
    }
    case 'date':
      return rememberedDate(text);
    case 'datetime':
      // Date-times are mostly distinct (to the minute), so they are not remembered.
      return readDateTime(text);
    case 'enum': {
      const allowed = values ?? [];
      const match = enumLookup(allowed).get(enumKey(text));
      if (match !== undefined) return { ok: true, value: match };
      const suggestion = nearest(text, allowed);
      return { ok: false, reason: `not one of ${allowed.join(', ')}${suggestion ? `; did you mean '${suggestion}'?` : ''}` };
    }
  }
}

const MAX_SHOWN_VALUE = 60;

function shown(text: string): string {
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text;
}

export type CoercedRow = { ok: true; record: CaseRecord } | { ok: false; problems: CellProblem[] };

/** Reads the rubric's cells of one row as their declared types. Other cells are never looked at. */
export function coerceRow(file: string, raw: RawRow, header: string[], plan: ColumnPlan, rubric: CompiledRubric): CoercedRow {
  if (raw.cells.length !== header.length) {
    const reason = `the row has ${raw.cells.length} cells but the header has ${header.length}`;
    return { ok: false, problems: [{ file, row: raw.row, column: '', value: '', reason }] };
  }
  const values: Record<string, FieldValue> = Object.create(null);
  const problems: CellProblem[] = [];
  const problem = (field: CompiledField, index: number, value: string, reason: string) =>
    problems.push({ file, row: raw.row, column: header[index] ?? field.headers[0] ?? field.name, value: shown(value), reason });

  rubric.fields.forEach((field, i) => {
    const index = plan[i] ?? -1;
    const text = (raw.cells[index] ?? '').trim();
    if (text === '') {
      values[field.name] = null;
      return;
    }
    const coerced = coerceValue(field.type, text, field.values);
    if (coerced.ok) values[field.name] = coerced.value;
    else problem(field, index, text, coerced.reason);
  });

  const moderation = rubric.moderation;
  if (moderation && values[moderation.gradeField] !== null && values[moderation.gradeField] !== undefined && values[moderation.reasonField] === null) {
    const field = rubric.fields.find((f) => f.name === moderation.reasonField);
    const index = plan[rubric.fields.findIndex((f) => f.name === moderation.reasonField)] ?? -1;
    if (field) problem(field, index, '', 'a moderated grade needs the moderator\'s reason');
  }
  for (const role of ['idField', 'areaField'] as const) {
    const name = rubric[role];
    if (values[name] === null) {
      const field = rubric.fields.find((f) => f.name === name);
      const index = plan[rubric.fields.findIndex((f) => f.name === name)] ?? -1;
      if (field) problem(field, index, '', role === 'idField' ? 'the case reference is empty' : 'the area is empty, so the case cannot be placed in the table');
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, record: { file, row: raw.row, id: String(values[rubric.idField]), area: String(values[rubric.areaField]), values } };
}
