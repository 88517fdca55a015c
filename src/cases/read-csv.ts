import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse, CsvError } from 'csv-parse';
import { InputError } from './errors.js';

/** One data row as the export holds it, numbered as a spreadsheet shows it (header = row 1). */
export interface RawRow {
  row: number;
  cells: string[];
}

export interface CsvInput {
  file: string;
  header: string[];
  rows: AsyncIterable<RawRow>;
}

const DELIMITERS = [',', ';', '\t'] as const;
const SNIFF_BYTES = 64 * 1024;
const MAX_FIELD_BYTES = 1_000_000;

/** The delimiter that occurs most often, outside quotes, in the header line. */
export function detectDelimiter(firstChunk: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of firstChunk) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

function unreadable(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${file}: file not found`);
  if (code === 'EISDIR') return new InputError(`${file}: is a folder, not a case-file export`);
  if (code === 'EACCES') return new InputError(`${file}: permission denied`);
  return new InputError(`${file}: cannot be read (${code ?? (error as Error).message})`);
}

async function readStart(file: string): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(file, error);
  }
}

function describeCsvError(file: string, error: CsvError): InputError {
  const nextRow = Number(error['records'] ?? 0) + 1;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new InputError(`${file}: row ${nextRow}: a quoted cell starts here and is never closed, so the rest of the file cannot be read`);
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new InputError(`${file}: row ${nextRow}: a cell is larger than ${MAX_FIELD_BYTES} characters; this is not a case-file export`);
  }
  return new InputError(`${file}: row ${nextRow}: the file is not valid CSV (${error.message.split('\n')[0]})`);
}

function isBlank(cells: string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/**
 * Opens a CSV export: detects the delimiter from the header line, strips a
 * byte-order mark and streams the rows. Blank lines are skipped but still
 * counted, so row numbers match what a spreadsheet shows.
 */
export async function openCsv(file: string): Promise<CsvInput> {
  const start = await readStart(file);
  if (start.replace(/^\uFEFF/, '').trim() === '') throw new InputError(`${file}: the file is empty; expected a header row and case rows`);
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      delimiter: detectDelimiter(start.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      max_record_size: MAX_FIELD_BYTES,
      info: true,
    }),
  );
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { records: number } }>;

  const next = async () => {
    try {
      return await records.next();
    } catch (error) {
      if (error instanceof CsvError) throw describeCsvError(file, error);
      throw unreadable(file, error);
    }
  };

  let first = await next();
  while (!first.done && isBlank(first.value.record)) first = await next();
  if (first.done) throw new InputError(`${file}: the file is empty; expected a header row and case rows`);
  const header = first.value.record;

  async function* rows(): AsyncGenerator<RawRow> {
    for (let item = await next(); !item.done; item = await next()) {
      if (isBlank(item.value.record)) continue;
      yield { row: item.value.info.records, cells: item.value.record };
    }
  }
  return { file, header, rows: rows() };
}
