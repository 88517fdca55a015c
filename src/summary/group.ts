import type { CaseRecord, FieldValue } from '../cases/coerce.js';
import type { CompiledRubric } from '../rubric/compile.js';
import { periodOf } from './periods.js';
import { NOT_RECORDED_GROUP } from './summary.js';

/** How `--by` splits cases: by a declared field, or by `month` of the rubric's case date. */
export interface Grouping {
  name: string;
  key(record: CaseRecord): string;
}

function display(value: FieldValue, dateOnly: boolean): string {
  if (value === null) return NOT_RECORDED_GROUP;
  if (value instanceof Date) return dateOnly ? value.toISOString().slice(0, 10) : value.toISOString().slice(0, 16).replace('T', ' ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export class GroupingError extends Error {}

export function grouping(rubric: CompiledRubric, by: string): Grouping {
  const field = rubric.fields.find((f) => f.name === by);
  if (field) return { name: by, key: (record) => display(record.values[by] ?? null, field.type === 'date') };
  if (by === 'month' || by === 'quarter') {
    const dateField = rubric.dateField;
    if (!dateField) throw new GroupingError(`--by ${by} needs the rubric to name its case date (case.date); ${rubric.id} does not`);
    return {
      name: by,
      key: (record) => {
        const value = record.values[dateField];
        return value instanceof Date ? periodOf(value, by) : NOT_RECORDED_GROUP;
      },
    };
  }
  const choices = [...rubric.fields.map((f) => f.name), ...(rubric.dateField ? ['month', 'quarter'] : [])];
  throw new GroupingError(`--by ${by}: no such field in rubric ${rubric.id}; choose one of: ${choices.join(', ')}`);
}
