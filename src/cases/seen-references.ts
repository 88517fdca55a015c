import { FirstPlaces } from './first-places.js';

/**
 * The case references seen so far, to reject a repeated one, in about 5
 * bytes a case: Robin Hood hash tables of typed arrays, kept at most 80%
 * full, of one 32-bit slot a reference. A map of the references themselves
 * costs twenty times that, and a national export has millions of them; this
 * is the only part of a run whose memory grows with the export.
 *
 * A reference's 53-bit fingerprint is split: the high bits choose its home
 * slot, and the low 16 are stored in the slot, with the number of the block
 * of FirstPlaces that has the whole fingerprint and where it was first seen
 * (in a scratch file for a long export), and how far past its home the slot
 * is. A slot that matches is only a candidate: the reference is a repeat
 * when its block holds the whole fingerprint. Two different references are
 * taken for one only when all 53 bits agree, a chance of about n² / 2^54,
 * 1 in 18,000 for a million cases; the later would be reported as a repeat,
 * with the row of the earlier, for the auditor to see. Two that share the
 * stored bits have a slot each, and a lookup reads the block of each.
 *
 * Because the high bits are not stored, a table cannot be rehashed into a
 * larger one from its slots alone (FirstPlaces could give them back, at the
 * cost of reading every block). A full table is kept as it is and another
 * started beside it;
 * a lookup asks each. Tables are sized from an estimate of the rows still to
 * come (`reserve`), renewed as a file is read, so a file on disk needs one
 * table, or a few when its first rows were not typical of the rest.
 */
const MOST_RESERVED = 2 ** 21;
const FIRST_CAPACITY = 4096;
const FULLEST = 0.8;
const FINGERPRINT_RANGE = 2 ** 53;
/** A slot holds the stored bits of a fingerprint (16), its block number (8), then its distance from its home slot plus one (8), with 0 for an empty slot. */
const FARTHEST = 255;

/** One table, never rehashed. */
class FingerprintTable {
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

  /** Where the fingerprint was first seen, if a slot here matches it and its block in `places` holds it. */
  findPlace(fingerprint: number, places: FirstPlaces): number | undefined {
    const stored = storedBits(fingerprint);
    const { capacity, slots } = this;
    let slot = this.home(fingerprint);
    for (let distance = 1; distance <= FARTHEST; distance++) {
      const word = slots[slot] as number;
      // In Robin Hood order, a slot nearer its own home than this one would be means the reference is not here.
      if ((word & FARTHEST) < distance) return undefined;
      if ((word & FARTHEST) === distance && word >>> 16 === stored) {
        const place = places.find(fingerprint, (word >>> 8) & FARTHEST);
        if (place !== undefined) return place;
      }
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
    return undefined;
  }

  /**
   * Where the fingerprint was first seen, as findPlace; when it is not
   * here, records it in `places` and adds it here in the same probe (the
   * slot where the search stops is where it belongs), and returns
   * undefined, or, when the entries it moved along left one that could not
   * be kept within FARTHEST of its home, that entry (which the caller keeps
   * elsewhere): there is none below 80% full unless the references were
   * chosen to collide.
   */
  findOrAdd(fingerprint: number, places: FirstPlaces, place: number): number | Homeless | undefined {
    const stored = storedBits(fingerprint);
    const { capacity, slots } = this;
    let slot = this.home(fingerprint);
    let distance = 1;
    for (; distance <= FARTHEST; distance++) {
      const word = slots[slot] as number;
      if ((word & FARTHEST) < distance) break;
      if ((word & FARTHEST) === distance && word >>> 16 === stored) {
        const earlier = places.find(fingerprint, (word >>> 8) & FARTHEST);
        if (earlier !== undefined) return earlier;
      }
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
    let key = (stored << 8) | places.add(fingerprint, place);
    this.room--;
    for (;;) {
      if (distance > FARTHEST) return { home: (slot - distance + 1 + capacity) % capacity, stored: key >>> 8, block: key & FARTHEST };
      const was = slots[slot] as number;
      slots[slot] = ((key << 8) | distance) >>> 0;
      if (was === 0) return undefined;
      // Took the slot from an entry nearer its home (Robin Hood), which is carried on.
      key = was >>> 8;
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
  block: number;
}

export class SeenReferences {
  private readonly tables: FingerprintTable[] = [];
  /** The table new references go into: the first that is not full. */
  private filling = 0;
  /** Whether room has been made from an estimate of the rows. */
  private estimated = false;
  /** The block numbers of entries no table could keep near their home, by table, home and stored bits. */
  private readonly overflow = new Map<string, number[]>();
  private readonly places = new FirstPlaces();
  /** What prepare read, kept so that the reads are not optimised away. */
  private touched = 0;

  /** Where the reference was first seen, or undefined; records `place` when it is new. */
  firstSeen(reference: string, place: number): number | undefined {
    return this.firstSeenFingerprint(referenceFingerprint(reference), place);
  }

  /**
   * The same, for a reference given by its fingerprint (worked out by a
   * worker thread). A place is a whole number below 2³². The full tables
   * are asked, then the one being filled, which adds the reference if it
   * is new; the tables after it are empty.
   */
  firstSeenFingerprint(fingerprint: number, place: number): number | undefined {
    const { tables, places } = this;
    for (let i = 0; i < this.filling; i++) {
      const found = (tables[i] as FingerprintTable).findPlace(fingerprint, places) ?? this.overflowPlace(i, fingerprint);
      if (found !== undefined) return found;
    }
    if (this.filling === tables.length) tables.push(new FingerprintTable(this.nextCapacity()));
    const overflowed = this.overflowPlace(this.filling, fingerprint);
    if (overflowed !== undefined) return overflowed;
    const table = tables[this.filling] as FingerprintTable;
    const found = table.findOrAdd(fingerprint, places, place);
    if (typeof found === 'number') return found;
    if (found) {
      const key = overflowKey(this.filling, found.home, found.stored);
      const blocks = this.overflow.get(key);
      if (blocks) blocks.push(found.block);
      else this.overflow.set(key, [found.block]);
    }
    if (table.room < 1) this.filling++;
    return undefined;
  }

  /** Closes the scratch file of places, if there is one. */
  release(): void {
    this.places.release();
  }

  /** Where an entry table `table` could not keep was first seen; there are such entries only for references chosen to collide. */
  private overflowPlace(table: number, fingerprint: number): number | undefined {
    if (this.overflow.size === 0) return undefined;
    const blocks = this.overflow.get(overflowKey(table, (this.tables[table] as FingerprintTable).home(fingerprint), storedBits(fingerprint)));
    for (const block of blocks ?? []) {
      const place = this.places.find(fingerprint, block);
      if (place !== undefined) return place;
    }
    return undefined;
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

/** The low 16 bits of a fingerprint: `&` takes a number modulo 2³² first, without a floating-point division. */
function storedBits(fingerprint: number): number {
  return fingerprint & 0xffff;
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
