import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CellProblem } from '../../cases/coerce.js';
import { InputError } from '../../cases/errors.js';
import type { CaseInput } from '../../cases/input.js';
import { RecordBatch } from '../../cases/record-batch.js';
import type { CompiledRubric } from '../../rubric/compile.js';
import { withEvaluator } from '../../rubric/needs-evaluator.js';
import { CaseScorer } from '../../scoring/case-scorer.js';
import { ExpressionRuntimeError } from '../../scoring/evaluate.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Grade } from '../../rubric/constants.js';
import { GROUP_SEPARATOR, MOST_GROUP_VALUES, tooManyGroups } from '../../summary/group.js';
import { OUTCOME_CODE } from '../../scoring/outcome.js';
import { addRejectedRow, emptySummary, groupTally, rubricInfo, type Summary } from '../../summary/summary.js';
import { addSummaryRow, summaryColumns } from '../sql/summarize.js';
import type { ScoreOptions } from '../../pipeline.js';
import { DUCKDB } from '../sql/dialect.js';
import { FAULT, PERIOD_SEPARATOR, rubricSteps, summarySelect, type RubricQuery } from '../sql/query.js';
import { NotCompilable } from '../sql/expression.js';
import { hasInnerBlankLine } from './blank-lines.js';
import { duckDbFile, parquetCells } from '../../cases/read-parquet.js';

/**
 * The DuckDB engine: the rubric compiled to SQL (src/engines/sql) and run
 * in process by DuckDB, which reads the CSV export itself. It gives the
 * summary the JS engine gives, and calls onResult and onReject with the same
 * cases and rejected rows in the same order, so every output works
 * unchanged. Where DuckDB cannot read an export exactly as the JS engine
 * does, it says why (`NotForDuckDb`) before anything is written, and the
 * caller scores with the JS engine instead.
 */

export class NotForDuckDb extends Error {}

/** What counting needs at most, after every row is scored: DuckDB spills beyond it, and was no slower for it on 10M rows. */
const COUNTING_MEMORY_MB = 160;

/**
 * DuckDB's memory and threads: `AUDIT_DUCKDB_MEMORY` (such as 1GB) and
 * `AUDIT_DUCKDB_THREADS`. Below about 450MB DuckDB writes the rows' outcomes
 * in order on one thread at a time, and scoring takes twice as long, though
 * it uses far less than the limit; counting afterwards is held to 160MB (or
 * the limit, if lower).
 */
export function duckDbSettings(env: NodeJS.ProcessEnv): { memory: string; countingMemory: string; threads: number } {
  const memory = env.AUDIT_DUCKDB_MEMORY ?? '512MB';
  const size = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)$/i.exec(memory);
  if (!size) throw new NotForDuckDb(`AUDIT_DUCKDB_MEMORY=${memory}: write it as 512MB or 1GB`);
  const megabytes = Number(size[1]) * ({ KB: 1 / 1024, MB: 1, GB: 1024 }[(size[2] ?? 'MB').toUpperCase()] ?? 1);
  const threads = env.AUDIT_DUCKDB_THREADS === undefined ? Math.min(os.availableParallelism(), 4) : Number(env.AUDIT_DUCKDB_THREADS);
  if (!(Number.isInteger(threads) && threads >= 1)) throw new NotForDuckDb(`AUDIT_DUCKDB_THREADS=${env.AUDIT_DUCKDB_THREADS}: give a whole number, 1 or more`);
  return { memory, countingMemory: megabytes < COUNTING_MEMORY_MB ? memory : `${COUNTING_MEMORY_MB}MB`, threads };
}

/** Why an export cannot go to DuckDB, or undefined when it can; `input` is the export opened by the JS reader (its header and how it is encoded). */
export async function duckDbRefusal(input: CaseInput, options: ScoreOptions): Promise<string | undefined> {
  if (options.redact) return '--redact pseudonymises case references as the JS engine reads them';
  if (options.onCase) return 'explain needs every value of the case';
  if (input.parquet) return undefined;
  const csv = input.splittable;
  if (!csv) return `${input.file} is not a CSV file on disk in UTF-8 or Windows-1252, nor a Parquet file`;
  if (csv.encoding !== 'utf-8') return `${input.file} is in ${csv.encoding}, which DuckDB does not read as the JS engine does`;
  if (csv.headerRecord !== 1) return `${input.file} has blank lines before its header`;
  if (await hasInnerBlankLine(csv.path)) return `${input.file} has blank lines between its rows, which DuckDB does not count as rows`;
  return undefined;
}

