import { createHash } from 'node:crypto';
import { planColumns } from '../cases/columns.js';
import { openCases } from '../cases/open.js';
import { DIALECT_NAMES, DIALECTS } from '../engines/sql/dialect.js';
import { NotCompilable } from '../engines/sql/expression.js';
import { rubricQuery, SQL_OUTPUTS, type SqlOutput } from '../engines/sql/query.js';
import { compileRubric, type CompiledRubric } from '../rubric/compile.js';
import { UsageError } from './errors.js';
import { choice, parseAsOf } from './options.js';
import { resolveRubric } from './rubric-source.js';

export interface CompileCommandOptions {
  dialect: string;
  output: string;
  source: string;
  asOf?: string;
  by?: string;
  sourceColumns?: string;
  rowColumn: string;
}

/** The outputs a user asks for; `outcomes` (every criterion's outcome per case) is for the differential tests. */
const OUTPUTS = SQL_OUTPUTS.filter((o) => o !== 'outcomes');

/** A table name as SQL takes it unquoted: names with spaces or quotes go behind a view. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/;

/** The staging table's column for each rubric field: the export's own header, matched as the JS engine matches it, or the rubric's first `column:`. */
async function stagingColumns(rubric: CompiledRubric, file: string | undefined): Promise<{ columns: (string | undefined)[]; all?: string[] }> {
  if (file === undefined) return { columns: rubric.fields.map((f) => f.headers[0] ?? f.name) };
  let header = (await openCases(file)).header;
  if (header.length === 1) {
    // A list of column names, one to a line, rather than an export.
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(file, 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length > 1) header = lines;
  }
  const plan = planColumns(file, header, rubric.fields);
  return { columns: plan.map((i) => (i < 0 ? undefined : header[i])), all: header };
}

/** Text safe inside a one-line SQL comment. */
const commentText = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');

export async function compileCommand(rubricArgument: string, options: CompileCommandOptions): Promise<number> {
  const dialect = DIALECTS[choice('--dialect', options.dialect, DIALECT_NAMES)];
  const output = choice('--output', options.output, OUTPUTS) as SqlOutput;
  if (!TABLE_NAME.test(options.source)) {
    throw new UsageError(`--source ${options.source}: give a table name such as cases or staging.case_export (letters, digits and _); for any other name, make a view with such a name`);
  }
  if (options.by !== undefined && output !== 'summary' && output !== 'cases') throw new UsageError('--by applies to --output summary and cases only');
  const asOf = parseAsOf(options.asOf, new Date());
  // Compiled afresh, not from the cache: the SQL is written from the type-checked syntax tree, which the cache does not keep.
  const { text, file } = await resolveRubric(rubricArgument);
  const rubric = compileRubric(text, file);
  const { columns, all } = await stagingColumns(rubric, options.sourceColumns);
  let sql: string;
  try {
    sql = rubricQuery(rubric, dialect, { source: options.source, asOf: asOf.getTime(), columns, rowColumn: options.rowColumn, ...(all ? { allColumns: all.map((header) => ({ column: header, header })) } : {}), ...(options.by !== undefined ? { by: options.by } : {}) }, output);
  } catch (error) {
    if (!(error instanceof NotCompilable)) throw error;
    const where = error.path ? rubric.source.locateInString(error.path, error.offset) : undefined;
    throw new UsageError(`${rubric.file}${where ? `:${where.line}:${where.column}` : ''}: cannot be compiled to ${dialect.title}: ${error.message}`);
  }
  const hash = createHash('sha256').update(text).digest('hex');
  const read = columns.filter((c): c is string => c !== undefined);
  const header = [
    `-- audit compile: rubric ${rubric.id} version ${rubric.version} (sha256 ${hash.slice(0, 16)}), ${dialect.title}, --output ${output}${options.by ? ` --by ${commentText(options.by)}` : ''}`,
    `-- Audit date ${asOf.toISOString().slice(0, 10)}. Reads ${options.source}: one row per row of the export, every column text, and ${commentText(options.rowColumn)} numbering the rows as a spreadsheet does (the header is row 1).`,
    `-- Columns read: ${read.map((c) => commentText(c)).join(', ')}.`,
  ];
  process.stdout.write(`${header.join('\n')}\n${sql};\n`);
  return 0;
}
