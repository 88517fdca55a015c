import type { CaseResult } from '../scoring/outcome.js';
import { csvLine } from './csv-cell.js';

export const CASE_FORMATS = ['csv', 'json', 'jsonl'] as const;
export type CaseFormat = (typeof CASE_FORMATS)[number];

/** Writes graded cases one at a time, so a large export never sits in memory. */
export interface CaseWriter {
  start(): string;
  write(result: CaseResult): string;
  end(): string;
}

export function caseWriter(format: CaseFormat): CaseWriter {
  switch (format) {
    case 'csv':
      return {
        start: () => csvLine(['id', 'area', 'grade', 'computed_grade', 'not_met']),
        write: (r) => csvLine([r.id, r.area, r.grade, r.computed_grade ?? '', r.not_met.join(';')]),
        end: () => '',
      };
    case 'jsonl':
      return { start: () => '', write: (r) => `${JSON.stringify(r)}\n`, end: () => '' };
    case 'json': {
      let first = true;
      return {
        start: () => '[',
        write: (r) => {
          const text = `${first ? '\n' : ',\n'}  ${JSON.stringify(r)}`;
          first = false;
          return text;
        },
        end: () => (first ? ']\n' : '\n]\n'),
      };
    }
  }
}
