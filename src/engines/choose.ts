import { open as openFile } from 'node:fs/promises';
import type { CaseInput } from '../cases/input.js';
import { isParquetFile } from '../cases/read-parquet.js';
import { sniff } from '../cases/sniff.js';
import { scoreInputs, type ScoreOptions } from '../pipeline.js';
import type { CompiledRubric } from '../rubric/compile.js';
import type { Summary } from '../summary/summary.js';

/**
 * Which engine scores an export: the JS engine (every input, row by row),
 * or DuckDB running the compiled rubric (one CSV or Parquet export), which
 * gives the same summary. `auto` is DuckDB for a Parquet export, which the
 * JS engine can only read through DuckDB, several times slower, and the JS
 * engine for everything else: on the benchmark's CSV exports the JS engine
 * is faster at every size (docs/performance.md).
 */
export const ENGINES = ['auto', 'js', 'duckdb'] as const;
export type Engine = (typeof ENGINES)[number];

/** Whether a file is an .xlsx workbook, whatever it is called, told by its first bytes as the reader tells it (sniff). */
async function isWorkbook(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return sniff(buffer.subarray(0, bytesRead), { parquet: false }).kind === 'xlsx';
  } finally {
    await handle.close();
  }
}

/** Whether DuckDB is to score these inputs (if it can read them): then the JS engine's threads need not be started ahead of need. */
export async function duckDbMayScore(engine: Engine, files: string[]): Promise<boolean> {
  const [file] = files;
  if (engine === 'js' || files.length !== 1 || file === undefined || file === '-') return false;
  return engine === 'duckdb' || (await isParquetFile(file));
}

/** Scores the inputs with the engine asked for; `note` says, in one line, why DuckDB was asked for and not used. */
export async function scoreWithEngine(engine: Engine, rubric: CompiledRubric, files: string[], open: (file: string) => Promise<CaseInput>, options: ScoreOptions, note: (line: string) => void): Promise<Summary> {
  const withJs = (reason?: string) => {
    if (reason && engine === 'duckdb') note(`--engine duckdb: ${reason}; scored with the JS engine, which gives the same results`);
    return scoreInputs(rubric, files, open, options);
  };
  if (engine === 'js') return withJs();
  const [file] = files;
  if (files.length !== 1 || file === undefined) return withJs('several files are read as one data set by the JS engine');
  if (file === '-') return withJs('standard input is read by the JS engine');
  // A file that cannot be opened is the reader's to report, with its own message.
  if (await isWorkbook(file).catch(() => false)) return withJs(`${file} is not a CSV file`);
  if (engine === 'auto' && !(await isParquetFile(file))) return withJs();
  const input = await open(file);
  const { duckDbRefusal, NotForDuckDb, scoreWithDuckDb } = await import('./duckdb/score.js');
  const refusal = await duckDbRefusal(input, options);
  if (refusal !== undefined) {
    await input.splittable?.close();
    input.parquet?.close();
    return withJs(refusal);
  }
  try {
    return await scoreWithDuckDb(rubric, file, input, options);
  } catch (error) {
    if (error instanceof NotForDuckDb) return withJs(error.message);
    throw error;
  }
}
