import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasInnerBlankLine } from '../../../src/engines/duckdb/blank-lines.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-blank-'));
const file = (name: string, text: string) => {
  const at = path.join(tmp, name);
  writeFileSync(at, text);
  return at;
};

describe('hasInnerBlankLine: the empty lines DuckDB would not count as rows', () => {
  it.each([
    ['between rows', 'a,b\n1,2\n\n3,4\n', true],
    ['between rows, CR LF', 'a,b\r\n1,2\r\n\r\n3,4\r\n', true],
    ['between rows, CR alone', 'a,b\r1,2\r\r3,4\r', true],
    ['before the header', '\na,b\n1,2\n', true],
    ['none', 'a,b\n1,2\n3,4\n', false],
    ['none, CR LF', 'a,b\r\n1,2\r\n3,4\r\n', false],
    ['only at the end', 'a,b\n1,2\n\n\n', false],
    ['inside a quoted cell', 'a,b\n1,"first\n\nsecond"\n3,4\n', false],
    ['inside a quoted cell with doubled quotes', 'a,b\n1,"say ""hi""\n\nthen"\n3,4\n', false],
    ['after a quoted cell', 'a,b\n1,"x"\n\n3,4\n', true],
  ])('%s', async (name, text, expected) => {
    expect(await hasInnerBlankLine(file(`${name}.csv`, text))).toBe(expected);
  });
});
