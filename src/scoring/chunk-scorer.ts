import { fieldValue, slotText, type FieldValue } from '../cases/coerce.js';
import { planColumns } from '../cases/columns.js';
import { FieldColumns, RECORD } from '../cases/field-columns.js';
import type { CellSpan, RecordBatch } from '../cases/record-batch.js';
import type { CompiledRubric } from '../rubric/compile.js';
import { GRADES } from '../rubric/constants.js';
import { isoDateToTimestamp } from '../rubric/dates.js';
import type { CompiledExpression } from '../rubric/expressions.js';
import { ABSENT, compileVector, FALSE, TRUE, type Vector } from '../rubric/vectors.js';
import type { CaseScorer, ScorerOptions } from './case-scorer.js';
import { limitingJudgement } from './grade.js';
import { OUTCOME_CODE } from './outcome.js';

interface VectorCriterion {
  applies: { run: Vector; fieldSlots: number[] } | undefined;
  check: { run: Vector; fieldSlots: number[] };
  failsWhenMissing: boolean;
  inadequate: boolean;
}

/** In an outcome table: the code depends on whether applies' fields are empty, or check's (above every outcome code). */
const WHEN_APPLIES_EMPTY = 254;
const WHEN_CHECK_EMPTY = 255;

/**
 * A criterion's outcome code by what its `applies` and `check` came to
 * (FALSE, TRUE or ABSENT each), as CaseScorer decides it: not applicable when
 * it does not apply; met or not met by the check; and, where either is
 * ABSENT, decided by whether the fields are empty (WHEN_…_EMPTY). At
 * `applies << 2 | check`.
 */
const OUTCOMES = ((): Uint8Array => {
  const table = new Uint8Array(16).fill(WHEN_APPLIES_EMPTY);
  for (const check of [FALSE, TRUE, ABSENT]) {
    table[(FALSE << 2) | check] = OUTCOME_CODE.notApplicable;
    table[(TRUE << 2) | check] = check === TRUE ? OUTCOME_CODE.met : check === FALSE ? OUTCOME_CODE.notMet : WHEN_CHECK_EMPTY;
  }
  return table;
})();

/** 1 for the codes of a criterion not met. */
const SHORTFALL = Uint8Array.from([OUTCOME_CODE.met, OUTCOME_CODE.notMet, OUTCOME_CODE.notMetNotRecorded, OUTCOME_CODE.notApplicable, OUTCOME_CODE.notAssessed].map((code) => (code === OUTCOME_CODE.notMet || code === OUTCOME_CODE.notMetNotRecorded ? 1 : 0)));

/**
 * Scores a whole batch of records at once: every field read into a typed
 * column, every criterion run over the columns (rubric/vectors.ts), then
 * each case graded from its outcome codes. For a large export this is the
 * fast path; it gives what CaseScorer gives row by row, which
 * tests/scoring/chunk-scorer.test.ts checks on random rows.
 *
 * It scores only the ordinary case: every cell readable, reference and area
 * present, no moderator's grade, every criterion true or false or stopped
 * by an empty field. Any other record is marked to be scored on its own by
 * CaseScorer, which writes the messages and finds any rubric fault, so
 * there is one place that says what is wrong with a row.
 */
export class ChunkScorer {
  /** Per record of the last batch: blank, scored here, or to be scored by CaseScorer. */
  records = new Uint8Array(0);
  /** Outcome codes, `criteria` per record, of the records scored here. */
  codes = new Uint8Array(0);
  /** Index into GRADES of each record's grade. */
  grades = new Uint8Array(0);
  private readonly columns: FieldColumns;
  private readonly idSlot: number;
  private readonly areaSlot: number;
  /** The export's column of the case reference. */
  private readonly idColumn: number;
  /** Whether a case's reference is its cell's text: a text field, and not pseudonymised. */
  private readonly idIsCellText: boolean;
  private batch: RecordBatch | undefined;
  /** 1 for each criterion whose shortfall makes a case inadequate. */
  private readonly inadequate: Uint8Array;
  /** The index into GRADES of a case with `s` shortfalls, at 2s, or 2s + 1 when one of them makes it inadequate (limitingJudgement). */
  private readonly gradeOf: Uint8Array;

