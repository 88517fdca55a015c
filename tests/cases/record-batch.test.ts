import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/cases/csv-records.js';
import { cellSpan, isSpace, RecordBatch, trimmedEnd, trimmedStart } from '../../src/cases/record-batch.js';
import { recordsOf } from '../helpers.js';

// Every character String.prototype.trim removes, and some it keeps.
const SPACES = [' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const KEPT = ['a', 'é', '\u200b', '\u180e', '\u0085', '"', ',', '0'];

describe('trimming a cell in place', () => {
  it('removes exactly what String.prototype.trim removes (property)', () => {
    const text = fc.string({ unit: fc.constantFrom(...SPACES, ...KEPT), maxLength: 12 });
    fc.assert(
      fc.property(text, text, text, (before, cell, after) => {
        const whole = before + cell + after;
        const start = trimmedStart(whole, before.length, before.length + cell.length);
        const end = trimmedEnd(whole, start, before.length + cell.length);
        expect(whole.slice(start, end)).toBe(cell.trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('knows every space character the language does', () => {
    for (let code = 0; code < 0x10000; code++) expect(isSpace(code), `U+${code.toString(16)}`).toBe(String.fromCharCode(code).trim() === '');
  });
});

describe('a batch of records', () => {
  it('gives each cell as text, undoing doubled quotes, and numbers its rows on from the first', () => {
    const reader = new CsvRecords(',', 1000);
    const batch = reader.end('a,"say ""no""",c\n,  ,\n"x\ny",2,3\n');
    expect(recordsOf(batch)).toEqual([
      ['a', 'say "no"', 'c'],
      ['', '  ', ''],
      ['x\ny', '2', '3'],
    ]);
    expect([batch.row(0), batch.row(2)]).toEqual([1, 3]);
    expect([0, 1, 2].map((r) => batch.isBlank(r))).toEqual([false, true, false]);
    expect(batch.cellCount(0)).toBe(3);
  });

  it('finds each cell trimmed where it lies, as cell(...).trim() gives it, doubled quotes undone, in the text and in its codes (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom(...SPACES, 'a', '1', 'é', 'ı', '"', ','), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const quoted = (c: string) => `"${c.replaceAll('"', '""')}"`;
        const batch = new CsvRecords(',', 1000).end(rows.map((r) => r.map(quoted).join(',')).join('\n'));
        const span = cellSpan();
        rows.forEach((cells, r) =>
          cells.forEach((text, c) => {
            batch.locate(r, c, span);
            expect(span.text.slice(span.start, span.end)).toBe(text.trim());
            const inCodes = batch.locateCodes(r, c, span);
            const found = span.text.slice(span.start, span.end);
            expect(found).toBe(text.trim());
            // Readable in the codes only when nothing there stands for another character: ASCII, as itself.
            if (inCodes) expect([...batch.codes.subarray(span.start, span.end)]).toEqual([...found].map((ch) => (ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : 128)));
            if (found.length > 0 && (found.charCodeAt(0) >= 128 || found.charCodeAt(found.length - 1) >= 128 || text.includes('"'))) expect(inCodes).toBe(false);
          }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('knows a blank record, cells of spaces of any kind, from its codes where they tell and its text where they do not (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom(...SPACES.filter((c) => c !== '\n' && c !== '\r'), ...KEPT.filter((c) => c !== '"' && c !== ',')), maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), fc.boolean(), (rows, quote) => {
        const batch = new CsvRecords(',', 1000).end(rows.map((r) => `${r.map((c) => (quote ? `"${c}"` : c)).join(',')}\n`).join(''));
        expect(batch.count).toBe(rows.length);
        rows.forEach((cells, r) => expect(batch.isBlank(r)).toBe(cells.every((c) => c.trim() === '')));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives a slice of its records as a batch of their own, numbered as they were', () => {
    const batch = new CsvRecords(',', 1000).end('h1,h2\n\na,b\nc, d \n').startingAt(1);
    const slice = batch.slice(2, 4);
    expect(recordsOf(slice)).toEqual([['a', 'b'], ['c', ' d ']]);
    expect([slice.row(0), slice.row(1), slice.from, batch.slice(0, 2).from]).toEqual([3, 4, 0, 1]);
    expect(slice.codes).toBe(batch.codes);
  });

  it('is made from cell texts with the row numbers given (a worksheet)', () => {
    const batch = RecordBatch.of([['ref', 'area'], ['', ' '], ['WM-1', 'cse']], [2, 5, 9]);
    expect(recordsOf(batch)).toEqual([['ref', 'area'], ['', ' '], ['WM-1', 'cse']]);
    expect([batch.row(0), batch.row(1), batch.row(2)]).toEqual([2, 5, 9]);
    expect(batch.isBlank(1)).toBe(true);
    expect(batch.startingAt(1).from).toBe(1);
  });

  it('numbers records on from the ones read before, chunk after chunk', () => {
    const reader = new CsvRecords(',', 1000);
    expect(recordsOf(reader.push('h1,h2\n1,2\n3,'))).toEqual([['h1', 'h2'], ['1', '2']]);
    const next = reader.end('4\n5,6');
    expect(recordsOf(next)).toEqual([['3', '4'], ['5', '6']]);
    expect(next.row(0)).toBe(3);
  });
});
