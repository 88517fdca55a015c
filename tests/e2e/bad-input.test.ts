import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

const RUBRIC = 'fixtures/bad-input-checks.yaml';
const bad = (name: string) => `fixtures/bad/${name}`;
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-bad-'));
const CANARY = 'SECRET-NOTE-TEXT';

/** Files that cannot be read at all: exit 3 and exactly this message. */
const UNREADABLE: Record<string, string> = {
  'empty.csv': 'the file is empty; expected a header row and case rows',
  'header-only.csv': 'has a header but no case rows; there is nothing to score',
  'binary.csv': 'is not a text file (it contains binary data); export the case file as CSV, .xlsx or Parquet',
  'not-csv.csv': "does not look like a CSV export: it starts with '<', like a web page or XML file",
  'json-not-csv.csv': "does not look like a CSV export: it starts with '[', like a JSON file",
  'unclosed-quote.csv': 'row 3: a quoted cell starts here and is never closed, so the rest of the file cannot be read',
  'missing-columns.csv': [
    '4 columns the rubric needs are missing:',
    "  - column 'Area' not found; did you mean 'Area of Work'?",
    "  - column 'Arrest Date' not found; did you mean 'Arrested Date'?",
    "  - column 'Intel Followed Up' not found; did you mean 'Intel Follow Up'?",
    "  - column 'Episodes' not found",
  ].join('\n'),
};

/** Files that are read, with these rows rejected (row, column, value, reason) and exit 0. */
const REJECTED: Record<string, Array<[number, string, string, string]>> = {
  'bad-values.csv': [
    [2, 'Referred On', '31/02/2014', 'no such date: day 31 of month 2'],
    [3, 'Referred On', '02/06/14', 'the year must have four digits (03/06/2014, not 03/06/14)'],
    [4, 'Referred On', '06/13/2014', 'no such date: day 6 of month 13 (dates are read day first: 03/06/2014 is 3 June 2014)'],
    [5, 'Episodes', '1,200', 'write whole numbers without thousands separators'],
    [6, 'Intel Followed Up', 'maybe', 'not yes or no: write Y, N, Yes, No, true, false, 1 or 0'],
    [7, 'Area', 'custdy', "not one of cse, missing, custody; did you mean 'custody'?"],
  ],
  'cell-count.csv': [
    [3, '', '', 'the row has 5 cells but the header has 7'],
    [4, '', '', 'the row has 8 cells but the header has 7'],
  ],
  'repeated-header.csv': [[3, '', '', 'this row repeats the header row (were two exports joined together?)']],
  'duplicate-reference.csv': [[4, 'Case Ref', 'BI-0001', 'the same case reference is already at row 2; this row is not scored']],
  'blank-header-cells.csv': [],
};

describe('fixtures/bad: every bad input has its message and exit code', () => {
  it('covers every file in the folder', () => {
    const files = readdirSync(path.join(ROOT, 'fixtures', 'bad')).filter((f) => f.endsWith('.csv'));
    expect(files.sort()).toEqual([...Object.keys(UNREADABLE), ...Object.keys(REJECTED)].sort());
  });

  for (const [file, message] of Object.entries(UNREADABLE)) {
    it(`${file}: exit 3, "${message.split('\n')[0]}"`, async () => {
      const run = await audit(['score', bad(file), '--rubric', RUBRIC]);
      expect(run.code).toBe(3);
      expect(run.stderr).toBe(`audit: ${bad(file)}: ${message}\n`);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain(CANARY);
    });
  }

  for (const [file, rejects] of Object.entries(REJECTED)) {
    it(`${file}: exit 0, ${rejects.length} rows rejected, rows read = scored + rejected`, async () => {
      const run = await audit(['score', bad(file), '--rubric', RUBRIC, '--format', 'json']);
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(result.rejects.map((r: { row: number; column: string; value: string; reason: string }) => [r.row, r.column, r.value, r.reason])).toEqual(rejects);
      const dataRows = readFileSync(path.join(ROOT, bad(file)), 'utf8').trim().split('\n').length - 1;
      expect(result.input.rows_read).toBe(dataRows);
      expect(result.input.rows_read).toBe(result.input.cases_scored + result.input.rows_rejected);
      expect(result.input.rows_rejected).toBe(new Set(rejects.map((r) => r[0])).size);
      expect(run.stdout + run.stderr).not.toContain(CANARY);
    });
  }
});

