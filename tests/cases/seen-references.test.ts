import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiReferenceFingerprint, referenceFingerprint, SeenReferences } from '../../src/cases/seen-references.js';

describe('the set of case references seen', () => {
  it('reports where a reference was first seen, and nothing for a new one, like a map would (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 3000 }), (references) => {
        const seen = new SeenReferences();
        const map = new Map<string, number>();
        references.forEach((reference, place) => {
          expect(seen.firstSeen(reference, place)).toBe(map.get(reference));
          if (!map.has(reference)) map.set(reference, place);
        });
      }),
      { numRuns: 50 },
    );
  });

  it('keeps a million distinct references apart', () => {
    const seen = new SeenReferences();
    let repeats = 0;
    for (let i = 0; i < 1_000_000; i++) if (seen.firstSeen(`WM-${i}`, i) !== undefined) repeats++;
    expect(repeats).toBe(0);
    expect(seen.firstSeen('WM-123456', 0)).toBe(123456);
    seen.release();
  });

  it('agrees with a map over 250,000 fingerprints, a fifth of them chosen to collide and a tenth repeats, past the scratch file', () => {
    // A seeded generator of 53-bit numbers (two rounds of a 32-bit xorshift), so that the test is the same each run.
    let state = 2014;
    const word = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const draw = () => (word() & 0x1fffff) * 2 ** 32 + word();
    const highs = Array.from({ length: 8 }, () => Math.floor(draw() / 2 ** 32) * 2 ** 32);
    const lows = Array.from({ length: 8 }, () => draw() % 2 ** 24);
    const high = () => highs[draw() % 8] as number;
    const low = () => lows[draw() % 8] as number;
    const seen = new SeenReferences();
    const map = new Map<number, number>();
    const distinct: number[] = [];
    let disagreements = 0;
    for (let place = 0; place < 250_000; place++) {
      const roll = draw() % 50;
      const chosen =
        roll < 5 && distinct.length > 0 ? (distinct[draw() % distinct.length] as number) // a repeat
        : roll < 10 ? high() + (draw() % 2 ** 32) // the same home slot as others
        : roll < 15 ? (draw() % 2 ** 29) * 2 ** 24 + low() // the same stored bits as others
        : roll === 15 ? high() + (draw() % 256) * 2 ** 24 + low() // both
        : draw();
      if (seen.firstSeenFingerprint(chosen, place) !== map.get(chosen)) disagreements++;
      if (!map.has(chosen)) {
        map.set(chosen, place);
        distinct.push(chosen);
      }
    }
    expect(disagreements).toBe(0);
    expect(distinct.length).toBeGreaterThan(200_000);
    seen.release();
  });
});

describe('making room in advance', () => {
  it('finds every reference, and every repeat, whether the table was reserved or grew', () => {
    const reserved = new SeenReferences();
    reserved.reserve(50_000);
    const grown = new SeenReferences();
    for (let i = 0; i < 60_000; i++) {
      expect(reserved.firstSeen(`R-${i}`, i)).toBeUndefined();
      expect(grown.firstSeen(`R-${i}`, i)).toBeUndefined();
    }
    reserved.reserve(10);
    for (let i = 0; i < 60_000; i += 997) {
      expect(reserved.firstSeen(`R-${i}`, 1e6)).toBe(i);
      expect(grown.firstSeen(`R-${i}`, 1e6)).toBe(i);
    }
  });
});

describe('references chosen to collide', () => {
  it('keeps apart hundreds of fingerprints that share a home slot, past the farthest a slot can record', () => {
    const seen = new SeenReferences();
    // The same high bits, so the same home slot in any table; distinct low bits.
    const fingerprints = Array.from({ length: 700 }, (_, i) => 12345 * 2 ** 32 + i * 7919 + 1);
    fingerprints.forEach((fingerprint, place) => expect(seen.firstSeenFingerprint(fingerprint, place)).toBeUndefined());
    fingerprints.forEach((fingerprint, place) => expect(seen.firstSeenFingerprint(fingerprint, 99_999)).toBe(place));
    expect(seen.firstSeenFingerprint(12345 * 2 ** 32 + 2, 5)).toBeUndefined();
  });
});

describe('references whose stored bits agree', () => {
  it('are told apart by the whole fingerprint, and each new one is recorded where it was seen', () => {
    const seen = new SeenReferences();
    // The same high bits (so the same home slot) and the same low 24 bits (those a table stores); bits 24 to 31 differ.
    const fingerprints = Array.from({ length: 200 }, (_, i) => 777 * 2 ** 32 + i * 2 ** 24 + 4242);
    fingerprints.forEach((fingerprint, place) => expect(seen.firstSeenFingerprint(fingerprint, place)).toBeUndefined());
    fingerprints.forEach((fingerprint, place) => expect(seen.firstSeenFingerprint(fingerprint, 99_999)).toBe(place));
  });
});

describe('tables added as an export turns out longer than estimated', () => {
  it('finds every reference across the tables, however they were added', () => {
    const seen = new SeenReferences();
    seen.reserve(1000);
    for (let i = 0; i < 5000; i++) {
      if (i % 700 === 0) seen.reserve(5000 - i);
      expect(seen.firstSeen(`E-${i}`, i)).toBeUndefined();
    }
    for (let i = 0; i < 5000; i += 7) expect(seen.firstSeen(`E-${i}`, 9e6)).toBe(i);
    expect(seen.firstSeen('E-5000', 1)).toBeUndefined();
  });
});

describe('fingerprints of references given as bytes', () => {
  it('are those of the same references as text, wherever the bytes lie (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((code) => String.fromCharCode(code)), maxLength: 20 }), fc.nat(5), fc.nat(5), (reference, before, after) => {
        const bytes = new Uint8Array(before + reference.length + after).fill(7);
        for (let i = 0; i < reference.length; i++) bytes[before + i] = reference.charCodeAt(i);
        expect(asciiReferenceFingerprint(bytes, before, before + reference.length)).toBe(referenceFingerprint(reference));
      }),
    );
  });
});
