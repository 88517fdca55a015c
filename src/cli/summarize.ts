import { openCases } from '../cases/open.js';
import { addModeratedFromResult, addRejectsFromResult, SummaryResultError, summaryFromResult } from '../engines/sql/summarize.js';
import { SCORE_FORMATS } from '../render/formats.js';
import { renderSummary } from './render-summary.js';
import { UsageError } from './errors.js';
import { choice } from './options.js';
import { loadCompiledRubric } from './rubric-source.js';
import { isoDateToTimestamp } from '../rubric/dates.js';

export interface SummarizeCommandOptions {
  rubric?: string;
  asOf?: string;
  by?: string;
  rejects?: string;
  cases?: string;
  format: string;
}

/** A CSV result's header and rows. */
async function readResult(file: string): Promise<{ file: string; header: string[]; rows: { row: number; cells: string[] }[] }> {
  const input = await openCases(file);
  const rows: { row: number; cells: string[] }[] = [];
  for await (const batch of input.batches) for (let i = batch.from; i < batch.count; i++) rows.push({ row: batch.row(i), cells: batch.cells(i) });
  return { file: input.file, header: input.header, rows };
}

/** `audit summarize RESULT.csv`: a warehouse's result of `audit compile --output summary`, in every format `audit score` prints. */
export async function summarizeCommand(file: string, options: SummarizeCommandOptions): Promise<number> {
  const format = choice('--format', options.format, SCORE_FORMATS);
  if (options.asOf === undefined || !isoDateToTimestamp(options.asOf)) {
    throw new UsageError('--as-of: give the audit date the query was compiled with (YYYY-MM-DD); the result does not hold it');
  }
  const rubric = await loadCompiledRubric(options.rubric);
  const input = await readResult(file);
  const rejects = options.rejects === undefined ? undefined : await readResult(options.rejects);
  const cases = options.cases === undefined ? undefined : await readResult(options.cases);
  let result;
  try {
    result = summaryFromResult(rubric, input.file, input.header, input.rows, { asOf: options.asOf, ...(options.by !== undefined ? { by: options.by } : {}) });
    if (rejects) addRejectsFromResult(result.summary, rejects.file, rejects.header, rejects.rows);
    if (cases) addModeratedFromResult(result.summary, cases.file, cases.header, cases.rows, result.moderated, options.by);
  } catch (error) {
    if (error instanceof SummaryResultError) throw new UsageError(error.message);
    throw error;
  }
  process.stdout.write(await renderSummary(result.summary, format));
  const { summary, moderated } = result;
  if (summary.rowsRejected > 0 && !rejects) process.stderr.write(`audit: ${summary.rowsRejected} ${summary.rowsRejected === 1 ? 'row was' : 'rows were'} rejected in the warehouse; audit compile --output rejects lists them, and --rejects reads that list\n`);
  if (moderated > 0 && !cases) process.stderr.write(`audit: a moderator regraded ${moderated} ${moderated === 1 ? 'case' : 'cases'}; audit compile --output cases lists them, and --cases reads that list\n`);
  return 0;
}
