import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FirstPlaces, ScratchFileError } from '../../src/cases/first-places.js';
import { referenceFingerprint } from '../../src/cases/seen-references.js';

const savedTmpdir = process.env.TMPDIR;
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
});

describe('where references were first seen', () => {
  it('gives back the place of each fingerprint added, given its block number, and nothing for others, like a map would (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 53 - 1 }), { maxLength: 2000 }), fc.integer({ min: 0, max: 2 ** 53 - 1 }), (fingerprints, other) => {
        const places = new FirstPlaces();
        const blocks = fingerprints.map((fingerprint, place) => places.add(fingerprint, place));
        fingerprints.forEach((fingerprint, place) => expect(places.find(fingerprint, blocks[place] as number)).toBe(place));
        if (!fingerprints.includes(other)) for (const block of [0, 1, 255]) expect(places.find(other, block)).toBeUndefined();
        places.release();
      }),
      { numRuns: 30 },
    );
  });

  it('finds places written to the scratch file, those waiting to be written, and the newest, each in its one block', () => {
    const places = new FirstPlaces();
    const count = 400_000;
    const blocks = Array.from({ length: count }, (_, i) => places.add(referenceFingerprint(`WM-${i}`), i));
    for (let i = 0; i < count; i += 37) {
      expect(places.find(referenceFingerprint(`WM-${i}`), blocks[i] as number)).toBe(i);
      expect(places.find(referenceFingerprint(`WM-${i}`), ((blocks[i] as number) + 1) % 256)).toBeUndefined();
    }
    expect(places.find(referenceFingerprint(`WM-${count - 1}`), blocks[count - 1] as number)).toBe(count - 1);
    // The same block from the file again and again (the last one read is kept), with later ones between: in memory, not yet written, written.
    for (let back = 0; back < 250_000; back += 1_000) {
      for (const i of [5, 5, count - 1 - back]) expect(places.find(referenceFingerprint(`WM-${i}`), blocks[i] as number)).toBe(i);
    }
    expect(places.find(referenceFingerprint('WM-never'), 0)).toBeUndefined();
    places.release();
  });

  it('tells apart more blocks in one bucket than a block number can, when the fingerprints share their high bits', () => {
    const places = new FirstPlaces();
    // All in one bucket: about 940 blocks, so block numbers come round more than three times.
    const fingerprints = Array.from({ length: 30_000 }, (_, i) => 2 ** 40 + i);
    const blocks = fingerprints.map((fingerprint, place) => places.add(fingerprint, place));
    expect(Math.max(...blocks)).toBe(255);
    for (let i = 0; i < fingerprints.length; i += 101) expect(places.find(fingerprints[i] as number, blocks[i] as number)).toBe(i);
    expect(places.find(2 ** 40 + 30_000, blocks[0] as number)).toBeUndefined();
    places.release();
  });
});

describe('the scratch file', () => {
  it('is not left in the temporary folder, even while it is open', () => {
    const folder = mkdtempSync(join(tmpdir(), 'audit-scratch-'));
    process.env.TMPDIR = folder;
    try {
      const places = new FirstPlaces();
      for (let i = 0; i < 400_000; i++) places.add(referenceFingerprint(`R-${i}`), i);
      expect(places.find(referenceFingerprint('R-5'), 0)).toBe(5);
      expect(readdirSync(folder)).toEqual([]);
      places.release();
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('that cannot be made stops the run with a message naming the folder and what to do', () => {
    process.env.TMPDIR = '/nonexistent/audit-scratch';
    const places = new FirstPlaces();
    let failure: unknown;
    try {
      for (let i = 0; i < 400_000; i++) places.add(referenceFingerprint(`R-${i}`), i);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ScratchFileError);
    expect((failure as Error).message).toMatch(/^cannot write a scratch file in \/nonexistent\/audit-scratch \(ENOENT\).*Set TMPDIR to a writable folder with room/);
  });
});
