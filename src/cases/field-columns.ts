import type { CompiledField } from '../rubric/compile.js';
import { ABSENT, FALSE, TRUE, type Columns } from '../rubric/vectors.js';
import type { ColumnPlan } from './columns.js';
import { booleanCell, dateCell, dateTimeCell, enumReader, isUnreadable, numberCell, quickDate, quickDateTime, quickFlag, quickInteger, safeIntegerCell, type CellReader, type SlotValue } from './coerce.js';
import { asciiCodesOf, cellSpan, type RecordBatch } from './record-batch.js';

/** What a record of a batch comes to before its criteria are run. */
export const RECORD = { blank: 0, readInColumns: 1, readOnItsOwn: 2 } as const;

/** Reads the usual forms of a type's cells without making a value: NaN for any other (see quickDate). */
type QuickReader = (codes: Uint8Array, start: number, end: number) => number;

/** A column of a batch for each field of the rubric, grown to the largest batch and used again for the next. */
type Column =
  | { type: 'boolean'; values: Uint8Array }
  | { type: 'number'; values: Float64Array; quick: QuickReader; read: CellReader }
  | { type: 'integer'; values: Float64Array }
  | { type: 'enum'; values: Int32Array; names: readonly string[]; spellings: readonly (Uint8Array | undefined)[]; read: CellReader }
  | { type: 'string'; present: Uint8Array; texts: string[] | undefined };

/**
 * The rubric's fields of a whole batch of records read into typed columns,
 * one field at a time: each loop reads cells of one type, and no value is
 * boxed or kept in an object per case. The columns are what compiled vector
 * expressions read (rubric/vectors.ts).
 *
 * Each loop looks first at a cell as it was split, before it is trimmed: a
 * cell that is empty, Y or N, in a form a quick reader takes (which has no
 * spaces at its ends and no quotes to undo), or spelt as an enum value is
 * what it would be once trimmed, and is read without finding its trimmed
 * ends (RecordBatch.locateCodes). Most cells of an export are.
 *
 * Only records marked `readInColumns` are read. A cell that cannot be read
 * as its type marks its record `readOnItsOwn`, and the record is then read
 * by RowReader, which says what is wrong with it: this reads the good
 * records fast and leaves every message to the one place that writes them.
 */
export class FieldColumns implements Columns {
  private readonly columns: Column[];
  private capacity = 0;
  /** Where the cell being read lies. */
  private readonly span = cellSpan();
  private batch: RecordBatch | undefined;

  constructor(
    private readonly fields: readonly CompiledField[],
    private readonly plan: ColumnPlan,
    /** String fields whose text expressions compare; of the others only whether they are empty is kept. */
    private readonly textSlots: ReadonlySet<number>,
    readonly asOf: number,
  ) {
    this.columns = fields.map((field) => this.column(field, 0));
  }

  flags(slot: number): Uint8Array {
    return (this.columns[slot] as Extract<Column, { type: 'boolean' }>).values;
  }

  numbers(slot: number): Float64Array {
    return (this.columns[slot] as Extract<Column, { type: 'number' | 'integer' }>).values;
  }

  choices(slot: number): Int32Array {
    return (this.columns[slot] as Extract<Column, { type: 'enum' }>).values;
  }

  present(slot: number): Uint8Array {
    return (this.columns[slot] as Extract<Column, { type: 'string' }>).present;
  }

  texts(slot: number): readonly string[] {
    return (this.columns[slot] as Extract<Column, { type: 'string' }>).texts ?? [];
  }

  /** Reads the records of the batch marked `readInColumns` in `records`. */
  read(batch: RecordBatch, records: Uint8Array): void {
    this.batch = batch;
    const count = batch.count;
    if (count > this.capacity) this.grow(count);
    for (let slot = 0; slot < this.fields.length; slot++) {
      const index = this.plan[slot] ?? -1;
      if (index < 0) this.clear(slot, count);
      else this.readColumn(slot, index, batch, records);
    }
  }

  /** Whether the field is empty for this record. */
  isEmpty(slot: number, record: number): boolean {
    const column = this.columns[slot] as Column;
    switch (column.type) {
      case 'boolean':
        return column.values[record] === ABSENT;
      case 'enum':
        return (column.values[record] as number) < 0;
      case 'string':
        return column.present[record] === 0;
      default:
        return Number.isNaN(column.values[record]);
    }
  }

