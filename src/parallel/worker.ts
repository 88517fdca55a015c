// A worker thread of a parallel run: scores whole chunks of one export and
// sends back what each row came to. See scored-chunks.ts and scoreInParallel in pipeline.ts.
import { isAscii } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import type { CellProblem } from '../cases/coerce.js';
import { AsciiKernel } from '../cases/ascii-kernel.js';
import { CsvRecords, CsvSyntaxError } from '../cases/csv-records.js';
import { RECORD } from '../cases/field-columns.js';
import { MAX_RECORD_CHARACTERS } from '../cases/read-csv.js';
import { cellSpan, LazyText, RecordBuilder, type RecordBatch } from '../cases/record-batch.js';
import { pseudonymiser } from '../cases/redact.js';
import { decodeWhole } from '../cases/sniff.js';
import { asciiReferenceFingerprint, referenceFingerprint } from '../cases/seen-references.js';
import { restoreRubric } from '../rubric/cache.js';
import { GRADES, type Grade } from '../rubric/constants.js';
import { NeedsEvaluator } from '../rubric/needs-evaluator.js';
import { CaseScorer, type RowVerdict } from '../scoring/case-scorer.js';
import { ChunkScorer } from '../scoring/chunk-scorer.js';
import { ExpressionRuntimeError } from '../scoring/evaluate.js';
import { outcomeCodes } from '../scoring/outcome.js';
import { caseCounts, countCase } from '../summary/case-counts.js';
import { groupingOf } from '../summary/group.js';
import { countsKey, type ChunkCases, type ChunkFailure, type ChunkResult, type ChunkTask, type WorkerSetup } from './protocol.js';

// A worker started ahead of need (startWorkers) has loaded its code by the time the export is opened, and is told what to score then.
const setup = (workerData as WorkerSetup | undefined) ?? (await new Promise<WorkerSetup>((resolve) => parentPort?.once('message', resolve)));
// The portable form needs none of yaml, zod and the CEL library, which keeps a worker small; a rubric that
// has no portable form (an expression outside the compiled part of CEL) is compiled from its text.
const rubric =
  (setup.portableRubric !== undefined ? restoreRubric(setup.portableRubric, setup.rubricText, setup.rubricFile) : undefined) ??
  (await import('../rubric/compile.js')).compileRubric(setup.rubricText, setup.rubricFile);
const groups = setup.grouping ? groupingOf(rubric, setup.grouping) : undefined;
const key = process.env.AUDIT_REDACT_KEY;
// Never score unredacted when redaction was asked for: the key comes from the environment the threads share.
if (setup.redact && !key) throw new Error('--redact: a worker thread has no AUDIT_REDACT_KEY');
// Each verdict is turned into the chunk's compact results at once, so its arrays can be used again.
const scorerOptions = {
  transient: true,
  asOf: new Date(setup.asOf),
  ...(groups ? { grouping: groups } : {}),
  ...(setup.redact && key ? { redact: pseudonymiser(key) } : {}),
};
const scorer = new CaseScorer(setup.file, setup.header, rubric, scorerOptions);
// Whole chunks at once where the rubric allows; the records it cannot score go to `scorer` one by one.
const chunkScorer = ChunkScorer.for(setup.file, setup.header, rubric, scorer, scorerOptions);
const criteria = rubric.criteria.length;
const utf8 = new TextEncoder();
const gradeIndex = new Map<Grade, number>(GRADES.map((g, i) => [g, i]));