/**
 * The export as DuckDB reads it, every column text named c1, c2, ...: `rows`
 * in the order read (read by every thread), and `numbered` with source_row
 * numbering the rows as a spreadsheet shows them.
 */
async function exportSql(input: CaseInput): Promise<{ rows: string; numbered: string }> {
  if (input.parquet) {
    input.parquet.close();
    return { rows: parquetCells(input.parquet.path, input.header), numbered: parquetCells(input.parquet.path, input.header, { rowNumbers: true }) };
  }
  const csv = input.splittable;
  if (!csv) throw new NotForDuckDb(`${input.file} is not a CSV file on disk`);
  await csv.close();
  const table = csvOptions(csv.path, csv.delimiter, input.header.length);
  // The header is row 1; the file has no blank line between rows (duckDbRefusal). Numbering rows with a window takes one thread.
  return { rows: table, numbered: `(SELECT row_number() OVER () + 1 AS source_row, * FROM ${table})` };
}

const KIND = { summary: 0, reject: 1, moderated: 2 } as const;

/** Where the counts start among the summary output's columns (after level, group and area). */
const COUNTS_FROM = 3;

/**
 * The query over `scored`: the summary's counts, then every rejected cell and
 * moderated case, in row order. `query` is the rubric over the export
 * numbered by row, for the rejected rows' cells.
 */
function summaryQuery(rubric: CompiledRubric, query: RubricQuery): string {
  const d = DUCKDB;
  const q = d.ident;
  const { names } = query;
  const counts = summaryColumns(rubric).slice(COUNTS_FROM).map(q);
  const branches = [
    `SELECT ${KIND.summary} AS kind, 0 AS row, 0 AS position, ${q('level')} AS level, ${q('group')} AS grp, ${q('area')} AS area, NULL AS id, NULL AS a, NULL AS b, NULL AS c, [${counts.join(', ')}] AS counts FROM summary_rows`,
    `SELECT ${KIND.reject}, ${names.row}, ${q('order')}, NULL, NULL, NULL, NULL, ${q('column')}, ${q('value')}, ${q('reason')}, NULL FROM (SELECT * FROM problems UNION ALL SELECT * FROM repeats) AS every_problem`,
    `SELECT ${KIND.moderated}, ${names.row}, 0, NULL, ${names.group ?? 'NULL'}, ${names.area}, ${names.id}, ${names.computed}, ${names.grade}, NULL, NULL FROM final WHERE ${names.grade} <> ${names.computed}`,
  ];
  return `WITH\n  ${[...query.rowSteps, ...query.caseSteps].join(',\n  ')},\n  summary_rows AS (\n${summarySelect(rubric, d, names)}\n  )\n${branches.join('\nUNION ALL\n')}\nORDER BY kind, row, position`;
}

/** Every case in row order (area, reference, computed grade, grade, criteria not met), read after the summary query has found any rubric fault. */
function casesQuery(rubric: CompiledRubric, query: RubricQuery): string {
  const d = DUCKDB;
  const { names } = query;
  const notMet = rubric.criteria.map((criterion, c) => `CASE WHEN ${names.outcome(c)} IN (${OUTCOME_CODE.notMet}, ${OUTCOME_CODE.notMetNotRecorded}) THEN ${d.text(criterion.id)} END`);
  return `WITH\n  ${[...query.rowSteps, ...query.caseSteps].join(',\n  ')}\nSELECT ${names.area}, ${names.id}, ${names.computed}, ${names.grade}, ${d.joinNonNull(';', notMet)} FROM final ORDER BY ${names.row}`;
}

const csvOptions = (path: string, delimiter: string, columns: number) =>
  `read_csv(${duckDbFile(path)}, header = true, auto_detect = false, all_varchar = true, delim = ${DUCKDB.text(delimiter)}, quote = '"', escape = '"', ` +
  `strict_mode = true, null_padding = false, max_line_size = 1000000, columns = {${Array.from({ length: columns }, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ')}})`;

type Row = [kind: number, row: number, position: number, level: string | null, group: string | null, area: string | null, id: string | null, a: string | null, b: string | null, c: string | null, counts: number[] | null];