  /** One field of one record as the case-by-case path holds it (integers as bigints, timestamps in milliseconds). */
  value(slot: number, record: number): SlotValue {
    if (this.isEmpty(slot, record)) return null;
    const column = this.columns[slot] as Column;
    switch (column.type) {
      case 'boolean':
        return column.values[record] === TRUE;
      case 'integer':
        return BigInt(column.values[record] as number);
      case 'number':
        return column.values[record] as number;
      case 'enum':
        return column.names[column.values[record] as number] ?? null;
      case 'string': {
        const kept = column.texts?.[record];
        if (kept !== undefined) return kept;
        // Found trimmed in place, so that only the value itself is made: this runs for every case's reference.
        const { span } = this;
        (this.batch as RecordBatch).locate(record, this.plan[slot] as number, span);
        return span.start === 0 && span.end === span.text.length ? span.text : span.text.slice(span.start, span.end);
      }
    }
  }

  private column(field: CompiledField, size: number): Column {
    switch (field.type) {
      case 'boolean':
        return { type: 'boolean', values: new Uint8Array(size) };
      case 'integer':
        return { type: 'integer', values: new Float64Array(size) };
      case 'number':
      case 'date':
      case 'datetime':
        return field.type === 'date'
          ? { type: 'number', values: new Float64Array(size), quick: quickDate, read: dateCell }
          : field.type === 'datetime'
            ? { type: 'number', values: new Float64Array(size), quick: quickDateTime, read: dateTimeCell }
            : { type: 'number', values: new Float64Array(size), quick: () => NaN, read: numberCell };
      case 'enum':
        return { type: 'enum', values: new Int32Array(size), names: field.values ?? [], spellings: (field.values ?? []).map(asciiSpelling), read: enumReader(field.values ?? []) };
      case 'string':
        return { type: 'string', present: new Uint8Array(size), texts: this.textSlots.has(this.fields.indexOf(field)) ? new Array<string>(size) : undefined };
    }
  }

  private grow(count: number): void {
    this.capacity = Math.max(count, 2 * this.capacity);
    this.fields.forEach((field, slot) => (this.columns[slot] = this.column(field, this.capacity)));
  }

  /** A column the export does not have: empty for every record. */
  private clear(slot: number, count: number): void {
    const column = this.columns[slot] as Column;
    if (column.type === 'boolean') column.values.fill(ABSENT, 0, count);
    else if (column.type === 'enum') column.values.fill(-1, 0, count);
    else if (column.type === 'string') column.present.fill(0, 0, count);
    else column.values.fill(NaN, 0, count);
  }

  /**
   * Reads one column: each record's cell found and trimmed as RowReader
   * finds it (RecordBatch.locate), then read as the column's type. A loop
   * for each type, so that the usual forms (Y and N, short whole numbers,
   * dates and date-times in the usual forms, enum values spelt as in the
   * rubric) are read straight into the typed column without a value being
   * made; anything else goes through the type's general reader, which also
   * decides when a cell cannot be read.
   */
  private readColumn(slot: number, index: number, batch: RecordBatch, records: Uint8Array): void {
    const column = this.columns[slot] as Column;
    switch (column.type) {
      case 'boolean':
        return this.readFlags(column.values, index, batch, records);
      case 'integer':
        // Whole numbers are compared as numbers, exact up to 2^53; a larger one is read on its own, as a bigint.
        return this.readNumbers(column.values, quickInteger, safeIntegerCell, index, batch, records);
      case 'number':
        return this.readNumbers(column.values, column.quick, column.read, index, batch, records);
      case 'enum':
        return this.readChoices(column.values, column.names, column.spellings, column.read, index, batch, records);
      case 'string':
        return this.readTexts(column.present, column.texts, index, batch, records);
    }
  }

  private readFlags(values: Uint8Array, index: number, batch: RecordBatch, records: Uint8Array): void {
    const { span } = this;
    const { codes, firstCell, starts, ends } = batch;
    for (let r = 0; r < batch.count; r++) {
      if (records[r] !== RECORD.readInColumns) continue;
      // The cell as split, before it is trimmed (see FieldColumns): empty, Y or N needs nothing more.
      const at = (firstCell[r] as number) + index;
      const raw = (ends[at] as number) - (starts[at] as number);
      if (raw === 0) {
        values[r] = ABSENT;
        continue;
      }
      if (raw === 1) {
        const only = codes[starts[at] as number];
        if (only === 89 || only === 78) {
          values[r] = only === 89 ? TRUE : FALSE;
          continue;
        }
      }
      const ascii = batch.locateCodes(r, index, span);
      const { start, end } = span;
      const flag = ascii && start < end ? quickFlag(codes, start, end) : -1;
      if (start === end) values[r] = ABSENT;
      else if (flag === 1) values[r] = TRUE;
      else if (flag === 0) values[r] = FALSE;
      else {
        const value = booleanCell(span.text, start, end);
        if (isUnreadable(value)) records[r] = RECORD.readOnItsOwn;
        else values[r] = value ? TRUE : FALSE;
      }
    }
  }

