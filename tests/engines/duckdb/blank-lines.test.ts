import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
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

  it('finds two line breaks in a row split across the chunks the file is read in', async () => {
    const head = `a,b\n${'1,2\n'.repeat((1 << 20) / 4 - 2)}`;
    expect(head.length).toBe((1 << 20) - 4);
    expect(await hasInnerBlankLine(file('boundary.csv', `${head}1,2\n\n3,4\n`))).toBe(true);
    expect(await hasInnerBlankLine(file('boundary-none.csv', `${head}1,2\n3,4\n`))).toBe(false);
  });

  it('agrees with a plain reading of the rule on any text of quotes, commas and line breaks', async () => {
    // The rule read plainly: split into lines outside quotes; a blank line with a non-blank line after it.
    const reference = (text: string) => {
      const lines: string[] = [];
      let line = '';
      let quoted = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') quoted = !quoted;
        if (!quoted && (c === '\n' || c === '\r')) {
          if (c === '\r' && text[i + 1] === '\n') i++;
          lines.push(line);
          line = '';
        } else line += c;
      }
      lines.push(line);
      const lastData = lines.map((l) => l !== '').lastIndexOf(true);
      return lastData > 0 && lines.slice(0, lastData).some((l) => l === '');
    };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', ',', '"', '\n', '\r', '\r\n'), { maxLength: 30 }).map((parts) => parts.join('')), async (text) => {
        expect(await hasInnerBlankLine(file(`random-${n++}.csv`, text)), JSON.stringify(text)).toBe(reference(text));
      }),
      { numRuns: 300 },
    );
  });
});
