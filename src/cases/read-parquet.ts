import { open, stat } from 'node:fs/promises';
import { InputError } from './errors.js';
import type { CaseInput } from './input.js';
import { RecordBatch } from './record-batch.js';

const quoted = (text: string, quote: string) => `${quote}${text.replaceAll(quote, quote + quote)}${quote}`;

const MAGIC = Buffer.from('PAR1');

/** Whether a file on disk is a Parquet file: it starts and ends with PAR1 (a CSV whose first header begins PAR1 does not end with it). */
export async function isParquetFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    if (size < 2 * MAGIC.length) return false;
    const [head, tail] = [Buffer.alloc(MAGIC.length), Buffer.alloc(MAGIC.length)];
    await handle.read(head, 0, MAGIC.length, 0);
    await handle.read(tail, 0, MAGIC.length, size - MAGIC.length);
    return head.equals(MAGIC) && tail.equals(MAGIC);
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * A file's path as a SQL string DuckDB reads as that one file: DuckDB takes
 * `*`, `?` and `[` in a path as a pattern (`cases?.csv` would read
 * `casesA.csv` too), so each is written as a bracket matching only itself.
 */
export function duckDbFile(path: string): string {
  return quoted(path.replace(/[*?[]/g, (c) => `[${c}]`), "'");
}

/**
 * A Parquet export's columns, each value as the text DuckDB writes for it (a
 * DATE as 2014-06-03, a TIMESTAMP as 2014-06-03 14:05:00, a BOOLEAN as
 * true), an empty cell where it holds no value. Shared by the JS reader and
 * the DuckDB engine, so that both read the same text.
 */
export function parquetCells(path: string, columns: readonly string[], options: { rowNumbers?: boolean } = {}): string {
  const cells = columns.map((column, i) => `CAST(${quoted(column, '"')} AS VARCHAR) AS c${i + 1}`);
  // Rows are numbered from 2, as if a header row were row 1: a CSV export of the same table gives the same row numbers.
  const row = options.rowNumbers ? 'file_row_number + 2 AS source_row, ' : '';
  return `(SELECT ${row}${cells.join(', ')} FROM read_parquet(${duckDbFile(path)}${options.rowNumbers ? ', file_row_number = true' : ''}))`;
}

/**
 * Reads a Parquet export with DuckDB (loaded only when one is read), one
 * thread so that rows come in file order. Its columns are the header.
 */
export async function readParquet(file: string, path: string): Promise<CaseInput> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    connection.closeSync();
    instance.closeSync();
  };
  let header: string[];
  let rows: number;
  try {
    const source = `read_parquet(${duckDbFile(path)})`;
    header = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowsJS().map((row) => String(row[0]));
    rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRowsJS()[0]?.[0] ?? 0);
  } catch (error) {
    close();
    // DuckDB's message without its kind of error, and without the file's name, which this one starts with.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/^[A-Za-z ]+ Error: /, '').replace(/ in file '.*'$/, '');
    throw new InputError(`${file}: cannot be read as a Parquet file (${reason})`);
  }
  const bytes = (await stat(path)).size;
  let rowsDone = 0;
  async function* batches(): AsyncGenerator<RecordBatch> {
    try {
      const result = await connection.stream(`SELECT * FROM ${parquetCells(path, header)}`);
      for await (const chunk of result.yieldRowsJs()) {
        const records = (chunk as (string | null)[][]).map((record) => record.map((cell) => cell ?? ''));
        yield RecordBatch.of(
          records,
          records.map((_, i) => rowsDone + i + 2),
        );
        rowsDone += records.length;
      }
    } finally {
      close();
    }
  }
  return {
    file,
    header,
    batches: batches(),
    rows,
    // Progress as the share of rows read, in bytes of the file.
    bytesRead: () => (rows === 0 ? bytes : Math.round((bytes * rowsDone) / rows)),
    parquet: { path, close },
  };
}
