import { FirstPlaces } from './first-places.js';

/**
 * The case references seen so far, to reject a repeated one, in about 5
 * bytes a case: 24 bits of a fingerprint of each reference in Robin Hood
 * hash tables of typed arrays kept at most 80% full. A map of the references
 * themselves costs twenty times that, and a national export has millions of
 * them; this is the only part of a run whose memory grows with the export.
 *
 * A reference's 53-bit fingerprint is split: the high bits choose its home
 * slot and the low 24 are stored, with how far past its home it sits. A
 * match in the tables is only a candidate: where the fingerprint was first
 * seen is kept with the whole of it (FirstPlaces, in a scratch file for a
 * long export), and a candidate it does not hold is a new reference. Two
 * different references are taken for one only when all 53 bits agree, a
 * chance of about n² / 2^54, 1 in 18,000 for a million cases; the later
 * would be reported as a repeat, with the row of the earlier, for the
 * auditor to see.
 *
 * Because the high bits are not stored, a table cannot be rehashed into a
 * larger one. A full table is kept as it is and another started beside it;
 * a lookup asks each. Tables are sized from an estimate of the rows still to
 * come (`reserve`), renewed as a file is read, so a file on disk needs one
 * table, or a few when its first rows were not typical of the rest.
 */
const MOST_RESERVED = 2 ** 21;
const FIRST_CAPACITY = 4096;
const FULLEST = 0.8;
const FINGERPRINT_RANGE = 2 ** 53;
/** Distances are kept in the low byte of a slot, plus one, with 0 for an empty slot. */
const FARTHEST = 255;

/** One table, never rehashed. */
class FingerprintTable {
  /** Per slot, the stored bits of a fingerprint above its distance from its home slot, plus one; 0 marks an empty slot. */
  private readonly slots: Uint32Array;
  /** Set as it is filled: how many more references it takes before it is full. */
  room: number;

  constructor(readonly capacity: number) {
    this.slots = new Uint32Array(capacity);
    this.room = Math.floor(FULLEST * capacity);
  }

  home(fingerprint: number): number {
    return Math.floor((fingerprint / FINGERPRINT_RANGE) * this.capacity);
  }

  /** Reads the home slots of a run of fingerprints, so that looking them up after finds them in the cache (see SeenReferences.prepare). */
  touch(fingerprints: Float64Array, from: number, to: number): number {
    let sum = 0;
    for (let i = from; i < to; i++) sum += this.slots[this.home(fingerprints[i] as number)] as number;
    return sum;
  }

  /** Whether a fingerprint with the same home and stored bits is here. */
  has(fingerprint: number): boolean {
    const stored = storedBits(fingerprint);
    const { capacity, slots } = this;
    let slot = this.home(fingerprint);
    for (let distance = 1; distance <= FARTHEST; distance++) {
      const there = (slots[slot] as number) & FARTHEST;
      // In Robin Hood order, a slot nearer its own home than this one would be means the reference is not here.
      if (there < distance) return false;
      if (there === distance && (slots[slot] as number) >>> 8 === stored) return true;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
    return false;
  }

  /**
   * Whether the fingerprint is here, as has; when it is not, adds it in the
   * same probe (the slot where the search stops is where it belongs) and
   * returns ADDED, or, when the entries it moved along left one that could
   * not be kept within FARTHEST of its home, that entry (which the caller
   * keeps elsewhere): there is none below 80% full unless the references
   * were chosen to collide.
   */
  hasOrAdd(fingerprint: number): typeof PRESENT | typeof ADDED | Homeless {
    let stored = storedBits(fingerprint);
    const { capacity, slots } = this;
    let slot = this.home(fingerprint);
    let distance = 1;
    for (;;) {
      const there = (slots[slot] as number) & FARTHEST;
      if (there < distance) break;
      if (there === distance && (slots[slot] as number) >>> 8 === stored) return PRESENT;
      slot = slot + 1 === capacity ? 0 : slot + 1;
      if (++distance > FARTHEST) break;
    }
    this.room--;
    for (;;) {
      if (distance > FARTHEST) return { home: (slot - distance + 1 + capacity) % capacity, stored };
      const was = slots[slot] as number;
      slots[slot] = ((stored << 8) | distance) >>> 0;
      if (was === 0) return ADDED;
      // Took the slot from an entry nearer its home (Robin Hood), which is carried on.
      stored = was >>> 8;
      distance = was & FARTHEST;
      do {
        slot = slot + 1 === capacity ? 0 : slot + 1;
        distance++;
      } while (distance <= FARTHEST && ((slots[slot] as number) & FARTHEST) >= distance);
    }
  }
}

/** An entry no slot near its home could keep. */
interface Homeless {
  home: number;
  stored: number;
}

const PRESENT = 'present';
const ADDED = 'added';

export class SeenReferences {
  private readonly tables: FingerprintTable[] = [];
  /** The table new references go into: the first that is not full. */
  private filling = 0;
  /** Whether room has been made from an estimate of the rows. */
  private estimated = false;
  /** Entries no table could keep near their home, by table, home and stored bits. */
  private readonly overflow = new Set<string>();
  private readonly places = new FirstPlaces();
  /** What prepare read, kept so that the reads are not optimised away. */
  private touched = 0;

