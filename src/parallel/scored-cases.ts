import { RECORD } from '../cases/field-columns.js';
import { cellSpan, type RecordBatch } from '../cases/record-batch.js';
import { asciiReferenceFingerprint, referenceFingerprint } from '../cases/seen-references.js';
import type { CompiledRubric } from '../rubric/compile.js';
import { GRADES, type Grade } from '../rubric/constants.js';
import type { CaseScorer, RowVerdict } from '../scoring/case-scorer.js';
import type { ChunkScorer } from '../scoring/chunk-scorer.js';
import { ExpressionRuntimeError } from '../scoring/evaluate.js';
import { outcomeCodes } from '../scoring/outcome.js';
import { caseCounts, caseCountsLength, countCase } from '../summary/case-counts.js';
import { countsKey, type ChunkCases, type RejectedRow } from './protocol.js';

const utf8 = new TextEncoder();
const gradeIndex = new Map<Grade, number>(GRADES.map((g, i) => [g, i]));
/** More than the results in flight need: any beyond are let go. */
const MOST_RECYCLED = 8;

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

/**
 * The cases of a chunk scored, in the compact form a worker thread sends
 * back (ChunkCases) and the main thread counts (countChunk in pipeline.ts),
 * whichever thread scores them: arrays that grow as cases come and are used
 * again for the next chunk, and the chunk's counts by area and group.
 */
export class ScoredCases {
  count = 0;
  rows = new Uint32Array(1024);
  fingerprint = new Float64Array(1024);
  idEnds = new Uint32Array(1024);
  area = new Uint32Array(1024);
  grade = new Uint8Array(1024);
  computed = new Uint8Array(1024);
  codes: Uint8Array;
  group = new Uint32Array(1024);
  /** The cases' references in UTF-8, end to end, each ending at its `idEnds`. */
  private idBytes = new Uint8Array(16 * 1024);
  private idLength = 0;
  /** Where a reference lies in the codes of its batch. */
  private readonly idSpan = cellSpan();
  /** An enum's areas are counted by their index among its values, and other areas interned as they come. */
  private readonly areaNames: readonly string[] | undefined;
  private areas: Interned;
  private groups = new Interned();
  /** Counts by area and group (countsKey). */
  private counts = new Map<number, { area: number; group: number; counts: Int32Array }>();

  /** Rows rejected, with why, in the order read. */
  rejects: RejectedRow[] = [];
  private readonly criteria: number;
  /** Memory of earlier results handed back (recycle), to pack the next in. */
  private readonly recycled: ArrayBuffer[] = [];

  constructor(
    rubric: CompiledRubric,
    private readonly scorer: CaseScorer,
    /** Scores whole batches where the rubric allows (undefined where it does not: every record is then scored by `scorer`). */
    private readonly chunkScorer: ChunkScorer | undefined,
    private readonly grouped: boolean,
  ) {
    this.criteria = rubric.criteria.length;
    this.codes = new Uint8Array(1024 * this.criteria);
    this.areaNames = chunkScorer?.areaNames;
    this.areas = new Interned(this.areaNames);
  }

  /**
   * Scores a batch's records into these: the ordinary ones all at once
   * (ChunkScorer), the rest one by one (CaseScorer), blank ones not at all.
   * Stops at a criterion that cannot be evaluated for a row, and gives the
   * error (the records before it are kept); throws NeedsEvaluator when a
   * rubric fault must be described by the general evaluator, which the
   * caller loads before scoring the batch again.
   */
  score(records: RecordBatch): ExpressionRuntimeError | undefined {
    const { chunkScorer } = this;
    chunkScorer?.score(records);
    for (let i = 0; i < records.count; i++) {
      const kind = chunkScorer ? chunkScorer.records[i] : i < records.from || records.isBlank(i) ? RECORD.blank : RECORD.readOnItsOwn;
      if (kind === RECORD.blank) continue;
      const row = records.row(i);
      if (kind === RECORD.readInColumns) {
        this.addScored(row, chunkScorer as ChunkScorer, records, i);
        continue;
      }
      let verdict: RowVerdict;
      try {
        verdict = this.scorer.score(records, i);
      } catch (error) {
        if (error instanceof ExpressionRuntimeError) return error;
        throw error;
      }
      if (verdict.kind === 'rejected') this.rejects.push({ row, problems: verdict.problems });
      else this.add(row, verdict);
    }
    return undefined;
  }

