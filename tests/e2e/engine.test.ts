import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from './run.js';

/** `audit score --engine duckdb` gives, byte for byte, what the JS engine gives; where DuckDB cannot read an export as the JS engine does, it says so in one line and the JS engine scores it. */

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-engine-'));

/** Writes `text` to a file of that name in the test's folder; returns its path. */
const written = (name: string, text: string | Buffer) => {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
};

/** A rubric whose one criterion divides by a field: a case where it is 0 is a rubric fault. */
const DIVIDES = 'id: divides\nversion: 1.0.0\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string }\n  area: { type: enum, values: [cse] }\n  n: { type: integer }\ncriteria:\n  - id: ratio\n    check: 10 / n > 1\n    on_fail: inadequate\n';

const RUNS: [files: string[], extra: string[]][] = [
  [['fixtures/wmp-2014-06.csv'], []],
  [['fixtures/wmp-2014-06.csv'], ['--by', 'team']],
  [['fixtures/wmp-2014-06.csv'], ['--by', 'team', '--format', 'json']],
  [['fixtures/monthly-2014.csv'], ['--by', 'month', '--format', 'json']],
  [['fixtures/custody-2015-16.csv'], ['--rubric', 'custody', '--format', 'json']],
  [['fixtures/missing-2014.csv'], ['--rubric', 'missing', '--format', 'json']],
  [['fixtures/monthly-2014.csv'], ['--by', 'month']],
  [['fixtures/monthly-2014.csv'], ['--by', 'quarter', '--format', 'markdown']],
  [['fixtures/custody-2015-16.csv'], ['--rubric', 'custody']],
  [['fixtures/missing-2014.csv'], ['--rubric', 'missing', '--format', 'csv']],
  [['fixtures/bad/bad-values.csv'], ['--rubric', 'fixtures/bad-input-checks.yaml']],
  [['fixtures/bad/duplicate-reference.csv'], ['--rubric', 'fixtures/bad-input-checks.yaml']],
  [['fixtures/bad/repeated-header.csv'], ['--rubric', 'fixtures/bad-input-checks.yaml']],
  [['fixtures/formats/utf8-bom-crlf.csv'], ['--rubric', 'fixtures/formats/rubric.yaml']],
  [['fixtures/formats/semicolon.csv'], ['--rubric', 'fixtures/formats/rubric.yaml']],
  [['fixtures/formats/trailing-blank-lines.csv'], ['--rubric', 'fixtures/formats/rubric.yaml']],
];

