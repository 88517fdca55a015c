import { RowReader, type CaseRecord, type CellProblem } from './cases/coerce.js';
import { InputError } from './cases/errors.js';
import { SeenReferences } from './cases/seen-references.js';
import type { CaseInput } from './cases/input.js';
import { normaliseHeader, planColumns } from './cases/columns.js';
import type { CompiledRubric } from './rubric/compile.js';
import { evaluateCase } from './scoring/evaluate.js';
import { finalGrade, gradeCase } from './scoring/grade.js';
import type { CaseResult, CriterionOutcome } from './scoring/outcome.js';
import type { Grouping } from './summary/group.js';
import { addCase, addRejectedRow, emptySummary, rubricInfo, type Summary } from './summary/summary.js';

export interface ScoreOptions {
  asOf: Date;
  grouping?: Grouping;
  /** Called for every scored case, in input order (for --cases-out and explain). */
  onCase?: (result: CaseResult, outcomes: CriterionOutcome[], record: CaseRecord) => void;
  /** Called for every rejected row, in input order; may throw to stop the run. */
  onReject?: (problems: CellProblem[]) => void;
  /** Replaces every case reference in the results (--redact); the real one is never passed on. */
  redact?: (id: string) => string;
}

function repeatsHeader(cells: string[], header: string[]): boolean {
  // Cheap test first: this runs on every row.
  if (cells.length !== header.length || cells[0]?.trim() !== header[0]?.trim()) return false;
  return cells.every((cell, i) => normaliseHeader(cell) === normaliseHeader(header[i] ?? ''));
}

/** read → coerce → evaluate → roll up → summarise, one case at a time. */
export async function scoreInputs(rubric: CompiledRubric, files: string[], open: (file: string) => Promise<CaseInput>, options: ScoreOptions): Promise<Summary> {
  const summary = emptySummary(rubricInfo(rubric), {
    asOf: options.asOf.toISOString().slice(0, 10),
    files,
    ...(options.grouping ? { groupBy: options.grouping.name } : {}),
  });
  const redact = options.redact ?? ((id: string) => id);
  // Where each case reference was first seen, as one number: file index × 2³² + row.
  const seen = new SeenReferences();
  const ROW_SPAN = 2 ** 32;

  for (const [fileIndex, path] of files.entries()) {
    const input = await open(path);
    const { file, header } = input;
    const plan = planColumns(file, header, rubric.fields);
    const reader = new RowReader(file, header, plan, rubric);
    const idSlot = rubric.fields.findIndex((f) => f.name === rubric.idField);
    const idColumn = header[plan[idSlot] ?? -1] ?? rubric.idField;
    const reject = (problems: CellProblem[]) => {
      const shown = problems.map((p) => (p.column === idColumn && p.value !== '' ? { ...p, value: redact(p.value) } : p));
      addRejectedRow(summary, shown);
      options.onReject?.(shown);
    };
    for await (const batch of input.batches) {
      for (const raw of batch) {
        if (repeatsHeader(raw.cells, header)) {
          reject([{ file, row: raw.row, column: '', value: '', reason: 'this row repeats the header row (were two exports joined together?)' }]);
          continue;
        }
        const coerced = reader.read(raw);
        if (!coerced.ok) {
          reject(coerced.problems);
          continue;
        }
        const record = options.redact ? coerced.record.withId(redact(coerced.record.id), idSlot) : coerced.record;
        const earlier = seen.firstSeen(record.id, fileIndex * ROW_SPAN + raw.row);
        if (earlier !== undefined) {
          const [earlierFile, earlierRow] = [Math.floor(earlier / ROW_SPAN), earlier % ROW_SPAN];
          const where = earlierFile === fileIndex ? `row ${earlierRow}` : `${files[earlierFile] === '-' ? 'standard input' : files[earlierFile]} row ${earlierRow}`;
          reject([{ file, row: raw.row, column: idColumn, value: coerced.record.id, reason: `the same case reference is already at ${where}; this row is not scored` }]);
          continue;
        }

        const outcomes = evaluateCase(rubric, record, options.asOf);
        const computed = gradeCase(rubric, outcomes);
        const grade = finalGrade(rubric, record, computed);
        const moderated = grade === computed ? undefined : { id: record.id, area: record.area, computed, final: grade };
        addCase(summary, record.area, grade, outcomes, options.grouping?.key(record), moderated);
        if (options.onCase) {
          const notMet = outcomes.filter((o) => o.outcome === 'not-met').map((o) => o.id);
          options.onCase({ id: record.id, area: record.area, grade, ...(moderated ? { computed_grade: computed } : {}), not_met: notMet }, outcomes, record);
        }
      }
    }
  }
  if (summary.rowsRead === 0) {
    throw new InputError(`${files.join(', ')}: ${files.length === 1 ? 'has' : 'have'} a header but no case rows; there is nothing to score`);
  }
  return summary;
}
