import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiKernel } from '../../src/cases/ascii-kernel.js';
import { CsvRecords, CsvSyntaxError } from '../../src/cases/csv-records.js';
import { recordsOf } from '../helpers.js';
// @ts-expect-error: a plain script, without types
import { kernelModuleText, TARGET } from '../../scripts/build-wasm.mjs';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function kernel(): AsciiKernel {
  const made = AsciiKernel.create();
  if (!made) throw new Error('this engine cannot run the kernel');
  return made;
}

describe('the WebAssembly kernel', () => {
  it('is ascii-kernel.wat as assembled (run `npm run kernel` after changing it)', async () => {
    expect(readFileSync(TARGET, 'utf8')).toBe(await kernelModuleText());
  });
});

describe('splitting a chunk of ASCII bytes in the kernel', () => {
  it('splits a few records at a time as CsvRecords splits the same text, or gives up where the text is not ordinary CSV (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '1', ',', ';', '"', '\n', '\r', ' '), maxLength: 20 });
    const rowsOf = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 6 });
    const splitter = kernel();
    fc.assert(
      fc.property(rowsOf, fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom(',', ';'), fc.constantFrom('needed', 'more', 'careless'), fc.nat(3), fc.integer({ min: 1, max: 4 }), (rows, newline, delimiter, quoting, max, most) => {
        // Quoted where a cell needs it, or more, or carelessly (never, or with text after the closing quote): broken CSV as well as good.
        const quote = (c: string, i: number) => {
          if (quoting === 'careless') return i % 2 === 0 ? c : `"${c}"${c}`;
          return (quoting === 'more' && i % 2 === 0) || /[,;"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c;
        };
        const text = rows.map((r) => r.map(quote).join(delimiter)).join(newline) + (max === 0 ? '' : newline);
        const limit = max === 1 ? 8 : 1000;
        splitter.load(ascii(text));
        // Split `most` records at a time, from where the last piece ended, until the end or giving up.
        const split: string[][] = [];
        let at = 0;
        while (at >= 0 && at < text.length) {
          at = splitter.split(at, most, delimiter.charCodeAt(0), limit);
          if (at >= 0) {
            const piece = splitter.batch(text, 1);
            // A piece short of `most` records is the last.
            expect(piece.count === most || at === text.length).toBe(true);
            split.push(...recordsOf(piece));
          }
        }
        let expected: string[][] | 'refused';
        try {
          expected = recordsOf(new CsvRecords(delimiter, limit).end(text));
        } catch (error) {
          if (!(error instanceof CsvSyntaxError)) throw error;
          expected = 'refused';
        }
        if (at < 0) {
          // Gives up on broken text, and on a record over the limit, which CsvRecords refuses too.
          expect(expected).toBe('refused');
          return;
        }
        expect(split).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives up at each kind of text that is not ordinary CSV, where CsvRecords refuses it too', () => {
    const splitter = kernel();
    // A quote inside a cell, text after a closing quote, a quote left open (also as the chunk's last byte, and after a doubled quote), a record over the limit.
    for (const [text, limit] of [['a"",b\n', 100], ['"a"b,c\n', 100], ['a,"b\n', 100], ['a,"', 100], ['a,"b""', 100], ['abcdef,g\nh\n', 5]] as const) {
      splitter.load(ascii(text));
      expect([text, splitter.split(0, 100, 44, limit)]).toEqual([text, -1]);
      expect(() => new CsvRecords(',', limit).end(text)).toThrow(CsvSyntaxError);
    }
  });

  it('reads cells across its 16-byte blocks, and chunks of any length one after another, larger and smaller', () => {
    const splitter = kernel();
    for (const length of [1, 15, 16, 17, 40, 5000, 3, 200_000, 10]) {
      const cell = (i: number) => (i % 5 === 0 ? `"q${'x'.repeat(i % 37)}""y"` : 'c'.repeat(i % 41));
      const lines: string[] = [];
      let size = 0;
      for (let i = 0; size < length; i++) {
        const line = [cell(i), cell(i + 1), cell(i + 2)].join(',');
        lines.push(line);
        size += line.length + 1;
      }
      const text = `${lines.join('\n')}\n`;
      splitter.load(ascii(text));
      expect(splitter.split(0, 1e9, 44, 1e6)).toBe(text.length);
      expect(recordsOf(splitter.batch(text, 1))).toEqual(recordsOf(new CsvRecords(',', 1e6).end(text)));
    }
  });
});

describe('the parity of the quotes in a chunk', () => {
  it('is that of counting them one by one, at any length (property)', () => {
    const counter = kernel();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(3), (bytes, quotes) => {
        const chunk = Uint8Array.from([...bytes].map((b, i) => (i % 4 === quotes ? 0x22 : b)));
        const count = chunk.filter((b) => b === 0x22).length;
        expect(counter.oddQuotes(chunk)).toBe(count % 2 === 1);
      }),
      { numRuns: 2000 },
    );
  });
});
