import type { RecordBatch } from './record-batch.js';

/** An opened export: its header, then its rows, a batch at a time. */
export interface CaseInput {
  /** The name used in messages: the path as given, or "standard input". */
  file: string;
  header: string[];
  /**
   * Records after the header in file order, in batches (one per chunk read),
   * so that the per-row cost of streaming stays small. Blank records are
   * among them, counted in the row numbers but not case rows.
   */
  batches: AsyncIterable<RecordBatch>;
  /** How many rows follow the header, when that is known before they are read (a worksheet). */
  rows?: number;
  /** Bytes of the file read so far, for a progress display. */
  bytesRead(): number;
  /**
   * Set when the export is a CSV file on disk in an encoding whose bytes can
   * be split at line breaks (UTF-8, Windows-1252): it can then be read in
   * pieces by several threads instead of through `batches`.
   */
  splittable?: SplittableCsv;
  /** Set when the export is a Parquet file, which DuckDB can read itself instead of through `batches`. */
  parquet?: { path: string; close(): void };
}

export interface SplittableCsv {
  path: string;
  encoding: string;
  delimiter: string;
  /** The header's record number: blank lines before it are records too. */
  headerRecord: number;
  bytes: number;
  /** Stops the streamed reading, when the file is read in pieces instead. */
  close(): Promise<void>;
}

export interface ReadOptions {
  /** Overrides the delimiter detected from the header line. */
  delimiter?: string;
  /** Worksheet of an .xlsx workbook; default the first. */
  sheet?: string;
}

/** More columns than any case-management export has: a sign of a broken or hostile file. */
export const MAX_COLUMNS = 10_000;

export const STDIN_NAME = 'standard input';