/** Strings repeated from case to case (areas, groups) are sent once per chunk, with a small index per case. */
class Interned {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  /** Starts with `values` at their own indexes. */
  constructor(values: readonly string[] = []) {
    values.forEach((value) => this.of(value));
  }

  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

// Slice after slice: the arrays of cell positions, grown to the largest slice (or the rest of a chunk read as text), are used again.
const builder = new RecordBuilder();
const kernel = AsciiKernel.create();
const asciiDelimiter = setup.delimiter.length === 1 && setup.delimiter.charCodeAt(0) < 128 ? setup.delimiter.charCodeAt(0) : undefined;

/** Records scored together: a few hundred keep their cells, codes and columns within a core's own cache. */
const SLICE_RECORDS = 256;

/** What reading a chunk came to: how many records it has (where the next chunk's rows start) and, if it is broken, where. */
interface ChunkReading {
  count: number;
  failure?: ChunkFailure;
}

/**
 * The chunk's records a slice at a time, each split just before it is
 * scored. A chunk of ASCII is split from its bytes (AsciiKernel); from
 * anything that is not plain CSV, or any other chunk, the rest is split as
 * text by CsvRecords, which says where a broken chunk breaks; the records
 * before a break are read like any others. `reading` is filled in by the end.
 */
function* chunkSlices(task: ChunkTask, reading: ChunkReading): Generator<RecordBatch> {
  const { bytes } = task;
  // Decoded only if something reads the text: the ordinary records of an ASCII chunk are read from its bytes.
  const text = new LazyText(() => decodeWhole(bytes, setup.encoding, { ignoreBOM: !task.first }));
  let at = 0;
  reading.count = 0;
  // Both encodings sent to workers write ASCII as ASCII, one byte a character.
  if (task.endsRecord && asciiDelimiter !== undefined && kernel && isAscii(bytes)) {
    kernel.load(bytes);
    while (at < bytes.length) {
      const next = kernel.split(at, SLICE_RECORDS, asciiDelimiter, MAX_RECORD_CHARACTERS);
      if (next < 0) break;
      const slice = kernel.batch(text, reading.count + 1).withCodes(bytes);
      reading.count += slice.count;
      at = next;
      yield slice;
    }
    if (at === bytes.length) return;
  }
  const reader = new CsvRecords(setup.delimiter, MAX_RECORD_CHARACTERS, builder);
  reader.recordCount = reading.count;
  let records: RecordBatch;
  try {
    // A chunk that does not end at a record is one that ran past the record-size limit, which reading it reports.
    const rest = at === 0 ? text.text : text.text.slice(at);
    records = task.endsRecord ? reader.end(rest) : reader.push(rest);
    if (!task.endsRecord) throw new Error('a chunk that does not end at a record was read without passing the record-size limit');
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    records = error.recordsBefore;
    reading.failure = { kind: 'csv', problem: error.problem, record: error.record, cell: error.cell };
  }
  reading.count = reader.recordCount;
  for (let from = 0; from < records.count; from += SLICE_RECORDS) yield records.slice(from, Math.min(records.count, from + SLICE_RECORDS));
}

/** The scored cases of a chunk, in arrays that grow as cases come and are used again for the next chunk. */
class CaseColumns {
  count = 0;
  rows = new Uint32Array(1024);
  fingerprint = new Float64Array(1024);
  idEnds = new Uint32Array(1024);
  area = new Uint32Array(1024);
  grade = new Uint8Array(1024);
  computed = new Uint8Array(1024);
  codes = new Uint8Array(1024 * criteria);
  group = new Uint32Array(1024);
  /** The cases' references in UTF-8, end to end, each ending at its `idEnds`. */
  private idBytes = new Uint8Array(16 * 1024);
  private idLength = 0;
  /** Where a reference lies in the codes of its batch. */
  private readonly idSpan = cellSpan();
  /** An enum's areas are counted by their index among its values, and other areas interned as they come. */
  private readonly areaNames = chunkScorer?.areaNames;
  private areas = new Interned(this.areaNames);
  private groups = new Interned();
  /** Counts by area and group (countsKey). */
  private counts = new Map<number, { area: number; group: number; counts: Int32Array }>();

  /** Ready for the next chunk. */
  clear(): void {
    this.count = 0;
    this.idLength = 0;
    this.areas = new Interned(this.areaNames);
    this.groups = new Interned();
    this.counts = new Map();
  }

  /** A case scored row by row. */
  add(row: number, verdict: Extract<RowVerdict, { kind: 'scored' }>): void {
    const i = this.push(row, this.areas.of(verdict.record.area), gradeIndex.get(verdict.grade) ?? 0, gradeIndex.get(verdict.computed) ?? 0, verdict.group);
    this.idText(i, verdict.record.id);
    outcomeCodes(verdict.outcomes, this.codes, i * criteria);
    this.tallyCase(i);
  }

  /** A case scored with the rest of its chunk, record `record` of the batch the scorer last scored. */
  addScored(row: number, scored: ChunkScorer, records: RecordBatch, record: number): void {
    const grade = scored.grades[record] as number;
    const area = this.areaNames ? scored.areaIndex(record) : this.areas.of(scored.area(record));
    const i = this.push(row, area, grade, grade, scored.group(record));
    const span = this.idSpan;
    if (!(scored.locateId(record, span) && this.asciiId(i, records.codes, span.start, span.end))) this.idText(i, scored.id(record));
    // Copied code by code: a subarray per case would be garbage a million times over.
    for (let c = 0; c < criteria; c++) this.codes[i * criteria + c] = scored.codes[record * criteria + c] as number;
    this.tallyCase(i);
  }