  private constructor(
    file: string,
    private readonly rubric: CompiledRubric,
    private readonly criteria: VectorCriterion[],
    textSlots: ReadonlySet<number>,
    header: string[],
    private readonly caseScorer: CaseScorer,
    private readonly options: ScorerOptions,
  ) {
    const plan = planColumns(file, header, rubric.fields);
    this.columns = new FieldColumns(rubric.fields, plan, textSlots, options.asOf.getTime());
    const slot = (name: string) => rubric.fields.findIndex((f) => f.name === name);
    [this.idSlot, this.areaSlot] = [slot(rubric.idField), slot(rubric.areaField)];
    this.idColumn = plan[this.idSlot] ?? -1;
    this.idIsCellText = rubric.fields[this.idSlot]?.type === 'string' && !options.redact && this.idColumn >= 0;
    this.inadequate = Uint8Array.from(criteria, (criterion) => (criterion.inadequate ? 1 : 0));
    this.gradeOf = Uint8Array.from({ length: 2 * (criteria.length + 1) }, (_, at) => GRADES.indexOf(limitingJudgement(rubric, at >> 1, (at & 1) === 1)));
  }

  /** A scorer for the rubric, or undefined when one of its expressions is outside what runs over columns (it is then scored row by row). */
  static for(file: string, header: string[], rubric: CompiledRubric, caseScorer: CaseScorer, options: ScorerOptions): ChunkScorer | undefined {
    const slotOf = new Map([...rubric.fields.map((f) => f.name), 'as_of'].map((name, i) => [name, i]));
    const textSlots = new Set<number>();
    const vector = (expression: CompiledExpression) => {
      if (!expression.compiled) return undefined;
      const compiled = compileVector(expression.ast, rubric.fields, slotOf, isoDateToTimestamp);
      compiled?.texts.forEach((slot) => textSlots.add(slot));
      return compiled && { run: compiled.run, fieldSlots: expression.fieldSlots };
    };
    const criteria: VectorCriterion[] = [];
    for (const criterion of rubric.criteria) {
      const applies = criterion.applies ? vector(criterion.applies) : undefined;
      const check = vector(criterion.check);
      if (!check || (criterion.applies && !applies)) return undefined;
      criteria.push({ applies, check, failsWhenMissing: criterion.when_missing === 'fail', inadequate: criterion.on_fail === 'inadequate' });
    }
    return new ChunkScorer(file, rubric, criteria, textSlots, header, caseScorer, options);
  }

  /** Scores the batch's ordinary records, and marks the rest (`records`). */
  score(batch: RecordBatch): void {
    this.batch = batch;
    const { count } = batch;
    const criteria = this.criteria.length;
    if (this.records.length < count) {
      const size = Math.max(count, 2 * this.records.length);
      [this.records, this.grades, this.codes] = [new Uint8Array(size), new Uint8Array(size), new Uint8Array(size * criteria)];
    }
    const { records, columns, rubric } = this;
    for (let r = 0; r < count; r++) {
      if (r < batch.from || batch.isBlank(r)) records[r] = RECORD.blank;
      else records[r] = this.caseScorer.isOrdinary(batch, r) ? RECORD.readInColumns : RECORD.readOnItsOwn;
    }
    columns.read(batch, records);
    const gradeSlot = rubric.moderation?.gradeSlot;
    for (let r = 0; r < count; r++) {
      if (records[r] !== RECORD.readInColumns) continue;
      if (columns.isEmpty(this.idSlot, r) || columns.isEmpty(this.areaSlot, r) || (gradeSlot !== undefined && !columns.isEmpty(gradeSlot, r))) records[r] = RECORD.readOnItsOwn;
    }
    for (let c = 0; c < criteria; c++) this.runCriterion(c, count);
    this.grade(count);
  }

  /**
   * Finds the record's case reference in the batch's codes (RecordBatch.codes),
   * for the reference's bytes to be copied and its fingerprint worked out
   * without making a string a case: true when the reference is that text
   * itself (a text field, not pseudonymised, found in the codes), false when
   * it must be taken from `id`.
   */
  locateId(record: number, span: CellSpan): boolean {
    return this.idIsCellText && (this.batch as RecordBatch).locateCodes(record, this.idColumn, span);
  }