  /** Memory of results the caller is done with, to pack the next ones in. */
  recycle(buffers: ArrayBuffer[]): void {
    this.recycled.push(...buffers);
    // The newest are kept: the first chunks of a file are small, and their results' memory too small for later ones.
    this.recycled.splice(0, Math.max(0, this.recycled.length - MOST_RECYCLED));
  }

  /** Ready for the next chunk. */
  clear(): void {
    this.rejects = [];
    this.count = 0;
    this.idLength = 0;
    this.areas = new Interned(this.areaNames);
    this.groups = new Interned();
    this.counts = new Map();
  }

  /** A case scored row by row. */
  private add(row: number, verdict: Extract<RowVerdict, { kind: 'scored' }>): void {
    const i = this.push(row, this.areas.of(verdict.record.area), gradeIndex.get(verdict.grade) ?? 0, gradeIndex.get(verdict.computed) ?? 0, verdict.group);
    this.idText(i, verdict.record.id);
    outcomeCodes(verdict.outcomes, this.codes, i * this.criteria);
    this.tallyCase(i);
  }

  /** A case scored with the rest of its chunk, record `record` of the batch the scorer last scored. */
  private addScored(row: number, scored: ChunkScorer, records: RecordBatch, record: number): void {
    const grade = scored.grades[record] as number;
    const area = this.areaNames ? scored.areaIndex(record) : this.areas.of(scored.area(record));
    const i = this.push(row, area, grade, grade, scored.group(record));
    const span = this.idSpan;
    if (!(scored.locateId(record, span) && this.asciiId(i, records.codes, span.start, span.end))) this.idText(i, scored.id(record));
    // Copied code by code: a subarray per case would be garbage a million times over.
    const { criteria } = this;
    for (let c = 0; c < criteria; c++) this.codes[i * criteria + c] = scored.codes[record * criteria + c] as number;
    this.tallyCase(i);
  }

  /** Counts case `i` with the others of its area and group. */
  private tallyCase(i: number): void {
    const area = this.area[i] as number;
    const group = this.grouped ? (this.group[i] as number) : 0;
    const key = countsKey(area, group);
    let counted = this.counts.get(key);
    if (!counted) this.counts.set(key, (counted = { area, group, counts: caseCounts(this.criteria) }));
    countCase(counted.counts, this.grade[i] as number, this.codes, i * this.criteria, this.criteria);
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
    const counted = [...this.counts.values()];
    const size = caseCountsLength(this.criteria);
    const cases = this.packed(n, this.grouped ? n : 0, this.idLength, counted.length, size);
    cases.rows.set(this.rows.subarray(0, n));
    cases.fingerprint.set(this.fingerprint.subarray(0, n));
    cases.idBytes.set(this.idBytes.subarray(0, this.idLength));
    cases.idEnds.set(this.idEnds.subarray(0, n));
    cases.area.set(this.area.subarray(0, n));
    cases.grade.set(this.grade.subarray(0, n));
    cases.computed.set(this.computed.subarray(0, n));
    cases.codes.set(this.codes.subarray(0, n * this.criteria));
    cases.group.set(this.group.subarray(0, cases.group.length));
    counted.forEach(({ area, group, counts }, k) => {
      cases.countAreas[k] = area;
      cases.countGroups[k] = group;
      cases.countValues.set(counts, k * size);
    });
    return { ...cases, areas: this.areas.values, groups: this.groups.values };
  }

  /**
   * The arrays of a chunk's cases, cut to size, over one buffer: a recycled
   * one when one is large enough, else a new one with a quarter to spare.
   * Sent and handed back, rather than made for every chunk: the main thread
   * collected its results only every few dozen chunks, and tens of megabytes
   * of them were waiting to be collected at any time.
   */
  private packed(count: number, grouped: number, idLength: number, pairs: number, countsLength: number): Omit<ChunkCases, 'areas' | 'groups'> {
    // Eight-byte values first, so that every array starts at a multiple of its element's size.
    const bytes = 8 * count + 4 * (3 * count + grouped + pairs * (2 + countsLength)) + count * (2 + this.criteria) + idLength;
    const { recycled } = this;
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
      countAreas: next(Uint32Array, pairs, 4),
      countGroups: next(Uint32Array, pairs, 4),
      countValues: next(Int32Array, pairs * countsLength, 4),
      grade: next(Uint8Array, count, 1),
      computed: next(Uint8Array, count, 1),
      codes: next(Uint8Array, count * this.criteria, 1),
      idBytes: next(Uint8Array, idLength, 1),
    };
  }
}
