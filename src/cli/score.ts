import path from 'node:path';
import { duckDbMayScore, ENGINES, scoreWithEngine } from '../engines/choose.js';
import { CASE_FORMATS, caseWriter, type CaseFormat } from '../render/cases.js';
import { grouping } from '../summary/group.js';
import type { Summary } from '../summary/summary.js';
import { SCORE_FORMATS } from '../render/formats.js';
import { EXIT, UsageError } from './errors.js';
import { choice, parseAsOf } from './options.js';
import { streamRecordsAtomically } from './output.js';
import { renderSummary } from './render-summary.js';
import { inputProgress } from './progress.js';
import { inputOpener, parallelReading, redactor, startThreadsFor, type InputOptions } from './input-options.js';
import { InputError } from '../cases/errors.js';
import { REJECT_FORMATS, rejectWriter, type RejectFormat } from '../render/rejects.js';
import { loadCompiledRubric } from './rubric-source.js';


export interface ScoreCommandOptions extends InputOptions {
  jobs?: string;
  rubric?: string;
  format: string;
  by?: string;
  casesOut?: string;
  asOf?: string;
  strict?: boolean;
  failOn?: string;
  maxInadequate?: string;
  minGood?: string;
  rejectsOut?: string;
  maxRejects?: string;
  engine: string;
}

function percentOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.replace(/%$/, ''));
  if (!(number >= 0 && number <= 100)) throw new UsageError(`${option} ${value}: give a percentage from 0 to 100`);
  return number;
}

/** The CI gates: thresholds on the findings that make the run exit 1. */
interface Gates {
  failOn?: 'inadequate' | 'requires-improvement';
  maxInadequate?: number;
  minGood?: number;
}

function parseGates(options: ScoreCommandOptions): Gates {
  const maxInadequate = percentOption('--max-inadequate', options.maxInadequate);
  const minGood = percentOption('--min-good', options.minGood);
  return {
    ...(options.failOn !== undefined ? { failOn: choice('--fail-on', options.failOn, ['inadequate', 'requires-improvement'] as const) } : {}),
    ...(maxInadequate !== undefined ? { maxInadequate } : {}),
    ...(minGood !== undefined ? { minGood } : {}),
  };
}

/** Each threshold the findings break, as a sentence. */
function gateFailures(summary: Summary, gates: Gates): string[] {
  const totals = summary.overall.totals;
  const share = (n: number) => (totals.cases === 0 ? 0 : (100 * n) / totals.cases);
  const failures: string[] = [];
  const atOrWorse = gates.failOn === 'inadequate' ? totals.inadequate : gates.failOn ? totals.inadequate + totals['requires-improvement'] : 0;
  if (gates.failOn && atOrWorse > 0) {
    failures.push(`${atOrWorse} ${atOrWorse === 1 ? 'case is' : 'cases are'} ${gates.failOn === 'inadequate' ? 'inadequate' : 'requires improvement or worse'} (--fail-on ${gates.failOn})`);
  }
  if (gates.maxInadequate !== undefined && share(totals.inadequate) > gates.maxInadequate) {
    failures.push(`${share(totals.inadequate).toFixed(1)}% of cases are inadequate, above --max-inadequate ${gates.maxInadequate}%`);
  }
  if (gates.minGood !== undefined && share(totals.good) < gates.minGood) {
    failures.push(`${share(totals.good).toFixed(1)}% of cases are good, below --min-good ${gates.minGood}%`);
  }
  return failures;
}

function rejectsFormatOf(file: string): RejectFormat {
  const extension = path.extname(file).slice(1).toLowerCase();
  if ((REJECT_FORMATS as readonly string[]).includes(extension)) return extension as RejectFormat;
  throw new UsageError(`--rejects-out ${file}: the file name must end in .csv or .json`);
}

function caseFormatOf(file: string): CaseFormat {
  const extension = path.extname(file).slice(1).toLowerCase();
  if ((CASE_FORMATS as readonly string[]).includes(extension)) return extension as CaseFormat;
  throw new UsageError(`--cases-out ${file}: the file name must end in .csv, .json or .jsonl`);
}

export async function scoreCommand(files: string[], options: ScoreCommandOptions): Promise<number> {
  const format = choice('--format', options.format, SCORE_FORMATS);
  const engine = choice('--engine', options.engine, ENGINES);
  const gates = parseGates(options);
  const asOf = parseAsOf(options.asOf, new Date());
  const casesFormat = options.casesOut === undefined ? undefined : caseFormatOf(options.casesOut);
  const rejectsFormat = options.rejectsOut === undefined ? undefined : rejectsFormatOf(options.rejectsOut);
  const maxRejects = options.maxRejects === undefined ? undefined : Number(options.maxRejects);
  if (maxRejects !== undefined && !(Number.isInteger(maxRejects) && maxRejects >= 0)) throw new UsageError(`--max-rejects ${options.maxRejects}: give a whole number, 0 or more`);
  const parallel = parallelReading(options, process.env);
  if (!(await duckDbMayScore(engine, files))) startThreadsFor(files, parallel);
  const open = inputOpener(files, options);
  const redact = redactor(options, process.env);
  const rubric = await loadCompiledRubric(options.rubric);
  const groups = options.by === undefined ? undefined : grouping(rubric, options.by);

  const progress = await inputProgress(files, process.stderr, process.env);
  const casesOut = options.casesOut && casesFormat ? streamRecordsAtomically(options.casesOut, caseWriter(casesFormat)) : undefined;
  const rejectsOut = options.rejectsOut && rejectsFormat ? streamRecordsAtomically(options.rejectsOut, rejectWriter(rejectsFormat)) : undefined;
  let rejectedRows = 0;
  let summary: Summary;
  try {
    summary = await scoreWithEngine(engine, rubric, files, open, {
      asOf,
      parallel,
      onProgress: (bytes, rows) => progress?.update(bytes, rows),
      ...(groups ? { grouping: groups } : {}),
      ...(redact ? { redact } : {}),
      ...(casesOut ? { onResult: (result) => casesOut.write(result) } : {}),
      onReject: (problems) => {
        for (const problem of problems) rejectsOut?.write(problem);
        // The pipeline calls this once per rejected row.
        rejectedRows++;
        if (maxRejects !== undefined && rejectedRows > maxRejects) {
          const last = problems[0];
          throw new InputError(`stopped at ${last?.file} row ${last?.row}: more than ${maxRejects} rows rejected (--max-rejects ${maxRejects})${options.rejectsOut ? `; the rejected rows so far are in ${options.rejectsOut}` : ''}`);
        }
      },
    }, (line) => process.stderr.write(`audit: ${line}\n`));
  } catch (error) {
    progress?.finish();
    await casesOut?.abandon();
    // A file the export cannot be read past still has its rejected rows so far, for whoever fixes it.
    if (error instanceof InputError && rejectedRows > 0) await rejectsOut?.commit();
    else await rejectsOut?.abandon();
    throw error;
  }
  progress?.finish();
  await casesOut?.commit();
  await rejectsOut?.commit();

  process.stdout.write(await renderSummary(summary, format));
  if (options.strict && summary.rowsRejected > 0) {
    process.stderr.write(`audit: --strict: ${summary.rowsRejected} ${summary.rowsRejected === 1 ? 'row was' : 'rows were'} rejected; see "Rejected rows" above\n`);
    return EXIT.input;
  }
  const failures = gateFailures(summary, gates);
  for (const failure of failures) process.stderr.write(`audit: ${failure}\n`);
  return failures.length > 0 ? EXIT.failed : EXIT.ok;
}
