import type { CompiledField } from '../rubric/compile.js';
import { ABSENT, FALSE, TRUE, type Columns } from '../rubric/vectors.js';
import type { ColumnPlan } from './columns.js';
import { booleanCell, dateCell, dateTimeCell, enumReader, integerCell, isUnreadable, numberCell, type CellReader, type SlotValue } from './coerce.js';
import { cellSpan, type RecordBatch } from './record-batch.js';

/** What a record of a batch comes to before its criteria are run. */
export const RECORD = { blank: 0, readInColumns: 1, readOnItsOwn: 2 } as const;

/** A column of a batch for each field of the rubric, grown to the largest batch and used again for the next. */
type Column =
  | { type: 'boolean'; values: Uint8Array }
  | { type: 'number'; values: Float64Array; read: CellReader }
  | { type: 'integer'; values: Float64Array }
  | { type: 'enum'; values: Int32Array; names: readonly string[]; read: CellReader }
  | { type: 'string'; present: Uint8Array; texts: string[] | undefined };

/**
 * The rubric's fields of a whole batch of records read into typed columns,
 * one field at a time: each loop reads cells of one type, and no value is
 * boxed or kept in an object per case. The columns are what compiled vector
 * expressions read (rubric/vectors.ts).
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
      case 'string':
        return column.texts?.[record] ?? (this.batch as RecordBatch).cell(record, this.plan[slot] as number).trim();
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
        return { type: 'number', values: new Float64Array(size), read: field.type === 'number' ? numberCell : field.type === 'date' ? dateCell : dateTimeCell };
      case 'enum':
        return { type: 'enum', values: new Int32Array(size), names: field.values ?? [], read: enumReader(field.values ?? []) };
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
   * finds it, then read as the column's type. One loop for every type, with
   * the type chosen inside it: the choice is the same for every record, so
   * it costs next to nothing, and there is one copy of the finding.
   */
  private readColumn(slot: number, index: number, batch: RecordBatch, records: Uint8Array): void {
    const column = this.columns[slot] as Column;
    const { count } = batch;
    const { span } = this;
    const flags = column.type === 'boolean' ? column.values : undefined;
    const numbers = column.type === 'number' || column.type === 'integer' ? column.values : undefined;
    const choices = column.type === 'enum' ? column.values : undefined;
    const present = column.type === 'string' ? column.present : undefined;
    const texts = column.type === 'string' ? column.texts : undefined;
    const read = column.type === 'number' || column.type === 'enum' ? column.read : column.type === 'integer' ? integerCell : booleanCell;
    const names = column.type === 'enum' ? column.names : [];
    const type = column.type;
    for (let r = 0; r < count; r++) {
      if (records[r] !== RECORD.readInColumns) continue;
      batch.locate(r, index, span);
      const { text: cellText, start, end } = span;
      if (type === 'string') {
        (present as Uint8Array)[r] = start === end ? 0 : 1;
        if (texts && start < end) texts[r] = start === 0 && end === cellText.length ? cellText : cellText.slice(start, end);
        continue;
      }
      if (start === end) {
        if (flags) flags[r] = ABSENT;
        else if (choices) choices[r] = -1;
        else (numbers as Float64Array)[r] = NaN;
        continue;
      }
      const value = read(cellText, start, end);
      if (isUnreadable(value)) records[r] = RECORD.readOnItsOwn;
      else if (flags) flags[r] = value ? TRUE : FALSE;
      else if (choices) choices[r] = names.indexOf(value as string);
      // Whole numbers are compared as numbers, exact up to 2^53; a larger one is read on its own, as a bigint.
      else if (type === 'integer' && !Number.isSafeInteger(Number(value))) records[r] = RECORD.readOnItsOwn;
      else (numbers as Float64Array)[r] = Number(value);
    }
  }
}
