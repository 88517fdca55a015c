import type { CaseRecord, CellProblem } from './cases/coerce.js';
import { InputError } from './cases/errors.js';
import type { CaseInput, SplittableCsv } from './cases/input.js';
import { describeSyntaxError, MAX_RECORD_CHARACTERS } from './cases/read-csv.js';
import { referenceFingerprint, SeenReferences } from './cases/seen-references.js';
import type { RecordBatch } from './cases/record-batch.js';
import { countsKey, unpackRejects, type ChunkCases, type RejectedRow } from './parallel/protocol.js';
import { ScoredCases } from './parallel/scored-cases.js';
import { scoredChunks } from './parallel/scored-chunks.js';
import { portableRubric } from './rubric/cache.js';
import type { CompiledRubric } from './rubric/compile.js';
import { withEvaluator } from './rubric/needs-evaluator.js';
import { GRADES, type Grade } from './rubric/constants.js';
import { CaseScorer, type ScorerOptions } from './scoring/case-scorer.js';
import { ChunkScorer } from './scoring/chunk-scorer.js';
import { ExpressionRuntimeError } from './scoring/evaluate.js';
import { OUTCOME_CODE, outcomeCodes, type CaseResult, type CriterionOutcome } from './scoring/outcome.js';
import { addCaseCounts, addModeratedCase, caseCountsLength, countCase } from './summary/case-counts.js';
import { GroupValues } from './summary/group.js';
import { addCase, addRejectedRow, emptySummary, rubricInfo, type Summary } from './summary/summary.js';

export interface ScoreOptions extends ScorerOptions {
  /** Called for every scored case, in input order, with its grade and shortfalls (for --cases-out and diff). */
  onResult?: (result: CaseResult) => void;
  /** Called for every scored case, in input order, with its outcomes and values (for explain); reads on this thread. */
  onCase?: (result: CaseResult, outcomes: CriterionOutcome[], record: CaseRecord) => void;
  /** Called for every rejected row, in input order; may throw to stop the run. */
  onReject?: (problems: CellProblem[]) => void;
  /** Called as the inputs are read: bytes of all the files read so far, and rows. */
  onProgress?: (bytesRead: number, rows: number) => void;
  /**
   * Worker threads for large CSV exports; without it, or with 1 thread, every
   * row is read on this thread, as it is with onCase.
   */
  parallel?: { threads: number; minBytes: number; chunkBytes: number };
}

/**
 * Case references, looked up only for a repeat or a moderated case: counting
 * a case needs no more than the reference's fingerprint.
 */
interface CaseIds {
  idAt(index: number): string;
}

/** Where a case was first seen is kept in 32 bits. */
const MOST_PLACES = 2 ** 32;

/** Reads the references worker threads send as UTF-8 (ChunkCases.idBytes). */
const utf8 = new TextDecoder();

/**
 * What every row comes to, in file order, whichever thread read it: a
 * rejected row, a repeated case reference, or a case counted in the summary.
 */
class Tally {
  private readonly seen = new SeenReferences();
  /**
   * Where each case reference was first seen is one number, counting the
   * rows of all the files read so far: the first row of each file is this.
   */
  private readonly fileStarts: number[] = [0];
  private lastRow = 0;
  private readonly codes: Uint8Array;
  /** The reference of the case being counted on this thread. */
  private readonly current = { id: '', idAt(): string { return this.id; } };
  private readonly groupValues: GroupValues | undefined;

  constructor(
    readonly summary: Summary,
    private readonly files: string[],
    private readonly options: ScoreOptions,
  ) {
    this.codes = new Uint8Array(summary.rubric.criteria.length);
    this.groupValues = options.grouping && new GroupValues(options.grouping, files);
  }

  /** The groups of cases about to be counted: a breakdown may have only so many (MOST_GROUP_VALUES). */
  admitGroups(keys: readonly string[]): void {
    this.groupValues?.admit(keys);
  }

  /**
   * As an export is read: its size and what has been read of it so far give
   * the rows still to come, for which the table of references makes room at
   * once. Renewed after each part, so that a first part unlike the rest does
   * not leave the table short.
   */
  expect(bytesRead: number, rowsRead: number, fileBytes: number): void {
    if (bytesRead > 0 && rowsRead > 0) this.seen.reserve(Math.ceil((rowsRead * (fileBytes - bytesRead)) / bytesRead));
  }

  /** For an export whose number of rows is known before they are read. */
  expectRows(rows: number): void {
    this.seen.reserve(rows);
  }

