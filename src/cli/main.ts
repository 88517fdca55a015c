import { Command, Option } from 'commander';
import { DIFF_FORMATS, LINT_FORMATS, REPORT_FORMATS, SCORE_FORMATS, TEST_FORMATS } from '../render/formats.js';
import { PERIOD_KINDS } from '../summary/periods.js';
import { DIALECT_NAMES } from '../engines/sql/dialect.js';
import { describeFailure, EXIT } from './errors.js';

// Each command's module is loaded only when that command runs, to keep start-up short.

/** The options every command that reads exports shares. */
export function withInputOptions(command: Command): Command {
  return command
    .addOption(new Option('--delimiter <delimiter>', 'CSV delimiter: comma, semicolon, tab or pipe; default: detected from the header line'))
    .option('--sheet <name>', 'worksheet of an .xlsx workbook; default the first')
    .option('--redact', 'replace case references in every output by keyed pseudonyms (key in AUDIT_REDACT_KEY)');
}


const JOBS_HELP = 'threads to read a large CSV export with (1 reads it on one); default one per processor core, up to 4';
const RUBRIC_HELP = 'rubric file, or the name of a shipped rubric (see audit rubrics); default hmic-ncpi-child-protection';
const AS_OF_HELP = 'audit date (YYYY-MM-DD) that rubric expressions see as as_of; default today';

