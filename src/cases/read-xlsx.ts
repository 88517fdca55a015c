import { InputError } from './errors.js';
import type { CaseInput } from './input.js';
import { RecordBatch } from './record-batch.js';

type CellValue = unknown;

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A cell as the text an export would hold. Excel keeps dates as serial
 * numbers with a date format; the workbook reader turns those into dates
 * (1900 and 1904 systems alike), written here as ISO dates so the usual
 * reading rules apply.
 */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${two(value.getUTCMonth() + 1)}-${two(value.getUTCDate())}`;
    const [h, m, s] = [value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds()];
    if (h === 0 && m === 0 && s === 0) return date;
    return `${date}T${two(h)}:${two(m)}${s ? `:${two(s)}` : ''}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    const cell = value as { richText?: Array<{ text: string }>; result?: CellValue; text?: string; error?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if (typeof cell.text === 'string') return cell.text;
    if (typeof cell.error === 'string') return cell.error;
  }
  return String(value);
}

/**
 * Rows are handed on in batches of about this many characters: a batch is
 * one text, and the text of a whole worksheet (a workbook stores a repeated
 * cell once, a text holds every copy) could pass the longest string
 * JavaScript allows.
 */
const BATCH_CHARACTERS = 4 * 1024 * 1024;

/** Reads the first worksheet (or the one named) of an .xlsx workbook. */
export async function readXlsx(file: string, bytes: Buffer, sheetName?: string): Promise<Omit<CaseInput, 'bytesRead'>> {
  // exceljs is large; it is loaded only when a workbook is read.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new InputError(`${file}: cannot be read as an Excel workbook (${(error as Error).message.split('\n')[0]})`);
  }
  const names = workbook.worksheets.map((w) => w.name);
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  if (!sheet) {
    throw new InputError(sheetName === undefined ? `${file}: the workbook has no worksheets` : `${file}: no worksheet is called '${sheetName}'; its worksheets are: ${names.join(', ')}`);
  }
  const rows: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as CellValue[];
    // row.values is 1-based: index 0 is always empty.
    rows.push({ row: row.number, cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]).trim()) });
  });
  const nonBlank = rows.filter((r) => r.cells.some((c) => c !== ''));
  const [header, ...data] = nonBlank;
  if (!header) throw new InputError(`${file}: worksheet '${sheet.name}' is empty; expected a header row and case rows`);
  // Trailing empty cells are not stored in a workbook; pad every row to the header's width.
  const width = header.cells.length;
  const padded = data.map((r) => (r.cells.length < width ? [...r.cells, ...Array<string>(width - r.cells.length).fill('')] : r.cells));
  async function* iterate(): AsyncGenerator<RecordBatch> {
    for (let from = 0; from < padded.length; ) {
      let to = from;
      let characters = 0;
      do characters += (padded[to] as string[]).reduce((sum, cell) => sum + cell.length, 0);
      while (++to < padded.length && characters < BATCH_CHARACTERS);
      yield RecordBatch.of(padded.slice(from, to), data.slice(from, to).map((r) => r.row));
      from = to;
    }
  }
  return { file, header: header.cells, batches: iterate(), rows: padded.length };
}
