import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/report/build.js';
import { audit, expectGolden, ROOT } from './run.js';

const MONTHLY = 'fixtures/monthly-2014.csv';
const AS_OF = ['--as-of', '2014-07-01'];
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-report-'));

async function reportJson(...args: string[]) {
  const run = await audit(['report', MONTHLY, '--format', 'json', ...AS_OF, ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(ReportSchema.parse(report)).toEqual(report);
  return report;
}

describe('audit report on the six-month fixture, against hand-computed figures', () => {
  // The plan in scripts/make-fixtures.mjs: cases and inadequate per month, January to June 2014,
  // June after one moderated change (requires improvement → inadequate).
  const CASES = [20, 18, 22, 20, 19, 21];
  const INADEQUATE = [10, 8, 7, 6, 4, 5];
  const GOOD = [4, 4, 7, 7, 8, 9];

  it('reports on the latest month, with the trend of every month before it', async () => {
    const report = await reportJson('--targets', 'inadequate<=25%,good>=40%', '--title', 'Synthetic Force: public protection');
    expect(report.title).toBe('Synthetic Force: public protection');
    expect(report.period).toEqual({ kind: 'month', key: '2014-06', label: 'June 2014' });
    expect(report.generated).toBe('2014-07-01');
    expect(report.rubric).toEqual({ id: 'hmic-ncpi-child-protection', version: '1.0.0', title: 'Child protection case-file audit' });
    expect(report.trend.map((t: { label: string }) => t.label)).toEqual(['January 2014', 'February 2014', 'March 2014', 'April 2014', 'May 2014', 'June 2014']);
    expect(report.trend.map((t: { cases: number }) => t.cases)).toEqual(CASES);
    expect(report.trend.map((t: { inadequate: number }) => t.inadequate)).toEqual(INADEQUATE);
    expect(report.trend.map((t: { good: number }) => t.good)).toEqual(GOOD);
    // 10/20, 8/18, 7/22, 6/20, 4/19, 5/21, as percentages to one decimal.
    expect(report.trend.map((t: { percent_inadequate: { value: number } }) => t.percent_inadequate.value)).toEqual([50, 44.4, 31.8, 30, 21.1, 23.8]);
    expect(report.trend.map((t: { change_inadequate: number | null }) => t.change_inadequate)).toEqual([null, -5.6, -12.6, -1.8, -8.9, 2.7]);
    // % good: 4/20 = 20, 4/18 = 22.2, 7/22 = 31.8, 7/20 = 35, 8/19 = 42.1, 9/21 = 42.9.
    expect(report.trend.map((t: { change_good: number | null }) => t.change_good)).toEqual([null, 2.2, 9.6, 3.2, 7.1, 0.8]);
    // inadequate <= 25%: only May (21.1) and June (23.8). good >= 40%: May (8/19 = 42.1) and June (9/21 = 42.9).
    expect(report.trend.map((t: { targets: Array<{ met: boolean }> }) => t.targets.map((x) => x.met))).toEqual([
      [false, false], [false, false], [false, false], [false, false], [true, true], [true, true],
    ]);
    expect(report.targets.map((t: { text: string; met: boolean }) => [t.text, t.met])).toEqual([['inadequate <= 25%', true], ['good >= 40%', true]]);
    expect(report.total).toMatchObject({ cases: 21, good: 9, 'requires-improvement': 7, inadequate: 5 });
    // Wilson 95% for 5 of 21: 10.6% to 45.1%.
    expect(report.total.percent_inadequate).toEqual({ value: 23.8, low: 10.6, high: 45.1 });
  });

  it('counts data quality and moderation', async () => {
    const report = await reportJson();
    expect(report.data_quality).toMatchObject({ rows_read: 123, cases_scored: 121, rows_rejected: 2, cases_without_date: 1, cases_outside_periods: 0 });
    expect(report.data_quality.rejected_by_column).toEqual([
      { column: 'Moderation Reason', rows: 1, example: "a moderated grade needs the moderator's reason" },
      { column: 'Referral Received', rows: 1, example: 'no such date: day 31 of month 6' },
    ]);
    expect(report.moderation.changed).toBe(1);
    expect(report.moderation.cases[0]).toMatchObject({ computed: 'requires-improvement', final: 'inadequate' });
    expect(JSON.stringify(report)).not.toContain('Risk to a sibling');
  });

  it('lists the recurring themes with their rate in the previous month', async () => {
    const report = await reportJson();
    expect(report.themes.length).toBeGreaterThan(0);
    for (const theme of report.themes) {
      expect(theme.percent).toBe(Math.round((1000 * theme.not_met) / theme.applied) / 10);
      expect(theme.previous_percent === null || (theme.previous_percent >= 0 && theme.previous_percent <= 100)).toBe(true);
    }
  });

  it('bounds the periods with --from and --to', async () => {
    const april = await reportJson('--to', '2014-04');
    expect(april.period.key).toBe('2014-04');
    expect(april.trend.map((t: { period: string }) => t.period)).toEqual(['2014-01', '2014-02', '2014-03', '2014-04']);
    expect(april.data_quality.cases_outside_periods).toBe(19 + 21);
    const fromMarch = await reportJson('--from', '2014-03');
    expect(fromMarch.trend.map((t: { cases: number }) => t.cases)).toEqual([22, 20, 19, 21]);
    expect(fromMarch.trend[0].change_inadequate).toBeNull();
  });

  it('reports quarters', async () => {
    const report = await reportJson('--period', 'quarter');
    expect(report.period).toEqual({ kind: 'quarter', key: '2014-Q2', label: 'Apr–Jun 2014' });
    // Q1: 20 + 18 + 22 = 60 cases, 10 + 8 + 7 = 25 inadequate; Q2: 60 cases, 6 + 4 + 5 = 15.
    expect(report.trend.map((t: { cases: number; inadequate: number }) => [t.cases, t.inadequate])).toEqual([[60, 25], [60, 15]]);
    expect(report.trend[1].change_inadequate).toBe(-16.7);
  });

  it('breaks the period down by team', async () => {
    const report = await reportJson('--by', 'team');
    expect(report.groups.by).toBe('team');
    expect(report.groups.rows.map((g: { value: string }) => g.value)).toEqual(['East', 'North', 'South', 'West']);
    expect(report.groups.rows.reduce((n: number, g: { cases: number }) => n + g.cases, 0)).toBe(21);
  });

  it('prints markdown', async () => {
    const run = await audit(['report', MONTHLY, '--targets', 'inadequate<=25%,good>=40%', '--by', 'team', ...AS_OF]);
    expect(run.code).toBe(0);
    expectGolden('report-monthly-2014.md', run.stdout);
  });

  it('refuses what it cannot do, with the right exit code', async () => {
    expect(await audit(['report', MONTHLY, '--targets', 'bad'])).toMatchObject({ code: 2 });
    expect((await audit(['report', MONTHLY, '--from', '2014-06', '--to', '2014-01'])).stderr).toBe('audit: --from 2014-06 is after --to 2014-01\n');
    const empty = await audit(['report', MONTHLY, '--from', '2015-01']);
    expect([empty.code, empty.stderr]).toEqual([3, `audit: ${MONTHLY}: no cases with a month between 2015-01 and the end to report on\n`]);
    const undated = path.join(tmp, 'undated.yaml');
    writeFileSync(undated, readFileSync(path.join(ROOT, 'fixtures/bad-input-checks.yaml'), 'utf8').replace(', date: referred_on', ''));
    const noDate = await audit(['report', 'fixtures/bad/bad-values.csv', '--rubric', undated]);
    expect([noDate.code, noDate.stderr]).toEqual([2, 'audit: a report needs periods, and rubric bad-input-checks names no case date (case.date) to take them from\n']);
  });
});

describe('the HTML report', () => {
  it('is one self-contained file with the charts and every data value escaped', async () => {
    const out = path.join(tmp, 'june.html');
    const run = await audit(['report', MONTHLY, '--out', out, '--targets', 'inadequate<=25%', '--by', 'team', ...AS_OF]);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(["']?(https?:|\/\/)|src=|href=/i);
    expect(html.match(/<g class="bar">/g)).toHaveLength(5);
    expect(html.match(/class="trend-bar"/g)).toHaveLength(6);
    expect(html).toContain('<title id="area-chart-title">');
    expect(html).toContain('<desc id="trend-chart-desc">');
    expect(html).toContain('@page { size: A4;');
  });

  it('escapes a hostile team name everywhere', async () => {
    const lines = readFileSync(path.join(ROOT, MONTHLY), 'utf8').split('\r\n');
    const hostile = path.join(tmp, 'hostile.csv');
    writeFileSync(hostile, lines.map((l) => l.replace(',North,', ',<script>alert(1)</script>,')).join('\r\n'));
    const out = path.join(tmp, 'hostile.html');
    await audit(['report', hostile, '--out', out, '--by', 'team', '--title', '<img src=x onerror=alert(2)>', ...AS_OF]);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const markdown = (await audit(['report', hostile, '--by', 'team', ...AS_OF])).stdout;
    expect(markdown).not.toContain('<script>');
  });
});