describe('inputs too large to keep in git (generated here)', () => {
  it('a 10 MB single field: exit 3 naming the row, quickly and without running out of memory', async () => {
    const file = path.join(tmp, 'huge-field.csv');
    writeFileSync(file, `Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes,Notes\nBI-0001,cse,02/06/2014,,Y,,ok\nBI-0002,cse,02/06/2014,,Y,,"${'x'.repeat(10 * 1024 * 1024)}"\n`);
    const run = await audit(['score', file, '--rubric', RUBRIC]);
    expect([run.code, run.stderr]).toEqual([3, `audit: ${file}: row 3: a quoted cell starts here and is not closed within 1,000,000 characters, so the rest of the file cannot be read\n`]);
    const unquoted = path.join(tmp, 'huge-unquoted-field.csv');
    writeFileSync(unquoted, `Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes,Notes\nBI-0001,cse,02/06/2014,,Y,,ok\nBI-0002,cse,02/06/2014,,Y,,${'x'.repeat(10 * 1024 * 1024)}\n`);
    const long = await audit(['score', unquoted, '--rubric', RUBRIC]);
    expect([long.code, long.stderr]).toEqual([3, `audit: ${unquoted}: row 3 is longer than 1,000,000 characters; a case-file export has no rows that long, so the file cannot be read\n`]);
  });

  it('a million columns in the header line: exit 3', async () => {
    const file = path.join(tmp, 'million-columns.csv');
    writeFileSync(file, `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\n1\n`);
    const run = await audit(['score', file, '--rubric', RUBRIC]);
    expect([run.code, run.stderr]).toEqual([3, `audit: ${file}: row 1 is longer than 1,000,000 characters; a case-file export has no rows that long, so the file cannot be read\n`]);
  });

  it('a header of 20,000 short columns: exit 3', async () => {
    const file = path.join(tmp, 'wide.csv');
    writeFileSync(file, `${Array(20_000).fill('a').join(',')}\n`);
    const run = await audit(['score', file, '--rubric', RUBRIC]);
    expect([run.code, run.stderr]).toEqual([3, `audit: ${file}: the header has 20,000 columns; a case-file export has far fewer, so the file cannot be read\n`]);
  });
});

