import type { RecordBatch } from '../src/cases/record-batch.js';
import { compileRubric, type CompiledRubric } from '../src/rubric/compile.js';
import { RubricError, type Diagnostic } from '../src/rubric/diagnostics.js';
import { coerceRow, type CaseRecord } from '../src/cases/coerce.js';
import { planColumns } from '../src/cases/columns.js';
import { evaluateCase } from '../src/scoring/evaluate.js';
import { gradeCase } from '../src/scoring/grade.js';

export function compile(yaml: string, file = 'test.yaml'): CompiledRubric {
  return compileRubric(yaml, file);
}

/** The diagnostics a rubric is refused with (fails the test if it is accepted). */
export function diagnosticsOf(yaml: string): Diagnostic[] {
  try {
    compile(yaml);
  } catch (error) {
    if (error instanceof RubricError) return error.diagnostics;
    throw error;
  }
  throw new Error('expected the rubric to be refused');
}

/** A rubric around some fields and criteria, with the usual case fields. */
export function rubricYaml(fields: string, criteria: string, extra = ''): string {
  return `id: test-rubric
version: 1.0.0
case: { id: ref, area: area }
fields:
  ref: { type: string }
  area: { type: enum, values: [cse, missing, custody] }
${fields}
criteria:
${criteria}
${extra}`;
}

/** One case given as cell texts by field name (fields left out are empty). */
export function record(rubric: CompiledRubric, cells: Record<string, string>): CaseRecord {
  const header = rubric.fields.map((f) => f.name);
  const raw = { row: 2, cells: header.map((name) => cells[name] ?? '') };
  const coerced = coerceRow('test.csv', raw, header, planColumns('test.csv', header, rubric.fields), rubric);
  if (!coerced.ok) throw new Error(coerced.problems.map((p) => `${p.column}: ${p.reason}`).join('; '));
  return coerced.record;
}

export const AS_OF = new Date(Date.UTC(2014, 6, 1));

export function outcomesOf(rubric: CompiledRubric, cells: Record<string, string>) {
  const outcomes = evaluateCase(rubric, record(rubric, cells), AS_OF);
  return { outcomes: Object.fromEntries(outcomes.map((o) => [o.id, o.outcome])), grade: gradeCase(rubric, outcomes), detail: outcomes };
}

/** Every record's cells, as text. */
export function recordsOf(batch: RecordBatch): string[][] {
  return Array.from({ length: batch.count }, (_, r) => batch.cells(r));
}
