import { open } from 'node:fs/promises';

/** A piece of a CSV file that starts at the beginning of a record. */
export interface RecordChunk {
  bytes: Uint8Array;
  /**
   * Whether the chunk ends where a record does. Only a run of bytes with no
   * line break outside quotes for far longer than any record may be does not,
   * and reading it then stops at the record-size limit.
   */
  endsRecord: boolean;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Where the last complete record in `bytes[0, length)` ends, given that
 * `bytes` starts at a record boundary; 0 when no record ends in it. Quotes
 * are counted to tell a line break between records from one inside a quoted
 * cell. A CR right at the end is not taken: an LF may follow in the next read.
 *
 * Works on bytes in UTF-8 and Windows-1252, where a quote or line-break byte
 * is always that character and never part of another.
 */
export function lastRecordEnd(bytes: Uint8Array, length: number): number {
  let quoted = false;
  let end = 0;
  for (let i = 0; i < length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) quoted = !quoted;
    else if (!quoted && (byte === LF || (byte === CR && i + 1 < length && bytes[i + 1] !== LF))) end = i + 1;
  }
  return end;
}

/**
 * Reads a CSV file in pieces of about `chunkBytes`, each ending at a record
 * boundary, for worker threads to parse independently. Memory stays at a
 * few chunks whatever the size of the file: a run with no record boundary is
 * let go once it is longer than `longestRecordBytes`, which no valid record
 * is, so that the reader can report it.
 */
export async function* recordChunks(path: string, chunkBytes: number, longestRecordBytes: number): AsyncGenerator<RecordChunk> {
  const handle = await open(path, 'r');
  try {
    let carry = new Uint8Array(0);
    for (;;) {
      // A fresh buffer each time: the chunk's memory is handed over to a worker, not copied.
      const buffer = new Uint8Array(carry.length + chunkBytes);
      buffer.set(carry);
      const { bytesRead } = await handle.read(buffer, carry.length, chunkBytes, null);
      const filled = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield { bytes: buffer.subarray(0, filled), endsRecord: true };
        return;
      }
      const end = lastRecordEnd(buffer, filled);
      if (end === 0 && filled <= longestRecordBytes) {
        carry = buffer.subarray(0, filled);
        continue;
      }
      const cut = end === 0 ? filled : end;
      carry = buffer.slice(cut, filled);
      yield { bytes: buffer.subarray(0, cut), endsRecord: end !== 0 };
    }
  } finally {
    await handle.close();
  }
}
