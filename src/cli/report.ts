import path from 'node:path';
import { duckDbMayScore, scoreWithEngine } from '../engines/choose.js';
import { buildReport, EmptyReportError } from '../report/build.js';
import { reportGrouping } from '../summary/group.js';
import { parseTargets, TargetError, type Target } from '../report/targets.js';
import { renderReportHtml } from '../render/report-html.js';
import { renderReportMarkdown } from '../render/report-markdown.js';
import { parsePeriod, PeriodError, PERIOD_KINDS } from '../summary/periods.js';
import { InputError } from '../cases/errors.js';
import { REPORT_FORMATS } from '../render/formats.js';
import { EXIT, UsageError } from './errors.js';
import { inputProgress } from './progress.js';
import { inputOpener, parallelReading, redactor, startThreadsFor, type InputOptions } from './input-options.js';
import { choice, parseAsOf } from './options.js';
import { writeFileAtomically } from './output.js';
import { loadCompiledRubric } from './rubric-source.js';


export interface ReportCommandOptions extends InputOptions {
  jobs?: string;
  rubric?: string;
  period: string;
  out?: string;
  format?: string;
  by?: string;
  targets?: string;
  from?: string;
  to?: string;
  title?: string;
  asOf?: string;
}

function formatFor(options: ReportCommandOptions): (typeof REPORT_FORMATS)[number] {
  if (options.format !== undefined) return choice('--format', options.format, REPORT_FORMATS);
  const extension = options.out ? path.extname(options.out).toLowerCase() : '';
  return extension === '.html' || extension === '.htm' ? 'html' : extension === '.json' ? 'json' : 'markdown';
}

/** Rewraps the report's own errors as the CLI's kinds, so each gets its exit code. */
function usage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TargetError || error instanceof PeriodError) throw new UsageError(error.message);
    throw error;
  }
}

export async function reportCommand(files: string[], options: ReportCommandOptions): Promise<number> {
  const kind = choice('--period', options.period, PERIOD_KINDS);
  const format = formatFor(options);
  const targets: Target[] = options.targets === undefined ? [] : usage(() => parseTargets(options.targets ?? ''));
  const from = options.from === undefined ? undefined : usage(() => parsePeriod('--from', options.from ?? '', kind));
  const to = options.to === undefined ? undefined : usage(() => parsePeriod('--to', options.to ?? '', kind));
  if (from && to && from > to) throw new UsageError(`--from ${options.from} is after --to ${options.to}`);
  const asOf = parseAsOf(options.asOf, new Date());
  const parallel = parallelReading(options, process.env);
  if (!(await duckDbMayScore('auto', files))) startThreadsFor(files, parallel);
  const open = inputOpener(files, options);
  const redact = redactor(options, process.env);
  const rubric = await loadCompiledRubric(options.rubric);
  const grouping = reportGrouping(rubric, kind, options.by);

  const progress = await inputProgress(files, process.stderr, process.env);
  let summary;
  try {
    // A Parquet export is scored by DuckDB (auto), the rest by the JS engine.
    summary = await scoreWithEngine('auto', rubric, files, open, { asOf, grouping, parallel, onProgress: (bytes, rows) => progress?.update(bytes, rows), ...(redact ? { redact } : {}) }, () => undefined);
  } finally {
    progress?.finish();
  }
  let report;
  try {
    report = buildReport(summary, {
      kind,
      ...(options.by !== undefined ? { by: options.by } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      targets,
      title: options.title ?? rubric.title,
      generated: asOf.toISOString().slice(0, 10),
    });
  } catch (error) {
    if (error instanceof EmptyReportError) throw new InputError(`${files.join(', ')}: ${error.message}`);
    throw error;
  }
  const text = format === 'html' ? renderReportHtml(report) : format === 'markdown' ? renderReportMarkdown(report) : `${JSON.stringify(report, null, 2)}\n`;
  if (options.out) await writeFileAtomically(options.out, text);
  else process.stdout.write(text);
  return EXIT.ok;
}
