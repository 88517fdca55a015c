import { CsvRecords, CsvSyntaxError } from './csv-records.js';
import { InputError } from './errors.js';
import type { CaseInput, RawRow } from './input.js';
import { detectDelimiter, notCsvReason } from './sniff.js';

const MAX_RECORD_CHARACTERS = 1_000_000;

function describeSyntaxError(file: string, error: CsvSyntaxError, header: string[] | undefined): InputError {
  const row = error.record;
  const where = `row ${row}${header?.[error.cell] === undefined ? '' : `, column '${header[error.cell]}'`}`;
  switch (error.problem) {
    case 'unclosed-quote':
      return new InputError(`${file}: row ${row}: a quoted cell starts here and is never closed, so the rest of the file cannot be read`);
    case 'record-too-long':
      return new InputError(`${file}: row ${row} is longer than ${MAX_RECORD_CHARACTERS.toLocaleString('en-GB')} characters; a case-file export has no rows that long, so the file cannot be read`);
    case 'text-after-closing-quote':
      return new InputError(`${file}: ${where}: a quote inside a quoted cell is not doubled (write "" for a quote), so the file cannot be read`);
    case 'quote-inside-cell':
      return new InputError(`${file}: ${where}: a cell has a quote in it but does not start with one (a cell with quotes must be in quotes, each quote written ""), so the file cannot be read`);
  }
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/**
 * Streams a CSV export: the delimiter comes from the header line unless
 * given. Rows come in batches, one per chunk of the file, so the per-row cost
 * stays small. Blank lines are skipped but still counted, so row numbers
 * match what a spreadsheet shows.
 */
export async function readCsv(file: string, bytes: AsyncIterable<Buffer>, encoding: string, start: string, delimiter?: string): Promise<CaseInput> {
  if (start.trim() === '') throw new InputError(`${file}: the file is empty; expected a header row and case rows`);
  const notCsv = notCsvReason(start);
  if (notCsv) throw new InputError(`${file}: does not look like a CSV export: ${notCsv}`);
  const records = new CsvRecords(delimiter ?? detectDelimiter(start), MAX_RECORD_CHARACTERS);
  // A byte-order mark is dropped by the decoder.
  const decoder = new TextDecoder(encoding);
  const chunks = bytes[Symbol.asyncIterator]();
  let header: string[] | undefined;
  let ended = false;

  /** The rows of the next chunk (possibly none), or undefined at the end of the file. */
  async function nextRows(): Promise<RawRow[] | undefined> {
    if (ended) return undefined;
    const chunk = await chunks.next();
    let complete: string[][];
    try {
      if (chunk.done) {
        ended = true;
        complete = records.push(decoder.decode());
        complete.push(...records.end());
      } else {
        complete = records.push(decoder.decode(chunk.value, { stream: true }));
      }
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw describeSyntaxError(file, error, header);
      throw error;
    }
    const rows: RawRow[] = [];
    let row = records.recordCount - complete.length;
    for (const cells of complete) {
      row++;
      if (isBlank(cells)) continue;
      if (header === undefined) header = cells;
      else rows.push({ row, cells });
    }
    return rows;
  }

  let first: RawRow[] | undefined = [];
  while (header === undefined && first !== undefined) first = await nextRows();
  if (header === undefined) throw new InputError(`${file}: the file is empty; expected a header row and case rows`);

  async function* batches(): AsyncGenerator<RawRow[]> {
    if (first && first.length > 0) yield first;
    for (let rows = await nextRows(); rows !== undefined; rows = await nextRows()) if (rows.length > 0) yield rows;
  }
  return { file, header, batches: batches() };
}
