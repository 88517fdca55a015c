import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, type Run } from './run.js';

// Parallel reading is used for large exports; AUDIT_CHUNK_BYTES makes it read
// these small files in chunks of a few hundred bytes on three threads, so that
// chunk boundaries fall everywhere: inside quoted cells, between CR and LF,
// between a repeated case reference and the first one.
const tmp = mkdtempSync(path.join(tmpdir(), 'audit-parallel-'));
const KEY = { AUDIT_REDACT_KEY: 'a-test-key-of-enough-length' };

async function bothWays(args: string[], env: Record<string, string> = {}, files: string[] = [], chunkBytes = 300): Promise<{ one: Run; many: Run; oneFiles: string[]; manyFiles: string[] }> {
  const one = await audit([...args, '--jobs', '1'], { env });
  const oneFiles = files.map((f) => readFileSync(f, 'utf8'));
  const many = await audit([...args, '--jobs', '3'], { env: { ...env, AUDIT_CHUNK_BYTES: String(chunkBytes) } });
  const manyFiles = files.map((f) => readFileSync(f, 'utf8'));
  return { one, many, oneFiles, manyFiles };
}

function file(name: string, text: string): string {
  const full = path.join(tmp, name);
  writeFileSync(full, text);
  return full;
}

describe('reading on several threads gives exactly what reading on one does', () => {
  const cases: Array<[string, string[], Record<string, string>?]> = [
    ['the June 2014 fixture, as JSON', ['score', 'fixtures/wmp-2014-06.csv', '--format', 'json', '--as-of', '2014-07-01']],
    ['the June 2014 fixture by team, redacted', ['score', 'fixtures/wmp-2014-06.csv', '--by', 'team', '--redact', '--format', 'json', '--as-of', '2014-07-01'], KEY],
    ['the monthly report with moderation, by team', ['report', 'fixtures/monthly-2014.csv', '--format', 'json', '--by', 'team', '--as-of', '2014-07-01']],
    ['custody', ['score', 'fixtures/custody-2015-16.csv', '--rubric', 'custody', '--format', 'json', '--as-of', '2016-07-01']],
    ['missing from home, by quarter', ['score', 'fixtures/missing-2014.csv', '--rubric', 'missing', '--by', 'quarter', '--format', 'json', '--as-of', '2015-01-01']],
    ['Windows-1252 and semicolons', ['score', 'fixtures/formats/windows-1252.csv', 'fixtures/formats/semicolon.csv', '--rubric', 'fixtures/formats/rubric.yaml', '--format', 'json', '--as-of', '2014-07-01']],
    // Byte 0x96 in a team's name is an en dash, on threads as on one (review finding: it was read as a control character).
    ['Windows-1252 by team', ['score', 'fixtures/formats/windows-1252.csv', '--rubric', 'fixtures/formats/rubric.yaml', '--by', 'team', '--format', 'json', '--as-of', '2014-07-01']],
    ['CRLF with a byte-order mark, and trailing blank lines', ['score', 'fixtures/formats/utf8-bom-crlf.csv', 'fixtures/formats/trailing-blank-lines.csv', '--rubric', 'fixtures/formats/rubric.yaml', '--format', 'json', '--as-of', '2014-07-01']],
  ];
  for (const [name, args, env] of cases) {
    it(name, async () => {
      const { one, many } = await bothWays(args, env);
      expect(one.code).toBe(0);
      expect(many).toEqual(one);
    });
  }

  it('writes the same --cases-out file, redacted or not', async () => {
    for (const [name, env] of [['cases.jsonl', {}], ['redacted.csv', KEY]] as const) {
      const out = path.join(tmp, name);
      const args = ['score', 'fixtures/monthly-2014.csv', '--cases-out', out, '--format', 'json', '--as-of', '2014-07-01', ...(name.startsWith('redacted') ? ['--redact'] : [])];
      const { one, many, oneFiles, manyFiles } = await bothWays(args, env, [out]);
      expect(one.code).toBe(0);
      expect(oneFiles[0]?.split('\n').length).toBeGreaterThan(100);
      expect(many).toEqual(one);
      expect(manyFiles).toEqual(oneFiles);
    }
  });

  it('every bad-input fixture: same rejects, same messages, same exit code', async () => {
    for (const bad of ['bad-values', 'cell-count', 'duplicate-reference', 'repeated-header', 'unclosed-quote', 'blank-header-cells', 'header-only']) {
      const { one, many } = await bothWays(['score', `fixtures/bad/${bad}.csv`, '--rubric', 'fixtures/bad-input-checks.yaml', '--format', 'json', '--as-of', '2014-07-01']);
      expect({ bad, ...many }).toEqual({ bad, ...one });
    }
  });

  it('quoted line breaks, CR-only and mixed line endings, repeats across chunks, broken rows', async () => {
    const header = 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes,Notes';
    const rows = Array.from({ length: 120 }, (_, i) => {
      const note = i % 3 === 0 ? `"line one\r\nline ""two"", with, commas\nand three"` : i % 3 === 1 ? 'plain' : '""';
      const ref = i % 17 === 5 ? 'R-1' : `R-${i}`;
      const area = i % 13 === 0 ? 'gangs' : ['cse', 'missing', 'CUSTODY'][i % 3];
      const cells = i % 29 === 0 ? `${ref},${area}` : `${ref},${area},0${(i % 28) + 1}/06/2014,,${['Y', 'N', ''][i % 3]},${i % 5 === 0 ? '' : i % 7},${note}`;
      return cells;
    });
    const crlf = file('crlf.csv', `${header}\r\n${rows.join('\r\n')}\r\n`);
    const cr = file('cr.csv', `${header}\r${rows.join('\r')}`);
    const mixed = file('mixed.csv', `${header}\n${rows.map((r, i) => `${r}${['\n', '\r\n', '\r', '\n\n'][i % 4]}`).join('')}`);
    for (const input of [crlf, cr, mixed]) {
      const rejects = path.join(tmp, 'rejects.csv');
      const { one, many, oneFiles, manyFiles } = await bothWays(['score', input, '--rubric', 'fixtures/bad-input-checks.yaml', '--format', 'json', '--as-of', '2014-07-01', '--rejects-out', rejects], {}, [rejects]);
      expect(one.code).toBe(0);
      expect(JSON.parse(one.stdout).input.rows_rejected).toBeGreaterThan(10);
      expect(many).toEqual(one);
      expect(manyFiles).toEqual(oneFiles);
    }
  });

  it('references with characters beyond ASCII inside or at their ends: the same repeats found, the same references written', async () => {
    const header = 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes,Notes';
    const refs = ['Ré-', 'R-ø', 'Ω-', ' R-', 'R–'];
    const rows = Array.from({ length: 400 }, (_, i) => {
      const ref = `${refs[i % refs.length]}${i % 41 === 3 ? i - 40 : i}`;
      return `${ref},${['cse', 'missing', 'CUSTODY'][i % 3]},0${(i % 9) + 1}/06/2014,,Y,${i % 7},"note ${i}"`;
    });
    const input = file('beyond-ascii.csv', `${header}\n${rows.join('\n')}\n`);
    const out = path.join(tmp, 'beyond-ascii.jsonl');
    const { one, many, oneFiles, manyFiles } = await bothWays(['score', input, '--rubric', 'fixtures/bad-input-checks.yaml', '--cases-out', out, '--format', 'json', '--as-of', '2014-07-01'], {}, [out]);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).input.rows_rejected).toBeGreaterThan(5);
    expect(oneFiles[0]).toContain('"Ω-');
    expect(many).toEqual(one);
    expect(manyFiles).toEqual(oneFiles);
  });

  it('in chunks of more records than a worker scores at once: broken rows, repeats and --max-rejects across its slices', async () => {
    const header = 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes,Notes';
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const ref = i % 97 === 5 ? `R-${i - 300}` : `R-${i}`;
      const area = i % 211 === 0 ? 'gangs' : ['cse', 'missing', 'CUSTODY'][i % 3];
      const note = i % 50 === 0 ? '"a note, ""quoted""\nover two lines"' : 'plain';
      const day = i % 150 === 0 ? '31' : String((i % 28) + 1).padStart(2, '0');
      return i % 173 === 0 ? `${ref},${area}` : `${ref},${area},${day}/06/2014,,${['Y', 'N', ''][i % 3]},${i % 5 === 0 ? '' : i % 7},${note}`;
    });
    const input = file('slices.csv', `${header}\n${rows.map((r, i) => `${r}${i % 400 === 7 ? '\n\n' : '\n'}`).join('')}`);
    const args = ['score', input, '--rubric', 'fixtures/bad-input-checks.yaml', '--format', 'json', '--as-of', '2014-07-01'];
    const all = await bothWays(args, {}, [], 60_000);
    expect(JSON.parse(all.one.stdout).input.rows_rejected).toBeGreaterThan(40);
    expect(all.many).toEqual(all.one);
    // Stops about half way through the file, in a later chunk and slice.
    const stopped = await bothWays([...args, '--max-rejects', '25'], {}, [], 60_000);
    expect([stopped.one.code, stopped.one.stderr]).toEqual([3, expect.stringMatching(/stopped at .* row 1[0-9]{3}: more than 25 rows rejected/)]);
    expect(stopped.many).toEqual(stopped.one);
  });

  it('stops at the same row with --max-rejects, and names the same row for a quote left open late in the file', async () => {
    const header = 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes';
    const rows = Array.from({ length: 200 }, (_, i) => `R-${i},${i % 9 === 0 ? 'gangs' : 'cse'},02/06/2014,,Y,1`);
    const many = file('many-bad.csv', `${header}\n${rows.join('\n')}\n`);
    const limited = await bothWays(['score', many, '--rubric', 'fixtures/bad-input-checks.yaml', '--max-rejects', '7', '--as-of', '2014-07-01']);
    expect(limited.one.code).toBe(3);
    expect(limited.many).toEqual(limited.one);
    const open = file('open-late.csv', `${header}\n${rows.slice(0, 150).join('\n')}\nR-x,cse,"02/06/2014\n${rows.slice(150).join('\n')}\n`);
    const broken = await bothWays(['score', open, '--rubric', 'fixtures/bad-input-checks.yaml', '--as-of', '2014-07-01']);
    expect(broken.one.stderr).toContain('row 152: a quoted cell starts here and is never closed');
    expect(broken.many).toEqual(broken.one);
    // More than the record-size limit after the open quote, to the end of the file (found trying it as a user would).
    const tail = `\n${'x,'.repeat(300_000)}\n`.repeat(2);
    const openLong = file('open-late-long.csv', `${header}\n${rows.slice(0, 150).join('\n')}\nR-x,cse,"02/06/2014${tail}`);
    const long = await bothWays(['score', openLong, '--rubric', 'fixtures/bad-input-checks.yaml', '--as-of', '2014-07-01']);
    expect(long.one.stderr).toContain('row 152: a quoted cell starts here and is not closed within 1,000,000 characters');
    expect(long.many).toEqual(long.one);
  });

  it('finds the header wherever the chunks fall: after blank lines, with no line break after it (review findings)', async () => {
    const header = 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes,Notes';
    const onlyHeader = file('blank-then-header.csv', `\n${header}`);
    const args = ['score', '--rubric', 'fixtures/bad-input-checks.yaml', '--format', 'json', '--as-of', '2014-07-01'];
    const alone = await bothWays(['score', onlyHeader, ...args.slice(1)]);
    expect(alone.one.stderr).toContain('has a header but no case rows');
    expect(alone.many).toEqual(alone.one);
    const farDown = file('header-far-down.csv', `${'\n'.repeat(70_000)}${header}\nR-1,cse,02/06/2014,,Y,1,a\n`);
    const far = await bothWays(['score', farDown, ...args.slice(1)]);
    expect(JSON.parse(far.one.stdout).input).toMatchObject({ rows_read: 1, cases_scored: 1 });
    expect(far.many).toEqual(far.one);
    const longHeader = `${header},${'x'.repeat(400)}`;
    const blankLines = file('blank-lines-long-header.csv', `\n\n,,,\n${longHeader}\nR-1,cse,02/06/2014,,Y,1,a,\nR-2,cse,02/06/2014,,N,1,b,\n`);
    const both = await bothWays(['score', blankLines, ...args.slice(1)]);
    expect(JSON.parse(both.one.stdout).input).toMatchObject({ rows_read: 2, rows_rejected: 0 });
    expect(both.many).toEqual(both.one);
  });

  it('names the column of a broken cell in the header\'s own chunk, on one thread as on several (review finding)', async () => {
    const broken = file('quote-in-cell.csv', 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes,Notes\nA-1,cse,02/06/2014,x"y,Y,1,n\n');
    const { one, many } = await bothWays(['score', broken, '--rubric', 'fixtures/bad-input-checks.yaml', '--as-of', '2014-07-01']);
    expect(one.stderr).toBe(`audit: ${broken}: row 2, column 'Arrest Date': a cell has a quote in it but does not start with one (a cell with quotes must be in quotes, each quote written ""), so the file cannot be read\n`);
    expect(many).toEqual(one);
  });

  it('keeps areas apart when a chunk has more than 65,536 of them (review finding)', async () => {
    const rubric = file('free-area.yaml', 'id: free\nversion: 1\ncase: { id: ref, area: area }\nfields:\n  ref: { type: string }\n  area: { type: string }\n  ok: { type: boolean }\ncriteria:\n  - { id: c1, title: t, reference: r, check: ok, on_fail: inadequate }\n');
    const areas = file('many-areas.csv', `ref,area,ok\n${Array.from({ length: 70_000 }, (_, i) => `${i.toString(36)},a${i.toString(36)},Y`).join('\n')}\n`);
    const args = ['score', areas, '--rubric', rubric, '--format', 'json', '--as-of', '2014-07-01'];
    const one = await audit([...args, '--jobs', '1']);
    const many = await audit([...args, '--jobs', '2'], { env: { AUDIT_CHUNK_BYTES: '4000000' } });
    expect(JSON.parse(one.stdout).areas).toHaveLength(70_000);
    expect(many).toEqual(one);
  });

  it('threads started ahead for an export that is then read on one (a workbook, UTF-16, a missing file) neither hold the run open nor change it', async () => {
    for (const input of ['fixtures/formats/workbook.xlsx', 'fixtures/formats/utf16be.csv', 'fixtures/no-such-export.csv']) {
      const args = ['score', input, '--rubric', 'fixtures/formats/rubric.yaml', '--format', 'json', '--as-of', '2014-07-01', ...(input.endsWith('.xlsx') ? ['--sheet', 'Cases'] : [])];
      const { one, many } = await bothWays(args);
      expect({ input, ...many }).toEqual({ input, ...one });
    }
  });

  it('--jobs must be a whole number of threads', async () => {
    const run = await audit(['score', 'fixtures/wmp-2014-06.csv', '--jobs', 'lots']);
    expect([run.code, run.stderr]).toEqual([2, 'audit: --jobs lots: give a whole number of threads from 1 to 64\n']);
    const tooMany = await audit(['score', 'fixtures/wmp-2014-06.csv', '--jobs', '300']);
    expect([tooMany.code, tooMany.stderr]).toEqual([2, 'audit: --jobs 300: give a whole number of threads from 1 to 64\n']);
    const knob = await audit(['score', 'fixtures/wmp-2014-06.csv'], { env: { AUDIT_CHUNK_BYTES: '1.5' } });
    expect([knob.code, knob.stderr]).toEqual([2, 'audit: AUDIT_CHUNK_BYTES=1.5: this setting is for tests; give a whole number of bytes from 64 to 16777216, or leave it unset\n']);
  });
});
