import type { CaseRecord, FieldValue } from '../cases/coerce.js';
import type { CompiledRubric } from '../rubric/compile.js';
import { periodOf, type PeriodKind } from './periods.js';
import { NOT_RECORDED_GROUP } from './summary.js';

/** What a grouping is made from: enough for a worker thread to make the same one (a function cannot be sent to a thread). */
export interface GroupingSpec {
  by?: string;
  period?: PeriodKind;
}

/** How `--by` splits cases: by a declared field, or by `month` of the rubric's case date. */
export interface Grouping {
  name: string;
  key(record: CaseRecord): string;
  spec: GroupingSpec;
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
  if (field) {
    const slot = rubric.fields.indexOf(field);
    return { name: by, key: (record) => display(record.slots[slot] ?? null, field.type === 'date'), spec: { by } };
  }
  if (by === 'month' || by === 'quarter') {
    const dateField = rubric.dateField;
    if (!dateField) throw new GroupingError(`--by ${by} needs the rubric to name its case date (case.date); ${rubric.id} does not`);
    const slot = rubric.fields.findIndex((f) => f.name === dateField);
    return {
      name: by,
      key: (record) => {
        const value = record.slots[slot];
        return value instanceof Date ? periodOf(value, by) : NOT_RECORDED_GROUP;
      },
      spec: { by },
    };
  }
  const choices = [...rubric.fields.map((f) => f.name), ...(rubric.dateField ? ['month', 'quarter'] : [])];
  throw new GroupingError(`--by ${by}: no such field in rubric ${rubric.id}; choose one of: ${choices.join(', ')}`);
}