function program(run: (result: Promise<number>) => void): Command {
  const audit = new Command('audit')
    .description('Score child-protection case files against an inspection rubric, HMIC style.')
    .showHelpAfterError()
    .exitOverride();

  withInputOptions(audit
    .command('score'))
    .description('grade every case and print the breakdown by area of child protection')
    .argument('<files...>', 'case-file exports (CSV or .xlsx; - for standard input); several files are one data set')
    .option('-r, --rubric <rubric>', RUBRIC_HELP)
    .option('--jobs <n>', JOBS_HELP)
    .addOption(new Option('-f, --format <format>', 'output format').choices(SCORE_FORMATS).default('table'))
    .option('--by <field>', 'add the breakdown per value of a field (e.g. team), or per month of the case date')
    .option('--cases-out <file>', 'also write one record per case (.csv, .json or .jsonl)')
    .option('--as-of <date>', AS_OF_HELP)
    .option('--strict', 'exit 3 if any row is rejected')
    .option('--fail-on <grade>', 'exit 1 if any case has this grade or worse (inadequate or requires-improvement)')
    .option('--max-inadequate <pct>', 'exit 1 if more than this percentage of cases are inadequate')
    .option('--min-good <pct>', 'exit 1 if fewer than this percentage of cases are good')
    .option('--rejects-out <file>', 'also write the rejected rows, with file, row, column, value and reason (.csv or .json)')
    .option('--max-rejects <n>', 'stop with exit 3 once more than this many rows are rejected')
    .option('--engine <engine>', 'js, duckdb (one CSV or Parquet export, read and scored by DuckDB with the same results) or auto (DuckDB for a Parquet export, else the JS engine)', 'auto')
    .action((files: string[], options) => run(import('./score.js').then((m) => m.scoreCommand(files, options))));

  withInputOptions(audit
    .command('report'))
    .description('a compliance report for the latest period, with the trend, targets, teams, themes and moderation')
    .argument('<files...>', 'case-file exports (CSV or .xlsx; - for standard input); several files are one data set')
    .option('-r, --rubric <rubric>', RUBRIC_HELP)
    .option('--jobs <n>', JOBS_HELP)
    .addOption(new Option('--period <period>', 'period of the report and its trend').choices(PERIOD_KINDS).default('month'))
    .option('-o, --out <file>', 'write the report to a file (.html, .md or .json) instead of standard output')
    .addOption(new Option('-f, --format <format>', 'output format; default from the --out extension, else markdown').choices(REPORT_FORMATS))
    .option('--by <field>', 'break the period down by a field, such as team')
    .option('--targets <targets>', 'targets to check, such as "inadequate<=10%,good>=40%"')
    .option('--from <period>', 'first period to report (YYYY-MM, or YYYY-Qn for quarters)')
    .option('--to <period>', 'last period to report; the latest period with cases is the subject')
    .option('--title <title>', 'title of the report, such as the force or unit; default the rubric title')
    .option('--as-of <date>', 'the report date (YYYY-MM-DD), also the audit date expressions see; default today')
    .action((files: string[], options) => run(import('./report.js').then((m) => m.reportCommand(files, options))));

  withInputOptions(audit
    .command('explain'))
    .description('show why one case got its grade: every criterion, the values it used, and the guidance')
    .argument('<files...>', 'case-file exports (CSV or .xlsx; - for standard input)')
    .requiredOption('-c, --case <id>', 'the case reference to explain')
    .option('-r, --rubric <rubric>', RUBRIC_HELP)
    .option('--as-of <date>', AS_OF_HELP)
    .action((files: string[], options) => run(import('./explain.js').then((m) => m.explainCommand(files, options))));

  audit
    .command('lint')
    .description('check rubrics and report every problem: file:line:column, severity, message, rule')
    .argument('<rubrics...>', 'rubric files, or folders to search for them')
    .addOption(new Option('-f, --format <format>', 'output format').choices(LINT_FORMATS).default('text'))
    .option('--max-warnings <n>', 'fail (exit 1) when there are more warnings than this')
    .action((paths: string[], options) => run(import('./lint.js').then((m) => m.lintCommand(paths, options))));

  audit
    .command('test')
    .description("run the tests written for rubrics (under tests: or in NAME.test.yaml) and report criteria coverage")
    .argument('<rubrics...>', 'rubric files, or folders to search for them')
    .addOption(new Option('-f, --format <format>', 'output format').choices(TEST_FORMATS).default('text'))
    .option('--min-coverage <pct>', 'fail (exit 1) when fewer than this percentage of criteria are both met and not met by a test')
    .option('--as-of <date>', 'audit date for tests that do not give their own as_of; default today')
    .action((paths: string[], options) => run(import('./test.js').then((m) => m.testCommand(paths, options))));

  withInputOptions(audit
    .command('diff'))
    .description('show what changed between two rubrics and, given case files, how every case would move')
    .argument('<old>', 'the rubric before the change')
    .argument('<new>', 'the rubric after the change')
    .argument('[cases...]', 'case-file exports to score with both')
    .addOption(new Option('-f, --format <format>', 'output format').choices(DIFF_FORMATS).default('text'))
    .option('--fail-on-change', 'exit 1 if any case changes grade')
    .option('--as-of <date>', AS_OF_HELP)
    .action((oldFile: string, newFile: string, cases: string[], options) => run(import('./diff.js').then((m) => m.diffCommand(oldFile, newFile, cases, options))));

  audit
    .command('compile')
    .description('write the rubric as one SQL query, to run where the data is (a warehouse, DuckDB)')
    .argument('<rubric>', 'rubric file, or the name of a shipped rubric')
    .requiredOption('--dialect <dialect>', `SQL dialect: ${DIALECT_NAMES.join(', ')}`)
    .option('--output <output>', 'what the query returns: summary (the counts of the JSON summary), cases (one row per case) or rejects (unreadable cells)', 'summary')
    .option('--source <table>', 'the staging table holding the export, every column text', 'cases')
    .option('--source-columns <file>', "an export (or a list of column names, one to a line) whose header names the staging table's columns")
    .option('--row-column <column>', "the staging table's column numbering rows as a spreadsheet does (header = row 1)", 'source_row')
    .option('--by <field>', 'with --output summary: the breakdown by a field, or by month or quarter of the case date; with --output cases: each case\'s group')
    .option('--as-of <date>', AS_OF_HELP)
    .action((rubric: string, options) => run(import('./compile.js').then((m) => m.compileCommand(rubric, options))));

  audit
    .command('merge')
    .description('merge the JSON summaries of parts of the data (months, forces, shards) into the summary of the whole')
    .argument('<summaries...>', 'outputs of audit score --format json (or audit summarize --format json)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SCORE_FORMATS).default('table'))
    .action((files: string[], options) => run(import('./merge.js').then((m) => m.mergeCommand(files, options))));

  audit
    .command('summarize')
    .description('print the result of a compiled summary query, run in a warehouse and exported as CSV, as audit score prints a summary')
    .argument('<result>', 'the result of audit compile --output summary, as CSV')
    .option('-r, --rubric <rubric>', RUBRIC_HELP)
    .option('--as-of <date>', 'the audit date the query was compiled with (YYYY-MM-DD)')
    .option('--by <field>', 'the --by the query was compiled with, to name its groups')
    .option('--rejects <file>', 'the result of audit compile --output rejects on the same table, as CSV: lists the rejected rows as audit score does')
    .option('--cases <file>', 'the result of audit compile --output cases on the same table (with the same --by), as CSV: lists the cases a moderator regraded as audit score does')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SCORE_FORMATS).default('table'))
    .action((result: string, options) => run(import('./summarize.js').then((m) => m.summarizeCommand(result, options))));

  audit
    .command('conformance')
    .description('write one self-contained SQL query that checks a database computes every primitive compiled rubrics use as audit does')
    .requiredOption('--dialect <dialect>', `SQL dialect: ${DIALECT_NAMES.join(', ')}`)
    .action((options) => run(import('./conformance.js').then((m) => m.conformanceCommand(options))));

  audit
    .command('schema')
    .description('print the JSON Schema of the rubric format, for editors that check YAML as you type')
    .option('--tests', 'the schema of a NAME.test.yaml file instead')
    .action((options) => run(import('./schema.js').then((m) => m.schemaCommand(options))));

  audit
    .command('rubrics')
    .description('list the shipped rubrics with their titles and versions')
    .action(() => run(import('./rubrics.js').then((m) => m.rubricsCommand())));

  return audit;
}

/** Runs the command line and returns the exit code; every failure becomes one message on stderr. */
export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`audit score … | head`) closes the pipe: the rest of the output is not wanted, which is no failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    process.stderr.write(`audit: cannot write the output: ${error.message}\n`);
    process.exit(EXIT.internal);
  });
  let pending: Promise<number> = Promise.resolve(0);
  try {
    await program((result) => (pending = result)).parseAsync(argv);
    return await pending;
  } catch (error) {
    const { code, message } = describeFailure(error);
    if (message) process.stderr.write(`audit: ${message}\n`);
    return code;
  }
}