  reject(problems: CellProblem[]): void {
    addRejectedRow(this.summary, problems);
    this.options.onReject?.(problems);
  }

  /** Whether a case's reference is seen here for the first time; a repeat is rejected. The reference is already a pseudonym under --redact. */
  firstOccurrence(fileIndex: number, file: string, idColumn: string, row: number, fingerprint: number, ids: CaseIds, index: number): boolean {
    const earlier = this.seen.firstSeenFingerprint(fingerprint, this.place(fileIndex, row));
    if (earlier === undefined) return true;
    const id = ids.idAt(index);
    let earlierFile = this.fileStarts.length - 1;
    while ((this.fileStarts[earlierFile] ?? 0) > earlier) earlierFile--;
    const earlierRow = earlier - (this.fileStarts[earlierFile] ?? 0);
    const where = earlierFile === fileIndex ? `row ${earlierRow}` : `${this.files[earlierFile] === '-' ? 'standard input' : this.files[earlierFile]} row ${earlierRow}`;
    this.reject([{ file, row, column: idColumn, value: id, reason: `the same case reference is already at ${where}; this row is not scored` }]);
    return false;
  }

  /** Closes the scratch file of where references were first seen, if there is one. */
  release(): void {
    this.seen.release();
  }

  /** Makes the references of a chunk's cases quick to look up, before they are looked up in order (SeenReferences.prepare). */
  prepare(fingerprints: Float64Array, count: number): void {
    this.seen.prepare(fingerprints, 0, count);
  }

  /** Counts a case unless its reference was seen before. */
  scored(fileIndex: number, file: string, idColumn: string, row: number, fingerprint: number, ids: CaseIds, index: number, area: string, grade: Grade, computed: Grade, codes: ArrayLike<number>, group: string | undefined): boolean {
    if (!this.firstOccurrence(fileIndex, file, idColumn, row, fingerprint, ids, index)) return false;
    addCase(this.summary, area, grade, codes, group, grade === computed ? undefined : { id: ids.idAt(index), area, computed, final: grade });
    this.options.onResult?.(this.resultOf(ids.idAt(index), area, grade, computed, codes));
    return true;
  }

  /**
   * What is kept case by case of a case whose counts come with its chunk's
   * (addCaseCounts): a moderator's change of grade, and the case's result
   * for --cases-out and diff. Its codes are `criteria` from `codes[at]`.
   */
  countedWithChunk(ids: CaseIds, index: number, area: string, grade: Grade, computed: Grade, codes: Uint8Array, at: number, group: string | undefined): void {
    if (grade !== computed) addModeratedCase(this.summary, group, { id: ids.idAt(index), area, computed, final: grade });
    if (!this.options.onResult) return;
    for (let c = 0; c < this.codes.length; c++) this.codes[c] = codes[at + c] as number;
    this.options.onResult(this.resultOf(ids.idAt(index), area, grade, computed, this.codes));
  }

  private place(fileIndex: number, row: number): number {
    while (this.fileStarts.length <= fileIndex) this.fileStarts.push(this.lastRow + 1);
    const place = (this.fileStarts[fileIndex] ?? 0) + row;
    if (place >= MOST_PLACES) throw new InputError(`${this.files.join(', ')}: more than ${MOST_PLACES.toLocaleString('en-GB')} rows in all; score the files in parts`);
    this.lastRow = place;
    return place;
  }

  scoredHere(fileIndex: number, file: string, idColumn: string, row: number, record: CaseRecord, outcomes: CriterionOutcome[], computed: Grade, grade: Grade, group: string | undefined): void {
    this.current.id = record.id;
    if (group !== undefined) this.admitGroups([group]);
    const codes = outcomeCodes(outcomes, this.codes);
    if (!this.scored(fileIndex, file, idColumn, row, referenceFingerprint(record.id), this.current, 0, record.area, grade, computed, codes, group)) return;
    this.options.onCase?.(this.resultOf(record.id, record.area, grade, computed, codes), outcomes, record);
  }

  /** One case as --cases-out, diff and explain see it. */
  private resultOf(id: string, area: string, grade: Grade, computed: Grade, codes: ArrayLike<number>): CaseResult {
    const { criteria } = this.summary.rubric;
    const notMet: string[] = [];
    for (let i = 0; i < codes.length; i++) if (codes[i] === OUTCOME_CODE.notMet || codes[i] === OUTCOME_CODE.notMetNotRecorded) notMet.push(criteria[i]?.id ?? '');
    return { id, area, grade, ...(grade !== computed ? { computed_grade: computed } : {}), not_met: notMet };
  }
}

