import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-hostile-'));
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
};
const FIXTURE = 'fixtures/wmp-2014-06.csv';

describe('hostile rubrics are refused quickly with a clear error (exit 2)', () => {
  const refused = async (file: string, message: RegExp) => {
    const started = Date.now();
    const run = await audit(['score', FIXTURE, '--rubric', file]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('an alias bomb ("billion laughs")', async () => {
    const levels = 'abcdefghij'.split('');
    const bomb = [`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`, ...levels.slice(1).map((k, i) => `${k}: &${k} [${Array(9).fill(`*${levels[i]}`).join(',')}]`)].join('\n');
    await refused(write('bomb.yaml', bomb), /bomb\.yaml:1:1 +error +the file cannot be read: Excessive alias count/);
  });

  it('structures nested too deeply', async () => {
    await refused(write('deep.yaml', `a: ${'['.repeat(20000)}${']'.repeat(20000)}`), /deep\.yaml:1:\d+ +error +the file is nested too deeply to be a rubric +\(yaml\)/);
  });

  it('a huge file', async () => {
    await refused(write('huge.yaml', `# ${'x'.repeat(2_000_000)}\n`), /huge\.yaml:1:1 +error +the file is larger than 1000000 bytes; this is not a rubric/);
  });

  it('unknown YAML tags', async () => {
    await refused(write('tags.yaml', 'id: !!js/function "function () {}"\nversion: 1\n'), /tags\.yaml:1:5 +error +Unresolved tag: tag:yaml\.org,2002:js\/function/);
  });

  it('a __proto__ key', async () => {
    await refused(write('proto.yaml', 'id: p\nversion: 1\ncase: { id: ref, area: area }\nfields:\n  __proto__: { type: string }\n'), /proto\.yaml:5:3 +error +a key named '__proto__' is not allowed/);
  });

  it('CEL expressions beyond the size and depth limits', async () => {
    const base = readFileSync(path.join(ROOT, 'rubrics/hmic-ncpi-child-protection.yaml'), 'utf8');
    await refused(write('long.yaml', base.replace('check: voice_of_child', `check: ${Array(400).fill('voice_of_child').join(' && ')}`)), /expression is longer than 2000 characters/);
    await refused(write('nested.yaml', base.replace('check: voice_of_child', `check: ${'('.repeat(60)}voice_of_child${')'.repeat(60)}`)), /Exceeded maxDepth/);
  });
});

describe('hostile column headers', () => {
  it('__proto__, constructor and toString columns are just columns', async () => {
    const rubric = write(
      'headers.yaml',
      'id: h\nversion: 1\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string }\n  area: { type: enum, values: [a] }\n  ctor: { type: string, column: constructor }\n  text: { type: string, column: toString }\ncriteria:\n  - { id: c1, title: t, reference: r, check: ctor == "x" && text != null, on_fail: inadequate }\n',
    );
    const cases = write('headers.csv', '__proto__,ref,area,constructor,toString,hasOwnProperty\npolluted,A1,a,x,y,z\n{},A2,a,q,,z\n');
    const run = await audit(['score', cases, '--rubric', rubric, '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.totals).toEqual({ cases: 2, good: 1, 'requires-improvement': 0, inadequate: 1 });
  });
});

describe('--redact: keyed pseudonyms instead of case references', () => {
  const KEY = { AUDIT_REDACT_KEY: 'a-test-key-that-is-long-enough' };

  it('refuses to run without a key, or with a short one', async () => {
    const none = await audit(['score', FIXTURE, '--redact'], { env: { AUDIT_REDACT_KEY: '' } });
    expect([none.code, none.stderr]).toEqual([2, 'audit: --redact needs a secret key in the environment variable AUDIT_REDACT_KEY; without it, case references cannot be pseudonymised\n']);
    expect((await audit(['score', FIXTURE, '--redact'], { env: { AUDIT_REDACT_KEY: 'short' } })).code).toBe(2);
  });

  it('replaces case references in every output, stably, and differently under another key', async () => {
    const casesOut = path.join(tmp, 'redacted.csv');
    const rejectsOut = path.join(tmp, 'redacted-rejects.json');
    const withDuplicate = write('dup.csv', `${readFileSync(path.join(ROOT, FIXTURE), 'utf8')}${readFileSync(path.join(ROOT, FIXTURE), 'utf8').split('\r\n')[1]}\r\n`);
    const run = await audit(['score', withDuplicate, '--redact', '--cases-out', casesOut, '--rejects-out', rejectsOut, '--format', 'json'], { env: KEY });
    expect(run.code).toBe(0);
    const everything = run.stdout + run.stderr + readFileSync(casesOut, 'utf8') + readFileSync(rejectsOut, 'utf8');
    expect(everything).not.toMatch(/WM-\d{4}/);
    const ids = readFileSync(casesOut, 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(',')[0]);
    expect(ids).toHaveLength(115);
    expect(new Set(ids).size).toBe(115);
    for (const id of ids) expect(id).toMatch(/^P-[0-9a-f]{16}$/);
    const [reject] = JSON.parse(readFileSync(rejectsOut, 'utf8'));
    expect(reject.value).toBe(ids[0]);

    const again = path.join(tmp, 'again.csv');
    await audit(['score', FIXTURE, '--redact', '--cases-out', again], { env: KEY });
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(casesOut, 'utf8'));
    const otherKey = path.join(tmp, 'other.csv');
    await audit(['score', FIXTURE, '--redact', '--cases-out', otherKey], { env: { AUDIT_REDACT_KEY: 'another-key-that-is-long-enough' } });
    expect(readFileSync(otherKey, 'utf8').split('\r\n')[1]?.split(',')[0]).not.toBe(ids[0]);
  });

  it('explain finds a case by its reference or its pseudonym and shows only the pseudonym', async () => {
    const byReference = await audit(['explain', FIXTURE, '--case', 'WM-0042', '--redact'], { env: KEY });
    expect(byReference.code).toBe(0);
    expect(byReference.stdout).not.toContain('WM-0042');
    const pseudonym = /^Case (P-[0-9a-f]{16})$/m.exec(byReference.stdout)?.[1] ?? '';
    const byPseudonym = await audit(['explain', FIXTURE, '--case', pseudonym, '--redact'], { env: KEY });
    expect(byPseudonym.stdout).toBe(byReference.stdout);
  });
});

describe('nothing from an undeclared column ever appears', () => {
  it('in any output, error or reject of any command', async () => {
    const CANARY = 'Confidential-Name-Of-A-Child';
    const lines = readFileSync(path.join(ROOT, FIXTURE), 'utf8').trimEnd().split('\r\n');
    const withSecrets = lines.map((line, i) => (i === 0 ? line : line.replace('Synthetic record for testing; no real person.', CANARY)));
    // Some bad rows too, so rejects are printed.
    withSecrets.push(withSecrets[1]!.replace('WM-0001', 'WM-9001').replace(',domestic-abuse,', ',burglary,'));
    withSecrets.push(withSecrets[1]!.replace('WM-0001', 'WM-9002').split(',').slice(0, 10).join(','));
    const file = write('secrets.csv', `${withSecrets.join('\r\n')}\r\n`);
    const outputs: string[] = [];
    for (const args of [
      ['score', file],
      ['score', file, '--format', 'markdown', '--by', 'team'],
      ['score', file, '--format', 'json', '--by', 'month'],
      ['score', file, '--format', 'csv'],
      ['score', file, '--strict'],
      ['score', file, '--cases-out', path.join(tmp, 's.json'), '--rejects-out', path.join(tmp, 's-rejects.csv')],
      ['explain', file, '--case', 'WM-0007'],
      ['explain', file, '--case', 'WM-9001'],
      ['diff', 'rubrics/hmic-ncpi-child-protection.yaml', 'rubrics/hmic-ncpi-child-protection.yaml', file, '--format', 'json'],
    ]) {
      const run = await audit(args);
      outputs.push(run.stdout, run.stderr);
    }
    outputs.push(readFileSync(path.join(tmp, 's.json'), 'utf8'), readFileSync(path.join(tmp, 's-rejects.csv'), 'utf8'));
    expect(outputs.join('\n')).toContain('burglary');
    expect(outputs.join('\n')).not.toContain(CANARY);
  });
});
