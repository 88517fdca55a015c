import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AsciiKernel } from '../../src/cases/ascii-kernel.js';
import { CsvRecords } from '../../src/cases/csv-records.js';
import { RECORD } from '../../src/cases/field-columns.js';
import { LazyText, type RecordBatch } from '../../src/cases/record-batch.js';
import type { CompiledRubric } from '../../src/rubric/compile.js';
import { GRADES } from '../../src/rubric/constants.js';
import { CaseScorer, type ScorerOptions } from '../../src/scoring/case-scorer.js';
import { ChunkScorer } from '../../src/scoring/chunk-scorer.js';
import { outcomeCodes } from '../../src/scoring/outcome.js';
import { grouping } from '../../src/summary/group.js';
import { ROOT } from '../e2e/run.js';
import { AS_OF, compile } from '../helpers.js';

/**
 * Scores the batch both ways. Every record the chunk scorer scores must get
 * the verdict CaseScorer gives it; the records it leaves are scored by
 * CaseScorer in use, so they need no comparison. Returns how many it scored.
 */
function agree(rubric: CompiledRubric, batch: RecordBatch, header: string[], options: ScorerOptions): { scored: number; onItsOwn: number } {
  const rowByRow = new CaseScorer('export.csv', header, rubric, options);
  const chunk = ChunkScorer.for('export.csv', header, rubric, new CaseScorer('export.csv', header, rubric, options), options);
  expect(chunk).toBeDefined();
  chunk!.score(batch);
  const criteria = rubric.criteria.length;
  const counts = { scored: 0, onItsOwn: 0 };
  for (let r = 0; r < batch.count; r++) {
    const kind = chunk!.records[r];
    expect(kind === RECORD.blank, `record ${r} blank`).toBe(r < batch.from || batch.isBlank(r));
    if (kind === RECORD.readOnItsOwn) counts.onItsOwn++;
    if (kind !== RECORD.readInColumns) continue;
    counts.scored++;
    const verdict = rowByRow.score(batch, r);
    expect(verdict.kind, `record ${r}: ${JSON.stringify(batch.cells(r))}`).toBe('scored');
    if (verdict.kind !== 'scored') continue;
    expect(
      { id: chunk!.id(r), area: chunk!.area(r), grade: GRADES[chunk!.grades[r] as number], codes: [...chunk!.codes.subarray(r * criteria, (r + 1) * criteria)], group: chunk!.group(r) },
      `record ${r}: ${JSON.stringify(batch.cells(r))}`,
    ).toEqual({ id: verdict.record.id, area: verdict.record.area, grade: verdict.grade, codes: [...outcomeCodes(verdict.outcomes)], group: verdict.group });
  }
  return counts;
}

const PROPERTY_RUBRIC = compile(`id: chunk-test
version: 1.0.0
case: { id: ref, area: area, date: opened, moderated_grade: moderated, moderation_reason: reason }
fields:
  ref: { type: string }
  area: { type: enum, values: [cse, missing, custody] }
  team: { type: string }
  flag: { type: boolean }
  other: { type: boolean }
  n: { type: integer }
  x: { type: number }
  opened: { type: date }
  at: { type: datetime }
  risk: { type: enum, values: [low, no-apparent-risk, high] }
  moderated: { type: enum, values: [good, requires-improvement, inadequate], optional: true }
  reason: { type: string, optional: true }
escalate_after: 2
criteria:
  - { id: c1, applies: flag, check: other, on_fail: inadequate }
  - { id: c2, check: n >= 3 && x < 10.5, on_fail: requires-improvement }
  - { id: c3, applies: area == "cse", check: 'risk in ["high", "low"]', when_missing: fail, on_fail: requires-improvement }
  - { id: c4, check: team != null && team == "North", on_fail: requires-improvement }
  - { id: c5, applies: opened != null, check: "days_between(opened, at) <= 3 && hours_between(at, as_of) > 0.0", on_fail: inadequate }
  - { id: c6, check: "!(risk == \\"no-apparent-risk\\" && n < 12)", when_missing: fail, on_fail: requires-improvement }
  - { id: c7, applies: at >= date("2014-01-01") || other, check: "flag ? n != null : x != null", on_fail: requires-improvement }
`);
const HEADER = ['ref', 'area', 'team', 'flag', 'other', 'n', 'x', 'opened', 'at', 'risk', 'moderated', 'reason'];

