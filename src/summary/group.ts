import { timestampText, type FieldValue } from '../cases/coerce.js';
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
  /** A case's group, from the values of its fields by slot: a grouping reads one or two of them, and need not have the whole record made. */
  key(valueAt: (slot: number) => FieldValue): string;
  spec: GroupingSpec;
  /** The `--by` value a group key stands for (a report's keys also hold the period), or undefined when there is no --by. */
  byValue(key: string): string | undefined;
}

/**
 * The most values a `--by` breakdown may have. A breakdown is for a field
 * with a few values (teams, forces, months); one by the case reference would
 * print a table for every case, and at 20,000 cases took a gigabyte.
 */
export const MOST_GROUP_VALUES = 1000;

/** Counts the `--by` values met, and stops a breakdown that would have more than MOST_GROUP_VALUES. */
export class GroupValues {
  private readonly values = new Set<string>();

  constructor(
    private readonly grouping: Grouping,
    private readonly files: string[],
  ) {}

  /** Groups met in a chunk of cases. */
  admit(keys: readonly string[]): void {
    for (const key of keys) {
      const value = this.grouping.byValue(key);
      if (value === undefined || this.values.has(value)) continue;
      this.values.add(value);
      if (this.values.size > MOST_GROUP_VALUES) throw this.tooMany();
    }
  }

  private tooMany(): GroupingError {
    return tooManyGroups(this.grouping.spec.by ?? this.grouping.name, this.files);
  }
}

/** A breakdown by a field with more than MOST_GROUP_VALUES values, refused. */
export function tooManyGroups(by: string, files: readonly string[]): GroupingError {
  const dates = by === 'month' || by === 'quarter' ? '' : '; for dates, use --by month or --by quarter';
  return new GroupingError(
    `--by ${by}: more than ${MOST_GROUP_VALUES.toLocaleString('en-GB')} different values in ${files.join(', ')}; a breakdown is for a field with few values, such as team${dates}`,
  );
}

function display(value: FieldValue, dateOnly: boolean): string {
  if (value === null) return NOT_RECORDED_GROUP;
  if (value instanceof Date) return timestampText(value.getTime(), dateOnly ? 'date' : 'datetime');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export class GroupingError extends Error {}

export function grouping(rubric: CompiledRubric, by: string): Grouping {
  const field = rubric.fields.find((f) => f.name === by);
  if (field) {
    const slot = rubric.fields.indexOf(field);
    return { name: by, key: (valueAt) => display(valueAt(slot), field.type === 'date'), spec: { by }, byValue: (key) => key };
  }
  if (by === 'month' || by === 'quarter') {
    const dateField = rubric.dateField;
    if (!dateField) throw new GroupingError(`--by ${by} needs the rubric to name its case date (case.date); ${rubric.id} does not`);
    const slot = rubric.fields.findIndex((f) => f.name === dateField);
    return {
      name: by,
      key: (valueAt) => {
        const value = valueAt(slot);
        return value instanceof Date ? periodOf(value, by) : NOT_RECORDED_GROUP;
      },
      spec: { by },
      byValue: (key) => key,
    };
  }
  const choices = [...rubric.fields.map((f) => f.name), ...(rubric.dateField ? ['month', 'quarter'] : [])];
  throw new GroupingError(`--by ${by}: no such field in rubric ${rubric.id}; choose one of: ${choices.join(', ')}`);
}

/** Joins a report's period and --by value in one group key. */
export const GROUP_SEPARATOR = '\u0000';

/** Groups cases by period and, with --by, by that field's value within the period. */
export function reportGrouping(rubric: CompiledRubric, kind: PeriodKind, by?: string): Grouping {
  if (!rubric.dateField) throw new GroupingError(`a report needs periods, and rubric ${rubric.id} names no case date (case.date) to take them from`);
  const period = grouping(rubric, kind);
  const field = by === undefined ? undefined : grouping(rubric, by);
  return {
    name: kind,
    key: (valueAt) => (field ? `${period.key(valueAt)}${GROUP_SEPARATOR}${field.key(valueAt)}` : period.key(valueAt)),
    spec: { period: kind, ...(by !== undefined ? { by } : {}) },
    byValue: (key) => (field ? key.slice(key.indexOf(GROUP_SEPARATOR) + 1) : undefined),
  };
}

/** The grouping a spec describes (in a worker thread). */
export function groupingOf(rubric: CompiledRubric, spec: GroupingSpec): Grouping | undefined {
  if (spec.period) return reportGrouping(rubric, spec.period, spec.by);
  return spec.by === undefined ? undefined : grouping(rubric, spec.by);
}
