import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where each case reference was first seen, by its fingerprint, kept in a
 * scratch file rather than in memory: a place is asked for only when a
 * reference repeats, which few rows do, so a run need not hold four bytes
 * a case for it. Memory stays the same however long the export.
 *
 * The fingerprints are spread over buckets by their high bits. A bucket
 * gathers its newest entries in memory; when it has a block's worth, the
 * block goes to the file, linked to the bucket's block before it. Blocks
 * reach the disk a few hundred at a time. A place is found by looking
 * through the bucket's entries in memory, then its blocks, newest first.
 *
 * The file holds fingerprints and row numbers, never a reference itself; it
 * is readable by this user only, and deleted as soon as it is opened, so it
 * is gone when the run ends, even a run that is killed. A run of fewer than
 * about 110,000 cases never makes it.
 */
const BUCKETS = 4096;
const PER_BLOCK = 32;
/** A block: the offset of its bucket's block before it (-1 for none), then PER_BLOCK fingerprints, then their places. */
const BLOCK_BYTES = 8 + PER_BLOCK * 8 + PER_BLOCK * 4;
const PLACES_AT = 8 + PER_BLOCK * 8;
const BLOCKS_PER_WRITE = 640;
const FINGERPRINT_RANGE = 2 ** 53;

/** The scratch file could not be made or written (a full disk, say). */
export class ScratchFileError extends Error {}

export class FirstPlaces {
  private readonly newestFingerprints = new Float64Array(BUCKETS * PER_BLOCK);
  private readonly newestPlaces = new Uint32Array(BUCKETS * PER_BLOCK);
  private readonly newestCounts = new Uint8Array(BUCKETS);
  /** The offset of each bucket's latest block, in the file or past its end in `unwritten`. */
  private readonly lastBlock = new Float64Array(BUCKETS).fill(-1);
  /** Blocks not yet written, which follow the `written` bytes of the file. */
  private readonly unwritten = new ArrayBuffer(BLOCK_BYTES * BLOCKS_PER_WRITE);
  private readonly unwrittenFloats = new Float64Array(this.unwritten);
  private readonly unwrittenPlaces = new Uint32Array(this.unwritten);
  private unwrittenBlocks = 0;
  private written = 0;
  private file: { fd: number; path?: string } | undefined;
  /** A block read back. */
  private readonly block = new ArrayBuffer(BLOCK_BYTES);
  private readonly blockBytes = new Uint8Array(this.block);
  private readonly blockFloats = new Float64Array(this.block);
  private readonly blockPlaces = new Uint32Array(this.block, PLACES_AT, PER_BLOCK);

  /** Records where a fingerprint not recorded before was first seen. */
  add(fingerprint: number, place: number): void {
    const bucket = bucketOf(fingerprint);
    if (this.newestCounts[bucket] === PER_BLOCK) this.moveToBlock(bucket);
    const count = this.newestCounts[bucket] as number;
    this.newestFingerprints[bucket * PER_BLOCK + count] = fingerprint;
    this.newestPlaces[bucket * PER_BLOCK + count] = place;
    this.newestCounts[bucket] = count + 1;
  }

  /** Where the fingerprint was first seen, if it was recorded. */
  find(fingerprint: number): number | undefined {
    const bucket = bucketOf(fingerprint);
    const first = bucket * PER_BLOCK;
    for (let at = first; at < first + (this.newestCounts[bucket] as number); at++) {
      if (this.newestFingerprints[at] === fingerprint) return this.newestPlaces[at];
    }
    for (let offset = this.lastBlock[bucket] as number; offset >= 0; offset = this.blockFloats[0] as number) {
      this.readBlock(offset);
      for (let i = 0; i < PER_BLOCK; i++) if (this.blockFloats[1 + i] === fingerprint) return this.blockPlaces[i];
    }
    return undefined;
  }

  /** Closes the scratch file, if one was made. */
  release(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    if (this.file.path) unlinkSync(this.file.path);
    this.file = undefined;
  }

  private moveToBlock(bucket: number): void {
    const floats = (this.unwrittenBlocks * BLOCK_BYTES) / 8;
    const first = bucket * PER_BLOCK;
    this.unwrittenFloats[floats] = this.lastBlock[bucket] as number;
    this.unwrittenFloats.set(this.newestFingerprints.subarray(first, first + PER_BLOCK), floats + 1);
    this.unwrittenPlaces.set(this.newestPlaces.subarray(first, first + PER_BLOCK), (this.unwrittenBlocks * BLOCK_BYTES + PLACES_AT) / 4);
    this.lastBlock[bucket] = this.written + this.unwrittenBlocks * BLOCK_BYTES;
    this.newestCounts[bucket] = 0;
    if (++this.unwrittenBlocks === BLOCKS_PER_WRITE) this.writeOut();
  }

  private writeOut(): void {
    const file = (this.file ??= openScratchFile());
    const bytes = new Uint8Array(this.unwritten);
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(file.fd, bytes, done, bytes.length - done, this.written + done);
    } catch (error) {
      throw scratchFileError(error);
    }
    this.written += bytes.length;
    this.unwrittenBlocks = 0;
  }

  private readBlock(offset: number): void {
    if (offset >= this.written) {
      this.blockBytes.set(new Uint8Array(this.unwritten, offset - this.written, BLOCK_BYTES));
      return;
    }
    const { fd } = this.file as { fd: number };
    for (let done = 0; done < BLOCK_BYTES; ) {
      const read = readSync(fd, this.blockBytes, done, BLOCK_BYTES - done, offset + done);
      if (read === 0) throw new Error(`the scratch file of case references ended at ${offset + done} bytes`);
      done += read;
    }
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
    throw scratchFileError(error);
  }
  try {
    unlinkSync(path);
    return { fd };
  } catch {
    return { fd, path };
  }
}

function scratchFileError(error: unknown): ScratchFileError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new ScratchFileError(
    `cannot write a scratch file in ${tmpdir()} (${reason}); for a long export, audit keeps there the row where each case reference was first seen. Set TMPDIR to a folder with room and run again.`,
  );
}
