import { DIALECTS, type Dialect, type DialectName } from '../../../src/engines/sql/dialect.js';
import { rubricQuery, type SqlOutput } from '../../../src/engines/sql/query.js';
import type { CompiledRubric } from '../../../src/rubric/compile.js';
import path from 'node:path';
import { planColumns } from '../../../src/cases/columns.js';
import { openCases } from '../../../src/cases/open.js';
import { ROOT } from '../../e2e/run.js';

/**
 * The SQL engines the differential tests run compiled rubrics on: DuckDB in
 * process, and a real PostgreSQL server when AUDIT_TEST_POSTGRES gives its
 * URL (.ci/run starts one with scripts/test-postgres.sh; without it the
 * PostgreSQL tests are skipped with a message, except in CI).
 */

export interface Staged {
  header: string[];
  rows: { row: number; cells: string[] }[];
}

export interface SqlEngine {
  dialect: Dialect;
  /** Creates the staging table: one text column per header cell, and source_row. */
  load(table: string, staged: Staged): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  drop(table: string): Promise<void>;
  close(): Promise<void>;
}

export const POSTGRES_URL = process.env.AUDIT_TEST_POSTGRES;
if (!POSTGRES_URL && process.env.CI) {
  throw new Error('CI must run the PostgreSQL differential tests, but AUDIT_TEST_POSTGRES is not set: .ci/run starts a server with scripts/test-postgres.sh');
}
if (!POSTGRES_URL) console.warn('Skipping the PostgreSQL differential tests: set AUDIT_TEST_POSTGRES (scripts/test-postgres.sh start prints the URL).');

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function duckdb(): Promise<SqlEngine> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  const dialect = DIALECTS.duckdb;
  return {
    dialect,
    async load(table, { header, rows }) {
      await connection.run(`CREATE TABLE ${ident(table)} (source_row INTEGER, ${header.map((h) => `${ident(h)} VARCHAR`).join(', ')})`);
      for (let at = 0; at < rows.length; at += 500) {
        const values = rows.slice(at, at + 500).map((r) => `(${r.row}, ${r.cells.map((c) => dialect.text(c)).join(', ')})`);
        if (values.length) await connection.run(`INSERT INTO ${ident(table)} VALUES ${values.join(',\n')}`);
      }
    },
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    },
    async drop(table) {
      await connection.run(`DROP TABLE IF EXISTS ${ident(table)}`);
    },
    async close() {
      connection.closeSync();
    },
  };
}

export async function postgres(): Promise<SqlEngine | undefined> {
  if (!POSTGRES_URL) return undefined;
  const { default: pg } = await import('pg');
  // Values come back as text, as they are written: the tests compare them with the JS engine's as text.
  const client = new pg.Client({ connectionString: POSTGRES_URL, types: { getTypeParser: () => (value: string) => value } });
  await client.connect();
  const dialect = DIALECTS.postgres;
  return {
    dialect,
    async load(table, { header, rows }) {
      await client.query(`CREATE TEMPORARY TABLE ${ident(table)} (source_row INTEGER, ${header.map((h) => `${ident(h)} TEXT`).join(', ')})`);
      const width = header.length + 1;
      const perInsert = Math.max(1, Math.floor(30_000 / width));
      for (let at = 0; at < rows.length; at += perInsert) {
        const part = rows.slice(at, at + perInsert);
        const placeholders = part.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
        await client.query(`INSERT INTO ${ident(table)} VALUES ${placeholders.join(', ')}`, part.flatMap((r) => [r.row, ...r.cells]));
      }
    },
    async query(sql) {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    },
    async drop(table) {
      await client.query(`DROP TABLE IF EXISTS ${ident(table)}`);
    },
    async close() {
      await client.end();
    },
  };
}

export const ENGINE_NAMES: DialectName[] = ['duckdb', 'postgres'];

/** The query for a rubric over a staged export, its columns matched to the rubric's as the JS engine matches them. */
export function queryFor(rubric: CompiledRubric, engine: SqlEngine, table: string, staged: Staged, output: SqlOutput, asOf: Date, by?: string): string {
  const plan = planColumns(table, staged.header, rubric.fields);
  return rubricQuery(rubric, engine.dialect, { source: ident(table), asOf: asOf.getTime(), columns: plan.map((i) => (i < 0 ? undefined : staged.header[i])), rowColumn: 'source_row', allColumns: staged.header.map((header) => ({ column: header, header })), ...(by ? { by } : {}) }, output);
}

let tables = 0;
/** A fresh table name, so that runs never see each other's rows. */
export function tableName(): string {
  return `staged_${process.pid}_${++tables}`;
}

/** A JS engine reason as a dialect gives it: "did you mean" only where the engine has an edit distance (docs/engines.md). */
export function reasonOn(engine: SqlEngine, reason: string): string {
  return engine.dialect.editDistance ? reason : reason.replace(/; did you mean '.*'\?$/, '');
}

/** An export as a staging table holds it: the header, and every record with its row number (blank ones too). */
export async function stage(file: string): Promise<Staged> {
  const input = await openCases(path.join(ROOT, file));
  const rows: Staged['rows'] = [];
  for await (const batch of input.batches) {
    for (let i = batch.from; i < batch.count; i++) {
      const cells = batch.cells(i);
      // A staging table has a column for each header cell: a record of another length cannot be loaded as it is.
      if (cells.length === input.header.length) rows.push({ row: batch.row(i), cells });
    }
  }
  return { header: input.header, rows };
}

