import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScoreJsonSchema } from '../../src/output-schemas.js';
import { audit, expectGolden, ROOT } from './run.js';

const FIXTURE = 'fixtures/wmp-2014-06.csv';
const AS_OF = ['--as-of', '2014-07-01'];
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-e2e-'));

describe('audit score on the June 2014 fixture', () => {
  it('reproduces the inspection’s published figures', async () => {
    const run = await audit(['score', FIXTURE, '--format', 'json', ...AS_OF]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(ScoreJsonSchema.parse(result)).toEqual(result);
    expect(result.input).toEqual({ files: [FIXTURE], rows_read: 115, cases_scored: 115, rows_rejected: 0 });
    expect(result.totals.cases).toBe(115);
    expect(result.totals.inadequate).toBe(48);
    const area = (value: string) => result.areas.find((a: { area: string }) => a.area === value);
    expect([area('cse').inadequate, area('cse').cases]).toEqual([5, 9]);
    expect([area('missing').inadequate, area('missing').cases]).toEqual([9, 11]);
    const overnight = result.criteria.find((c: { id: string }) => c.id === 'transfer-overnight');
    expect(overnight['not-met']).toBeGreaterThan(0);
    expect(result.findings).toContain('48 of 115 cases (42%) were inadequate.');
    expect(result.findings).toContain('5 of 9 child sexual exploitation cases were inadequate.');
    expect(result.findings).toContain('9 of 11 missing from home cases were inadequate.');
  });

  it('prints the terminal report', async () => {
    const run = await audit(['score', FIXTURE, ...AS_OF]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('115 rows read, 115 cases scored, 0 rejected');
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expectGolden('wmp-2014-06.table.txt', run.stdout);
  });

  for (const [format, extension] of [['markdown', 'md'], ['json', 'json'], ['csv', 'csv']] as const) {
    it(`prints --format ${format}`, async () => {
      const run = await audit(['score', FIXTURE, '--format', format, ...AS_OF]);
      expect(run.code).toBe(0);
      expectGolden(`wmp-2014-06.${extension}`, run.stdout);
    });
  }

  it('adds the breakdown per team with --by team', async () => {
    const run = await audit(['score', FIXTURE, '--by', 'team', '--format', 'markdown', ...AS_OF]);
    expect(run.code).toBe(0);
    expectGolden('wmp-2014-06.by-team.md', run.stdout);
  });

  it('prints the area table per team as CSV', async () => {
    const run = await audit(['score', FIXTURE, '--by', 'team', '--format', 'csv', ...AS_OF]);
    expectGolden('wmp-2014-06.by-team.csv', run.stdout);
  });

  it('groups by month of the case date', async () => {
    const run = await audit(['score', FIXTURE, '--by', 'month', '--format', 'json', ...AS_OF]);
    const result = JSON.parse(run.stdout);
    expect(result.groups.by).toBe('month');
    expect(result.groups.values.map((g: { value: string; totals: { cases: number } }) => [g.value, g.totals.cases])).toEqual([['2014-06', 115]]);
  });

  it('treats several files as one data set', async () => {
    const lines = readFileSync(path.join(ROOT, FIXTURE), 'utf8').trimEnd().split('\r\n');
    const [first, second] = [path.join(tmp, 'jan.csv'), path.join(tmp, 'feb.csv')];
    writeFileSync(first, [lines[0], ...lines.slice(1, 60)].join('\r\n'));
    writeFileSync(second, [lines[0], ...lines.slice(60)].join('\r\n'));
    const run = await audit(['score', first, second, '--format', 'json', ...AS_OF]);
    const result = JSON.parse(run.stdout);
    expect(result.input.rows_read).toBe(115);
    expect(result.totals.inadequate).toBe(48);
  });

  it('never prints a free-text column the rubric does not declare', async () => {
    for (const format of ['table', 'markdown', 'json', 'csv']) {
      const run = await audit(['score', FIXTURE, '--format', format, '--by', 'team', ...AS_OF]);
      expect(run.stdout).not.toContain('Synthetic record');
    }
  });
});

describe('--cases-out', () => {
  for (const extension of ['csv', 'json', 'jsonl']) {
    it(`writes one ${extension} record per case, the same bytes every run`, async () => {
      const out = path.join(tmp, `graded.${extension}`);
      expect((await audit(['score', FIXTURE, '--cases-out', out, ...AS_OF])).code).toBe(0);
      const first = readFileSync(out, 'utf8');
      await audit(['score', FIXTURE, '--cases-out', out, ...AS_OF]);
      expect(readFileSync(out, 'utf8')).toBe(first);
      expectGolden(`wmp-2014-06.cases.${extension}`, first);
    });
  }

  it('refuses an unknown extension', async () => {
    const run = await audit(['score', FIXTURE, '--cases-out', path.join(tmp, 'graded.txt')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--cases-out .*graded\.txt: the file name must end in \.csv, \.json or \.jsonl/);
  });
});

describe('rejected rows', () => {
  const header = 'Case Ref,Area,Team,Referral Received,Child Age,Call Downgraded,Welfare Check Done,Social Care Threshold Met,Referred To Social Care,Strategy Discussion,Voice Of Child Recorded,Supervisor Review,Closed On,Other Victims Considered,CSE Risk Assessment,Intel Submitted,Intel Followed Up,Suspect Identified On,Suspect Arrested On,Disruption Considered,CSE Panel Referral,Missing Risk Grade,CSE Concern,Missing Episodes 30 Days,Returned At,Safe And Well Check,Return Interview At,Repeat Missing Strategy Meeting,Detained At,Appropriate Adult,Parent Informed,Held Overnight After Charge,LA Transfer Requested,Impracticable Certificate,DASH Completed,Officer Judgement Recorded,Dealt With By Appointment';
  // Cells after the first three, all empty.
  const blank = ','.repeat(header.split(',').length - 3);
  const file = path.join(tmp, 'with-errors.csv');
  writeFileSync(
    file,
    [
      header,
      `WM-1,cse,North${blank}`,
      `WM-2,burglary,North${blank}`,
      `WM-3,custody,North,31/02/2014 10:00${blank.slice(1)}`,
      `WM-1,cse,South${blank}`,
      'WM-4,cse',
    ].join('\n'),
  );

  it('are listed with file, row, column, value and reason, never scored, and reconciled', async () => {
    const run = await audit(['score', file, '--format', 'json', ...AS_OF]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.input).toMatchObject({ rows_read: 5, cases_scored: 1, rows_rejected: 4 });
    expect(result.rejects).toEqual([
      { file, row: 3, column: 'Area', value: 'burglary', reason: 'not one of cse, missing, custody, domestic-abuse, other' },
      { file, row: 4, column: 'Referral Received', value: '31/02/2014 10:00', reason: 'no such date: day 31 of month 2' },
      { file, row: 5, column: 'Case Ref', value: 'WM-1', reason: 'the same case reference is already at row 2; this row is not scored' },
      { file, row: 6, column: '', value: '', reason: 'the row has 2 cells but the header has 37' },
    ]);
  });

  it('name the file and row of a repeat from an earlier file, and the row of one from the same file', async () => {
    const second = path.join(tmp, 'second.csv');
    writeFileSync(second, [header, `WM-9,cse,North${blank}`, `WM-1,cse,North${blank}`, `WM-9,cse,South${blank}`].join('\n'));
    const run = await audit(['score', file, second, '--format', 'json', ...AS_OF]);
    const repeats = JSON.parse(run.stdout).rejects.filter((r: { reason: string }) => r.reason.includes('already'));
    expect(repeats).toEqual([
      { file, row: 5, column: 'Case Ref', value: 'WM-1', reason: 'the same case reference is already at row 2; this row is not scored' },
      { file: second, row: 3, column: 'Case Ref', value: 'WM-1', reason: `the same case reference is already at ${file} row 2; this row is not scored` },
      { file: second, row: 4, column: 'Case Ref', value: 'WM-9', reason: 'the same case reference is already at row 2; this row is not scored' },
    ]);
  });

  it('appear in the terminal report with the reconciliation line', async () => {
    const run = await audit(['score', file, ...AS_OF]);
    expect(run.stdout).toContain('5 rows read, 1 cases scored, 4 rejected');
    expect(run.stdout).toContain('Rejected rows (not scored)');
    expect(run.stdout).toContain('4 rows were rejected for unreadable values and not scored');
  });

  it('fail the run under --strict with exit 3', async () => {
    const run = await audit(['score', file, '--strict', ...AS_OF]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('audit: --strict: 4 rows were rejected; see "Rejected rows" above\n');
  });
});

describe('choosing a rubric', () => {
  it('lists the shipped rubrics', async () => {
    const run = await audit(['rubrics']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/hmic-ncpi-child-protection \(default\)\s+1\.0\.0\s+\d+\s+Child protection case-file audit/);
  });

  it('refuses an unknown shipped rubric name, listing the shipped ones', async () => {
    const run = await audit(['score', FIXTURE, '--rubric', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^audit: no shipped rubric is called 'nope'; shipped rubrics: .*hmic-ncpi-child-protection/);
  });

  it('loads the shipped rubrics from wherever the command is run', async () => {
    const run = await audit(['score', path.join(ROOT, FIXTURE), '--format', 'json', ...AS_OF], { cwd: tmp });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).rubric.id).toBe('hmic-ncpi-child-protection');
  });
});

describe('errors: one clear message and the right exit code, never a stack trace', () => {
  const bad = (name: string, text: string) => {
    const file = path.join(tmp, name);
    writeFileSync(file, text);
    return file;
  };

  it('exit 3 for a missing input file', async () => {
    const run = await audit(['score', 'no-such.csv']);
    expect([run.code, run.stderr]).toEqual([3, 'audit: no-such.csv: file not found\n']);
  });

  it('exit 0 and nothing on stderr when the reader of the output stops early (audit score … | head)', async () => {
    // The pipe is closed before audit writes: its write fails with EPIPE, as when `head` has had its lines.
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'audit.js'), 'score', 'fixtures/wmp-2014-06.csv', '--format', 'json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(run).toEqual({ code: 0, stderr: '' });
  });

  it('exit 3 naming every missing column', async () => {
    const file = bad('few-columns.csv', 'Case Ref,Area,Team\nWM-1,cse,North\n');
    const run = await audit(['score', file]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("34 columns the rubric needs are missing:\n  - column 'Referral Received' not found");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exit 2 for an invalid rubric, every error with file:line:column', async () => {
    const rubric = bad('broken.yaml', 'id: broken\nversion: 1\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string }\n  area: { type: string }\ncriteria:\n  - { id: a, check: "ref > 3", on_fail: inadequate }\n  - { id: b, check: "area ==", on_fail: oops }\n');
    const run = await audit(['score', FIXTURE, '--rubric', rubric]);
    expect(run.code).toBe(2);
    const relative = path.relative(ROOT, rubric);
    const shown = relative.startsWith('..') ? rubric : relative;
    expect(run.stderr).toBe(
      [
        'audit: the rubric cannot be used (2 errors):',
        `${shown}:8:22  error  check of 'a': no such overload: string > integer  (expression)`,
        `${shown}:9:41  error  criteria[1].on_fail: on_fail must be requires-improvement or inadequate  (schema)`,
        '',
      ].join('\n'),
    );
  });

  it('exit 2 for usage errors', async () => {
    expect((await audit(['score', FIXTURE, '--format', 'xml'])).code).toBe(2);
    expect((await audit(['score'])).code).toBe(2);
    expect((await audit(['frobnicate'])).code).toBe(2);
    const asOf = await audit(['score', FIXTURE, '--as-of', '30/06/2014']);
    expect([asOf.code, asOf.stderr]).toEqual([2, 'audit: --as-of 30/06/2014: write the audit date as YYYY-MM-DD, for example 2014-06-30\n']);
    const by = await audit(['score', FIXTURE, '--by', 'officer']);
    expect(by.code).toBe(2);
    expect(by.stderr).toMatch(/^audit: --by officer: no such field in rubric hmic-ncpi-child-protection; choose one of: case_ref, area, team/);
  });

  it('exit 2 for a breakdown by a field with more than 1,000 values, on one thread and on several, for score and report', async () => {
    const file = path.join(tmp, 'many-values.csv');
    const rows = Array.from({ length: 1200 }, (_, i) => `BI-${i},cse,0${(i % 9) + 1}/06/2014,,Y,`);
    writeFileSync(file, `Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes\n${rows.join('\n')}\n`);
    const message = `audit: --by case_ref: more than 1,000 different values in ${file}; a breakdown is for a field with few values, such as team; for dates, use --by month or --by quarter\n`;
    const rubric = ['--rubric', 'fixtures/bad-input-checks.yaml', ...AS_OF];
    for (const [command, env] of [
      [['score', file, '--by', 'case_ref', '--jobs', '1'], {}],
      [['score', file, '--by', 'case_ref', '--format', 'json', '--jobs', '3'], { AUDIT_CHUNK_BYTES: '2000' }],
      [['report', file, '--by', 'case_ref'], {}],
    ] as const) {
      const run = await audit([...command, ...rubric], { env });
      expect([run.code, run.stdout, run.stderr]).toEqual([2, '', message]);
    }
    // A thousand values are still a breakdown.
    writeFileSync(file, `Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes\n${rows.slice(0, 1000).join('\n')}\n`);
    expect((await audit(['score', file, '--by', 'case_ref', '--format', 'json', ...rubric])).code).toBe(0);
  });

  it('exit 0 for --help', async () => {
    const run = await audit(['score', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--cases-out <file>');
  });
});

describe('audit explain', () => {
  // A good case, an inadequate one reached through three lesser shortfalls, and children held overnight without a transfer.
  for (const id of ['WM-0042', 'WM-0007', 'WM-0019', 'WM-0075']) {
    it(`shows every criterion for ${id} with the values used and the guidance`, async () => {
      const run = await audit(['explain', FIXTURE, '--case', id, ...AS_OF]);
      expect(run.code).toBe(0);
      expectGolden(`explain-${id}.txt`, run.stdout);
    });
  }

  it('exit 2 for a case that is not in the file', async () => {
    const run = await audit(['explain', FIXTURE, '--case', 'WM-9999']);
    expect([run.code, run.stderr]).toEqual([2, `audit: case WM-9999 is not among the 115 cases scored in ${FIXTURE}\n`]);
  });
});

describe('CI gates on audit score', () => {
  // The fixture: 115 cases, 32 good (27.8%), 35 requires improvement, 48 inadequate (41.7%).
  it('exit 1 when a threshold is broken, after printing the report, with one line per broken gate', async () => {
    const run = await audit(['score', FIXTURE, '--fail-on', 'inadequate', '--max-inadequate', '40', '--min-good', '30', ...AS_OF]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('115 rows read, 115 cases scored, 0 rejected');
    expect(run.stderr).toBe(
      [
        'audit: 48 cases are inadequate (--fail-on inadequate)',
        'audit: 41.7% of cases are inadequate, above --max-inadequate 40%',
        'audit: 27.8% of cases are good, below --min-good 30%',
        '',
      ].join('\n'),
    );
    expect((await audit(['score', FIXTURE, '--fail-on', 'requires-improvement'])).stderr).toBe('audit: 83 cases are requires improvement or worse (--fail-on requires-improvement)\n');
  });

  it('exit 0 when every threshold is met', async () => {
    const run = await audit(['score', FIXTURE, '--max-inadequate', '42%', '--min-good', '27', ...AS_OF]);
    expect([run.code, run.stderr]).toEqual([0, '']);
  });

  it('exit 2 for a gate option that makes no sense, before any data is read', async () => {
    expect(await audit(['score', 'no-such.csv', '--fail-on', 'bad'])).toMatchObject({ code: 2, stderr: 'audit: --fail-on bad: choose one of inadequate, requires-improvement\n' });
    expect((await audit(['score', FIXTURE, '--max-inadequate', '120'])).code).toBe(2);
  });
});

describe('moderation', () => {
  const lines = readFileSync(path.join(ROOT, FIXTURE), 'utf8').trimEnd().split('\r\n');
  const moderated = path.join(tmp, 'moderated.csv');
  // WM-0001 is requires improvement and WM-0004 inadequate as the rubric grades them (see the golden cases file).
  const extra: Record<string, string> = { 'WM-0001': 'Inadequate,Risk to siblings not seen', 'WM-0004': 'requires improvement,Intelligence was acted on by another force', 'WM-0005': 'inadequate,Agreed', 'WM-0009': 'good,' };
  writeFileSync(
    moderated,
    `${[`${lines[0]},Moderated Grade,Moderation Reason`, ...lines.slice(1).map((l) => `${l},${extra[l.slice(0, 7)] ?? ','}`)].join('\r\n')}\r\n`,
  );

  it('uses the moderated grade as final, lists the cases a moderator changed, and rejects a moderated grade without a reason', async () => {
    const run = await audit(['score', moderated, '--format', 'json', ...AS_OF]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.moderated).toEqual([
      { id: 'WM-0001', area: 'domestic-abuse', computed: 'requires-improvement', final: 'inadequate' },
      { id: 'WM-0004', area: 'cse', computed: 'inadequate', final: 'requires-improvement' },
    ]);
    // WM-0005 was moderated to the grade it already had: not a change. WM-0009 has no reason: rejected.
    expect(result.rejects).toEqual([{ file: moderated, row: 10, column: 'Moderation Reason', value: '', reason: "a moderated grade needs the moderator's reason" }]);
    expect(result.totals).toEqual({ cases: 114, good: 32, 'requires-improvement': 35, inadequate: 47 });
    expect(result.findings).toContain('2 grades were changed by a moderator; the tables use the moderated grades.');
    expect(run.stdout).not.toContain('Risk to siblings');
  });

  it('shows the moderation in explain and in --cases-out', async () => {
    const explain = await audit(['explain', moderated, '--case', 'WM-0004', ...AS_OF]);
    expect(explain.stdout).toContain('Grade: requires-improvement, set by a moderator; the rubric gave inadequate (not met: cse-intel-followed-up)');
    const out = path.join(tmp, 'moderated-cases.csv');
    await audit(['score', moderated, '--cases-out', out, ...AS_OF]);
    expect(readFileSync(out, 'utf8')).toContain('\r\nWM-0004,cse,requires-improvement,inadequate,cse-intel-followed-up\r\n');
  });
});