/**
 * Cells as exports write them: good, empty, padded, quoted, and some that
 * cannot be read; padded also with spaces beyond ASCII (no-break, em, ideographic,
 * byte-order mark), which trim removes, and with other characters beyond ASCII.
 */
const cellsFor: Record<string, fc.Arbitrary<string>> = {
  ref: fc.constantFrom('A-1', 'A-2', ' B-3 ', '', 'C "4"', '1234', '\u00a0A-1', 'Ñ-5'),
  area: fc.constantFrom('cse', 'missing', 'custody', 'CSE', ' missing', '', 'elsewhere', 'cse\u3000', '\u00a0'),
  team: fc.constantFrom('North', 'South', ' North ', '', 'say "hi"', 'Nörth'),
  flag: fc.constantFrom('Y', 'N', 'yes', 'No', '', ' Y', 'maybe', '\u00a0N', 'Y\u2003', 'Ý', '\t'),
  other: fc.constantFrom('Y', 'N', 'true', '0', '', '\ufeffY'),
  n: fc.constantFrom('0', '3', '12', '40', '-2', '+7', '', '1,000', 'x', '9007199254740993', '123456789', '1234567890', '\u00a012', '１２'),
  x: fc.constantFrom('1.5', '10.5', '11', '-3', '', '2e1', 'NaN'),
  opened: fc.constantFrom('2014-06-03', '03/06/2014', '2014-6-3', '', '31/02/2014', '2013-12-30', '2014-06-03\u00a0', '2014–06–03'),
  at: fc.constantFrom('2014-06-04 10:00', '04/06/2014 23:59', '2014-06-04T08:30:00', '', '2014-06-04 25:00', '2013-12-31 12:00', '\u20282014-06-04 10:00', '2014-06-04\u00a010:00'),
  risk: fc.constantFrom('low', 'high', 'no-apparent-risk', 'No Apparent Risk', '', 'medium', 'high\u00a0', 'lów'),
  moderated: fc.constantFrom('', '', '', 'good', 'inadequate'),
  reason: fc.constantFrom('', 'agreed at panel'),
};

