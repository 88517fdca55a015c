import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/cases/csv-records.js';
import { lastRecordEnd, recordChunks } from '../../src/cases/record-chunks.js';
import { recordsOf } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'audit-chunks-'));

/** The plain definition: the last line break outside quotes, not a CR that may be followed by an LF. */
function lastRecordEndByHand(bytes: Uint8Array): number {
  let quoted = false;
  let end = 0;
  bytes.forEach((byte, i) => {
    if (byte === 0x22) quoted = !quoted;
    else if (!quoted && (byte === 0x0a || (byte === 0x0d && i + 1 < bytes.length && bytes[i + 1] !== 0x0a))) end = i + 1;
  });
  return end;
}

const cell = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', 'é'), maxLength: 5 });
const quoted = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
const csv = fc
  .tuple(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .map(([rows, newline, finalBreak]) => rows.map((r) => r.map(quoted).join(',')).join(newline) + (finalBreak ? newline : ''));

function records(text: string): string[][] {
  const reader = new CsvRecords(',', 10_000);
  return [...recordsOf(reader.push(text)), ...recordsOf(reader.end())];
}

describe('cutting a CSV file into chunks at record boundaries', () => {
  it('finds the same last record end as counting quotes byte by byte (property)', () => {
    fc.assert(
      fc.property(csv, fc.nat(), (text, cut) => {
        const bytes = Buffer.from(text);
        const length = cut % (bytes.length + 1);
        expect(lastRecordEnd(bytes, length)).toBe(lastRecordEndByHand(bytes.subarray(0, length)));
      }),
      { numRuns: 1000 },
    );
  });

  it('counts quotes exactly among any bytes, four at a time, at any alignment (property)', () => {
    const byte = fc.constantFrom(0x22, 0x0a, 0x0d, 0xa2, 0x00, 0xff, 0x7f, 0x80, 0x61, 0x23, 0x21);
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 200 }), fc.nat(7), (values, offset) => {
        const bytes = new Uint8Array(values.length + offset).subarray(offset);
        bytes.set(values);
        expect(lastRecordEnd(bytes, bytes.length)).toBe(lastRecordEndByHand(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives chunks that read, one by one, to the records of the whole file (property)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(csv, fc.integer({ min: 1, max: 40 }), fc.boolean(), async (text, chunkBytes, handBack) => {
        const file = path.join(dir, `f${n++}.csv`);
        writeFileSync(file, text);
        const chunks: Buffer[] = [];
        let read: string[][] = [];
        // As the workers do, hand each chunk's memory back to be read into again, once it is read (copied here).
        const spare: ArrayBuffer[] = [];
        for await (const chunk of recordChunks(file, chunkBytes, 10_000, spare)) {
          expect(chunk.endsRecord).toBe(true);
          chunks.push(Buffer.from(chunk.bytes));
          read = [...read, ...records(Buffer.from(chunk.bytes).toString('utf8'))];
          if (handBack) spare.push(chunk.bytes.buffer as ArrayBuffer);
        }
        expect(Buffer.concat(chunks).toString('utf8')).toBe(text);
        expect(read).toEqual(records(text));
      }),
      { numRuns: 300 },
    );
  });

  it('starts with small chunks and doubles them up to the size asked for', async () => {
    const line = `${'x'.repeat(99)}\n`;
    const file = path.join(dir, 'ramp.csv');
    writeFileSync(file, line.repeat(20_000));
    const sizes: number[] = [];
    // Memory handed back as the workers hand it back: too small while the chunks grow, then used again.
    const spare: ArrayBuffer[] = [];
    const memory = new Set<ArrayBuffer>();
    let text = '';
    for await (const chunk of recordChunks(file, 256 * 1024, 10_000, spare)) {
      sizes.push(chunk.bytes.length);
      text += Buffer.from(chunk.bytes).toString('latin1');
      memory.add(chunk.bytes.buffer as ArrayBuffer);
      spare.push(chunk.bytes.buffer as ArrayBuffer);
    }
    // Each ends at the last whole line that fits, and a chunk starts with the part line the one before left.
    expect(sizes.slice(0, 6)).toEqual([16_300, 32_800, 65_500, 131_100, 262_200, 262_100]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2_000_000);
    expect(text).toBe(line.repeat(20_000));
    // One for each size on the way up; the last is used again for the rest.
    expect(memory.size).toBe(5);
  });

  it('lets go of a run with no record end once it is longer than any record can be', async () => {
    const file = path.join(dir, 'open-quote.csv');
    writeFileSync(file, `a,b\n1,"${'x'.repeat(500)}`);
    const chunks = [];
    for await (const chunk of recordChunks(file, 64, 200)) chunks.push(chunk);
    expect(chunks[0]).toMatchObject({ endsRecord: true });
    expect(chunks.some((c) => !c.endsRecord)).toBe(true);
    expect(chunks.reduce((n, c) => n + c.bytes.length, 0)).toBe(4 + 3 + 500);
  });
});
