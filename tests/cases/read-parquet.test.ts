import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/cases/errors.js';
import { openCases } from '../../src/cases/open.js';
import type { CaseInput } from '../../src/cases/input.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-parquet-'));

async function writeParquet(name: string, select: string): Promise<string> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const file = path.join(tmp, name);
  await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  return file;
}

async function records(input: CaseInput): Promise<{ row: number; cells: string[] }[]> {
  const out: { row: number; cells: string[] }[] = [];
  for await (const batch of input.batches) {
    for (let r = batch.from; r < batch.count; r++) out.push({ row: batch.row(r), cells: batch.cells(r) });
  }
  return out;
}

describe('reading a Parquet export', () => {
  it('reads typed columns as the text DuckDB writes for them, an empty cell for no value, rows numbered from 2', async () => {
    const file = await writeParquet(
      'typed.parquet',
      `SELECT * FROM (VALUES
        ('A-1', DATE '2014-06-03', TIMESTAMP '2014-06-03 14:05:00', TRUE, 15::BIGINT, 2.5::DOUBLE, 'missing'),
        ('A-2', NULL, NULL, FALSE, NULL, NULL, NULL)
      ) AS t("Case Ref", referred_on, referred_at, voice, age, hours, area)`,
    );
    const input = await openCases(file);
    expect(input.header).toEqual(['Case Ref', 'referred_on', 'referred_at', 'voice', 'age', 'hours', 'area']);
    expect(input.rows).toBe(2);
    expect(await records(input)).toEqual([
      { row: 2, cells: ['A-1', '2014-06-03', '2014-06-03 14:05:00', 'true', '15', '2.5', 'missing'] },
      { row: 3, cells: ['A-2', '', '', 'false', '', '', ''] },
    ]);
  });

  it('refuses a file that starts as Parquet and is not, naming it', async () => {
    const file = path.join(tmp, 'broken.parquet');
    writeFileSync(file, 'PAR1 and nothing else a Parquet file holds PAR1');
    const opened = openCases(file);
    await expect(opened).rejects.toThrow(InputError);
    // DuckDB's reason, without its kind of error or the file name again.
    await expect(opened).rejects.toThrow(/broken\.parquet: cannot be read as a Parquet file \([^:]+\)$/);
  });
});
