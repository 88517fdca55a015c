import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-progress-'));
const big = path.join(tmp, 'big.csv');
const header = 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes\n';
// Large enough to take several redraw intervals even on a fast machine: read within the first, a file shows no bar at all.
writeFileSync(big, header + Array.from({ length: 600_000 }, (_, i) => `R-${i},cse,02/06/2014,,Y,1\n`).join(''));
const args = ['score', big, '--rubric', 'fixtures/bad-input-checks.yaml', '--as-of', '2014-07-01', '--format', 'json', '--jobs', '1'];

/** Runs audit on a pseudo-terminal (util-linux `script`), the way a user at a terminal does; returns what the terminal showed. */
function onTerminal(env: Record<string, string>): string {
  const command = ['node', path.join(ROOT, 'bin', 'audit.js'), ...args].map((a) => `'${a}'`).join(' ');
  const log = path.join(tmp, 'terminal.log');
  execFileSync('script', ['-q', '-e', '-c', `${command} > /dev/null`, log], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  return execFileSync('cat', [log], { encoding: 'utf8' });
}

describe('progress while a large export is read', () => {
  it('shows a progress line on a terminal, and clears it before the results', () => {
    const shown = onTerminal({ CI: '' });
    expect(shown).toMatch(/Reading big\.csv {2}\[#*-*\] {2}\d+%/);
    expect(shown).toMatch(/rows/);
    expect(shown).toContain('\r\x1b[K');
  });

  it('shows nothing when the run is in CI', () => {
    expect(onTerminal({ CI: 'true' })).not.toContain('Reading');
  });

  it('shows nothing when standard error is not a terminal', async () => {
    const run = await audit(args, { env: { CI: '' } });
    expect([run.code, run.stderr]).toEqual([0, '']);
  });
});
