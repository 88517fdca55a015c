import { RowReader, type CaseRecord, type CellProblem } from '../cases/coerce.js';
import { normaliseHeader, planColumns } from '../cases/columns.js';
import { REPEATED_HEADER } from '../cases/reasons.js';
import { asciiCodesOf, cellSpan, type RecordBatch } from '../cases/record-batch.js';
import type { CompiledRubric } from '../rubric/compile.js';
import type { Grade } from '../rubric/schema.js';
import type { Grouping } from '../summary/group.js';
import { evaluateCase } from './evaluate.js';
import { finalGrade, gradeCase } from './grade.js';
import type { CriterionOutcome } from './outcome.js';

/** What one row of an export comes to, before repeated case references are looked for (that needs every earlier row). */
export type RowVerdict =
  | { kind: 'rejected'; problems: CellProblem[] }
  | { kind: 'scored'; record: CaseRecord; outcomes: CriterionOutcome[]; computed: Grade; grade: Grade; group: string | undefined };

export interface ScorerOptions {
  asOf: Date;
  grouping?: Grouping;
  /** Replaces every case reference (--redact) before anything else sees it. */
  redact?: (id: string) => string;
  /**
   * Whether each verdict is done with before the next row is scored, as when
   * it is counted at once: its values and outcomes are then held in arrays
   * used again for the next row, rather than made afresh for each.
   */
  transient?: boolean;
}

/**
 * Scores the rows of one export: read → coerce → evaluate → grade. The same
 * code runs on the main thread and in the worker threads of a parallel run,
 * so both give the same verdict on every row.
 */
export class CaseScorer {
  private readonly reader: RowReader;
  private readonly normalisedHeader: string[];
  private readonly firstHeading: string;
  /** The first heading's codes (RecordBatch.codes), when it is all ASCII. */
  private readonly firstHeadingCodes: Uint8Array | undefined;
  /** Where the first cell of the record being looked at lies. */
  private readonly span = cellSpan();
  private readonly idSlot: number;
  /** Outcomes of the row being scored, when verdicts are transient. */
  private readonly outcomes: CriterionOutcome[] | undefined;
  /** Header text of the case reference's column: its values in a reject are redacted too. */
  readonly idColumn: string;

  constructor(
    private readonly file: string,
    private readonly header: string[],
    private readonly rubric: CompiledRubric,
    private readonly options: ScorerOptions,
  ) {
    const plan = planColumns(file, header, rubric.fields);
    this.reader = new RowReader(file, header, plan, rubric);
    this.normalisedHeader = header.map(normaliseHeader);
    this.firstHeading = header[0]?.trim() ?? '';
    this.firstHeadingCodes = asciiCodesOf(this.firstHeading);
    this.idSlot = rubric.fields.findIndex((f) => f.name === rubric.idField);
    this.idColumn = header[plan[this.idSlot] ?? -1] ?? rubric.idField;
    this.outcomes = options.transient ? new Array<CriterionOutcome>(rubric.criteria.length) : undefined;
  }

  /** Record `index` of the batch, which is not blank. */
  score(batch: RecordBatch, index: number): RowVerdict {
    if (this.repeatsHeader(batch, index)) {
      return { kind: 'rejected', problems: [{ file: this.file, row: batch.row(index), column: '', value: '', reason: REPEATED_HEADER }] };
    }
    const coerced = this.reader.read(batch, index, this.options.transient === true);
    const { redact, asOf, grouping } = this.options;
    if (!coerced.ok) {
      const problems = redact ? coerced.problems.map((p) => (p.column === this.idColumn && p.value !== '' ? { ...p, value: redact(p.value) } : p)) : coerced.problems;
      return { kind: 'rejected', problems };
    }
    const record = redact ? coerced.record.withId(redact(coerced.record.id), this.idSlot) : coerced.record;
    const outcomes = evaluateCase(this.rubric, record, asOf, this.outcomes);
    const computed = gradeCase(this.rubric, outcomes);
    return { kind: 'scored', record, outcomes, computed, grade: finalGrade(this.rubric, record, computed), group: grouping?.key((slot) => record.valueAt(slot)) };
  }

  /** Whether the record has as many cells as the header and is not the header again: only such a record can be read with others in columns (ChunkScorer). */
  isOrdinary(batch: RecordBatch, record: number): boolean {
    return batch.cellCount(record) === this.header.length && !this.repeatsHeader(batch, record);
  }

  private repeatsHeader(batch: RecordBatch, record: number): boolean {
    // Cheap test first, in place in the text: this runs on every row.
    if (batch.cellCount(record) !== this.header.length || !this.startsLikeHeader(batch, record)) return false;
    return batch.cells(record).every((cell, i) => normaliseHeader(cell) === this.normalisedHeader[i]);
  }

  private startsLikeHeader(batch: RecordBatch, record: number): boolean {
    const { span, firstHeading, firstHeadingCodes } = this;
    const ascii = batch.locateCodes(record, 0, span);
    const { start, end } = span;
    if (end - start !== firstHeading.length) return false;
    if (!ascii || !firstHeadingCodes) return span.text.startsWith(firstHeading, start);
    // From the codes, which leaves a worker's chunk undecoded (LazyText): this runs on every row.
    const { codes } = batch;
    for (let i = 0; i < firstHeadingCodes.length; i++) if (codes[start + i] !== firstHeadingCodes[i]) return false;
    return true;
  }
}