describe('--rejects-out and --max-rejects', () => {
  it('writes the rejected rows as CSV with formulas neutralised, or as JSON', async () => {
    const csv = path.join(tmp, 'rejects.csv');
    const json = path.join(tmp, 'rejects.json');
    expect((await audit(['score', bad('bad-values.csv'), '--rubric', RUBRIC, '--rejects-out', csv])).code).toBe(0);
    expect((await audit(['score', bad('bad-values.csv'), '--rubric', RUBRIC, '--rejects-out', json])).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('file,row,column,value,reason');
    expect(lines[1]).toBe('fixtures/bad/bad-values.csv,2,Referred On,31/02/2014,no such date: day 31 of month 2');
    expect(lines).toHaveLength(7);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toHaveLength(6);
  });

  it('neutralises a formula in a rejected value', async () => {
    const file = path.join(tmp, 'formula.csv');
    writeFileSync(file, 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes\nBI-1,cse,"=HYPERLINK(""http://x"")",,Y,\nBI-2,cse,02/06/2014,,Y,\n');
    const out = path.join(tmp, 'formula-rejects.csv');
    await audit(['score', file, '--rubric', RUBRIC, '--rejects-out', out]);
    expect(readFileSync(out, 'utf8')).toContain(`,"'=HYPERLINK(""http://x"")",`);
  });

  it('stops early with exit 3 after too many rejected rows, keeping those found', async () => {
    const out = path.join(tmp, 'stopped.json');
    const run = await audit(['score', bad('bad-values.csv'), '--rubric', RUBRIC, '--max-rejects', '2', '--rejects-out', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`audit: stopped at fixtures/bad/bad-values.csv row 4: more than 2 rows rejected (--max-rejects 2); the rejected rows so far are in ${out}\n`);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(3);
  });
});

describe('an export with a column that cannot be read at all', () => {
  // Every row's date is written the wrong way, and every tenth row also has a bad yes/no: 30,000 rows, 33,000 cells.
  const rows = 30_000;
  const file = path.join(tmp, 'all-bad.csv');
  const lines = ['Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes'];
  for (let i = 0; i < rows; i++) lines.push(`BI-${i},cse,2014.06.${(i % 28) + 1},,${i % 10 === 0 ? 'maybe' : 'Y'},`);
  writeFileSync(file, `${lines.join('\n')}\n`);

  for (const [label, args, env] of [
    ['one thread', ['--jobs', '1'], {}],
    ['three threads', ['--jobs', '3'], { AUDIT_CHUNK_BYTES: '20000' }],
  ] as const) {
    it(`${label}: reports the first 100 cells and the count by column, and writes every cell to --rejects-out`, async () => {
      const csv = path.join(tmp, `all-bad-${args[1]}.csv`);
      const json = path.join(tmp, `all-bad-${args[1]}.json`);
      const run = await audit(['score', file, '--rubric', RUBRIC, '--format', 'json', '--rejects-out', csv, ...args], { env });
      expect([run.code, run.stderr]).toEqual([0, '']);
      const result = JSON.parse(run.stdout);
      expect(result.input).toMatchObject({ rows_read: rows, cases_scored: 0, rows_rejected: rows });
      expect(result.rejects).toHaveLength(100);
      expect(result.rejects[0]).toEqual({ file, row: 2, column: 'Referred On', value: '2014.06.1', reason: 'not a date: write it as 03/06/2014 or 2014-06-03' });
      expect(result.rejects[1].column).toBe('Intel Followed Up');
      expect(result.rejects.at(-1).row).toBe(2 + 90);
      expect(result.rejects_not_listed).toBe(rows + rows / 10 - 100);
      expect(result.rejected_by_column).toEqual([
        { column: 'Referred On', rows, example: 'not a date: write it as 03/06/2014 or 2014-06-03' },
        { column: 'Intel Followed Up', rows: rows / 10, example: 'not yes or no: write Y, N, Yes, No, true, false, 1 or 0' },
      ]);
      const written = readFileSync(csv, 'utf8').trim().split('\r\n');
      expect(written).toHaveLength(1 + rows + rows / 10);
      expect(written.at(-1)).toBe(`${file},${rows + 1},Referred On,2014.06.${((rows - 1) % 28) + 1},not a date: write it as 03/06/2014 or 2014-06-03`);
      expect((await audit(['score', file, '--rubric', RUBRIC, '--rejects-out', json, ...args], { env })).code).toBe(0);
      expect(JSON.parse(readFileSync(json, 'utf8'))).toHaveLength(rows + rows / 10);
    });
  }

  it('prints the terminal report without failing, listing 100 cells', async () => {
    const run = await audit(['score', file, '--rubric', RUBRIC]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('The first 100 of 33,000 unreadable cells; --rejects-out FILE writes every one.');
    expect(run.stdout.split('\n').filter((line) => line.startsWith(file))).toHaveLength(100);
  });
});

describe('output files are written atomically', () => {
  it('a run that fails part-way leaves no --cases-out file behind, and an old one untouched', async () => {
    const out = path.join(tmp, 'partial.csv');
    const run = await audit(['score', bad('unclosed-quote.csv'), '--rubric', RUBRIC, '--cases-out', out]);
    expect(run.code).toBe(3);
    expect(readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
    writeFileSync(out, 'previous contents');
    await audit(['score', bad('unclosed-quote.csv'), '--rubric', RUBRIC, '--cases-out', out]);
    expect(readFileSync(out, 'utf8')).toBe('previous contents');
    expect(readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual(['partial.csv']);
  });
});
