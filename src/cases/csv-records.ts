/**
 * Splits CSV text into records, chunk by chunk, as RFC 4180 says and as Excel
 * writes it: cells in quotes may hold delimiters, line breaks and doubled
 * quotes; records end at CRLF, LF or CR.
 *
 * Written here rather than taken from a library: csv-parse reads about a
 * quarter as fast (docs/performance.md), and papaparse, which is fast, cannot
 * say which record an unclosed quote began in or stop at a size limit before
 * holding the whole record, which is how a broken or hostile file must be
 * refused. The scanning follows papaparse: `indexOf` finds the next
 * delimiter, line break and quote, so long cells cost little.
 */

import { type RecordBatch, RecordBuilder } from './record-batch.js';

export type CsvProblem = 'unclosed-quote' | 'quote-open-too-long' | 'record-too-long' | 'text-after-closing-quote' | 'quote-inside-cell';

/** Why the text is not CSV; `record` is the 1-based number of the record it happened in. */
export class CsvSyntaxError extends Error {
  /** The complete records of the same chunk before the problem: they are read like any others. */
  recordsBefore: RecordBatch = new RecordBuilder().batch('', 1);

  constructor(
    readonly problem: CsvProblem,
    readonly record: number,
    /** 0-based index of the cell, for the problems inside one cell. */
    readonly cell: number,
  ) {
    super(`${problem} in record ${record}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Where the text ran out before the record did: wait for the next chunk. */
const INCOMPLETE = -1;

export class CsvRecords {
  /** Records completed so far, blank ones included: the row number of the last one. */
  recordCount = 0;
  private pending = '';
  private readonly delimiterCode: number;
  constructor(
    private readonly delimiter: string,
    private readonly maxRecordCharacters: number,
    /** Where cell positions are collected; a reader of many chunks one after another passes the same one, whose arrays have grown to size. */
    private readonly builder = new RecordBuilder(),
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** The records this chunk completes; a record cut off at the end waits for the next chunk. */
  push(chunk: string): RecordBatch {
    return this.split(this.pending + chunk, false);
  }

  /** The records of the last text, the last of them ending where the text does, with or without a line break. */
  end(last = ''): RecordBatch {
    return this.split(this.pending + last, true);
  }

  private split(text: string, final: boolean): RecordBatch {
    const firstRow = this.recordCount + 1;
    try {
      this.splitInto(text, final);
      return this.builder.batch(text, firstRow);
    } catch (error) {
      this.builder.dropRecord();
      const before = this.builder.batch(text, firstRow);
      if (error instanceof CsvSyntaxError) error.recordsBefore = before;
      throw error;
    }
  }

  /** Records the positions of the complete records' cells in the builder. */
  private splitInto(text: string, final: boolean): void {
    const builder = this.builder;
    // Whether the text ran out inside a quoted cell.
    let inQuotes = false;
    const length = text.length;
    const delimiter = this.delimiter;
    const delimiterCode = this.delimiterCode;
    // Next positions of a delimiter, line break and quote, found by indexOf and reused until passed.
    let nextDelimiter = -1;
    let nextLf = -1;
    let nextCr = -1;
    let nextQuote = -1;
    let start = 0;

    records: while (start < length) {
      let at = start;
      for (;;) {
        if (at - start > this.maxRecordCharacters) throw new CsvSyntaxError('record-too-long', this.recordCount + 1, builder.cellsInRecord);
        if (text.charCodeAt(at) === QUOTE) {
          // A quoted cell: runs to a quote that is not doubled.
          const from = at + 1;
          let search = from;
          let doubled = false;
          for (;;) {
            const quote = text.indexOf('"', search);
            if (quote === -1 || quote + 1 === length) {
              if (!final) {
                inQuotes = true;
                builder.dropRecord();
                break records;
              }
              // Named as a reader of the text in pieces would name it, which finds the limit passed before the end.
              if (quote === -1) throw new CsvSyntaxError(length - start > this.maxRecordCharacters ? 'quote-open-too-long' : 'unclosed-quote', this.recordCount + 1, builder.cellsInRecord);
            }
            // Still inside the quotes at the limit: most likely a quote that is never closed.
            if (quote - start > this.maxRecordCharacters) throw new CsvSyntaxError('quote-open-too-long', this.recordCount + 1, builder.cellsInRecord);
            if (text.charCodeAt(quote + 1) === QUOTE) {
              doubled = true;
              search = quote + 2;
              continue;
            }
            builder.cell(from, quote, doubled);
            at = quote + 1;
            break;
          }
          const after = text.charCodeAt(at);
          if (after === delimiterCode) {
            at++;
            continue;
          }
          if (after !== LF && after !== CR && at < length) throw new CsvSyntaxError('text-after-closing-quote', this.recordCount + 1, builder.cellsInRecord - 1);
        } else {
          if (nextDelimiter < at) nextDelimiter = indexOrEnd(text, delimiter, at);
          if (nextLf < at) nextLf = indexOrEnd(text, '\n', at);
          if (nextCr < at) nextCr = indexOrEnd(text, '\r', at);
          const end = Math.min(nextDelimiter, nextLf, nextCr);
          if (nextQuote < at) nextQuote = indexOrEnd(text, '"', at);
          if (nextQuote < end) throw new CsvSyntaxError('quote-inside-cell', this.recordCount + 1, builder.cellsInRecord);
          if (end === length && !final) {
            builder.dropRecord();
            break records;
          }
          builder.cell(at, end, false);
          at = end;
          if (end < length && end === nextDelimiter) {
            at++;
            continue;
          }
        }
        // At a line break or the end of the text: the record is complete.
        const next = lineBreakEnd(text, at, final);
        if (next === INCOMPLETE) {
          builder.dropRecord();
          break records;
        }
        if (at - start > this.maxRecordCharacters) throw new CsvSyntaxError('record-too-long', this.recordCount + 1, builder.cellsInRecord - 1);
        builder.endRecord();
        this.recordCount++;
        start = next;
        continue records;
      }
    }
    this.pending = start < length ? text.slice(start) : '';
    // A CR held back to see whether an LF follows ends the record; it is not part of it.
    const held = this.pending.endsWith('\r') ? this.pending.length - 1 : this.pending.length;
    if (!final && held > this.maxRecordCharacters) throw new CsvSyntaxError(inQuotes ? 'quote-open-too-long' : 'record-too-long', this.recordCount + 1, 0);
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

/** Where the next record starts after the line break at `at` (CRLF, LF or CR), or INCOMPLETE when a CR ends the chunk. */
function lineBreakEnd(text: string, at: number, final: boolean): number {
  const code = text.charCodeAt(at);
  if (code === LF) return at + 1;
  if (code === CR) {
    if (at + 1 < text.length) return text.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
    return final ? at + 1 : INCOMPLETE;
  }
  return at; // the end of the text
}