  /** Counts case `i` with the others of its area and group. */
  private tallyCase(i: number): void {
    const area = this.area[i] as number;
    const group = groups ? (this.group[i] as number) : 0;
    const key = countsKey(area, group);
    let counted = this.counts.get(key);
    if (!counted) this.counts.set(key, (counted = { area, group, counts: caseCounts(criteria) }));
    countCase(counted.counts, this.grade[i] as number, this.codes, i * criteria, criteria);
  }

  private push(row: number, area: number, grade: number, computed: number, group: string | undefined): number {
    if (this.count === this.rows.length) this.grow();
    const i = this.count++;
    this.rows[i] = row;
    this.area[i] = area;
    this.grade[i] = grade;
    this.computed[i] = computed;
    if (group !== undefined) this.group[i] = this.groups.of(group);
    return i;
  }

  /**
   * Case `i`'s reference from the codes of its batch, `codes[start, end)`,
   * copied as they are and fingerprinted without making a string; false,
   * having kept nothing, when one of them stands for a character beyond
   * ASCII, whose reference must then be taken as text.
   */
  private asciiId(i: number, codes: Uint8Array, start: number, end: number): boolean {
    this.makeIdRoom(end - start);
    const from = this.idLength;
    let at = from;
    for (let c = start; c < end; c++) {
      const code = codes[c] as number;
      if (code >= 128) return false;
      this.idBytes[at++] = code;
    }
    this.idLength = at;
    this.idEnds[i] = at;
    this.fingerprint[i] = asciiReferenceFingerprint(this.idBytes, from, at);
    return true;
  }

  /** Case `i`'s reference given as text. */
  private idText(i: number, id: string): void {
    // At most three bytes of UTF-8 for each UTF-16 code unit.
    this.makeIdRoom(3 * id.length);
    this.idLength += utf8.encodeInto(id, this.idBytes.subarray(this.idLength)).written;
    this.idEnds[i] = this.idLength;
    this.fingerprint[i] = referenceFingerprint(id);
  }

  private makeIdRoom(bytes: number): void {
    if (this.idLength + bytes <= this.idBytes.length) return;
    const grown = new Uint8Array(2 * (this.idLength + bytes));
    grown.set(this.idBytes.subarray(0, this.idLength));
    this.idBytes = grown;
  }

  private grow(): void {
    const bigger = <T extends Uint8Array | Uint32Array | Float64Array>(array: T, make: (length: number) => T): T => {
      const grown = make(array.length * 2);
      grown.set(array);
      return grown;
    };
    this.rows = bigger(this.rows, (n) => new Uint32Array(n));
    this.fingerprint = bigger(this.fingerprint, (n) => new Float64Array(n));
    this.idEnds = bigger(this.idEnds, (n) => new Uint32Array(n));
    this.area = bigger(this.area, (n) => new Uint32Array(n));
    this.grade = bigger(this.grade, (n) => new Uint8Array(n));
    this.computed = bigger(this.computed, (n) => new Uint8Array(n));
    this.codes = bigger(this.codes, (n) => new Uint8Array(n));
    this.group = bigger(this.group, (n) => new Uint32Array(n));
  }

