import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecords, CsvSyntaxError } from '../../src/cases/csv-records.js';
import { recordsOf } from '../helpers.js';

/** Feeds the text in the given pieces and returns every record. */
function split(pieces: string[], delimiter = ',', max = 1000): string[][] {
  const records = new CsvRecords(delimiter, max);
  const all = pieces.flatMap((piece) => recordsOf(records.push(piece)));
  return [...all, ...recordsOf(records.end())];
}

function problem(text: string, max = 1000): [string, number, number] | 'none' {
  try {
    split([text], ',', max);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return [error.problem, error.record, error.cell];
    throw error;
  }
  return 'none';
}

describe('splitting CSV text into records', () => {
  it('reads quoted cells with delimiters, line breaks and doubled quotes', () => {
    expect(split(['a,"b,c","say ""no""","x\ny"\n1,2,3,4'])).toEqual([
      ['a', 'b,c', 'say "no"', 'x\ny'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('ends records at CRLF, LF or CR; a blank line is a record with one empty cell', () => {
    expect(split(['a\r\nb\nc\rd\n\ne,'])).toEqual([['a'], ['b'], ['c'], ['d'], [''], ['e', '']]);
  });

  it('adds no empty record after a final line break', () => {
    expect(split(['a,b\r\n'])).toEqual([['a', 'b']]);
    expect(split([''])).toEqual([]);
  });

  it('counts every record, blank ones included', () => {
    const records = new CsvRecords(',', 1000);
    records.push('h\n\n1\n"2\n');
    expect(records.recordCount).toBe(3);
    records.push('x"\n');
    expect(records.recordCount).toBe(4);
  });

  it('gives the same records however the text is cut into chunks (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é'), maxLength: 6 });
    const quoted = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    // A last row of one empty cell would be a final line break, not a record.
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }).filter((rows) => rows.at(-1)?.join('') !== '' || (rows.at(-1)?.length ?? 0) > 1);
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.nat(), { maxLength: 6 }), (rows, newline, cuts) => {
        const text = rows.map((r) => r.map(quoted).join(',')).join(newline);
        const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...positions].map((from, i) => text.slice(from, [...positions, text.length][i]));
        const whole = split([text]);
        expect(split(pieces)).toEqual(whole);
        // A record of one empty cell is a blank line; otherwise the cells come back as written.
        expect(whole).toEqual(rows.map((r) => (r.length === 1 && r[0] === '' ? [''] : r)));
      }),
      { numRuns: 500 },
    );
  });

  it('names the record and cell of each kind of broken quoting', () => {
    expect(problem('a,b\n1,2\n3,"open\n4,5\n')).toEqual(['unclosed-quote', 3, 1]);
    expect(problem('a,b\n1,"x"y\n')).toEqual(['text-after-closing-quote', 2, 1]);
    expect(problem('a,b\n1,"x" \n')).toEqual(['text-after-closing-quote', 2, 1]);
    expect(problem('a,b\nab"c,d\n')).toEqual(['quote-inside-cell', 2, 0]);
    expect(problem('a,b\n "ab",d\n')).toEqual(['quote-inside-cell', 2, 0]);
  });

  it('refuses a record over the size limit, whether quoted or not, without waiting for its end', () => {
    expect(problem(`a,b\n1,${'x'.repeat(50)}\n`, 40)).toEqual(['record-too-long', 2, 1]);
    expect(problem(`a,b\n1,"${'x'.repeat(50)}"\n`, 40)).toEqual(['quote-open-too-long', 2, 1]);
    expect(problem(`a,b\n1,${'x'.repeat(30)}\n`, 40)).toBe('none');
    const records = new CsvRecords(',', 40);
    records.push('a,b\n1,"');
    expect(() => records.push('y'.repeat(100))).toThrow(CsvSyntaxError);
  });

  it('names a quote left open past the limit the same whether the text comes in pieces or at once', () => {
    const text = `a\n"${'y'.repeat(100)}`;
    const atOnce = (() => {
      try {
        new CsvRecords(',', 40).end(text);
      } catch (error) {
        return error instanceof CsvSyntaxError ? error.problem : 'other';
      }
      return 'none';
    })();
    expect(atOnce).toBe('quote-open-too-long');
    expect(problem(text, 40)[0]).toBe('quote-open-too-long');
    expect(problem(`a\n"${'y'.repeat(10)}`, 40)[0]).toBe('unclosed-quote');
  });

  it('does not count a CR held back at the end of a chunk as part of the record (review finding)', () => {
    const records = new CsvRecords(',', 10);
    expect(recordsOf(records.push('abcdefghij\r'))).toEqual([]);
    expect([...recordsOf(records.push('\nk')), ...recordsOf(records.end())]).toEqual([['abcdefghij'], ['k']]);
  });

  it('uses the delimiter it is given', () => {
    expect(split(['a;"b;c";d,e\n'], ';')).toEqual([['a', 'b;c', 'd,e']]);
    expect(split(['a\t"b\tc"\td,e\n'], '\t')).toEqual([['a', 'b\tc', 'd,e']]);
  });
});