  /** The case reference of a record scored here, under --redact its pseudonym. */
  id(record: number): string {
    const id = this.text(this.idSlot, record);
    return this.options.redact ? this.options.redact(id) : id;
  }

  area(record: number): string {
    return this.text(this.areaSlot, record);
  }

  /** The areas the rubric allows, when the area field is an enum, in the order areaIndex counts them. */
  get areaNames(): readonly string[] | undefined {
    return this.rubric.fields[this.areaSlot]?.type === 'enum' ? (this.rubric.fields[this.areaSlot]?.values ?? []) : undefined;
  }

  /** The record's area as its index in areaNames. */
  areaIndex(record: number): number {
    return this.columns.choices(this.areaSlot)[record] as number;
  }

  /** The record's group, when the run is grouped. */
  group(record: number): string | undefined {
    const { grouping } = this.options;
    if (!grouping) return undefined;
    this.groupedRecord = record;
    return grouping.key(this.groupedValueAt);
  }

  /** The record group() is working out. */
  private groupedRecord = 0;

  /** A field's value in that record; as in CaseScorer, the reference's own value (a date, say) stays, unless --redact puts the pseudonym in its place. */
  private readonly groupedValueAt = (slot: number): FieldValue => {
    if (slot === this.idSlot && this.options.redact) return this.id(this.groupedRecord);
    return fieldValue(this.rubric.fields[slot]?.type ?? 'string', this.columns.value(slot, this.groupedRecord));
  };

  private text(slot: number, record: number): string {
    return slotText(this.rubric.fields[slot]?.type ?? 'string', this.columns.value(slot, record));
  }

  private runCriterion(c: number, count: number): void {
    const { records, codes, columns } = this;
    const criteria = this.criteria.length;
    const { applies, check, failsWhenMissing } = this.criteria[c] as VectorCriterion;
    const applying = applies?.run(columns, count);
    const checked = check.run(columns, count);
    const missingCode = failsWhenMissing ? OUTCOME_CODE.notMetNotRecorded : OUTCOME_CODE.notAssessed;
    for (let r = 0; r < count; r++) {
      // Looked up rather than branched on: what a criterion comes to is as good as random from case to case.
      let code = OUTCOMES[((applying ? (applying[r] as number) : TRUE) << 2) | (checked[r] as number)] as number;
      if (code < WHEN_APPLIES_EMPTY) {
        // Written for every record; only those read in columns are graded and sent.
        codes[r * criteria + c] = code;
        continue;
      }
      if (records[r] !== RECORD.readInColumns) continue;
      if (code === WHEN_APPLIES_EMPTY) code = this.anyEmpty((applies as VectorCriterion['check']).fieldSlots, r) ? OUTCOME_CODE.notAssessed : -1;
      else code = this.anyEmpty(check.fieldSlots, r) ? missingCode : -1;
      // Neither true nor false with every field present: a rubric fault, which CaseScorer names.
      if (code < 0) records[r] = RECORD.readOnItsOwn;
      else codes[r * criteria + c] = code;
    }
  }

  private anyEmpty(slots: number[], record: number): boolean {
    for (let i = 0; i < slots.length; i++) if (this.columns.isEmpty(slots[i] as number, record)) return true;
    return false;
  }

  /** HMIC's limiting judgement (limitingJudgement), from the codes, counted without branches and looked up (gradeOf). */
  private grade(count: number): void {
    const { records, codes, grades, inadequate, gradeOf } = this;
    const criteria = this.criteria.length;
    for (let r = 0; r < count; r++) {
      if (records[r] !== RECORD.readInColumns) continue;
      let shortfalls = 0;
      let marksDown = 0;
      for (let c = 0; c < criteria; c++) {
        const shortfall = SHORTFALL[codes[r * criteria + c] as number] as number;
        shortfalls += shortfall;
        marksDown |= shortfall & (inadequate[c] as number);
      }
      grades[r] = gradeOf[2 * shortfalls + marksDown] as number;
    }
  }
}
