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
 * `bytes` starts at a record boundary; 0 when no record ends in it. A line
 * break ends a record unless it is inside quotes, which the number of quotes
 * before it tells. A CR right at the end is not taken: an LF may follow in
 * the next read.
 *
 * Works on bytes in UTF-8 and Windows-1252, where a quote or line-break byte
 * is always that character and never part of another. Quotes and line
 * breaks are found with indexOf, which is far quicker than looking at every
 * byte in JavaScript: this runs on the thread that hands out the chunks.
 */
export function lastRecordEnd(bytes: Uint8Array, length: number): number {
  const region = bytes.subarray(0, length);
  const quotes: number[] = [];
  for (let at = region.indexOf(QUOTE); at !== -1; at = region.indexOf(QUOTE, at + 1)) quotes.push(at);
  let before = length - 1;
  let quotesBefore = quotes.length;
  while (before >= 0) {
    const lf = region.lastIndexOf(LF, before);
    const cr = region.lastIndexOf(CR, before);
    const lineBreak = Math.max(lf, cr);
    if (lineBreak === -1) return 0;
    if (lineBreak === cr && cr + 1 === length) {
      before = cr - 1;
      continue;
    }
    while (quotesBefore > 0 && (quotes[quotesBefore - 1] as number) > lineBreak) quotesBefore--;
    if (quotesBefore % 2 === 0) return lineBreak + 1;
    // Inside a quoted cell: look before the quote that opened it.
    before = (quotes[quotesBefore - 1] as number) - 1;
  }
  return 0;
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
