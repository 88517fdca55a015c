import type { CompiledField } from '../rubric/compile.js';
import { InputError } from './errors.js';
import { nearest } from './nearest.js';

/** Header matching ignores case, surrounding spaces, and the difference between space, `_` and `-`. */
export function normaliseHeader(header: string): string {
  return header.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

/** For each rubric field, in rubric order, the index of its column in the export. */
export type ColumnPlan = number[];

export function planColumns(file: string, header: string[], fields: CompiledField[]): ColumnPlan {
  const positions = new Map<string, number[]>();
  header.forEach((text, index) => {
    const key = normaliseHeader(text);
    if (key) positions.set(key, [...(positions.get(key) ?? []), index]);
  });

  const problems: string[] = [];
  let duplicated = false;
  const plan = fields.map((field) => {
    const matches = [...new Set(field.headers.flatMap((h) => positions.get(normaliseHeader(h)) ?? []))];
    if (matches.length > 1) {
      duplicated = true;
      problems.push(`column '${field.headers[0]}' appears more than once (columns ${matches.map((i) => i + 1).join(' and ')})`);
    } else if (matches.length === 0 && !field.optional) {
      const suggestion = nearest(field.headers[0] ?? field.name, header.filter((h) => h.trim() !== ''));
      const accepted = field.headers.length > 1 ? ` (accepted headers: ${field.headers.map((h) => `'${h}'`).join(', ')})` : '';
      problems.push(`column '${field.headers[0]}' not found${accepted}${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
    }
    return matches[0] ?? -1;
  });

  if (problems.length === 1) throw new InputError(`${file}: ${problems[0]}`);
  if (problems.length > 1) {
    const what = duplicated ? 'are missing or appear more than once' : 'are missing';
    throw new InputError(`${file}: ${problems.length} columns the rubric needs ${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return plan;
}
