import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

const RUBRIC = 'fixtures/formats/rubric.yaml';
const formats = readdirSync(path.join(ROOT, 'fixtures', 'formats')).filter((f) => f !== 'rubric.yaml');
const score = (file: string, ...extra: string[]) => audit(['score', file, '--rubric', RUBRIC, '--format', 'json', '--by', 'team', '--as-of', '2014-07-01', ...extra]);
const withoutFiles = (json: string) => {
  const result = JSON.parse(json);
  delete result.input.files;
  return result;
};

describe('every format and encoding reads the same four cases', () => {
  // By hand: FM-0001 good; FM-0002 intelligence not followed up (inadequate) and 4 episodes;
  // FM-0003 arrested after 21 days (requires improvement); FM-0004 intelligence not recorded (inadequate).
  it('the plain UTF-8 file grades as counted by hand', async () => {
    const result = withoutFiles((await score('fixtures/formats/utf8.csv')).stdout);
    expect(result.totals).toEqual({ cases: 4, good: 1, 'requires-improvement': 1, inadequate: 2 });
    expect(result.input).toEqual({ rows_read: 4, cases_scored: 4, rows_rejected: 0 });
    expect(result.groups.values.map((g: { value: string }) => g.value)).toEqual(['Café Team', 'Coventry', 'Dudley – Brierley Hill']);
  });

  for (const file of formats) {
    it(`${file} gives exactly the same results`, async () => {
      const expected = withoutFiles((await score('fixtures/formats/utf8.csv')).stdout);
      const run = await score(`fixtures/formats/${file}`, ...(file.endsWith('.xlsx') ? ['--sheet', 'Cases'] : []));
      expect(run.stderr).toBe('');
      expect(withoutFiles(run.stdout)).toEqual(expected);
    });
  }

  it('reads standard input when the file is -', async () => {
    const run = await audit(['score', '-', '--rubric', RUBRIC, '--format', 'json', '--by', 'team', '--as-of', '2014-07-01'], {
      stdin: readFileSync(path.join(ROOT, 'fixtures/formats/excel-unicode-text.txt')),
    });
    const result = JSON.parse(run.stdout);
    expect(result.input.files).toEqual(['-']);
    expect(withoutFiles(run.stdout)).toEqual(withoutFiles((await score('fixtures/formats/utf8.csv')).stdout));
  });

  it('names standard input in messages, and reads it only once', async () => {
    const run = await audit(['score', '-', '--rubric', RUBRIC], { stdin: 'Case Ref,Area\nX,cse\n' });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^audit: standard input: 5 columns the rubric needs are missing:/);
    expect(await audit(['score', '-', '-', '--rubric', RUBRIC])).toMatchObject({ code: 2, stderr: 'audit: standard input (-) can be read only once\n' });
  });
});

describe('workbooks and delimiters', () => {
  it('reads the first worksheet unless --sheet names another, and lists the sheets for a wrong name', async () => {
    const first = await score('fixtures/formats/workbook.xlsx');
    expect(first.code).toBe(3);
    expect(first.stderr).toContain('fixtures/formats/workbook.xlsx: 7 columns the rubric needs are missing:');
    const wrong = await score('fixtures/formats/workbook.xlsx', '--sheet', 'Nope');
    expect([wrong.code, wrong.stderr]).toEqual([3, "audit: fixtures/formats/workbook.xlsx: no worksheet is called 'Nope'; its worksheets are: Cover, Cases\n"]);
  });

  it('converts dates Excel stores as serial numbers', async () => {
    const run = await audit(['explain', 'fixtures/formats/workbook.xlsx', '--sheet', 'Cases', '--rubric', RUBRIC, '--case', 'FM-0003', '--as-of', '2014-07-01']);
    expect(run.stdout).toContain('values: arrested_on = 2014-06-25, referred_on = 2014-06-04');
  });

  it('--delimiter overrides the detected one', async () => {
    const run = await score('fixtures/formats/semicolon.csv', '--delimiter', 'comma');
    expect(run.code).toBe(3);
    expect((await score('fixtures/formats/semicolon.csv', '--delimiter', 'semicolon')).code).toBe(0);
    expect((await score('fixtures/formats/semicolon.csv', '--delimiter', 'colon')).stderr).toBe('audit: --delimiter colon: choose comma, semicolon, tab or pipe\n');
  });
});

describe('a large workbook', () => {
  it('is read in batches: every row scored, row numbers and repeats kept across batches', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cases');
    sheet.addRow(['Case Ref', 'Area', 'Team', 'Referred On', 'Arrest Date', 'Intel Followed Up', 'Episodes', 'Notes']);
    // A long note in every row, as exports have: 900 rows of 9,000 characters is two batches of text.
    const note = 'Synthetic note. '.repeat(560);
    for (let i = 1; i <= 900; i++) sheet.addRow([`XL-${i}`, 'cse', 'Coventry', '2014-06-02', '', 'Y', 1, note]);
    sheet.addRow(['XL-1', 'cse', 'Coventry', '2014-06-02', '', 'Y', 1, note]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'audit-xlsx-')), 'large.xlsx');
    await workbook.xlsx.writeFile(file);
    const run = await audit(['score', file, '--rubric', RUBRIC, '--format', 'json', '--as-of', '2014-07-01']);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result.input).toMatchObject({ rows_read: 901, cases_scored: 900, rows_rejected: 1 });
    expect(result.rejects).toEqual([{ file, row: 902, column: 'Case Ref', value: 'XL-1', reason: 'the same case reference is already at row 2; this row is not scored' }]);
  }, 60_000);
});
