import { coerceRow, type CaseRecord, type CellProblem } from './cases/coerce.js';
import { planColumns } from './cases/columns.js';
import type { CsvInput } from './cases/read-csv.js';
import type { CompiledRubric } from './rubric/compile.js';
import { evaluateCase } from './scoring/evaluate.js';
import { gradeCase } from './scoring/grade.js';
import type { CaseResult, CriterionOutcome } from './scoring/outcome.js';
import type { Grouping } from './summary/group.js';
import { addCase, addRejectedRow, emptySummary, rubricInfo, type Summary } from './summary/summary.js';

export interface ScoreOptions {
  asOf: Date;
  grouping?: Grouping;
  /** Called for every scored case, in input order (for --cases-out and explain). */
  onCase?: (result: CaseResult, outcomes: CriterionOutcome[], record: CaseRecord) => void;
  /** Called for every rejected row, in input order. */
  onReject?: (problems: CellProblem[]) => void;
}

/** read → coerce → evaluate → roll up → summarise, one case at a time. */
export async function scoreInputs(rubric: CompiledRubric, files: string[], open: (file: string) => Promise<CsvInput>, options: ScoreOptions): Promise<Summary> {
  const summary = emptySummary(rubricInfo(rubric), {
    asOf: options.asOf.toISOString().slice(0, 10),
    files,
    ...(options.grouping ? { groupBy: options.grouping.name } : {}),
  });
  const firstSeen = new Map<string, { file: string; row: number }>();
  const reject = (problems: CellProblem[]) => {
    addRejectedRow(summary, problems);
    options.onReject?.(problems);
  };

  for (const file of files) {
    const input = await open(file);
    const plan = planColumns(file, input.header, rubric.fields);
    for await (const raw of input.rows) {
      const coerced = coerceRow(file, raw, input.header, plan, rubric);
      if (!coerced.ok) {
        reject(coerced.problems);
        continue;
      }
      const record = coerced.record;
      const earlier = firstSeen.get(record.id);
      if (earlier) {
        const where = earlier.file === file ? `row ${earlier.row}` : `${earlier.file} row ${earlier.row}`;
        const idColumn = input.header[plan[rubric.fields.findIndex((f) => f.name === rubric.idField)] ?? -1] ?? rubric.idField;
        reject([{ file, row: raw.row, column: idColumn, value: record.id, reason: `the same case reference is already at ${where}; this row is not scored` }]);
        continue;
      }
      firstSeen.set(record.id, { file, row: raw.row });

      const outcomes = evaluateCase(rubric, record, options.asOf);
      const grade = gradeCase(rubric, outcomes);
      addCase(summary, record.area, grade, outcomes, options.grouping?.key(record));
      options.onCase?.({ id: record.id, area: record.area, grade, not_met: outcomes.filter((o) => o.outcome === 'not-met').map((o) => o.id) }, outcomes, record);
    }
  }
  return summary;
}
