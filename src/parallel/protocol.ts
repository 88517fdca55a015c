import type { CellProblem } from '../cases/coerce.js';
import type { CsvProblem } from '../cases/csv-records.js';
import type { GroupingSpec } from '../summary/group.js';

/** Everything a worker needs to score pieces of one export the way the main thread would. */
export interface WorkerSetup {
  /** The compiled rubric in portable form (rubric/cache.ts), when it has one. */
  portableRubric?: string;
  rubricText: string;
  rubricFile: string;
  /** The export's name as messages show it. */
  file: string;
  header: string[];
  encoding: string;
  delimiter: string;
  asOf: number;
  grouping?: GroupingSpec;
  /** Pseudonymise references with the key in AUDIT_REDACT_KEY, which workers share with the main thread. */
  redact: boolean;
}

export interface ChunkTask {
  seq: number;
  bytes: Uint8Array;
  /** Memory of earlier results (ChunkCases) the main thread is done with, for the worker to send results in again. */
  recycled: ArrayBuffer[];
  /** The first chunk starts the file (and may start with a byte-order mark). */
  first: boolean;
  endsRecord: boolean;
}

/**
 * The scored cases of a chunk, as parallel arrays (cheap to hand between
 * threads), all over one buffer, which goes back and forth between the
 * threads rather than being made anew for each chunk and collected. Rows are counted from the start of the chunk; the main thread,
 * which knows how many records came before, makes them file row numbers.
 */
export interface ChunkCases {
  count: number;
  rows: Uint32Array;
  /** Of each case reference (cases/seen-references.ts): enough to find repeats. */
  fingerprint: Float64Array;
  /**
   * The references themselves in UTF-8, end to end, each ending at its
   * `idEnds`: bytes rather than a string per case, since the main thread
   * needs them only for a repeat, a moderated case or --cases-out.
   */
  idBytes: Uint8Array;
  idEnds: Uint32Array;
  /** Index into `areas`. */
  area: Uint32Array;
  areas: string[];
  /** Index into GRADES: the final grade, and the one the rubric gave (they differ when a moderator changed it). */
  grade: Uint8Array;
  computed: Uint8Array;
  /** `criteria` outcome codes per case. */
  codes: Uint8Array;
  /** Index into `groups`, when the run is grouped. */
  group: Uint32Array;
  groups: string[];
  /**
   * The cases counted by area and group (summary/case-counts.ts), which is
   * all the main thread adds to the summary unless a case's reference turns
   * out to be a repeat, whose counts it then takes out. Pair k is area
   * `countAreas[k]` and group `countGroups[k]`, its counts the k-th run of
   * caseCountsLength values in `countValues`: arrays in the chunk's buffer
   * rather than an object per pair, because a chunk's objects outlive the
   * main thread's young generation on their way, and with a --by breakdown
   * of 36 months they grew its heap by about 13 MB over a 1M-row run.
   */
  countAreas: Uint32Array;
  countGroups: Uint32Array;
  countValues: Int32Array;
}

/** One number for an area and group index pair, to find a pair's counts by. */
export function countsKey(area: number, group: number): number {
  return area * 2 ** 32 + group;
}

export type ChunkFailure =
  | { kind: 'csv'; problem: CsvProblem; record: number; cell: number }
  | { kind: 'expression'; criterion: string; row: number; reason: string }
  | { kind: 'internal'; message: string };

/** A row a chunk rejected: its row within the chunk, and what is wrong with it. */
export interface RejectedRow {
  row: number;
  problems: CellProblem[];
}

/**
 * A chunk's rejected rows, as a few arrays and one string rather than an
 * object for each problem and its texts: a chunk's objects outlive the main
 * thread's young generation on their way, and with every row rejected they
 * kept its heap tens of megabytes larger. Made into objects again when the
 * chunk is counted, by which time they are soon done with.
 */
export interface ChunkRejects {
  /** Per rejected row: its row within the chunk, and how many problems it has. */
  rows: number[];
  problems: number[];
  /** Per problem: its column and reason as indexes into `texts`, and the length of its value in `values`. */
  columns: number[];
  reasons: number[];
  valueLengths: number[];
  values: string;
  texts: string[];
}

export function packRejects(rejected: readonly RejectedRow[]): ChunkRejects {
  const packed: ChunkRejects = { rows: [], problems: [], columns: [], reasons: [], valueLengths: [], values: '', texts: [] };
  const textIndex = new Map<string, number>();
  const indexOf = (text: string) => {
    let index = textIndex.get(text);
    if (index === undefined) textIndex.set(text, (index = packed.texts.push(text) - 1));
    return index;
  };
  const values: string[] = [];
  for (const { row, problems } of rejected) {
    packed.rows.push(row);
    packed.problems.push(problems.length);
    for (const problem of problems) {
      packed.columns.push(indexOf(problem.column));
      packed.reasons.push(indexOf(problem.reason));
      packed.valueLengths.push(problem.value.length);
      values.push(problem.value);
    }
  }
  packed.values = values.join('');
  return packed;
}

/** The rows of packRejects again, each problem in `file` at its row in the file: `rowsBefore` on from its row within the chunk. */
export function unpackRejects(packed: ChunkRejects, file: string, rowsBefore: number): RejectedRow[] {
  let problem = 0;
  let at = 0;
  return packed.rows.map((row, r) => {
    const problems: CellProblem[] = [];
    for (let end = problem + (packed.problems[r] as number); problem < end; problem++) {
      const length = packed.valueLengths[problem] as number;
      problems.push({ file, row: rowsBefore + row, column: packed.texts[packed.columns[problem] as number] as string, value: packed.values.slice(at, at + length), reason: packed.texts[packed.reasons[problem] as number] as string });
      at += length;
    }
    return { row, problems };
  });
}

export interface ChunkResult {
  seq: number;
  /** The task's bytes' memory, handed back for the file to be read into again. */
  spent: ArrayBuffer;
  /** Size of the chunk in bytes, for a progress display. */
  bytes: number;
  /** Records in the chunk, blank lines and the header included: where the next chunk's row numbers start. */
  records: number;
  cases: ChunkCases;
  rejects: ChunkRejects;
  /** Scoring stopped here; everything before it in the chunk is in the result. */
  failure?: ChunkFailure;
}
