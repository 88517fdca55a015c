import { open as openFile } from 'node:fs/promises';
import type { CaseInput } from '../cases/input.js';
import { scoreInputs, type ScoreOptions } from '../pipeline.js';
import type { CompiledRubric } from '../rubric/compile.js';
import type { Summary } from '../summary/summary.js';

/**
 * Which engine scores an export: the JS engine (every input, row by row),
 * or DuckDB running the compiled rubric (one CSV export), which gives the
 * same summary. `auto` is the JS engine for now: on the benchmark's 1M-row
 * export the DuckDB engine is many times slower (docs/performance.md), and
 * `auto` must never make a run slower than the JS engine would.
 */
export const ENGINES = ['auto', 'js', 'duckdb'] as const;
export type Engine = (typeof ENGINES)[number];

/** The first bytes of a zip file: an .xlsx workbook, whatever it is called. */
async function isZip(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/** Scores the inputs with the engine asked for; `note` says, in one line, why DuckDB was asked for and not used. */
export async function scoreWithEngine(engine: Engine, rubric: CompiledRubric, files: string[], open: (file: string) => Promise<CaseInput>, options: ScoreOptions, note: (line: string) => void): Promise<Summary> {
  const withJs = (reason?: string) => {
    if (reason) note(`--engine duckdb: ${reason}; scored with the JS engine, which gives the same results`);
    return scoreInputs(rubric, files, open, options);
  };
  if (engine !== 'duckdb') return withJs();
  const [file] = files;
  if (files.length !== 1 || file === undefined) return withJs('several files are read as one data set by the JS engine');
  if (file === '-') return withJs('standard input is read by the JS engine');
  // A file that cannot be opened is the reader's to report, with its own message.
  if (await isZip(file).catch(() => false)) return withJs(`${file} is not a CSV file`);
  const input = await open(file);
  const { duckDbRefusal, NotForDuckDb, scoreWithDuckDb } = await import('./duckdb/score.js');
  const refusal = await duckDbRefusal(input, options);
  if (refusal !== undefined) {
    await input.splittable?.close();
    return withJs(refusal);
  }
  try {
    return await scoreWithDuckDb(rubric, file, input, options);
  } catch (error) {
    if (error instanceof NotForDuckDb) return withJs(error.message);
    throw error;
  }
}
