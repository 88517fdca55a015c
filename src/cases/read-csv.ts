import { CsvRecords, CsvSyntaxError, type CsvProblem } from './csv-records.js';
import { InputError } from './errors.js';
import type { CaseInput } from './input.js';
import type { RecordBatch } from './record-batch.js';
import { detectDelimiter, notCsvReason } from './sniff.js';

export const MAX_RECORD_CHARACTERS = 1_000_000;

/** The message for a CSV syntax problem at `row` (a record number counted from the top of the file). */
export function describeSyntaxError(file: string, problem: CsvProblem, row: number, cell: number, header: readonly string[] | undefined): InputError {
  const where = `row ${row}${header?.[cell] === undefined ? '' : `, column '${header[cell]}'`}`;
  switch (problem) {
    case 'unclosed-quote':
      return new InputError(`${file}: row ${row}: a quoted cell starts here and is never closed, so the rest of the file cannot be read`);
    case 'quote-open-too-long':
      return new InputError(`${file}: row ${row}: a quoted cell starts here and is not closed within ${MAX_RECORD_CHARACTERS.toLocaleString('en-GB')} characters, so the rest of the file cannot be read`);
    case 'record-too-long':
      return new InputError(`${file}: row ${row} is longer than ${MAX_RECORD_CHARACTERS.toLocaleString('en-GB')} characters; a case-file export has no rows that long, so the file cannot be read`);
    case 'text-after-closing-quote':
      return new InputError(`${file}: ${where}: a quote inside a quoted cell is not doubled (write "" for a quote), so the file cannot be read`);
    case 'quote-inside-cell':
      return new InputError(`${file}: ${where}: a cell has a quote in it but does not start with one (a cell with quotes must be in quotes, each quote written ""), so the file cannot be read`);
  }
}

/**
 * Streams a CSV export: the delimiter comes from the header line unless
 * given. Rows come in batches, one per chunk of the file, so the per-row cost
 * stays small. Blank lines are skipped but still counted, so row numbers
 * match what a spreadsheet shows.
 */
export async function readCsv(file: string, bytes: AsyncIterable<Buffer>, encoding: string, start: string, delimiter?: string): Promise<Omit<CaseInput, 'bytesRead'> & { delimiter: string; headerRecord: number }> {
  const notCsv = notCsvReason(start);
  if (notCsv) throw new InputError(`${file}: does not look like a CSV export: ${notCsv}`);
  const chosenDelimiter = delimiter ?? detectDelimiter(start);
  const records = new CsvRecords(chosenDelimiter, MAX_RECORD_CHARACTERS);
  // A byte-order mark is dropped by the decoder.
  const decoder = new TextDecoder(encoding);
  const chunks = bytes[Symbol.asyncIterator]();
  let header: string[] | undefined;
  let headerRecord = 0;
  let ended = false;

  /** The records of the next chunk (possibly none), or undefined at the end of the file; a syntax problem comes after the records before it. */
  async function nextRecords(): Promise<{ records?: RecordBatch; problem?: InputError } | undefined> {
    if (ended) return undefined;
    const chunk = await chunks.next();
    let complete: RecordBatch;
    let syntax: CsvSyntaxError | undefined;
    try {
      if (chunk.done) {
        ended = true;
        complete = records.end(decoder.decode());
      } else {
        complete = records.push(decoder.decode(chunk.value, { stream: true }));
      }
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      complete = error.recordsBefore;
      syntax = error;
      ended = true;
    }
    let from = 0;
    if (header === undefined) {
      for (; from < complete.count && header === undefined; from++) {
        if (complete.isBlank(from)) continue;
        header = complete.cells(from);
        headerRecord = complete.row(from);
      }
    }
    // Described after the records before it, so that a problem in the header's own chunk can name its column.
    const problem = syntax && describeSyntaxError(file, syntax.problem, syntax.record, syntax.cell, header);
    return { ...(header !== undefined && from < complete.count ? { records: complete.startingAt(from) } : {}), ...(problem ? { problem } : {}) };
  }

  let first: Awaited<ReturnType<typeof nextRecords>> = {};
  while (header === undefined && first !== undefined && !first.problem) first = await nextRecords();
  if (first?.problem && header === undefined) throw first.problem;
  if (header === undefined) throw new InputError(`${file}: the file is empty; expected a header row and case rows`);

  async function* batches(): AsyncGenerator<RecordBatch> {
    for (let next = first; next !== undefined; next = await nextRecords()) {
      if (next.records) yield next.records;
      if (next.problem) throw next.problem;
    }
  }
  return { file, header, batches: batches(), delimiter: chosenDelimiter, headerRecord };
}