/** read → coerce → evaluate → roll up → summarise: row by row on this thread, or chunk by chunk on several. */
export async function scoreInputs(rubric: CompiledRubric, files: string[], open: (file: string) => Promise<CaseInput>, options: ScoreOptions): Promise<Summary> {
  const summary = emptySummary(rubricInfo(rubric), {
    asOf: options.asOf.toISOString().slice(0, 10),
    files,
    ...(options.grouping ? { groupBy: options.grouping.name } : {}),
  });
  const tally = new Tally(summary, files, options);
  try {
    await scoreFiles(tally, rubric, files, open, options);
  } finally {
    tally.release();
  }
  if (summary.rowsRead === 0) {
    throw new InputError(`${files.join(', ')}: ${files.length === 1 ? 'has' : 'have'} a header but no case rows; there is nothing to score`);
  }
  return summary;
}

async function scoreFiles(tally: Tally, rubric: CompiledRubric, files: string[], open: (file: string) => Promise<CaseInput>, options: ScoreOptions): Promise<void> {
  const { summary } = tally;
  let bytesBefore = 0;
  for (const [fileIndex, path] of files.entries()) {
    const input = await open(path);
    const progress = (bytes: number) => options.onProgress?.(bytesBefore + bytes, summary.rowsRead);
    const { file, header } = input;
    // Each verdict is counted at once, unless explain keeps one.
    const scorer = new CaseScorer(file, header, rubric, { ...options, transient: options.onCase === undefined });
    const parallel = options.parallel;
    if (input.splittable && parallel && parallel.threads > 1 && !options.onCase && input.splittable.bytes >= parallel.minBytes) {
      await input.splittable.close();
      await scoreInParallel(tally, rubric, fileIndex, input.splittable, { file, header, idColumn: scorer.idColumn }, options, parallel, progress);
      bytesBefore += input.splittable.bytes;
      continue;
    }
    const rowsBefore = summary.rowsRead;
    if (input.rows !== undefined) tally.expectRows(input.rows);
    // Scored and counted batch by batch as a worker thread does, unless explain keeps a case, which is then scored row by row.
    const cases = options.onCase ? undefined : new ScoredCases(rubric, scorer, ChunkScorer.for(file, header, rubric, scorer, options), options.grouping !== undefined);
    for await (const batch of input.batches) {
      if (cases) await scoreBatch(tally, fileIndex, file, scorer.idColumn, cases, batch);
      else await scoreRowByRow(tally, fileIndex, file, scorer, batch);
      // Rows of this file so far (blank lines are not rows) against the bytes read so far.
      if (input.splittable) tally.expect(input.bytesRead(), summary.rowsRead - rowsBefore, input.splittable.bytes);
      progress(input.bytesRead());
    }
    bytesBefore += input.bytesRead();
  }
}

async function scoreInParallel(
  tally: Tally,
  rubric: CompiledRubric,
  fileIndex: number,
  csv: SplittableCsv,
  export_: { file: string; header: string[]; idColumn: string },
  options: ScoreOptions,
  parallel: NonNullable<ScoreOptions['parallel']>,
  progress: (bytesRead: number) => void,
): Promise<void> {
  const { file, header, idColumn } = export_;
  const portable = portableRubric(rubric);
  const chunks = scoredChunks(
    // A character is at most four bytes in UTF-8.
    { path: csv.path, threads: Math.min(parallel.threads, Math.ceil(csv.bytes / parallel.chunkBytes)), chunkBytes: parallel.chunkBytes, longestRecordBytes: 4 * MAX_RECORD_CHARACTERS + parallel.chunkBytes },
    {
      ...(portable !== undefined ? { portableRubric: portable } : {}),
      rubricText: rubric.source.text,
      rubricFile: rubric.source.file,
      file,
      header,
      encoding: csv.encoding,
      delimiter: csv.delimiter,
      asOf: options.asOf.getTime(),
      ...(options.grouping ? { grouping: options.grouping.spec } : {}),
      redact: options.redact !== undefined,
    },
  );
  let rowsBefore = 0;
  let bytesRead = 0;
  const rowsAtStart = tally.summary.rowsRead;
  for await (const chunk of chunks) {
    tally.expect(bytesRead + chunk.bytes, tally.summary.rowsRead - rowsAtStart + chunk.cases.count + chunk.rejects.rows.length, csv.bytes);
    countChunk(tally, fileIndex, file, idColumn, rowsBefore, chunk.cases, unpackRejects(chunk.rejects, file, rowsBefore), csv.headerRecord);
    bytesRead += chunk.bytes;
    progress(bytesRead);
    const failure = chunk.failure;
    if (failure?.kind === 'csv') throw describeSyntaxError(file, failure.problem, rowsBefore + failure.record, failure.cell, header);
    if (failure?.kind === 'expression') throw new ExpressionRuntimeError(failure.criterion, { file, row: rowsBefore + failure.row }, failure.reason);
    if (failure?.kind === 'internal') throw new Error(failure.message);
    rowsBefore += chunk.records;
  }
}

