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
  return (await lineBreaksInARowBeforeData(path)) && quoteAwareScan(path);
}

const isLineBreak = (byte: number | undefined) => byte === LF || byte === CR;

/**
 * Whether two line breaks in a row (LF LF, CR CR or LF CR: every way a blank
 * line can be written) come anywhere before the file's last data, quotes or
 * not: most exports have none, and native searches find that out many times
 * faster than a loop over every byte. Where this is true, the quote-aware
 * scan decides.
 */
async function lineBreaksInARowBeforeData(path: string): Promise<boolean> {
  let pending = false;
  // The file starts at a line start: a line break first is a blank line.
  let previous: number | undefined = LF;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const boundary = isLineBreak(previous) && isLineBreak(chunk[0]) && !(previous === CR && chunk[0] === LF) ? 0 : -1;
    const found = [boundary, chunk.indexOf('\n\n'), chunk.indexOf('\r\r'), chunk.indexOf('\n\r')].filter((i) => i >= 0);
    const from = pending ? 0 : found.length > 0 ? Math.min(...found) : -1;
    if (from >= 0) {
      for (let i = from; i < chunk.length; i++) if (!isLineBreak(chunk[i])) return true;
      pending = true;
    }
    previous = chunk[chunk.length - 1];
  }
  return false;
}

async function quoteAwareScan(path: string): Promise<boolean> {
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
