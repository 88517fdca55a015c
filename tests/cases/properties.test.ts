import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openCases } from '../../src/cases/open.js';
import { scoreInputs } from '../../src/pipeline.js';
import { compileRubric } from '../../src/rubric/compile.js';
import { ROOT } from '../e2e/run.js';

async function readText(text: string | Buffer, delimiter?: string) {
  const input = await openCases('-', delimiter ? { delimiter } : {}, Readable.from([Buffer.from(text)]));
  const rows: string[][] = [];
  for await (const batch of input.batches) {
    for (let r = batch.from; r < batch.count; r++) if (!batch.isBlank(r)) rows.push(batch.cells(r));
  }
  return { header: input.header, rows };
}

const headerCell = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,11}$/);
const anyCell = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', ',', ';', '\t', '"', '\n', '\r', 'é', '£', '–', "'", '=') , maxLength: 12 });

const tableArb = fc.integer({ min: 1, max: 6 }).chain((width) =>
  fc.record({
    header: fc.uniqueArray(headerCell, { minLength: width, maxLength: width, selector: (h) => h.toLowerCase() }),
    rows: fc.array(fc.array(anyCell, { minLength: width, maxLength: width }).filter((r) => r.some((c) => c.trim() !== '')), { maxLength: 8 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    newline: fc.constantFrom('\n', '\r\n'),
    quoteAll: fc.boolean(),
    bom: fc.boolean(),
    trailingBlankLines: fc.nat(2),
  }),
);

describe('CSV round trip (property)', () => {
  it('any table written with random quoting, line endings and delimiters reads back to the same cells', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, async ({ header, rows, delimiter, newline, quoteAll, bom, trailingBlankLines }) => {
        const cell = (c: string) => (quoteAll || /[",;\t\r\n]/.test(c) || c !== c.trim() ? `"${c.replace(/"/g, '""')}"` : c);
        const text = `${bom ? '\uFEFF' : ''}${[header, ...rows].map((r) => r.map(cell).join(delimiter)).join(newline)}${newline}${newline.repeat(trailingBlankLines)}`;
        const read = await readText(text);
        expect(read.header).toEqual(header);
        expect(read.rows).toEqual(rows);
      }),
      { numRuns: 200 },
    );
  });

  it('reads UTF-16 with a byte-order mark the same as UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, async ({ header, rows }) => {
        const text = [header, ...rows].map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join('\t')).join('\r\n');
        const utf16 = Buffer.from(`\uFEFF${text}`, 'utf16le');
        expect(await readText(utf16)).toEqual(await readText(text, '\t'));
      }),
      { numRuns: 50 },
    );
  });
});

describe('reconciliation (property)', () => {
  const rubricFile = path.join(ROOT, 'fixtures', 'bad-input-checks.yaml');
  const rubric = compileRubric(readFileSync(rubricFile, 'utf8'), 'fixtures/bad-input-checks.yaml');
  const good = fc.record({ area: fc.constantFrom('cse', 'missing', 'CUSTODY'), intel: fc.constantFrom('Y', 'N', ''), episodes: fc.constantFrom('', '1', '7') });
  const bad = fc.constantFrom('date', 'area', 'boolean', 'cells', 'duplicate', 'header');

  it('rows read = cases scored + rows rejected, for random mixes of good and bad rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(good, bad), { minLength: 1, maxLength: 30 }), async (mix) => {
        const header = 'Case Ref,Area,Referred On,Arrest Date,Intel Followed Up,Episodes';
        const lines = mix.map((row, i) => {
          const ref = `R-${i}`;
          if (typeof row !== 'string') return `${ref},${row.area},02/06/2014,,${row.intel},${row.episodes}`;
          if (row === 'date') return `${ref},cse,30/02/2014,,Y,`;
          if (row === 'area') return `${ref},gangs,02/06/2014,,Y,`;
          if (row === 'boolean') return `${ref},cse,02/06/2014,,perhaps,`;
          if (row === 'cells') return `${ref},cse`;
          if (row === 'duplicate') return `R-dup,cse,02/06/2014,,Y,`;
          return header;
        });
        const text = `${header}\n${lines.join('\n')}\n`;
        const summary = await scoreInputs(rubric, ['-'], () => openCases('-', {}, Readable.from([Buffer.from(text)])), { asOf: new Date(Date.UTC(2014, 6, 1)) });
        const duplicates = mix.filter((r) => r === 'duplicate').length;
        const expectedRejected = mix.filter((r) => typeof r === 'string' && r !== 'duplicate').length + Math.max(0, duplicates - 1);
        expect(summary.rowsRead).toBe(mix.length);
        expect(summary.rowsRead).toBe(summary.overall.totals.cases + summary.rowsRejected);
        expect(summary.rowsRejected).toBe(expectedRejected);
      }),
      { numRuns: 100 },
    );
  });
});