/** A batch's records scored (ScoredCases) and counted, as a worker thread's chunk is. */
async function scoreBatch(tally: Tally, fileIndex: number, file: string, idColumn: string, cases: ScoredCases, batch: RecordBatch): Promise<void> {
  // A rubric from the cache loads the general CEL evaluator only when a fault must be described; the batch is then scored again.
  const stopped = await withEvaluator(() => {
    cases.clear();
    return cases.score(batch);
  });
  const scored = cases.result();
  // The batch's rows are the file's own.
  countChunk(tally, fileIndex, file, idColumn, 0, scored, cases.rejects);
  cases.recycle([scored.fingerprint.buffer as ArrayBuffer]);
  if (stopped) throw stopped;
}

/** A batch's records scored one by one, for explain, which keeps the case it shows. */
async function scoreRowByRow(tally: Tally, fileIndex: number, file: string, scorer: CaseScorer, batch: RecordBatch): Promise<void> {
  for (let record = batch.from; record < batch.count; record++) {
    if (batch.isBlank(record)) continue;
    const verdict = await withEvaluator(() => scorer.score(batch, record));
    if (verdict.kind === 'rejected') tally.reject(verdict.problems);
    else tally.scoredHere(fileIndex, file, scorer.idColumn, batch.row(record), verdict.record, verdict.outcomes, verdict.computed, verdict.grade, verdict.group);
  }
}

/**
 * The chunk's rejected rows and cases, merged back into file order, and its
 * counts added to the summary. Rows are counted within the chunk, after
 * `rowsBefore`; the problems of its rejected rows already name their rows in
 * the file. Workers do not know which chunk holds the header, so they read it
 * as a row, which repeats the header; that row is left out here.
 */
function countChunk(tally: Tally, fileIndex: number, file: string, idColumn: string, rowsBefore: number, cases: ChunkCases, chunkRejects: RejectedRow[], headerRecord?: number): void {
  const rejects = headerRecord === undefined ? chunkRejects : chunkRejects.filter((reject) => rowsBefore + reject.row !== headerRecord);
  const criteria = tally.summary.rubric.criteria.length;
  const ids: CaseIds = { idAt: (i) => utf8.decode(cases.idBytes.subarray(i === 0 ? 0 : cases.idEnds[i - 1], cases.idEnds[i])) };
  const grouped = cases.groups.length > 0;
  const countsLength = caseCountsLength(criteria);
  const pairs = Array.from(cases.countAreas, (area, k) => ({ area, group: cases.countGroups[k] as number, counts: cases.countValues.subarray(k * countsLength, (k + 1) * countsLength) }));
  const countsOf = new Map(pairs.map(({ area, group, counts }) => [countsKey(area, group), counts]));
  tally.prepare(cases.fingerprint, cases.count);
  tally.admitGroups(cases.groups);
  let next = 0;
  for (let i = 0; i < cases.count; i++) {
    const row = cases.rows[i] as number;
    for (; next < rejects.length && (rejects[next]?.row ?? 0) < row; next++) tally.reject(rejects[next]?.problems ?? []);
    const group = grouped ? (cases.group[i] as number) : 0;
    if (!tally.firstOccurrence(fileIndex, file, idColumn, rowsBefore + row, cases.fingerprint[i] as number, ids, i)) {
      countCase(countsOf.get(countsKey(cases.area[i] as number, group)) as Int32Array, cases.grade[i] as number, cases.codes, i * criteria, criteria, -1);
      continue;
    }
    const grade = GRADES[cases.grade[i] as number] as Grade;
    const computed = GRADES[cases.computed[i] as number] as Grade;
    tally.countedWithChunk(ids, i, cases.areas[cases.area[i] as number] as string, grade, computed, cases.codes, i * criteria, grouped ? cases.groups[group] : undefined);
  }
  for (; next < rejects.length; next++) tally.reject(rejects[next]?.problems ?? []);
  for (const { area, group, counts } of pairs) addCaseCounts(tally.summary, cases.areas[area] as string, grouped ? cases.groups[group] : undefined, counts);
}

