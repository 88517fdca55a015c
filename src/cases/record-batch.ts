/**
 * Where a trimmed cell lies (RecordBatch.locate): from `start` to `end` of
 * `text`, which is the cell's own when it was copied out, and otherwise its
 * batch's, found only when it is read (a batch's text may not have been
 * decoded: see LazyText).
 */
export class CellSpan {
  start = 0;
  end = 0;
  private source: RecordBatch | string = '';

  get text(): string {
    const { source } = this;
    return typeof source === 'string' ? source : source.text;
  }

  /** Sets where the cell lies: in `source`, a batch's text or the cell's own. */
  place(source: RecordBatch | string, start: number, end: number): void {
    this.source = source;
    this.start = start;
    this.end = end;
  }
}

/** A span to pass to RecordBatch.locate. */
export const cellSpan = (): CellSpan => new CellSpan();

/**
 * A chunk's text, decoded from its bytes the first time it is asked for. A
 * worker reads the ordinary records of a chunk of ASCII from its bytes
 * alone (RecordBatch.codes), so that decoding the whole chunk into a string,
 * and collecting the string, is done only for a chunk that needs it.
 */
export class LazyText {
  private decoded: string | undefined;

  constructor(private readonly decode: () => string) {}

  get text(): string {
    return (this.decoded ??= this.decode());
  }
}

/**
 * Records of an export as positions in one text, read without making a
 * string per cell: most cells are dates, flags and codes that are read
 * straight from the text, and a string for each would be garbage the moment
 * it was read. A cell that was quoted with doubled quotes inside is marked,
 * and is undoubled when its text is asked for.
 *
 * A batch from a CsvRecords reader is good until that reader splits its next
 * chunk (see RecordBuilder.batch).
 */
export class RecordBatch {
  private image: Uint8Array | undefined;

  constructor(
    /** The text the cells are in, or what decodes it when first asked for. */
    private readonly source: string | LazyText,
    /** Number of records. */
    readonly count: number,
    /** The cells of record r are firstCell[r] up to firstCell[r + 1]. */
    readonly firstCell: Int32Array,
    readonly starts: Int32Array,
    readonly ends: Int32Array,
    /** 1 for a cell whose text holds doubled quotes to undo. */
    readonly doubled: Uint8Array,
    /** The row number of the first record (the header is row 1); records follow on. */
    readonly firstRow: number,
    /** Row numbers by record, when they do not simply follow on (a worksheet's rows). */
    private readonly rowNumbers?: Int32Array,
    /** The first record that is a case row: a batch may begin with blank lines and the header. */
    readonly from = 0,
  ) {}

  /** The text the cells are in. */
  get text(): string {
    const { source } = this;
    return typeof source === 'string' ? source : source.text;
  }

  /** The same records, of which the first `from` are not case rows. */
  startingAt(from: number): RecordBatch {
    return new RecordBatch(this.source, this.count, this.firstCell, this.starts, this.ends, this.doubled, this.firstRow, this.rowNumbers, from).withCodes(this.image);
  }

  /** Records `from` up to `to` of this batch, as a batch of their own: the same text, positions and codes, not a copy. */
  slice(from: number, to: number): RecordBatch {
    const rows = this.rowNumbers?.subarray(from, to);
    return new RecordBatch(this.source, to - from, this.firstCell.subarray(from, to + 1), this.starts, this.ends, this.doubled, this.firstRow + from, rows, Math.max(0, this.from - from)).withCodes(this.codes);
  }

  /**
   * The text as one byte a character, at the same positions: an ASCII
   * character as its code, any other as 128. Reading bytes is cheaper than
   * reading the characters of a string, and the values exports are full of
   * (dates, flags, numbers, codes) are ASCII; a cell with anything else at
   * its edges is read from the text (locateCodes).
   */
  get codes(): Uint8Array {
    return (this.image ??= asciiCodes(this.text));
  }

  /** This batch with its codes already known: a chunk of ASCII bytes is its own. */
  withCodes(codes: Uint8Array | undefined): RecordBatch {
    this.image = codes;
    return this;
  }

  row(record: number): number {
    return this.rowNumbers ? (this.rowNumbers[record] as number) : this.firstRow + record;
  }

  cellCount(record: number): number {
    return (this.firstCell[record + 1] as number) - (this.firstCell[record] as number);
  }

  /** Cell `cell` of record `record` as text. */
  cell(record: number, cell: number): string {
    const at = (this.firstCell[record] as number) + cell;
    const text = this.text.slice(this.starts[at], this.ends[at]);
    return this.doubled[at] === 1 ? text.replaceAll('""', '"') : text;
  }

  /**
   * Finds cell `cell` of record `record` trimmed, as `cell(...).trim()` would
   * give it but without making a string: `span` is set to the text it lies
   * in and where it starts and ends there. Only a cell with doubled quotes is
   * copied out, undoubled. `span` is the caller's, used again cell after cell.
   */
  locate(record: number, cell: number, span: CellSpan): void {
    const at = (this.firstCell[record] as number) + cell;
    if (this.doubled[at] === 1) {
      const text = this.cell(record, cell);
      const start = trimmedStart(text, 0, text.length);
      span.place(text, start, trimmedEnd(text, start, text.length));
      return;
    }
    const { text } = this;
    const start = trimmedStart(text, this.starts[at] as number, this.ends[at] as number);
    span.place(this, start, trimmedEnd(text, start, this.ends[at] as number));
  }

