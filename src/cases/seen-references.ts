/**
 * The case references seen so far, to reject a repeated one, in about 16
 * bytes a case: a 53-bit fingerprint of each reference and where it was
 * first seen, in an open-addressing table of typed arrays. A map of the
 * references themselves costs four times that, and a national export has
 * millions of them.
 *
 * Two different references share a fingerprint with a chance of about
 * n² / 2⁵⁴ (1 in 18,000 for a million cases); the later would then be
 * reported as a repeat, with the row of the earlier, for the auditor to see.
 */
const MOST_RESERVED = 2 ** 21;

export class SeenReferences {
  private fingerprints = new Float64Array(1 << 12);
  private places = new Float64Array(1 << 12);
  private count = 0;

  /** Where the reference was first seen, or undefined; records `place` when it is new. */
  firstSeen(reference: string, place: number): number | undefined {
    return this.firstSeenFingerprint(referenceFingerprint(reference), place);
  }

  /** The same, for a reference given by its fingerprint (worked out by a worker thread). */
  firstSeenFingerprint(fingerprint: number, place: number): number | undefined {
    let slot = this.find(fingerprint);
    if (this.fingerprints[slot] === fingerprint) return this.places[slot];
    if ((this.count + 1) * 2 > this.fingerprints.length) {
      this.resize(this.fingerprints.length * 2);
      slot = this.find(fingerprint);
    }
    this.fingerprints[slot] = fingerprint;
    this.places[slot] = place;
    this.count++;
    return undefined;
  }

  private find(fingerprint: number): number {
    const mask = this.fingerprints.length - 1;
    let slot = fingerprint % (mask + 1);
    while (this.fingerprints[slot] !== 0 && this.fingerprints[slot] !== fingerprint) slot = (slot + 1) & mask;
    return slot;
  }

  /**
   * Makes room for about this many references in all, at once: growing the
   * table a step at a time holds the old table and the new one together, and
   * the last step alone is half again the memory of the table.
   */
  reserve(references: number): void {
    // An estimate, so a bounded one: past this the table grows as it fills.
    const wanted = Math.min(references, MOST_RESERVED);
    let capacity = this.fingerprints.length;
    while (wanted * 2 > capacity) capacity *= 2;
    if (capacity > this.fingerprints.length) this.resize(capacity);
  }

  private resize(capacity: number): void {
    const [fingerprints, places] = [this.fingerprints, this.places];
    this.fingerprints = new Float64Array(capacity);
    this.places = new Float64Array(capacity);
    fingerprints.forEach((fingerprint, i) => {
      if (fingerprint === 0) return;
      const slot = this.find(fingerprint);
      this.fingerprints[slot] = fingerprint;
      this.places[slot] = places[i] ?? 0;
    });
  }
}

/** cyrb53: a fast, well-mixed 53-bit string hash; never 0, which marks an empty slot. */
export function referenceFingerprint(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0) || 1;
}
