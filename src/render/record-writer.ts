import { csvLine } from './csv-cell.js';

/** Writes records one at a time, so that a large export never sits in memory: the text to write first, for each record, and last. */
export interface RecordWriter<T> {
  start(): string;
  write(record: T): string;
  end(): string;
}

export function csvWriter<T>(header: string[], cells: (record: T) => Array<string | number>): RecordWriter<T> {
  return { start: () => csvLine(header), write: (record) => csvLine(cells(record)), end: () => '' };
}

export function jsonLinesWriter<T>(): RecordWriter<T> {
  return { start: () => '', write: (record) => `${JSON.stringify(record)}\n`, end: () => '' };
}

/** A JSON array with one record on each line. */
export function jsonArrayWriter<T>(): RecordWriter<T> {
  let first = true;
  return {
    start: () => '[',
    write: (record) => {
      const text = `${first ? '\n' : ',\n'}  ${JSON.stringify(record)}`;
      first = false;
      return text;
    },
    end: () => (first ? ']\n' : '\n]\n'),
  };
}
