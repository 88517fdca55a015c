import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

const BIN = path.join(ROOT, 'bin', 'audit.js');

// Past about 110,000 cases, where each reference was first seen goes to a
// scratch file (src/cases/first-places.ts); these runs are long enough for it.
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-long-'));
const CASES = 200_000;
const REPEATED = [0, 123_456, CASES - 1];

function longExport(): string {
  const [header, ...rows] = readFileSync(path.join(ROOT, 'fixtures/wmp-2014-06.csv'), 'utf8').trim().split('\n');
  const lines = [header];
  for (let i = 0; i < CASES; i++) lines.push(`LX-${i}${(rows[i % rows.length] as string).slice('WM-0001'.length)}`);
  for (const i of REPEATED) lines.push(`LX-${i}${(rows[0] as string).slice('WM-0001'.length)}`);
  const file = path.join(tmp, 'long.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('a long export', () => {
  const file = longExport();
  const args = ['score', file, '--format', 'json', '--as-of', '2014-07-01'];
  const expected = REPEATED.map((i, k) => ({
    file,
    row: CASES + 2 + k,
    column: 'Case Ref',
    value: `LX-${i}`,
    reason: `the same case reference is already at row ${i + 2}; this row is not scored`,
  }));

  it('names the row of the first of each repeat, on one thread and on two, and leaves no scratch file behind', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'audit-scratch-'));
    for (const jobs of ['1', '2']) {
      const run = await audit([...args, '--jobs', jobs], { env: { TMPDIR: scratch } });
      expect(run.stderr).toBe('');
      const summary = JSON.parse(run.stdout) as { input: { rows_read: number; cases_scored: number }; rejects: unknown[] };
      expect(summary.input.rows_read).toBe(CASES + REPEATED.length);
      expect(summary.input.cases_scored).toBe(CASES);
      expect(summary.rejects).toEqual(expected);
      expect(readdirSync(scratch)).toEqual([]);
    }
  });

  it('interrupted with Ctrl-C or a kill while it writes --cases-out and --rejects-out, leaves no file behind', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const out = mkdtempSync(path.join(tmpdir(), 'audit-interrupted-'));
      const child = spawn(process.execPath, [BIN, ...args, '--cases-out', path.join(out, 'cases.csv'), '--rejects-out', path.join(out, 'rejects.csv')], { stdio: 'ignore' });
      const ended = new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
      // Both files are being written (under hidden temporary names) once the run has started.
      while (readdirSync(out).length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      child.kill(signal);
      expect(await ended).toBe(code);
      expect(readdirSync(out)).toEqual([]);
    }
  });

  it('stops with one clear message when there is nowhere to put the scratch file', async () => {
    const run = await audit(args, { env: { TMPDIR: path.join(tmp, 'no-such-folder') } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^audit: cannot write a scratch file in .*no-such-folder \(ENOENT\); .*Set TMPDIR to a writable folder with room and run again\.\n$/);
  });
});
