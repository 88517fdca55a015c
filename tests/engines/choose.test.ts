import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCases } from '../../src/cases/open.js';
import { scoreWithEngine, type Engine } from '../../src/engines/choose.js';
import { loadCompiledRubric } from '../../src/cli/rubric-source.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-choose-'));

/** Which engine scored: the JS engine reports progress as it reads, DuckDB does not. */
async function engineUsed(engine: Engine, file: string): Promise<{ engine: 'js' | 'duckdb'; notes: string[]; cases: number }> {
  const rubric = await loadCompiledRubric(undefined);
  let progressed = false;
  const notes: string[] = [];
  const summary = await scoreWithEngine(engine, rubric, [file], (f) => openCases(f), { asOf: new Date('2014-07-01T00:00:00Z'), onProgress: () => void (progressed = true) }, (line) => notes.push(line));
  return { engine: progressed ? 'js' : 'duckdb', notes, cases: summary.rowsRead };
}

describe('choosing the engine', () => {
  it('auto: DuckDB for a Parquet export, the JS engine for a CSV export; both with no note', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const parquet = path.join(tmp, 'wmp.parquet');
    await connection.run(`COPY (SELECT * FROM read_csv('fixtures/wmp-2014-06.csv', header = true, all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();

    expect(await engineUsed('auto', parquet)).toEqual({ engine: 'duckdb', notes: [], cases: 115 });
    expect(await engineUsed('auto', 'fixtures/wmp-2014-06.csv')).toEqual({ engine: 'js', notes: [], cases: 115 });
    expect(await engineUsed('js', parquet)).toEqual({ engine: 'js', notes: [], cases: 115 });
    expect(await engineUsed('duckdb', 'fixtures/wmp-2014-06.csv')).toEqual({ engine: 'duckdb', notes: [], cases: 115 });
  });
});