/** Scores one CSV or Parquet export with DuckDB; throws NotForDuckDb, before any callback, when DuckDB cannot read it as the JS engine does. */
export async function scoreWithDuckDb(rubric: CompiledRubric, file: string, input: CaseInput, options: ScoreOptions, env: NodeJS.ProcessEnv = process.env): Promise<Summary> {
  const source = await exportSql(input);
  const { planColumns } = await import('../../cases/columns.js');
  const plan = planColumns(input.file, input.header, rubric.fields);
  const column = (index: number) => `c${index + 1}`;
  const { by, period } = options.grouping?.spec ?? {};
  const shared = {
    asOf: options.asOf.getTime(),
    columns: plan.map((i) => (i < 0 ? undefined : column(i))),
    headers: plan.map((i) => input.header[i]),
    allColumns: input.header.map((header, i) => ({ column: column(i), header })),
    ...(by !== undefined ? { by } : {}),
    ...(period !== undefined ? { period } : {}),
  };
  // Rows numbered by a window over the export are read by one thread: `scored` is computed from rows in the order read, by every thread, and numbered by position afterwards.
  let unnumbered: RubricQuery;
  let numbered: RubricQuery;
  try {
    unnumbered = rubricSteps(rubric, DUCKDB, { ...shared, source: source.rows });
    numbered = rubricSteps(rubric, DUCKDB, { ...shared, source: 'export', rowColumn: 'source_row' });
  } catch (error) {
    if (error instanceof NotCompilable) throw new NotForDuckDb(`rubric ${rubric.id}: ${error.message}`);
    throw error;
  }
  const sql = summaryQuery(rubric, numbered);
  const q = DUCKDB.ident;

  const { memory, countingMemory, threads } = duckDbSettings(env);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  // What DuckDB spills beyond its memory limit, and each row's outcomes, hold case data: in a folder of its own under TMPDIR, removed at the end, never the working folder.
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'audit-duckdb-'));
  const scoredFile = DUCKDB.text(path.join(scratch, 'scored.parquet'));
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: memory, threads: String(threads), temp_directory: scratch, preserve_insertion_order: 'true' });
  const connection = await instance.connect();
  try {
    let rows: Row[];
    try {
      // Every row of the export is read here, before anything is written: an export DuckDB cannot read fails now.
      await connection.run(`COPY (WITH\n  ${unnumbered.rowSteps.join(',\n  ')}\n${unnumbered.scored}) TO ${scoredFile} (FORMAT parquet)`);
      await connection.run(`SET memory_limit = ${DUCKDB.text(countingMemory)}`);
      await connection.run(`CREATE VIEW scored AS SELECT file_row_number + 2 AS ${numbered.names.row}, * EXCLUDE (file_row_number, ${q(':blank')}) FROM read_parquet(${scoredFile}, file_row_number = true) WHERE NOT ${q(':blank')}`);
      await connection.run(`CREATE VIEW export_rows AS SELECT * FROM ${source.numbered}`);
      // The rejected rows are read again, for their cells; only when there are some, as numbering a CSV's rows takes one thread.
      const rejected = `SELECT ${numbered.names.row} FROM scored WHERE NOT ${numbered.names.readable}`;
      const anyRejected = ((await (await connection.run(`SELECT EXISTS (${rejected})`)).getRowsJS()) as boolean[][])[0]?.[0] === true;
      await connection.run(`CREATE VIEW export AS SELECT * FROM export_rows WHERE ${anyRejected ? `source_row IN (${rejected})` : 'FALSE'}`);
      rows = (await (await connection.stream(sql)).getRowsJS()) as unknown as Row[];
    } catch (error) {
      const message = (error instanceof Error ? error.message.split('\n')[0] : String(error)) ?? '';
      const fault = / criterion '.*' could not be evaluated/.test(message);
      if (fault) throw await rubricFault(rubric, input, options, connection, await firstFault(connection, rubric, numbered));
      throw new NotForDuckDb(`DuckDB could not read ${input.file} as the JS engine does (${message})`);
    }
    const summary = summaryOf(rubric, file, rows, options);
    const onResult = options.onResult;
    if (onResult) {
      const cases = await connection.stream(casesQuery(rubric, numbered));
      for await (const batch of cases.yieldRowsJs()) {
        for (const [area, id, computed, grade, notMet] of batch as (string | null)[][]) {
          onResult({ id: id ?? '', area: area ?? '', grade: grade as Grade, ...(computed !== grade ? { computed_grade: computed as Grade } : {}), not_met: notMet ? notMet.split(';') : [] });
        }
      }
    }
    return summary;
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The first row, in file order, with a criterion that could not be evaluated, and that criterion: DuckDB's threads stop at whichever they meet first. */
async function firstFault(connection: DuckDBConnection, rubric: CompiledRubric, query: RubricQuery): Promise<{ row: number; criterion: string }> {
  const { names } = query;
  const faulty = (c: number) => `${names.outcome(c)} = ${FAULT}`;
  const criterion = `CASE ${rubric.criteria.map((criterion, c) => `WHEN ${faulty(c)} THEN ${DUCKDB.text(criterion.id)}`).join(' ')} END`;
  const sql = `WITH\n  ${[...query.rowSteps, ...query.caseSteps].join(',\n  ')}\nSELECT ${names.row}, ${criterion} FROM graded WHERE ${rubric.criteria.map((_, c) => faulty(c)).join(' OR ')} ORDER BY ${names.row} LIMIT 1`;
  const [row, id] = ((await (await connection.run(sql)).getRowsJS()) as [number, string][])[0] ?? [NaN, ''];
  return { row: Number(row), criterion: id };
}

/**
 * A rubric fault DuckDB found at a row (a division by zero, an overflow, with
 * every field present), described as the JS engine describes it: the row is
 * scored once more by the JS engine, which names the cause.
 */
async function rubricFault(rubric: CompiledRubric, input: CaseInput, options: ScoreOptions, connection: DuckDBConnection, { row, criterion }: { row: number; criterion: string }): Promise<Error> {
  const [cells] = (await (await connection.run(`SELECT * EXCLUDE (source_row) FROM export_rows WHERE source_row = ${row}`)).getRowsJS()) as (string | null)[][];
  try {
    const scorer = new CaseScorer(input.file, input.header, rubric, { asOf: options.asOf });
    await withEvaluator(() => scorer.score(RecordBatch.of([(cells ?? []).map((c) => c ?? '')], [row]), 0));
  } catch (error) {
    if (error instanceof ExpressionRuntimeError) return error;
    throw error;
  }
  return new ExpressionRuntimeError(criterion, { file: input.file, row }, 'a whole-number operation went beyond 64 bits or divided by zero');
}

function summaryOf(rubric: CompiledRubric, file: string, rows: Row[], options: ScoreOptions): Summary {
  const summary = emptySummary(rubricInfo(rubric), { asOf: options.asOf.toISOString().slice(0, 10), files: [file], ...(options.grouping ? { groupBy: options.grouping.name } : {}) });
  const countAt = new Map(summaryColumns(rubric).slice(COUNTS_FROM).map((name, i) => [name, i]));
  let pending: CellProblem[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    addRejectedRow(summary, pending);
    options.onReject?.(pending);
    pending = [];
  };
  // A report's group joins period and value with a separator SQL can carry; the summary's key has its own.
  const groupKey = (group: string | null) => (group !== null && options.grouping?.spec.period ? group.replace(PERIOD_SEPARATOR, GROUP_SEPARATOR) : group);
  for (const [kind, row, , level, sqlGroup, area, id, a, b, c, counts] of rows) {
    const group = groupKey(sqlGroup);
    switch (kind) {
      case KIND.summary:
        // The rows rejected are counted from the rejected rows themselves, as the JS engine counts them.
        if (level !== null && level !== 'rejected') addSummaryRow(summary, rubric, { level, group, area, count: (name) => Number(counts?.[countAt.get(name) ?? -1] ?? 0) });
        break;
      case KIND.reject:
        if (pending.length > 0 && pending[0]?.row !== Number(row)) flush();
        pending.push({ file: summary.files[0] ?? file, row: Number(row), column: a ?? '', value: b ?? '', reason: c ?? '' });
        break;
      case KIND.moderated: {
        flush();
        const moderated = { id: id ?? '', area: area ?? '', computed: a as Grade, final: b as Grade };
        summary.overall.moderated.push(moderated);
        if (group !== null && options.grouping) groupTally(summary, group).moderated.push(moderated);
        break;
      }
    }
  }
  flush();
  // Counted as the JS engine counts them: the --by values, not a report's keys (a period and a value).
  const byValues = new Set([...summary.groups.keys()].map((key) => options.grouping?.byValue(key)).filter((value) => value !== undefined));
  if (byValues.size > MOST_GROUP_VALUES) throw tooManyGroups(options.grouping?.spec.by ?? options.grouping?.name ?? '', summary.files);
  if (summary.rowsRead === 0) throw new InputError(`${file}: has a header but no case rows; there is nothing to score`);
  return summary;
}
