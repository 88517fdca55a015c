import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/cases/errors.js';
import { openCases } from '../../src/cases/open.js';
import { detectDelimiter } from '../../src/cases/sniff.js';

const dir = mkdtempSync(path.join(tmpdir(), 'audit-csv-'));
let counter = 0;
function file(content: string | Buffer): string {
  const name = path.join(dir, `input-${counter++}.csv`);
  writeFileSync(name, content);
  return name;
}

async function readAll(name: string) {
  const input = await openCases(name);
  const rows = [];
  for await (const batch of input.batches) {
    for (let r = batch.from; r < batch.count; r++) if (!batch.isBlank(r)) rows.push({ row: batch.row(r), cells: batch.cells(r) });
  }
  return { header: input.header, rows };
}

async function failure(name: string): Promise<string> {
  try {
    await readAll(name);
  } catch (error) {
    if (error instanceof InputError) return error.message.replace(name, 'FILE');
    throw error;
  }
  return 'no error';
}

describe('reading a CSV export', () => {
  it('numbers rows as a spreadsheet does, counting blank lines and quoted newlines as one row each', async () => {
    const { header, rows } = await readAll(file('a,b\r\n\r\n1,"x\r\ny"\r\n,\r\n3,"say ""no"""\r\n\r\n\r\n'));
    expect(header).toEqual(['a', 'b']);
    expect(rows).toEqual([
      { row: 3, cells: ['1', 'x\r\ny'] },
      { row: 5, cells: ['3', 'say "no"'] },
    ]);
  });

  it('strips a UTF-8 byte-order mark from the first header', async () => {
    const { header } = await readAll(file('\uFEFFCase Ref,Area\nA,cse\n'));
    expect(header).toEqual(['Case Ref', 'Area']);
  });

  it('detects comma, semicolon and tab delimiters from the header line', async () => {
    expect(detectDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectDelimiter('a\tb\n')).toBe('\t');
    expect(detectDelimiter('"a;b",c\n')).toBe(',');
    const { rows } = await readAll(file('a;b\n1;"2,5"\n'));
    expect(rows[0]?.cells).toEqual(['1', '2,5']);
  });

  it('refuses an empty file and a missing file', async () => {
    expect(await failure(file(''))).toBe('FILE: the file is empty; expected a header row and case rows');
    expect(await failure(file('\n\n'))).toBe('FILE: the file is empty; expected a header row and case rows');
    expect(await failure(path.join(dir, 'nope.csv'))).toBe('FILE: file not found');
    expect(await failure(dir)).toBe('FILE: is a folder, not a case-file export');
  });

  it('names the row where an unclosed quote starts', async () => {
    expect(await failure(file('a,b\n1,2\n3,"open\n4,5\n'))).toBe('FILE: row 3: a quoted cell starts here and is never closed, so the rest of the file cannot be read');
  });
});