  /** Numbers, whole numbers, dates and date-times: `quick` reads the usual forms from the codes (NaN otherwise), `read` any form from the text. */
  private readNumbers(values: Float64Array, quick: QuickReader, read: CellReader, index: number, batch: RecordBatch, records: Uint8Array): void {
    const { span } = this;
    const { codes, firstCell, starts, ends } = batch;
    for (let r = 0; r < batch.count; r++) {
      if (records[r] !== RECORD.readInColumns) continue;
      // The cell as split, before it is trimmed (see FieldColumns): empty, or in a form the quick reader takes, needs nothing more.
      const at = (firstCell[r] as number) + index;
      const direct = (ends[at] as number) > (starts[at] as number) ? quick(codes, starts[at] as number, ends[at] as number) : NaN;
      if (!Number.isNaN(direct) || starts[at] === ends[at]) {
        values[r] = direct;
        continue;
      }
      const ascii = batch.locateCodes(r, index, span);
      const { start, end } = span;
      if (start === end) {
        values[r] = NaN;
        continue;
      }
      const number = ascii ? quick(codes, start, end) : NaN;
      if (!Number.isNaN(number)) {
        values[r] = number;
        continue;
      }
      const value = read(span.text, start, end);
      if (isUnreadable(value)) records[r] = RECORD.readOnItsOwn;
      else values[r] = value as number;
    }
  }

  private readChoices(values: Int32Array, names: readonly string[], spellings: readonly (Uint8Array | undefined)[], read: CellReader, index: number, batch: RecordBatch, records: Uint8Array): void {
    const { span } = this;
    const { codes, firstCell, starts, ends, doubled } = batch;
    for (let r = 0; r < batch.count; r++) {
      if (records[r] !== RECORD.readInColumns) continue;
      // The cell as split, before it is trimmed (see FieldColumns): empty, or a value spelt as the rubric spells it, needs nothing more.
      const at = (firstCell[r] as number) + index;
      if (starts[at] === ends[at]) {
        values[r] = -1;
        continue;
      }
      const direct = doubled[at] === 0 ? spelt(spellings, codes, starts[at] as number, ends[at] as number) : -1;
      if (direct >= 0) {
        values[r] = direct;
        continue;
      }
      const ascii = batch.locateCodes(r, index, span);
      const { start, end } = span;
      if (start === end) {
        values[r] = -1;
        continue;
      }
      const quick = ascii ? spelt(spellings, codes, start, end) : -1;
      if (quick >= 0) {
        values[r] = quick;
        continue;
      }
      const value = read(span.text, start, end);
      if (isUnreadable(value)) records[r] = RECORD.readOnItsOwn;
      else values[r] = names.indexOf(value as string);
    }
  }

  /** Whether each cell is empty (found in the codes where it can be), and the text itself where an expression compares it. */
  private readTexts(present: Uint8Array, texts: string[] | undefined, index: number, batch: RecordBatch, records: Uint8Array): void {
    const { span } = this;
    for (let r = 0; r < batch.count; r++) {
      if (records[r] !== RECORD.readInColumns) continue;
      batch.locateCodes(r, index, span);
      const { start, end } = span;
      present[r] = start === end ? 0 : 1;
      if (texts && start < end) {
        const { text } = span;
        texts[r] = start === 0 && end === text.length ? text : text.slice(start, end);
      }
    }
  }
}

/**
 * An enum value's codes, to find it spelt exactly so in a cell's codes; none
 * for a value with more than ASCII, which is matched in the text, or with
 * spaces at either end, which a cell loses when it is trimmed.
 */
function asciiSpelling(value: string): Uint8Array | undefined {
  return value === value.trim() ? asciiCodesOf(value) : undefined;
}

/** The index of the enum value spelt exactly as the codes from `start` to `end`, or -1. */
function spelt(spellings: readonly (Uint8Array | undefined)[], codes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  for (let i = 0; i < spellings.length; i++) {
    const spelling = spellings[i];
    if (spelling === undefined || spelling.length !== length) continue;
    let k = 0;
    while (k < length && spelling[k] === codes[start + k]) k++;
    if (k === length) return i;
  }
  return -1;
}
