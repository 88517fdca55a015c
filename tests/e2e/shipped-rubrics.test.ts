import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

/**
 * The two smaller shipped rubrics, run end to end on their synthetic fixtures
 * (written by scripts/make-fixtures.mjs). Every expected figure below was
 * worked out by hand from the fixture plan in that script (each record is
 * built compliant, then given exactly the faults its plan entry lists) and the
 * rubric's criteria, not copied from the tool's output.
 */

const AS_OF = ['--as-of', '2016-07-01'];

interface AreaRow {
  area: string;
  cases: number;
  good: number;
  'requires-improvement': number;
  inadequate: number;
}
interface CriterionRow {
  id: string;
  'not-met': number;
}

/** area → [cases, good, requires improvement, inadequate] */
const gradesByArea = (result: { areas: AreaRow[] }) =>
  Object.fromEntries(result.areas.map((a) => [a.area, [a.cases, a.good, a['requires-improvement'], a.inadequate]]));
const notMetByCriterion = (result: { criteria: CriterionRow[] }) => Object.fromEntries(result.criteria.map((c) => [c.id, c['not-met']]));

/** The fixture's rows as header → cell, read without the tool (no cell holds a comma or a quote). */
function fixtureRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path.join(ROOT, file), 'utf8').trimEnd().split('\r\n');
  const columns = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i] ?? '', cell])));
}

/** YYYY-MM-DD of a cell written 26/10/2015 09:15, 2015-10-26 09:15 or 2015-10-26T09:15. */
function calendarDay(cell: string): string {
  const dayFirst = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(cell);
  return dayFirst ? `${dayFirst[3]}-${dayFirst[2]}-${dayFirst[1]}` : cell.slice(0, 10);
}

/** The line of `audit explain` output for one criterion. */
function explainLine(stdout: string, criterion: string): string {
  const line = stdout.split('\n').find((l) => l.includes(`  ${criterion}: `));
  if (line === undefined) throw new Error(`no line for ${criterion} in:\n${stdout}`);
  return line;
}

