import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRejects, unpackRejects, type RejectedRow } from '../../src/parallel/protocol.js';

const problem = fc.record({
  file: fc.constant('cases.csv'),
  row: fc.constant(0),
  column: fc.constantFrom('', 'Referred On', 'Area', 'Ärea'),
  value: fc.string({ unit: 'grapheme', maxLength: 60 }),
  reason: fc.constantFrom('not a date', 'the row has 5 cells but the header has 7', 'not one of cse, missing'),
});

const rejectedRows = fc
  .array(fc.tuple(fc.nat({ max: 5 }), fc.array(problem, { minLength: 1, maxLength: 4 })), { maxLength: 30 })
  .map((rows) => {
    let row = 0;
    return rows.map(([gap, problems]): RejectedRow => {
      row += gap + 1;
      return { row, problems: problems.map((p) => ({ ...p, row })) };
    });
  });

describe("a chunk's rejected rows", () => {
  it('come back from their packed form as they were, numbered in the file (property)', () => {
    fc.assert(
      fc.property(rejectedRows, (rows) => {
        const packed = packRejects(rows);
        // Rows are counted within the chunk; the problems come back at their rows in the file.
        const inFile = rows.map(({ row, problems }) => ({ row, problems: problems.map((p) => ({ ...p, row: 1000 + row })) }));
        expect(unpackRejects(structuredClone(packed), 'cases.csv', 1000)).toEqual(inFile);
        // Each column name and reason is sent once.
        expect(new Set(packed.texts).size).toBe(packed.texts.length);
      }),
    );
  });
});