describe('audit score --engine duckdb', () => {
  for (const [files, extra] of RUNS) {
    it(`gives the JS engine's output, cases and rejects for ${[...files, ...extra].join(' ')}`, async () => {
      const outputs = await Promise.all(
        (['js', 'duckdb'] as const).map(async (engine) => {
          const cases = path.join(tmp, `${engine}-cases.jsonl`);
          const rejects = path.join(tmp, `${engine}-rejects.csv`);
          const run = await audit(['score', ...files, '--as-of', '2014-07-01', '--engine', engine, '--cases-out', cases, '--rejects-out', rejects, ...extra]);
          return { ...run, cases: readFileSync(cases, 'utf8'), rejects: readFileSync(rejects, 'utf8') };
        }),
      );
      const [js, duckdb] = outputs as [(typeof outputs)[number], (typeof outputs)[number]];
      expect(duckdb.stderr).toBe(js.stderr);
      expect(duckdb.code).toBe(js.code);
      expect(duckdb.stdout).toBe(js.stdout);
      expect(duckdb.cases).toBe(js.cases);
      expect(duckdb.rejects).toBe(js.rejects);
    });
  }

  it('leaves a file that cannot be opened to the reader, with its own message', async () => {
    const run = await audit(['score', 'no-such-export.csv', '--engine', 'duckdb']);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('audit: no-such-export.csv: file not found\n');
  });

  it('stops at a rubric fault as the JS engine does', async () => {
    const rubric = written('divides.yaml', DIVIDES);
    const cases = written('divides.csv', 'ref,area,n\nA,cse,2\nB,cse,0\n');
    const duckdb = await audit(['score', cases, '--rubric', rubric, '--engine', 'duckdb']);
    expect(duckdb.code).toBe(2);
    expect(duckdb.stderr).toContain("row 3: criterion 'ratio' could not be evaluated");
  });

  it('says in one line why DuckDB did not score an export, and the JS engine scores it', async () => {
    const blank = path.join(tmp, 'blank-line.csv');
    writeFileSync(blank, 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes\nA,cse,02/06/2014,,Y,\n\nB,cse,03/06/2014,,N,\n');
    const ragged = path.join(tmp, 'ragged.csv');
    writeFileSync(ragged, 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes\nA,cse,02/06/2014,,Y,\nB,cse\n');
    const cases: [string[], RegExp][] = [
      [[blank], /blank lines between its rows/],
      [[ragged], /DuckDB could not read .*ragged\.csv as the JS engine does/],
      [['fixtures/formats/windows-1252.csv'], /is in windows-1252/],
      [['fixtures/formats/utf16be.csv'], /is not a CSV file on disk in UTF-8 or Windows-1252/],
      [['fixtures/formats/workbook.xlsx'], /is not a CSV file/],
      [['fixtures/bad/bad-values.csv', 'fixtures/bad/duplicate-reference.csv'], /several files are read as one data set by the JS engine/],
    ];
    for (const [files, reason] of cases) {
      const rubric = files[0]?.startsWith('fixtures/formats') ? 'fixtures/formats/rubric.yaml' : 'fixtures/bad-input-checks.yaml';
      const js = await audit(['score', ...files, '--rubric', rubric, '--as-of', '2014-07-01', '--engine', 'js']);
      const duckdb = await audit(['score', ...files, '--rubric', rubric, '--as-of', '2014-07-01', '--engine', 'duckdb']);
      const [note, ...rest] = duckdb.stderr.split('\n');
      expect(note, files.join(' ')).toMatch(/^audit: --engine duckdb: /);
      expect(note).toMatch(reason);
      expect(note).toMatch(/; scored with the JS engine, which gives the same results$/);
      expect(rest.join('\n')).toBe(js.stderr);
      expect(duckdb.stdout).toBe(js.stdout);
    }
  });
});

/** Writes a Parquet copy of a CSV export, every column text, as a warehouse export would hold it; its name as long as the CSV's, for tables that size columns to names. */
async function parquetCopy(csv: string): Promise<string> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const target = csv.replace(/\.csv$/, '.pqt');
  await connection.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${target}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  return target;
}

describe('a Parquet export', () => {
  const PARQUET_RUNS: [csv: string, extra: string[]][] = [
    ['fixtures/wmp-2014-06.csv', ['--by', 'team']],
    ['fixtures/monthly-2014.csv', ['--by', 'quarter']],
    ['fixtures/bad/bad-values.csv', ['--rubric', 'fixtures/bad-input-checks.yaml']],
    ['fixtures/bad/duplicate-reference.csv', ['--rubric', 'fixtures/bad-input-checks.yaml']],
    ['fixtures/bad/repeated-header.csv', ['--rubric', 'fixtures/bad-input-checks.yaml']],
  ];
  for (const [csv, extra] of PARQUET_RUNS) {
    it(`gives, with either engine, what the CSV export gives: ${[csv, ...extra].join(' ')}`, async () => {
      const copy = path.join(tmp, path.basename(csv));
      writeFileSync(copy, readFileSync(csv));
      const parquet = await parquetCopy(copy);
      const run = async (file: string, engine: string) => {
        const cases = path.join(tmp, `${engine}-parquet-cases.jsonl`);
        const rejects = path.join(tmp, `${engine}-parquet-rejects.csv`);
        const result = await audit(['score', file, '--as-of', '2014-07-01', '--engine', engine, '--cases-out', cases, '--rejects-out', rejects, ...extra]);
        // The export's name is in the outputs: the CSV's stands for the Parquet file's.
        const named = (text: string) => text.replaceAll(file, 'EXPORT');
        return { code: result.code, stdout: named(result.stdout), stderr: named(result.stderr), cases: readFileSync(cases, 'utf8'), rejects: named(readFileSync(rejects, 'utf8')) };
      };
      const fromCsv = await run(copy, 'js');
      for (const engine of ['js', 'duckdb', 'auto']) expect(await run(parquet, engine), engine).toEqual(fromCsv);
    });
  }

  it('gives the report the CSV export gives', async () => {
    const copy = path.join(tmp, 'monthly-2014.csv');
    writeFileSync(copy, readFileSync('fixtures/monthly-2014.csv'));
    const parquet = await parquetCopy(copy);
    const report = async (file: string) => {
      const out = path.join(tmp, `${path.basename(file)}.md`);
      const run = await audit(['report', file, '--by', 'team', '--format', 'markdown', '--out', out, '--as-of', '2015-01-01']);
      expect(run.code, run.stderr).toBe(0);
      return readFileSync(out, 'utf8').replaceAll(file, 'EXPORT');
    };
    expect(await report(parquet)).toBe(await report(copy));
  });

  it('is read from a file, not standard input', async () => {
    const copy = path.join(tmp, 'wmp-2014-06.csv');
    writeFileSync(copy, readFileSync('fixtures/wmp-2014-06.csv'));
    const parquet = await parquetCopy(copy);
    const run = await audit(['score', '-'], { stdin: readFileSync(parquet) });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('audit: standard input: a Parquet export is read from a file: save it to disk and give its name\n');
  });

  it('goes to the JS engine when the rubric has what is not compiled to SQL: silently under auto, with a note when DuckDB was asked for', async () => {
    const rubric = written('fractions.yaml', 'id: fractions\nversion: 1.0.0\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string }\n  area: { type: enum, values: [cse] }\n  hours: { type: number }\ncriteria:\n  - id: quick\n    check: hours * 1.5 < 10.0\n    on_fail: inadequate\n');
    const csv = written('fractions.csv', 'ref,area,hours\nA,cse,2\nB,cse,9\n');
    const parquet = await parquetCopy(csv);
    const js = await audit(['score', csv, '--rubric', rubric, '--engine', 'js']);
    const auto = await audit(['score', parquet, '--rubric', rubric]);
    expect(auto.code).toBe(js.code);
    expect(auto.stderr).toBe('');
    expect(auto.stdout.replaceAll(parquet, csv)).toBe(js.stdout);
    const asked = await audit(['score', parquet, '--rubric', rubric, '--engine', 'duckdb']);
    expect(asked.stderr).toMatch(/^audit: --engine duckdb: rubric fractions: check of 'quick': .* is not compiled to SQL; scored with the JS engine, which gives the same results\n$/);
  });

  it('names the first row where a criterion cannot be evaluated, as the JS engine does', async () => {
    const rubric = written('divides-twice.yaml', DIVIDES);
    // The first fault late in the first block of rows DuckDB hands a thread, the second early in the next.
    const rows = Array.from({ length: 130_000 }, (_, i) => `R${i},cse,${i === 120_000 || i === 123_000 ? 0 : 2}`);
    const csv = written('divides-twice.csv', `ref,area,n\n${rows.join('\n')}\n`);
    const js = await audit(['score', csv, '--rubric', rubric, '--engine', 'js']);
    const duckdb = await audit(['score', csv, '--rubric', rubric, '--engine', 'duckdb']);
    expect(js.stderr).toContain('row 120002:');
    expect(duckdb.stderr).toBe(js.stderr);
    expect(duckdb.code).toBe(js.code);
  });

  it('counts a report by period and --by value as the JS engine does, refusing only over 1,000 values', async () => {
    const rubric = written('teams.yaml', 'id: teams\nversion: 1.0.0\ncase: { id: ref, area: area, date: on }\nfields:\n  ref: { type: string }\n  area: { type: enum, values: [cse] }\n  on: { type: date }\n  team: { type: string }\ncriteria:\n  - id: dated\n    check: on != null\n    on_fail: inadequate\n');
    // 600 teams in each of two months: 1,200 keys of period and team, 600 teams.
    const rows = Array.from({ length: 1200 }, (_, i) => `R${i},cse,${i < 600 ? '2014-05-03' : '2014-06-03'},T${i % 600}`);
    const csv = written('teams.csv', `ref,area,on,team\n${rows.join('\n')}\n`);
    const parquet = await parquetCopy(csv);
    for (const file of [csv, parquet]) {
      const run = await audit(['report', file, '--rubric', rubric, '--by', 'team', '--format', 'markdown', '--out', path.join(tmp, 'teams.md'), '--as-of', '2014-07-01']);
      expect(run.stderr, file).toBe('');
      expect(run.code, file).toBe(0);
    }
  });

  it('reads only the file named, whatever characters its name holds', async () => {
    const dir = path.join(tmp, 'odd [names]');
    mkdirSync(dir, { recursive: true });
    const csv = path.join(dir, 'june?.csv');
    writeFileSync(csv, readFileSync('fixtures/wmp-2014-06.csv'));
    // A second file the name would match as a pattern.
    writeFileSync(path.join(dir, 'junea.csv'), readFileSync('fixtures/wmp-2014-06.csv'));
    const parquet = await parquetCopy(csv);
    for (const [file, engine] of [[csv, 'duckdb'], [parquet, 'auto']]) {
      const run = await audit(['score', file as string, '--engine', engine as string, '--format', 'json', '--as-of', '2014-07-01']);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout).input.rows_read).toBe(115);
    }
  });

  it('reads a CSV export whose first header begins as a Parquet file does', async () => {
    const csv = written('par1.csv', 'PAR1 ref,area\nA,cse\n');
    const rubric = written('par1.yaml', 'id: par1\nversion: 1.0.0\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string, column: PAR1 ref }\n  area: { type: enum, values: [cse] }\ncriteria:\n  - id: any\n    check: ref != null\n    on_fail: inadequate\n');
    const run = await audit(['score', csv, '--rubric', rubric, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).input.rows_read).toBe(1);
  });
});
