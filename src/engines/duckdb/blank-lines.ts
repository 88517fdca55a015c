import { createReadStream } from 'node:fs';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Whether a CSV file has an empty line, outside quotes, with more data after
 * it. The JS engine counts such a line as a row (row numbers are those a
 * spreadsheet shows); DuckDB's reader skips it without counting it, so every
 * row number after it would be one too low. An empty line inside a quoted
 * cell (a paragraph break in a note) or at the end of the file changes no
 * row number.
 */
export async function hasInnerBlankLine(path: string): Promise<boolean> {
  let inQuotes = false;
  let atLineStart = true;
  let afterCr = false;
  let blankSeen = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (inQuotes) {
        if (byte === QUOTE) inQuotes = false;
        continue;
      }
      if (byte === LF || byte === CR) {
        // A CR LF pair ends one line, not two.
        if (!(byte === LF && afterCr)) {
          if (atLineStart) blankSeen = true;
          atLineStart = true;
        }
        afterCr = byte === CR;
        continue;
      }
      afterCr = false;
      if (blankSeen) return true;
      atLineStart = false;
      if (byte === QUOTE) inQuotes = true;
    }
  }
  return false;
}
