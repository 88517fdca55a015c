import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError } from './errors.js';
import { MAX_COLUMNS, STDIN_NAME, type CaseInput, type ReadOptions } from './input.js';
import { readCsv } from './read-csv.js';
import { isParquetFile, readParquet } from './read-parquet.js';
import { readXlsx } from './read-xlsx.js';
import { decodeWhole, sniff } from './sniff.js';

const SNIFF_BYTES = 64 * 1024;

function unreadable(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${file}: file not found`);
  if (code === 'EISDIR') return new InputError(`${file}: is a folder, not a case-file export`);
  if (code === 'EACCES') return new InputError(`${file}: permission denied`);
  return new InputError(`${file}: cannot be read (${code ?? (error as Error).message})`);
}

/** The first bytes of a stream, and the whole stream again (those bytes included), with read errors as InputErrors. */
async function peek(file: string, stream: Readable): Promise<{ head: Buffer; all: AsyncIterable<Buffer>; close: () => Promise<void>; bytesRead: () => number }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const next = async () => {
    try {
      return await iterator.next();
    } catch (error) {
      throw unreadable(file, error);
    }
  };
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < SNIFF_BYTES) {
    const item = await next();
    if (item.done) {
      ended = true;
      break;
    }
    chunks.push(item.value);
    length += item.value.length;
  }
  const head = Buffer.concat(chunks);
  let bytesRead = 0;
  async function* all(): AsyncGenerator<Buffer> {
    bytesRead = head.length;
    yield head;
    if (ended) return;
    for (let item = await next(); !item.done; item = await next()) {
      bytesRead += item.value.length;
      yield item.value;
    }
  }
  return { head, all: all(), close: async () => void (await iterator.return?.()), bytesRead: () => bytesRead };
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/**
 * Opens an export, whatever it is: CSV in any of the encodings and delimiters
 * records systems write, an .xlsx workbook or a Parquet file (recognised by
 * its content, not its name). `-` reads standard input.
 */
export async function openCases(path: string, options: ReadOptions = {}, stdin: Readable = process.stdin): Promise<CaseInput> {
  const file = path === '-' ? STDIN_NAME : path;
  const { head, all, close, bytesRead } = await peek(file, path === '-' ? stdin : createReadStream(path));
  // A Parquet file also ends with its mark; a CSV file whose first header happens to begin with it does not.
  const kind = sniff(head, { parquet: path === '-' || (await isParquetFile(path)) });
  let input: CaseInput;
  if (kind.kind === 'binary') throw new InputError(`${file}: is not a text file (it contains binary data); export the case file as CSV, .xlsx or Parquet`);
  if (kind.kind === 'parquet') {
    await close();
    if (path === '-') throw new InputError(`${file}: a Parquet export is read from a file: save it to disk and give its name`);
    input = await readParquet(file, path);
  } else if (kind.kind === 'xlsx') input = { ...(await readXlsx(file, await collect(all), options.sheet)), bytesRead };
  else {
    const { delimiter, headerRecord, ...csv } = await readCsv(file, all, kind.encoding, decodeWhole(head, kind.encoding), options.delimiter);
    const splittable = path !== '-' && (kind.encoding === 'utf-8' || kind.encoding === 'windows-1252');
    input = { ...csv, bytesRead, ...(splittable ? { splittable: { path, encoding: kind.encoding, delimiter, headerRecord, bytes: (await stat(path)).size, close } } : {}) };
  }
  if (input.header.length > MAX_COLUMNS) {
    throw new InputError(`${file}: the header has ${input.header.length.toLocaleString('en-GB')} columns; a case-file export has far fewer, so the file cannot be read`);
  }
  return input;
}