  /**
   * As locate, but trimming the codes when it can: true when the cell can be
   * read from `codes` between the span's ends (it has no doubled quotes and
   * no character above ASCII at its trimmed edges), false when it was found
   * in the text by locate and must be read from there.
   */
  locateCodes(record: number, cell: number, span: CellSpan): boolean {
    const at = (this.firstCell[record] as number) + cell;
    const codes = this.codes;
    let start = this.starts[at] as number;
    let end = this.ends[at] as number;
    while (start < end && isAsciiSpace(codes[start] as number)) start++;
    while (end > start && isAsciiSpace(codes[end - 1] as number)) end--;
    if (this.doubled[at] === 1 || (start < end && ((codes[start] as number) | (codes[end - 1] as number)) >= 128)) {
      this.locate(record, cell, span);
      return false;
    }
    span.place(this, start, end);
    return true;
  }

  cells(record: number): string[] {
    return Array.from({ length: this.cellCount(record) }, (_, i) => this.cell(record, i));
  }

  /** A record whose cells are all empty or spaces: a blank line, or a row of empty cells. */
  isBlank(record: number): boolean {
    const last = this.firstCell[record + 1] as number;
    const { codes } = this;
    for (let at = this.firstCell[record] as number; at < last; at++) {
      for (let i = this.starts[at] as number; i < (this.ends[at] as number); i++) {
        const code = codes[i] as number;
        // Beyond ASCII, which may be a space that trim removes: the text decides.
        if (code === 128) return this.isBlankText(record);
        if (!isAsciiSpace(code)) return false;
      }
    }
    return true;
  }

  private isBlankText(record: number): boolean {
    const last = this.firstCell[record + 1] as number;
    for (let at = this.firstCell[record] as number; at < last; at++) {
      if (trimmedStart(this.text, this.starts[at] as number, this.ends[at] as number) < (this.ends[at] as number)) return false;
    }
    return true;
  }

  /** Records given as cell texts, numbered by `rows`. */
  static of(records: readonly (readonly string[])[], rows: readonly number[]): RecordBatch {
    const builder = new RecordBuilder();
    let text = '';
    for (const cells of records) {
      for (const cell of cells) {
        builder.cell(text.length, text.length + cell.length, false);
        text += cell;
      }
      builder.endRecord();
    }
    return builder.batch(text, rows[0] ?? 0, Int32Array.from(rows));
  }
}

/** Collects cell positions as a text is split, in arrays that grow as needed. */
export class RecordBuilder {
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private doubled = new Uint8Array(1024);
  private firstCell = new Int32Array(64);
  private cells = 0;
  private records = 0;

  cell(start: number, end: number, doubled: boolean): void {
    if (this.cells === this.starts.length) {
      this.starts = grown(this.starts, new Int32Array(this.cells * 2));
      this.ends = grown(this.ends, new Int32Array(this.cells * 2));
      this.doubled = grown(this.doubled, new Uint8Array(this.cells * 2));
    }
    this.starts[this.cells] = start;
    this.ends[this.cells] = end;
    this.doubled[this.cells] = doubled ? 1 : 0;
    this.cells++;
  }

  /** Cells of the record being split so far. */
  get cellsInRecord(): number {
    return this.cells - (this.firstCell[this.records] as number);
  }

  endRecord(): void {
    if (this.records + 2 > this.firstCell.length) this.firstCell = grown(this.firstCell, new Int32Array(this.firstCell.length * 2));
    this.records++;
    this.firstCell[this.records] = this.cells;
  }

  /** Forgets the cells of a record that was not completed. */
  dropRecord(): void {
    this.cells = this.firstCell[this.records] as number;
  }

  /**
   * The records so far, over `text`, and a fresh start for the next batch.
   * The batch is a view of this builder's arrays, not a copy: it is good until
   * the builder collects the next one, which is how readers use it (a batch
   * is read through before the next chunk of text is split).
   */
  batch(text: string, firstRow: number, rowNumbers?: Int32Array): RecordBatch {
    const cells = this.cells;
    const batch = new RecordBatch(text, this.records, this.firstCell.subarray(0, this.records + 1), this.starts.subarray(0, cells), this.ends.subarray(0, cells), this.doubled.subarray(0, cells), firstRow, rowNumbers);
    this.cells = 0;
    this.records = 0;
    return batch;
  }
}

function grown<T extends Int32Array | Uint8Array>(array: T, into: T): T {
  into.set(array);
  return into;
}

/** The characters of ASCII that String.prototype.trim removes: tab to carriage return, and space. */
function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

const utf8 = new TextEncoder();

/** RecordBatch.codes of a text. */
function asciiCodes(text: string): Uint8Array {
  const codes = new Uint8Array(text.length);
  // UTF-8 takes a byte for each ASCII character and more for any other, so the text fits only if it is all ASCII.
  if (utf8.encodeInto(text, codes).read !== text.length) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      codes[i] = code < 128 ? code : 128;
    }
  }
  return codes;
}

/** The codes of a text that is all ASCII, to compare with a batch's codes; undefined for any other text, which is compared as text. */
export function asciiCodesOf(text: string): Uint8Array | undefined {
  const codes = new Uint8Array(text.length);
  return utf8.encodeInto(text, codes).read === text.length ? codes : undefined;
}

/** Whether a character is one that String.prototype.trim removes. */
export function isSpace(code: number): boolean {
  if (code > 32 && code < 160) return false;
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** Where the text from `start` to `end` begins once leading spaces are passed (`end` if it is all spaces). */
export function trimmedStart(text: string, start: number, end: number): number {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  return start;
}

/** Where the text from `start` to `end` ends once trailing spaces are dropped. */
export function trimmedEnd(text: string, start: number, end: number): number {
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}