  /** Where the reference was first seen, or undefined; records `place` when it is new. */
  firstSeen(reference: string, place: number): number | undefined {
    return this.firstSeenFingerprint(referenceFingerprint(reference), place);
  }

  /**
   * The same, for a reference given by its fingerprint (worked out by a
   * worker thread). A place is a whole number below 2³². The full tables are
   * asked, then the one being filled, which adds the reference if it is not
   * there; the tables after it are empty. Only a reference the tables may
   * hold is looked for among the places.
   */
  firstSeenFingerprint(fingerprint: number, place: number): number | undefined {
    if (this.isCandidate(fingerprint)) {
      const earlier = this.places.find(fingerprint);
      if (earlier !== undefined) return earlier;
    }
    this.places.add(fingerprint, place);
    return undefined;
  }

  /** Closes the scratch file of places, if there is one. */
  release(): void {
    this.places.release();
  }

  /** Whether the tables may hold the fingerprint; adds it to them when they cannot. */
  private isCandidate(fingerprint: number): boolean {
    const { tables } = this;
    for (let i = 0; i < this.filling; i++) {
      if ((tables[i] as FingerprintTable).has(fingerprint) || this.overflowed(i, fingerprint)) return true;
    }
    if (this.filling === tables.length) tables.push(new FingerprintTable(this.nextCapacity()));
    if (this.overflowed(this.filling, fingerprint)) return true;
    const table = tables[this.filling] as FingerprintTable;
    const found = table.hasOrAdd(fingerprint);
    if (found === PRESENT) return true;
    if (found !== ADDED) this.overflow.add(overflowKey(this.filling, found.home, found.stored));
    if (table.room < 1) this.filling++;
    return false;
  }

  /** Whether table `table` could not keep an entry like this one; there are such entries only for references chosen to collide. */
  private overflowed(table: number, fingerprint: number): boolean {
    if (this.overflow.size === 0) return false;
    return this.overflow.has(overflowKey(table, (this.tables[table] as FingerprintTable).home(fingerprint), storedBits(fingerprint)));
  }

  /**
   * Brings the table slots a run of fingerprints will look at into the
   * processor's cache, all at once, before they are looked up one by one.
   * A table of a million references is far larger than the cache, so each
   * lookup would otherwise wait for memory in turn; reads that do not depend
   * on each other are fetched side by side. Measured on its own (a million
   * references in chunks of 2,800): 270-350 ns a reference against 350-380
   * without; in a whole 1M-row run on two threads, no difference to be seen
   * (six alternated runs each), the lookups now being a smaller part of it.
   */
  prepare(fingerprints: Float64Array, from: number, to: number): void {
    for (const table of this.tables) this.touched += table.touch(fingerprints, from, to);
  }

  /**
   * Makes room, if there is not already, for about this many more
   * references, at once rather than a table at a time as they come.
   */
  reserve(more: number): void {
    this.estimated = true;
    let room = 0;
    for (let i = this.filling; i < this.tables.length; i++) room += (this.tables[i] as FingerprintTable).room;
    // An estimate, so a short fall is left to the small table added when the last one fills.
    if (more - room <= this.capacity() / 16) return;
    this.tables.push(new FingerprintTable(Math.max(FIRST_CAPACITY, Math.ceil(Math.min(more - room, MOST_RESERVED) / FULLEST) + 1)));
  }

  /**
   * The size of a table started because the last one filled: an eighth of
   * what there is when the rows were estimated, since the estimate was then
   * nearly right; otherwise (standard input) as much again as all before it,
   * so that tables, each asked on every lookup, stay few.
   */
  private nextCapacity(): number {
    if (this.tables.length === 0) return FIRST_CAPACITY;
    return Math.max(FIRST_CAPACITY, Math.ceil(this.capacity() / (this.estimated ? 8 : 1) / FULLEST));
  }

  /** References the tables hold when full. */
  private capacity(): number {
    return this.tables.reduce((sum, table) => sum + Math.floor(table.capacity * FULLEST), 0);
  }
}

/** The low 24 bits of a fingerprint: `&` takes a number modulo 2³² first, without a floating-point division. */
function storedBits(fingerprint: number): number {
  return fingerprint & 0xffffff;
}

function overflowKey(table: number, home: number, stored: number): string {
  return `${table}:${home}:${stored}`;
}

/** cyrb53: a fast, well-mixed 53-bit string hash. */
export function referenceFingerprint(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return mixed(h1, h2);
}

/**
 * The fingerprint of a reference given as ASCII bytes, `bytes[start, end)`:
 * the same as referenceFingerprint of its text, one byte being one
 * character, without making the string (a worker does this for every case).
 */
export function asciiReferenceFingerprint(bytes: Uint8Array, start: number, end: number): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return mixed(h1, h2);
}

function mixed(h1: number, h2: number): number {
  const m1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const m2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(m1 ^ (m1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & m2) + (m1 >>> 0);
}