  result(): ChunkCases {
    const n = this.count;
    const cases = packedCases(n, groups ? n : 0, this.idLength);
    cases.rows.set(this.rows.subarray(0, n));
    cases.fingerprint.set(this.fingerprint.subarray(0, n));
    cases.idBytes.set(this.idBytes.subarray(0, this.idLength));
    cases.idEnds.set(this.idEnds.subarray(0, n));
    cases.area.set(this.area.subarray(0, n));
    cases.grade.set(this.grade.subarray(0, n));
    cases.computed.set(this.computed.subarray(0, n));
    cases.codes.set(this.codes.subarray(0, n * criteria));
    cases.group.set(this.group.subarray(0, cases.group.length));
    return { ...cases, areas: this.areas.values, groups: this.groups.values, counts: [...this.counts.values()] };
  }
}

/** Memory of earlier results, handed back by the main thread (ChunkTask.recycled). */
const recycled: ArrayBuffer[] = [];
/** More than the results in flight need: any beyond are let go. */
const MOST_RECYCLED = 8;

/**
 * The arrays of a chunk's cases, cut to size, over one buffer: a recycled
 * one when one is large enough, else a new one with a quarter to spare.
 * Sent and handed back, rather than made for every chunk: the main thread
 * collected its results only every few dozen chunks, and tens of megabytes
 * of them were waiting to be collected at any time.
 */
function packedCases(count: number, grouped: number, idLength: number): Omit<ChunkCases, 'areas' | 'groups' | 'counts'> {
  // Eight-byte values first, so that every array starts at a multiple of its element's size.
  const bytes = 8 * count + 4 * (3 * count + grouped) + count * (2 + criteria) + idLength;
  const at = recycled.findIndex((buffer) => buffer.byteLength >= bytes);
  const buffer = at >= 0 ? (recycled.splice(at, 1)[0] as ArrayBuffer) : new ArrayBuffer(Math.ceil(1.25 * bytes));
  let offset = 0;
  const next = <T>(make: new (buffer: ArrayBuffer, offset: number, length: number) => T, length: number, size: number): T => {
    const array = new make(buffer, offset, length);
    offset += length * size;
    return array;
  };
  return {
    count,
    fingerprint: next(Float64Array, count, 8),
    rows: next(Uint32Array, count, 4),
    idEnds: next(Uint32Array, count, 4),
    area: next(Uint32Array, count, 4),
    group: next(Uint32Array, grouped, 4),
    grade: next(Uint8Array, count, 1),
    computed: next(Uint8Array, count, 1),
    codes: next(Uint8Array, count * criteria, 1),
    idBytes: next(Uint8Array, idLength, 1),
  };
}

/** Set when a rubric fault must be described by the general evaluator, which is then loaded and the chunk scored again. */
let needsEvaluator: NeedsEvaluator | undefined;

const cases = new CaseColumns();

function scoreChunk(task: ChunkTask): ChunkResult {
  cases.clear();
  const rejects: { row: number; problems: CellProblem[] }[] = [];
  let failure: ChunkFailure | undefined;

  const read: ChunkReading = { count: 0 };
  // Scored a slice at a time: a slice's cells stay in the processor's cache while each of its columns is read in turn.
  slices: for (const records of chunkSlices(task, read)) {
    chunkScorer?.score(records);
    for (let i = 0; i < records.count; i++) {
      // Numbered within the chunk; the main thread adds the rows before it.
      const row = records.row(i);
      const kind = chunkScorer ? chunkScorer.records[i] : records.isBlank(i) ? RECORD.blank : RECORD.readOnItsOwn;
      if (kind === RECORD.blank) continue;
      if (kind === RECORD.readInColumns) {
        cases.addScored(row, chunkScorer as ChunkScorer, records, i);
        continue;
      }
      let verdict: RowVerdict;
      try {
        verdict = scorer.score(records, i);
      } catch (error) {
        if (error instanceof NeedsEvaluator) {
          needsEvaluator = error;
          break slices;
        }
        if (!(error instanceof ExpressionRuntimeError)) throw error;
        failure = { kind: 'expression', criterion: error.criterion, row, reason: error.reason };
        break slices;
      }
      if (verdict.kind === 'rejected') rejects.push({ row, problems: verdict.problems });
      else cases.add(row, verdict);
    }
  }
  failure ??= read.failure;
  return { seq: task.seq, spent: task.bytes.buffer as ArrayBuffer, bytes: task.bytes.length, records: read.count, cases: cases.result(), rejects, ...(failure ? { failure } : {}) };
}

parentPort?.on('message', async (task: ChunkTask) => {
  recycled.push(...task.recycled);
  recycled.splice(MOST_RECYCLED);
  let result: ChunkResult;
  try {
    result = scoreChunk(task);
    if (needsEvaluator) {
      await needsEvaluator.load();
      needsEvaluator = undefined;
      result = scoreChunk(task);
    }
  } catch (error) {
    const cases = { ...packedCases(0, 0, 0), areas: [], groups: [], counts: [] };
    result = { seq: task.seq, spent: task.bytes.buffer as ArrayBuffer, bytes: task.bytes.length, records: 0, cases, rejects: [], failure: { kind: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
  parentPort?.postMessage(result, [result.cases.fingerprint.buffer as ArrayBuffer, result.spent]);
});
