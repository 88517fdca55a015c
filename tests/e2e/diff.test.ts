import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workedExample } from '../docs-examples.js';
import { audit, expectGolden, ROOT } from './run.js';

const DEFAULT = 'rubrics/hmic-ncpi-child-protection.yaml';
const FIXTURE = 'fixtures/wmp-2014-06.csv';
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-diff-'));

/** The default rubric with a change made to its text, saved as a new file. */
function changedRubric(name: string, edit: (text: string) => string): string {
  const file = path.join(tmp, name);
  const text = readFileSync(path.join(ROOT, DEFAULT), 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  writeFileSync(file, edited);
  return file;
}

describe('audit diff: the rubric change itself', () => {
  it('lists criteria added, removed and changed (with what changed), fields added and removed, and the version', async () => {
    const changed = changedRubric('changed.yaml', (text) =>
      text
        .replace('version: 1.0.0', 'version: 1.1.0')
        .replace('hours_between(referred_at, strategy_discussion_at) <= 24.0\n    on_fail: requires-improvement', 'hours_between(referred_at, strategy_discussion_at) <= 48.0\n    on_fail: inadequate')
        .replace(/  - id: da-not-by-appointment[\s\S]*$/, '')
        .replace('  by_appointment: { type: boolean, column: Dealt With By Appointment }\n', '  ethnicity_recorded: { type: boolean, column: Ethnicity Recorded }\n')
        .replace('criteria:\n', 'criteria:\n  - id: ethnicity-recorded\n    title: Ethnicity recorded\n    check: ethnicity_recorded\n    on_fail: requires-improvement\n'),
    );
    const run = await audit(['diff', DEFAULT, changed]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'Rubric change',
        `Old: ${DEFAULT} (hmic-ncpi-child-protection 1.0.0)`,
        `New: ${changed} (hmic-ncpi-child-protection 1.1.0)`,
        'Criteria added: ethnicity-recorded',
        'Criteria removed: da-not-by-appointment',
        'Criteria changed: strategy-discussion-24h (check, on_fail)',
        'Fields added: ethnicity_recorded',
        'Fields removed: by_appointment',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing changed, and when the rubric changed but its version did not', async () => {
    expect((await audit(['diff', DEFAULT, DEFAULT])).stdout).toMatch(/\(hmic-ncpi-child-protection 1\.0\.0\)\nNo criteria or fields changed\.\n$/);
    const unversioned = changedRubric('unversioned.yaml', (text) => text.replace('title: Voice of the child recorded', 'title: Voice of the child'));
    expect((await audit(['diff', DEFAULT, unversioned])).stdout).toContain('The rubric changed but its version did not (1.0.0).\nCriteria changed: voice-of-child (title)\n');
  });
});

describe('audit diff with cases', () => {
  // By the fixture's design (scripts/make-fixtures.mjs), 8 cases are inadequate only through
  // escalate_after (three requires-improvement shortfalls): inadequate cases 4, 8 and 12 of each
  // area plan, excluding CSE and missing from home: custody 2 (of 9), domestic abuse 3 (of 12),
  // other 3 (of 13). Every other inadequate case has a limiting shortfall, and no
  // requires-improvement case has more than two shortfalls. Removing escalate_after moves exactly those 8.
  const noEscalation = () => changedRubric('no-escalation.yaml', (text) => text.replace('escalate_after: 3\n', '').replace('version: 1.0.0', 'version: 2.0.0'));

  it('prints the grade migration matrix that was counted by hand', async () => {
    const run = await audit(['diff', DEFAULT, noEscalation(), FIXTURE, '--format', 'json', '--as-of', '2014-07-01']);
    expect(run.code).toBe(0);
    const { cases, change } = JSON.parse(run.stdout);
    expect(change.escalate_after).toEqual({ from: 3, to: null });
    expect(cases.matrix).toEqual({
      good: { good: 32, 'requires-improvement': 0, inadequate: 0 },
      'requires-improvement': { good: 0, 'requires-improvement': 35, inadequate: 0 },
      inadequate: { good: 0, 'requires-improvement': 8, inadequate: 40 },
    });
    expect(cases.changed_count).toBe(8);
    const byArea = (area: string) => cases.changed.filter((c: { area: string }) => c.area === area).length;
    expect([byArea('custody'), byArea('domestic-abuse'), byArea('other')]).toEqual([2, 3, 3]);
    for (const c of cases.changed) expect(c).toMatchObject({ from: 'inadequate', to: 'requires-improvement', newly_not_met: [], no_longer_not_met: [] });
    expect(cases.totals.new.inadequate).toBe(40);
  });

  it('prints a markdown summary for a pull request', async () => {
    const run = await audit(['diff', DEFAULT, noEscalation(), FIXTURE, '--format', 'markdown', '--as-of', '2014-07-01']);
    expectGolden('diff-no-escalation.md', run.stdout.replaceAll(tmp, '<tmp>'));
  });

  it('names the criteria responsible for each change (the worked example, counted by hand)', async () => {
    // Old: EX-1 good, EX-2 inadequate, EX-3 good, EX-4 requires improvement (interview 96 hours after return,
    // voice of the child not recorded). New: the interview may take up to 96 hours, and a missing voice of the
    // child is inadequate. So only EX-4 moves, to inadequate: no longer not met return-interview-72h, and
    // voice-of-child now weighs inadequate.
    const dir = workedExample();
    const old = readFileSync(path.join(dir, 'example-cse.yaml'), 'utf8');
    writeFileSync(
      path.join(dir, 'new.yaml'),
      old
        .replace('<= 72.0', '<= 96.0')
        .replace('    when_missing: not-assessed\n    on_fail: requires-improvement', '    when_missing: not-assessed\n    on_fail: inadequate'),
    );
    const run = await audit(['diff', 'example-cse.yaml', 'new.yaml', 'cases.csv', '--as-of', '2014-07-01'], { cwd: dir });
    expect(run.stdout).toContain('4 cases scored under both rubrics; 1 case changed grade.');
    expect(run.stdout).toMatch(/EX-4 +missing +requires improvement +inadequate +no longer not met: return-interview-72h; on_fail changed: voice-of-child\n/);
    expect(run.stdout).toMatch(/good +2 +0 +0\nrequires improvement +0 +0 +1\ninadequate +0 +0 +1\n/);
  });

  it('--fail-on-change exits 1 when a case changes grade, 0 when none does', async () => {
    expect((await audit(['diff', DEFAULT, noEscalation(), FIXTURE, '--fail-on-change'])).code).toBe(1);
    expect((await audit(['diff', DEFAULT, DEFAULT, FIXTURE, '--fail-on-change'])).code).toBe(0);
  });

  it('exits 2 when either rubric is invalid', async () => {
    const broken = path.join(tmp, 'broken.yaml');
    writeFileSync(broken, 'id: broken\n');
    const run = await audit(['diff', DEFAULT, broken, FIXTURE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken\.yaml:1:1 +error/);
  });
});