const quoted = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
const row = fc.tuple(...HEADER.map((name) => cellsFor[name] as fc.Arbitrary<string>), fc.boolean()).map((cells) => {
  const quoteAll = cells.pop() as boolean;
  return (cells as string[]).map((cell) => (quoteAll || /[",]/.test(cell) ? quoted(cell) : cell)).join(',');
});
const line = fc.oneof({ weight: 12, arbitrary: row }, fc.constant(''), fc.constant(HEADER.join(',')), fc.constant('A-9,cse,North'), fc.constant(',,,,,,,,,,,'));

describe('scoring a chunk at once gives what scoring row by row gives', () => {
  it('on every row of the June 2014 fixture, grouped by team and by month', () => {
    const rubric = compile(readFileSync(path.join(ROOT, 'rubrics', 'hmic-ncpi-child-protection.yaml'), 'utf8'));
    const batch = new CsvRecords(',', 1_000_000).end(readFileSync(path.join(ROOT, 'fixtures', 'wmp-2014-06.csv'), 'utf8')).startingAt(1);
    const header = new CsvRecords(',', 1_000_000).end(readFileSync(path.join(ROOT, 'fixtures', 'wmp-2014-06.csv'), 'utf8')).cells(0);
    for (const by of [undefined, 'team', 'month']) {
      const counts = agree(rubric, batch, header, { asOf: AS_OF, transient: true, ...(by ? { grouping: grouping(rubric, by) } : {}) });
      expect(counts.scored + counts.onItsOwn).toBe(115);
      // Only rows that are not ordinary are left to be scored on their own; the fixture's are nearly all ordinary.
      expect(counts.scored).toBeGreaterThan(100);
    }
  });

  it('on the benchmark’s rows, redacted', () => {
    const text = readFileSync(path.join(ROOT, 'scripts', 'bench', 'rubric.yaml'), 'utf8');
    const rubric = compile(text);
    const csv = ['case_ref,area,team,referred_on,referred_at,age,threshold_met,referred_to_sc,strategy_at,voice,supervisor,intel_submitted,intel_followed,suspect_on,arrested_on,risk_grade,episodes,returned_at,interview_at,overnight,transfer,certificate,dash,by_appointment,notes',
      'B-0,cse,Central,2016-04-03,03/04/2016 21:10,14,Y,Y,05/04/2016 03:10,Y,Y,Y,,,,medium,2,2016-04-05T16:10,06/04/2016 14:10,N,Y,N,Y,N,"Synthetic note 0, with a comma and ""quotes"""',
      'B-1,missing,Central,2018-10-20,20/10/2018 18:40,,Y,Y,22/10/2018 02:40,,Y,Y,Y,,27/10/2018,high,2,2018-10-22T02:40,24/10/2018 11:40,N,Y,N,Y,Y,"note"'].join('\n');
    const records = new CsvRecords(',', 1_000_000).end(csv);
    const counts = agree(rubric, records.startingAt(1), records.cells(0), { asOf: AS_OF, transient: true, redact: (id) => `pseudonym of ${id}` });
    expect(counts).toEqual({ scored: 2, onItsOwn: 0 });
  });

  it('reads ordinary rows of ASCII from their codes alone: a worker never decodes such a chunk', () => {
    const rubric = compile(readFileSync(path.join(ROOT, 'rubrics', 'hmic-ncpi-child-protection.yaml'), 'utf8'));
    // References as long as the first heading ('Case Ref'), so that each row is checked against the header in full.
    const csv = Buffer.from(readFileSync(path.join(ROOT, 'fixtures', 'wmp-2014-06.csv'), 'latin1').replace(/^WM-/gm, 'WM-0'), 'latin1');
    const header = new CsvRecords(',', 1_000_000).end(csv.toString('utf8')).cells(0);
    const kernel = AsciiKernel.create()!;
    kernel.load(csv);
    expect(kernel.split(0, 1e6, 44, 1e6)).toBe(csv.length);
    let decoded = 0;
    const text = new LazyText(() => {
      decoded++;
      return csv.toString('latin1');
    });
    const options = { asOf: AS_OF, transient: true };
    const chunk = ChunkScorer.for('export.csv', header, rubric, new CaseScorer('export.csv', header, rubric, options), options)!;
    const batch = kernel.batch(text, 1).withCodes(csv);
    chunk.score(batch.slice(1, batch.count));
    const ordinary = [...chunk.records.subarray(0, batch.count - 1)].filter((kind) => kind === RECORD.readInColumns).length;
    expect(ordinary).toBeGreaterThan(100);
    expect(decoded).toBe(0);
    // The text is there when something asks for it: a reference through id(), say.
    expect(chunk.id(0)).toBe('WM-00001');
    expect(decoded).toBe(1);
  });

  it('reads an enum value in a cell with doubled quotes as its text, not as the cell was split (an enum value spelt with two quotes)', () => {
    const rubric = compile(`id: quoted-values
version: 1.0.0
case: { id: ref, area: area }
fields:
  ref: { type: string }
  area: { type: enum, values: [cse] }
  say: { type: enum, values: ['say ""hi""', 'say "hi"'] }
criteria:
  - { id: said, check: 'say == "say \\"hi\\""', on_fail: inadequate }
`);
    const records = new CsvRecords(',', 1_000_000).end('ref,area,say\nA-1,cse,"say ""hi"""\nA-2,cse,"say """"hi"""""\n');
    const options = { asOf: AS_OF, transient: true };
    expect(agree(rubric, records.startingAt(1), records.cells(0), options)).toEqual({ scored: 2, onItsOwn: 0 });
    const rowByRow = new CaseScorer('export.csv', records.cells(0), rubric, options);
    expect([1, 2].map((r) => { const verdict = rowByRow.score(records, r); return verdict.kind === 'scored' ? verdict.grade : verdict.kind; })).toEqual(['good', 'inadequate']);
  });

  it('on random exports with good, empty, padded, quoted and unreadable cells, blank lines, short rows and repeated headers (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), fc.constantFrom(undefined, 'team', 'month'), (lines, by) => {
        const records = new CsvRecords(',', 1_000_000).end([HEADER.join(','), ...lines].join('\n'));
        agree(PROPERTY_RUBRIC, records.startingAt(1), HEADER, { asOf: AS_OF, transient: true, ...(by ? { grouping: grouping(PROPERTY_RUBRIC, by) } : {}) });
      }),
      { numRuns: 300 },
    );
  });

  it('whatever the types of the reference and area fields, grouped by either or by month, redacted or not (property)', () => {
    const cellsOf: Record<string, string[]> = {
      string: ['A-1', ' B 2 ', '', '"C ""3"""'],
      integer: ['7', '007', '-3', '', 'x', '9007199254740993'],
      date: ['2014-06-03', '03/06/2014', '', '31/02/2014'],
      datetime: ['2014-06-03 10:00', '03/06/2014 23:59', ''],
      boolean: ['Y', 'no', '', 'maybe'],
      enum: ['cse', 'MISSING', '', 'elsewhere'],
    };
    const types = Object.keys(cellsOf);
    const rubricFor = (idType: string, areaType: string) =>
      compile(`id: typed-roles
version: 1.0.0
case: { id: ref, area: area, date: opened }
fields:
  ref: { type: ${idType}${idType === 'enum' ? ', values: [cse, missing]' : ''} }
  area: { type: ${areaType}${areaType === 'enum' ? ', values: [cse, missing]' : ''} }
  opened: { type: date }
  flag: { type: boolean }
criteria:
  - { id: c1, check: flag, on_fail: inadequate }
  - { id: c2, applies: opened != null, check: opened < date("2014-06-04"), on_fail: requires-improvement }
`);
    const rows = (idType: string, areaType: string) =>
      fc.array(fc.tuple(fc.constantFrom(...(cellsOf[idType] as string[])), fc.constantFrom(...(cellsOf[areaType] as string[])), fc.constantFrom('2014-06-03', '2014-07-01', ''), fc.constantFrom('Y', 'N', '')), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.constantFrom(...types).chain((idType) => fc.constantFrom(...types).chain((areaType) => fc.tuple(fc.constant(idType), fc.constant(areaType), rows(idType, areaType)))),
        fc.constantFrom(undefined, 'ref', 'area', 'month'),
        fc.boolean(),
        ([idType, areaType, cells], by, redacted) => {
          const rubric = rubricFor(idType, areaType);
          const records = new CsvRecords(',', 1_000_000).end(['ref,area,opened,flag', ...cells.map((row) => row.join(','))].join('\n'));
          agree(rubric, records.startingAt(1), records.cells(0), { asOf: AS_OF, transient: true, ...(by ? { grouping: grouping(rubric, by) } : {}), ...(redacted ? { redact: (id: string) => `pseudonym of ${id}` } : {}) });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('groups by a case reference that is a date-time or a flag as row by row does, redacted or not (review finding)', () => {
    const rubric = compile(`id: date-ref
version: 1.0.0
case: { id: ref, area: area, date: ref }
fields:
  ref: { type: datetime }
  area: { type: enum, values: [cse, missing] }
  b1: { type: boolean }
criteria:
  - { id: a, check: b1, on_fail: inadequate }
`);
    const records = new CsvRecords(',', 1_000_000).end('ref,area,b1\n2014-06-03 10:00,cse,Y\n03/06/2014 11:00,missing,N\n');
    for (const by of ['month', 'ref']) {
      for (const redact of [undefined, (id: string) => `pseudonym of ${id}`]) {
        const counts = agree(rubric, records.startingAt(1), records.cells(0), { asOf: AS_OF, transient: true, grouping: grouping(rubric, by), ...(redact ? { redact } : {}) });
        expect(counts.scored).toBe(2);
      }
    }
    const chunk = ChunkScorer.for('export.csv', records.cells(0), rubric, new CaseScorer('export.csv', records.cells(0), rubric, { asOf: AS_OF }), { asOf: AS_OF, grouping: grouping(rubric, 'month') })!;
    chunk.score(records.startingAt(1));
    expect(chunk.group(1)).toBe('2014-06');
  });

  it('is not made for a rubric with an expression it cannot run over columns', () => {
    const rubric = compile(`id: arithmetic
version: 1.0.0
case: { id: ref, area: area }
fields:
  ref: { type: string }
  area: { type: enum, values: [cse] }
  n: { type: integer }
criteria:
  - { id: c1, check: n + 1 > 3, on_fail: inadequate }
`);
    const header = ['ref', 'area', 'n'];
    expect(ChunkScorer.for('export.csv', header, rubric, new CaseScorer('export.csv', header, rubric, { asOf: AS_OF }), { asOf: AS_OF })).toBeUndefined();
  });
});
