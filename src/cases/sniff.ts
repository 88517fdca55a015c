/** What the first bytes of an input say it is. */
export type Sniffed =
  | { kind: 'text'; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'; bomBytes: number }
  | { kind: 'xlsx' }
  | { kind: 'parquet' }
  | { kind: 'binary' };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const PARQUET = [0x50, 0x41, 0x52, 0x31];

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/**
 * Recognises the encodings case-management systems and Excel write: UTF-8
 * with or without a byte-order mark, UTF-16 with one (Excel's "Unicode
 * text"), and Windows-1252 (Excel's "CSV (Comma delimited)" in the UK), which
 * is what text that is not valid UTF-8 almost always is. A workbook (a zip),
 * a Parquet file (when `parquet`: the caller has seen its closing mark too)
 * and other binary data are told apart from text.
 */
export function sniff(head: Uint8Array, options: { parquet: boolean } = { parquet: true }): Sniffed {
  if (startsWith(head, ZIP)) return { kind: 'xlsx' };
  if (options.parquet && startsWith(head, PARQUET)) return { kind: 'parquet' };
  if (startsWith(head, [0xff, 0xfe])) return { kind: 'text', encoding: 'utf-16le', bomBytes: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { kind: 'text', encoding: 'utf-16be', bomBytes: 2 };
  const bomBytes = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  if (head.includes(0)) return { kind: 'binary' };
  try {
    // `stream: true` lets the sample end in the middle of a character.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(bomBytes), { stream: true });
    return { kind: 'text', encoding: 'utf-8', bomBytes };
  } catch {
    return { kind: 'text', encoding: 'windows-1252', bomBytes: 0 };
  }
}

/**
 * The text of a whole run of bytes in an encoding. Windows-1252 is decoded
 * as a stream and then ended: given all its input at once, Node 20's
 * TextDecoder reads Windows-1252 as Latin-1, so that the bytes 0x80–0x9F
 * (Excel's dashes, curly quotes and euro sign) become control characters,
 * while decoding as a stream maps them as the encoding says.
 */
export function decodeWhole(bytes: Uint8Array, encoding: string, options?: TextDecoderOptions): string {
  const decoder = new TextDecoder(encoding, options);
  return encoding === 'utf-8' ? decoder.decode(bytes) : decoder.decode(bytes, { stream: true }) + decoder.decode();
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter that occurs most often, outside quotes, in the header line. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

/** Why text that decodes cleanly is still not a CSV export, if it plainly is not. */
export function notCsvReason(text: string): string | undefined {
  const first = text.trimStart().charAt(0);
  if (first === '<') return "it starts with '<', like a web page or XML file";
  if (first === '{' || first === '[') return `it starts with '${first}', like a JSON file`;
  return undefined;
}
