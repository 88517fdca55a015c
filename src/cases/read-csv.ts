import { parse, CsvError } from 'csv-parse';
import { Readable } from 'node:stream';
import { InputError } from './errors.js';
import type { CaseInput, RawRow } from './input.js';
import { detectDelimiter, notCsvReason } from './sniff.js';

const MAX_RECORD_CHARACTERS = 1_000_000;

function describeCsvError(file: string, error: CsvError): InputError {
  const row = Number(error['records'] ?? 0) + 1;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new InputError(`${file}: row ${row}: a quoted cell starts here and is never closed, so the rest of the file cannot be read`);
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new InputError(`${file}: row ${row} is longer than ${MAX_RECORD_CHARACTERS.toLocaleString('en-GB')} characters; a case-file export has no rows that long, so the file cannot be read`);
  }
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return new InputError(`${file}: row ${row}: a quote inside a quoted cell is not doubled (write "" for a quote), so the file cannot be read`);
  }
  return new InputError(`${file}: row ${row}: the file is not valid CSV (${error.message.split('\n')[0]})`);
}

function isBlank(cells: string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/** Decodes bytes in the detected encoding; a byte-order mark is dropped. */
async function* decode(source: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of source) yield decoder.decode(chunk, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * Streams a CSV export: the delimiter comes from the header line unless
 * given. Blank lines are skipped but still counted, so row numbers match what
 * a spreadsheet shows.
 */
export async function readCsv(file: string, bytes: AsyncIterable<Buffer>, encoding: string, start: string, delimiter?: string): Promise<CaseInput> {
  if (start.trim() === '') throw new InputError(`${file}: the file is empty; expected a header row and case rows`);
  const notCsv = notCsvReason(start);
  if (notCsv) throw new InputError(`${file}: does not look like a CSV export: ${notCsv}`);
  const parser = Readable.from(decode(bytes, encoding)).pipe(
    parse({ delimiter: delimiter ?? detectDelimiter(start), relax_column_count: true, max_record_size: MAX_RECORD_CHARACTERS }),
  );
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  // Every record counts, blank ones included, so the count is the row number a spreadsheet shows.
  let row = 0;
  const next = async () => {
    try {
      const item = await records.next();
      if (!item.done) row++;
      return item;
    } catch (error) {
      if (error instanceof CsvError) throw describeCsvError(file, error);
      throw error;
    }
  };

  let first = await next();
  while (!first.done && isBlank(first.value)) first = await next();
  if (first.done) throw new InputError(`${file}: the file is empty; expected a header row and case rows`);

  async function* rows(): AsyncGenerator<RawRow> {
    for (let item = await next(); !item.done; item = await next()) {
      if (!isBlank(item.value)) yield { row, cells: item.value };
    }
  }
  return { file, header: first.value, rows: rows() };
}
