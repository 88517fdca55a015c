// A worker thread of a parallel run: scores whole chunks of one export and
// sends back what each row came to. See score-in-parallel.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { CellProblem } from '../cases/coerce.js';
import { CsvRecords, CsvSyntaxError } from '../cases/csv-records.js';
import { isBlank, MAX_RECORD_CHARACTERS } from '../cases/read-csv.js';
import { pseudonymiser } from '../cases/redact.js';
import { reportGrouping } from '../report/build.js';
import { compileRubric } from '../rubric/compile.js';
import { GRADES, type Grade } from '../rubric/schema.js';
import { CaseScorer } from '../scoring/case-scorer.js';
import { ExpressionRuntimeError } from '../scoring/evaluate.js';
import { outcomeCodes } from '../scoring/outcome.js';
import { grouping } from '../summary/group.js';
import type { ChunkFailure, ChunkResult, ChunkTask, WorkerSetup } from './protocol.js';

const setup = workerData as WorkerSetup;
const rubric = compileRubric(setup.rubricText, setup.rubricFile);
const spec = setup.grouping;
const groups = spec?.period ? reportGrouping(rubric, spec.period, spec.by) : spec?.by !== undefined ? grouping(rubric, spec.by) : undefined;
const key = process.env.AUDIT_REDACT_KEY;
const scorer = new CaseScorer(setup.file, setup.header, rubric, {
  asOf: new Date(setup.asOf),
  ...(groups ? { grouping: groups } : {}),
  ...(setup.redact && key ? { redact: pseudonymiser(key) } : {}),
});
const criteria = rubric.criteria.length;
const gradeIndex = new Map<Grade, number>(GRADES.map((g, i) => [g, i]));

/** Strings repeated from case to case (areas, groups) are sent once per chunk, with a small index per case. */
class Interned {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
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

function records(task: ChunkTask): { records: string[][]; failure?: ChunkFailure; count: number } {
  const text = new TextDecoder(setup.encoding, { ignoreBOM: !task.first }).decode(task.bytes);
  const reader = new CsvRecords(setup.delimiter, MAX_RECORD_CHARACTERS);
  try {
    const complete = reader.push(text);
    if (task.endsRecord) complete.push(...reader.end());
    else throw new Error('a chunk that does not end at a record was read without passing the record-size limit');
    return { records: complete, count: reader.recordCount };
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { records: error.recordsBefore, failure: { kind: 'csv', problem: error.problem, record: error.record, cell: error.cell }, count: reader.recordCount };
  }
}

function scoreChunk(task: ChunkTask): ChunkResult {
  const read = records(task);
  const capacity = read.records.length;
  const rows = new Uint32Array(capacity);
  const area = new Uint16Array(capacity);
  const grade = new Uint8Array(capacity);
  const computed = new Uint8Array(capacity);
  const codes = new Uint8Array(capacity * criteria);
  const group = new Uint32Array(groups ? capacity : 0);
  const ids: string[] = [];
  const areas = new Interned();
  const groupNames = new Interned();
  const rejects: { row: number; problems: CellProblem[] }[] = [];
  let failure = read.failure;
  let count = 0;
  let headerSeen = !task.first;

  for (let i = 0; i < read.records.length; i++) {
    const cells = read.records[i] as string[];
    const row = i + 1;
    if (isBlank(cells)) continue;
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    let verdict;
    try {
      verdict = scorer.score({ row, cells });
    } catch (error) {
      if (!(error instanceof ExpressionRuntimeError)) throw error;
      failure = { kind: 'expression', criterion: error.criterion, row, reason: error.reason };
      break;
    }
    if (verdict.kind === 'rejected') {
      rejects.push({ row, problems: verdict.problems });
      continue;
    }
    rows[count] = row;
    ids.push(verdict.record.id);
    area[count] = areas.of(verdict.record.area);
    grade[count] = gradeIndex.get(verdict.grade) ?? 0;
    computed[count] = gradeIndex.get(verdict.computed) ?? 0;
    outcomeCodes(verdict.outcomes, codes.subarray(count * criteria, (count + 1) * criteria));
    if (verdict.group !== undefined) group[count] = groupNames.of(verdict.group);
    count++;
  }
  return {
    seq: task.seq,
    records: read.count,
    cases: { count, rows, ids, area, areas: areas.values, grade, computed, codes, group, groups: groupNames.values },
    rejects,
    ...(failure ? { failure } : {}),
  };
}

parentPort?.on('message', (task: ChunkTask) => {
  let result: ChunkResult;
  try {
    result = scoreChunk(task);
  } catch (error) {
    result = { seq: task.seq, records: 0, cases: { count: 0, rows: new Uint32Array(0), ids: [], area: new Uint16Array(0), areas: [], grade: new Uint8Array(0), computed: new Uint8Array(0), codes: new Uint8Array(0), group: new Uint32Array(0), groups: [] }, rejects: [], failure: { kind: 'internal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
  }
  const { cases } = result;
  parentPort?.postMessage(result, [cases.rows, cases.area, cases.grade, cases.computed, cases.codes, cases.group].map((array) => array.buffer as ArrayBuffer));
});