describe('rubrics/custody.yaml on fixtures/custody-2015-16.csv', () => {
  const FIXTURE = 'fixtures/custody-2015-16.csv';

  it('grades the 40 records as planned', async () => {
    const run = await audit(['score', FIXTURE, '--rubric', 'custody', '--format', 'json', ...AS_OF]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.rubric).toEqual({ id: 'custody', version: '1.0.0', title: 'Children in police custody', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(result.input).toEqual({ files: [FIXTURE], rows_read: 40, cases_scored: 40, rows_rejected: 0 });
    expect(result.rejects).toEqual([]);
    // Derived from CUSTODY_PLAN. Limiting (inadequate) criteria: appropriate-adult, transfer-overnight;
    // every other shortfall requires improvement, and 3 of them make the record inadequate.
    //
    // Charged and refused bail, 14 (all held overnight after charge):
    //   good 6: compliant 15-year-old; 14-year-old with an impracticable certificate; two 17-year-olds
    //     without a transfer before 26 Oct 2015 (s38(6) not applicable); 17-year-old after it with a
    //     transfer; age blank (appropriate-adult, parent-informed, transfer-overnight not assessed).
    //   requires improvement 3: 17-year-old pre-date without transfer (not applicable) + grounds not
    //     recorded; first review late; risk assessment + grounds not recorded (2 shortfalls).
    //   inadequate 5: 17-year-old without transfer on 26 Oct 2015; 17-year-old after the date, request N
    //     and certificate blank (when_missing fail); 15-year-old pre-date without transfer; 16-year-old
    //     without transfer + parent not informed; appropriate adult N.
    // Charged and bailed, 10:
    //   good 5: three compliant (two of them 17), a long detention with both reviews on time, and
    //     one with Left Custody At blank (reviews not assessed).
    //   requires improvement 3: parent N; first review blank on an 8-14 hour detention; second review late.
    //   inadequate 2: risk N + parent N + first review late (3 shortfalls); appropriate adult blank.
    // Out-of-court disposal, 6:
    //   good 3; requires improvement 2: risk assessment blank, parent blank (when_missing fail);
    //   inadequate 1: 17-year-old after Oct 2013 with no appropriate adult.
    // Released without charge, 10:
    //   good 5 (one aged 12, one 17-year-old with an appropriate adult);
    //   requires improvement 3: parent N; first review late + risk N; 17-year-old with parent N.
    //   inadequate 2: appropriate adult N; parent N + risk N + second review blank (3 shortfalls).
    expect(gradesByArea(result)).toEqual({
      'charged-refused-bail': [14, 6, 3, 5],
      'charged-bailed': [10, 5, 3, 2],
      'out-of-court': [6, 3, 2, 1],
      released: [10, 5, 3, 2],
    });
    expect([result.totals.cases, result.totals.good, result.totals['requires-improvement'], result.totals.inadequate]).toEqual([40, 19, 11, 10]);
    // Shortfalls per criterion, counted from the same plan.
    expect(notMetByCriterion(result)).toEqual({
      'custody-risk-assessment': 5, // N x4, blank x1
      'appropriate-adult': 4, // N x3, blank x1
      'parent-informed': 7, // N x6, blank x1
      'first-review-6h': 4, // late x3, blank x1
      'later-reviews-9h': 2, // late x1, blank x1
      'bail-refusal-grounds': 2,
      'transfer-overnight': 4, // 17 on/after 26 Oct 2015 x2, 15 and 16 without transfer
    });
  });

  describe('applies s38(6) to 17-year-olds only from 26 October 2015', () => {
    // 17-year-olds held overnight after charge with no transfer request, found in the fixture itself.
    const seventeens = fixtureRows(FIXTURE).filter(
      (r) => r['Age At Arrest'] === '17' && r['Held Overnight After Charge'] === 'Y' && r['LA Accommodation Requested'] === 'N' && r['Impracticable Certificate'] !== 'Y',
    );
    const before = seventeens.filter((r) => calendarDay(r['Detention Authorised At'] ?? '') < '2015-10-26').map((r) => r['Custody Record No'] ?? '');
    const after = seventeens.filter((r) => calendarDay(r['Detention Authorised At'] ?? '') >= '2015-10-26').map((r) => r['Custody Record No'] ?? '');

    it('the fixture has such records on both sides of the date, including 25 and 26 October 2015', () => {
      expect([before.length, after.length]).toEqual([3, 2]);
      const days = seventeens.map((r) => calendarDay(r['Detention Authorised At'] ?? ''));
      expect(days).toContain('2015-10-25');
      expect(days).toContain('2015-10-26');
    });

    it('not applicable before the date', async () => {
      for (const id of before) {
        const run = await audit(['explain', FIXTURE, '--rubric', 'custody', '--case', id, ...AS_OF]);
        expect(run.code).toBe(0);
        expect(explainLine(run.stdout, 'transfer-overnight').startsWith('not applicable'), id).toBe(true);
      }
    });

    it('NOT MET from the date, making the record inadequate', async () => {
      for (const id of after) {
        const run = await audit(['explain', FIXTURE, '--rubric', 'custody', '--case', id, ...AS_OF]);
        expect(run.code).toBe(0);
        expect(explainLine(run.stdout, 'transfer-overnight').startsWith('NOT MET'), id).toBe(true);
        expect(run.stdout).toContain('Grade: inadequate (not met: transfer-overnight)');
      }
    });
  });

  it('takes the rubric as a path the same as by name', async () => {
    const byName = await audit(['score', FIXTURE, '--rubric', 'custody', '--format', 'json', ...AS_OF]);
    const byPath = await audit(['score', FIXTURE, '--rubric', 'rubrics/custody.yaml', '--format', 'json', ...AS_OF]);
    expect(byPath.code).toBe(0);
    expect(byPath.stderr).toBe('');
    expect(byPath.stdout).toBe(byName.stdout);
  });

  it('never prints the free-text column', async () => {
    for (const format of ['table', 'json']) {
      const run = await audit(['score', FIXTURE, '--rubric', 'custody', '--format', format, ...AS_OF]);
      expect(run.stdout).not.toContain('Synthetic record');
    }
  });
});

describe('rubrics/missing.yaml on fixtures/missing-2014.csv', () => {
  const FIXTURE = 'fixtures/missing-2014.csv';

  it('grades the 30 reports as planned', async () => {
    const run = await audit(['score', FIXTURE, '--rubric', 'missing', '--format', 'json', ...AS_OF]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.rubric).toEqual({ id: 'missing-from-home', version: '1.0.0', title: 'Missing from home', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(result.input).toEqual({ files: [FIXTURE], rows_read: 30, cases_scored: 30, rows_rejected: 0 });
    expect(result.rejects).toEqual([]);
    // Derived from MISSING_PLAN. Limiting (inadequate) criteria: risk-graded, no-apparent-risk-justified,
    // return-interview-72h, repeat-strategy-meeting; the rest require improvement, 3 make it inadequate.
    //
    // From home, 18:
    //   good 7: two compliant; episodes blank (repeat rule not assessed); graded no apparent risk with
    //     no risk factor; 4-6 episodes with a strategy meeting; not returned (return criteria not
    //     applicable); age blank with a low/medium/high grade.
    //   requires improvement 4: safe-and-well N; CSE concern blank; review N + safe-and-well N; review N.
    //   inadequate 7: grade blank; no apparent risk with CSE concern; no apparent risk aged 11; interview
    //     after 80-120 hours; interview blank; 3-6 episodes without a meeting; safe-and-well N + CSE
    //     blank + review N (3 shortfalls).
    // From care, 12:
    //   good 4: two compliant; 4-6 episodes with a meeting; graded high with a CSE concern.
    //   requires improvement 3: authority N; authority N + safe-and-well N; authority blank.
    //   inadequate 5: no apparent risk with 3 episodes (meeting held); no apparent risk with CSE blank
    //     (not ruled out, when_missing fail); 3-6 episodes without a meeting; authority N + CSE blank +
    //     review N (3 shortfalls); interview after 80-120 hours.
    expect(gradesByArea(result)).toEqual({
      'from-home': [18, 7, 4, 7],
      'from-care': [12, 4, 3, 5],
    });
    expect([result.totals.cases, result.totals.good, result.totals['requires-improvement'], result.totals.inadequate]).toEqual([30, 11, 7, 12]);
    expect(notMetByCriterion(result)).toEqual({
      'risk-graded': 1,
      'no-apparent-risk-justified': 4, // CSE, aged 11, 3 episodes, CSE blank; the fifth is justified
      'risk-grade-reviewed': 4,
      'safe-and-well-check': 4,
      'return-interview-72h': 3, // late x2, blank x1
      'repeat-strategy-meeting': 2,
      'cse-link-considered': 4,
      'placing-authority-informed': 4, // N x3, blank x1
    });
  });

  it('takes the rubric as a path the same as by name', async () => {
    const byName = await audit(['score', FIXTURE, '--rubric', 'missing', '--format', 'json', ...AS_OF]);
    const byPath = await audit(['score', FIXTURE, '--rubric', 'rubrics/missing.yaml', '--format', 'json', ...AS_OF]);
    expect(byPath.code).toBe(0);
    expect(byPath.stdout).toBe(byName.stdout);
  });

  it('never prints the free-text column', async () => {
    for (const format of ['table', 'json']) {
      const run = await audit(['score', FIXTURE, '--rubric', 'missing', '--format', format, ...AS_OF]);
      expect(run.stdout).not.toContain('Synthetic record');
    }
  });
});

describe('audit rubrics', () => {
  it('lists both smaller rubrics next to the default', async () => {
    const run = await audit(['rubrics']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^custody\s+1\.0\.0\s+7\s+Children in police custody$/m);
    expect(run.stdout).toMatch(/^missing\s+1\.0\.0\s+8\s+Missing from home$/m);
    expect(run.stdout).toMatch(/^hmic-ncpi-child-protection \(default\)/m);
  });
});
