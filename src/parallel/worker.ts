// A worker thread of a parallel run: scores whole chunks of one export and
// sends back what each row came to. See scored-chunks.ts and scoreInParallel in pipeline.ts.
import { isAscii } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { AsciiKernel } from '../cases/ascii-kernel.js';
import { CsvRecords, CsvSyntaxError } from '../cases/csv-records.js';
import { MAX_RECORD_CHARACTERS } from '../cases/read-csv.js';
import { LazyText, RecordBuilder, type RecordBatch } from '../cases/record-batch.js';
import { pseudonymiser } from '../cases/redact.js';
import { decodeWhole } from '../cases/sniff.js';
import { restoreRubric } from '../rubric/cache.js';
import { NeedsEvaluator } from '../rubric/needs-evaluator.js';
import { CaseScorer } from '../scoring/case-scorer.js';
import { ChunkScorer } from '../scoring/chunk-scorer.js';
import { ExpressionRuntimeError } from '../scoring/evaluate.js';
import { groupingOf } from '../summary/group.js';
import { packRejects, type ChunkFailure, type ChunkResult, type ChunkTask, type WorkerSetup } from './protocol.js';
import { ScoredCases } from './scored-cases.js';

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

const cases = new ScoredCases(rubric, scorer, chunkScorer, groups !== undefined);

/** Set when a rubric fault must be described by the general evaluator, which is then loaded and the chunk scored again. */
let needsEvaluator: NeedsEvaluator | undefined;

function scoreChunk(task: ChunkTask): ChunkResult {
  cases.clear();
  let failure: ChunkFailure | undefined;
  const read: ChunkReading = { count: 0 };
  // Scored a slice at a time: a slice's cells stay in the processor's cache while each of its columns is read in turn.
  // Rows are numbered within the chunk; the main thread adds the rows before it.
  for (const records of chunkSlices(task, read)) {
    let stopped: ExpressionRuntimeError | undefined;
    try {
      stopped = cases.score(records);
    } catch (error) {
      if (!(error instanceof NeedsEvaluator)) throw error;
      needsEvaluator = error;
      break;
    }
    if (stopped) {
      failure = { kind: 'expression', criterion: stopped.criterion, row: stopped.where.row, reason: stopped.reason };
      break;
    }
  }
  failure ??= read.failure;
  return { seq: task.seq, spent: task.bytes.buffer as ArrayBuffer, bytes: task.bytes.length, records: read.count, cases: cases.result(), rejects: packRejects(cases.rejects), ...(failure ? { failure } : {}) };
}

parentPort?.on('message', async (task: ChunkTask) => {
  cases.recycle(task.recycled);
  let result: ChunkResult;
  try {
    result = scoreChunk(task);
    if (needsEvaluator) {
      await needsEvaluator.load();
      needsEvaluator = undefined;
      result = scoreChunk(task);
    }
  } catch (error) {
    cases.clear();
    result = { seq: task.seq, spent: task.bytes.buffer as ArrayBuffer, bytes: task.bytes.length, records: 0, cases: cases.result(), rejects: packRejects([]), failure: { kind: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
  parentPort?.postMessage(result, [result.cases.fingerprint.buffer as ArrayBuffer, result.spent]);
});
