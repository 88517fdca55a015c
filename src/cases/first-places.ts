import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where each case reference was first seen, by its fingerprint, kept in a
 * scratch file rather than in memory: a place is asked for only when a
 * reference repeats, which few rows do, so a run need not hold four bytes
 * a case for it. Memory stays about the same however long the export.
 *
 * The fingerprints are spread over buckets by their high bits. A bucket
 * gathers its newest entries in memory; when it has a block's worth, the
 * block joins the others in the order they fill, a few hundred at a time
 * on disk, and the bucket notes the block's number. An entry's block is
 * known when it is added (the bucket's next), so the table of references
 * keeps its number within the bucket (`BLOCK_NUMBERS` of them, counted
 * round), and finding a place reads that one block: a repeat costs the same
 * however far back its first row is.
 *
 * The file holds fingerprints and row numbers, never a reference itself; it
 * is readable by this user only, and deleted as soon as it is opened where
 * the system allows (Linux, macOS), so it is gone when the run ends, even a
 * run that is killed. A run of fewer than about 110,000 cases never makes it.
 */
const BUCKETS = 4096;
const PER_BLOCK = 32;
/** A block: PER_BLOCK fingerprints, then their places. */
const BLOCK_BYTES = PER_BLOCK * 8 + PER_BLOCK * 4;
const BLOCKS_PER_WRITE = 640;
const FINGERPRINT_RANGE = 2 ** 53;
/** How many block numbers within a bucket the table tells apart: a byte of its slot. Beyond, the blocks whose numbers agree modulo this are all read. */
const BLOCK_NUMBERS = 256;

/** The scratch file could not be made, written or read (a full disk, say). */
export class ScratchFileError extends Error {}

export class FirstPlaces {
  private readonly newestFingerprints = new Float64Array(BUCKETS * PER_BLOCK);
  private readonly newestPlaces = new Uint32Array(BUCKETS * PER_BLOCK);
  private readonly newestCounts = new Uint8Array(BUCKETS);
  /** Each bucket's blocks, by their number in the whole file (`blocks` counts them all). */
  private readonly blocksOf: number[][] = Array.from({ length: BUCKETS }, () => []);
  /** Each bucket's number of blocks, modulo BLOCK_NUMBERS (a byte counts round by itself): kept apart from blocksOf to be read without following a pointer. */
  private readonly nextBlockNumbers = new Uint8Array(BUCKETS);
  private blocks = 0;
  /** Blocks not yet written, which follow the `writtenBlocks` of the file. */
  private readonly unwritten = new ArrayBuffer(BLOCK_BYTES * BLOCKS_PER_WRITE);
  private readonly unwrittenFingerprints = new Float64Array(this.unwritten);
  private readonly unwrittenPlaces = new Uint32Array(this.unwritten);
  private writtenBlocks = 0;
  private file: { fd: number; path?: string } | undefined;
  /** A block read back, and which, if it came from the file: blocks there never change, so a reference repeated on many rows is read once. */
  private readonly block = new ArrayBuffer(BLOCK_BYTES);
  private blockFromFile = -1;
  private readonly blockBytes = new Uint8Array(this.block);
  private readonly blockFingerprints = new Float64Array(this.block, 0, PER_BLOCK);
  private readonly blockPlaces = new Uint32Array(this.block, PER_BLOCK * 8, PER_BLOCK);

  /** Records where a fingerprint not recorded before was first seen; returns its block's number within its bucket, modulo BLOCK_NUMBERS, for find. */
  add(fingerprint: number, place: number): number {
    const bucket = bucketOf(fingerprint);
    if (this.newestCounts[bucket] === PER_BLOCK) this.moveToBlock(bucket);
    const count = this.newestCounts[bucket] as number;
    this.newestFingerprints[bucket * PER_BLOCK + count] = fingerprint;
    this.newestPlaces[bucket * PER_BLOCK + count] = place;
    this.newestCounts[bucket] = count + 1;
    return this.nextBlockNumbers[bucket] as number;
  }

  /** Where the fingerprint was first seen, if it was recorded with this block number (add's answer). */
  find(fingerprint: number, blockNumber: number): number | undefined {
    const bucket = bucketOf(fingerprint);
    const blocks = this.blocksOf[bucket] as number[];
    if (this.nextBlockNumbers[bucket] === blockNumber) {
      const first = bucket * PER_BLOCK;
      for (let at = first; at < first + (this.newestCounts[bucket] as number); at++) {
        if (this.newestFingerprints[at] === fingerprint) return this.newestPlaces[at];
      }
    }
    for (let i = blockNumber; i < blocks.length; i += BLOCK_NUMBERS) {
      this.readBlock(blocks[i] as number);
      for (let j = 0; j < PER_BLOCK; j++) if (this.blockFingerprints[j] === fingerprint) return this.blockPlaces[j];
    }
    return undefined;
  }

  /** Closes the scratch file, if one was made; never throws, since it is called as a run ends, perhaps on another error. */
  release(): void {
    const { file } = this;
    this.file = undefined;
    if (!file) return;
    try {
      closeSync(file.fd);
      if (file.path) unlinkSync(file.path);
    } catch {
      // Nothing more can be done about a file that will not close; the data it held was never a reference.
    }
  }

  private moveToBlock(bucket: number): void {
    const at = this.blocks - this.writtenBlocks;
    const first = bucket * PER_BLOCK;
    const fingerprintsAt = (at * BLOCK_BYTES) / 8;
    const placesAt = (at * BLOCK_BYTES + PER_BLOCK * 8) / 4;
    for (let i = 0; i < PER_BLOCK; i++) {
      this.unwrittenFingerprints[fingerprintsAt + i] = this.newestFingerprints[first + i] as number;
      this.unwrittenPlaces[placesAt + i] = this.newestPlaces[first + i] as number;
    }
    (this.blocksOf[bucket] as number[]).push(this.blocks++);
    this.nextBlockNumbers[bucket] = (this.nextBlockNumbers[bucket] as number) + 1;
    this.newestCounts[bucket] = 0;
    if (this.blocks - this.writtenBlocks === BLOCKS_PER_WRITE) this.writeOut();
  }

  private writeOut(): void {
    const file = (this.file ??= openScratchFile());
    const bytes = new Uint8Array(this.unwritten);
    const position = this.writtenBlocks * BLOCK_BYTES;
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(file.fd, bytes, done, bytes.length - done, position + done);
    } catch (error) {
      throw scratchFileError('write', error);
    }
    this.writtenBlocks = this.blocks;
  }

  private readBlock(block: number): void {
    if (block >= this.writtenBlocks) {
      this.blockBytes.set(new Uint8Array(this.unwritten, (block - this.writtenBlocks) * BLOCK_BYTES, BLOCK_BYTES));
      this.blockFromFile = -1;
      return;
    }
    if (block === this.blockFromFile) return;
    this.blockFromFile = -1;
    const { fd } = this.file as { fd: number };
    const position = block * BLOCK_BYTES;
    try {
      for (let done = 0; done < BLOCK_BYTES; ) {
        const read = readSync(fd, this.blockBytes, done, BLOCK_BYTES - done, position + done);
        if (read === 0) throw new Error(`it ended at ${position + done} bytes`);
        done += read;
      }
    } catch (error) {
      throw scratchFileError('read back', error);
    }
    this.blockFromFile = block;
  }
}

function bucketOf(fingerprint: number): number {
  return Math.floor((fingerprint / FINGERPRINT_RANGE) * BUCKETS);
}

/** Opened, then deleted at once where the system allows it (the open file lives on until closed). */
function openScratchFile(): { fd: number; path?: string } {
  const path = join(tmpdir(), `audit-references-${randomUUID()}.tmp`);
  let fd: number;
  try {
    fd = openSync(path, 'wx+', 0o600);
  } catch (error) {
    throw scratchFileError('write', error);
  }
  try {
    unlinkSync(path);
    return { fd };
  } catch {
    return { fd, path };
  }
}

function scratchFileError(doing: 'write' | 'read back', error: unknown): ScratchFileError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new ScratchFileError(
    `cannot ${doing} a scratch file in ${tmpdir()} (${reason}); for a long export, audit keeps there the row where each case reference was first seen. Set TMPDIR to a writable folder with room and run again.`,
  );
}
