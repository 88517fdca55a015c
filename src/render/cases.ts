import type { CaseResult } from '../scoring/outcome.js';
import { csvWriter, jsonArrayWriter, jsonLinesWriter, type RecordWriter } from './record-writer.js';

export const CASE_FORMATS = ['csv', 'json', 'jsonl'] as const;
export type CaseFormat = (typeof CASE_FORMATS)[number];

/** For --cases-out: each graded case as it is counted. */
export function caseWriter(format: CaseFormat): RecordWriter<CaseResult> {
  switch (format) {
    case 'csv':
      return csvWriter(['id', 'area', 'grade', 'computed_grade', 'not_met'], (r) => [r.id, r.area, r.grade, r.computed_grade ?? '', r.not_met.join(';')]);
    case 'jsonl':
      return jsonLinesWriter();
    case 'json':
      return jsonArrayWriter();
  }
}
