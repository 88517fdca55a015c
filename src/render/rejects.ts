import type { CellProblem } from '../output-schemas.js';
import { csvWriter, jsonArrayWriter, type RecordWriter } from './record-writer.js';

export const REJECT_FORMATS = ['csv', 'json'] as const;
export type RejectFormat = (typeof REJECT_FORMATS)[number];

/** For --rejects-out: every unreadable cell as it is found, however many there are. */
export function rejectWriter(format: RejectFormat): RecordWriter<CellProblem> {
  switch (format) {
    case 'csv':
      return csvWriter(['file', 'row', 'column', 'value', 'reason'], (r) => [r.file, r.row, r.column, r.value, r.reason]);
    case 'json':
      return jsonArrayWriter();
  }
}
