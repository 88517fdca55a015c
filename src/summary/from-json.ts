import type { ScoreJson, TallyJson } from '../output-schemas.js';
import { emptyTally, type Summary, type Tally } from './summary.js';

/**
 * A summary as `audit score --format json` wrote it, read back so that
 * summaries of parts of the data (shards, months, forces) can be merged and
 * everything derived from the counts (shortfalls, findings, intervals)
 * worked out again from the whole.
 */
export function summaryFromJson(document: ScoreJson): Summary {
  const tally = (json: TallyJson): Tally => ({
    ...emptyTally(json.criteria.length),
    totals: { ...json.totals },
    areas: new Map(json.areas.filter((a) => a.cases > 0).map(({ area, cases, good, inadequate, ...rest }) => [area, { cases, good, 'requires-improvement': rest['requires-improvement'], inadequate }])),
    criteria: json.criteria.map((c) => ({ met: c.met, 'not-met': c['not-met'], 'not-applicable': c['not-applicable'], 'not-assessed': c['not-assessed'], not_recorded: c.not_recorded })),
    moderated: json.moderated.map((m) => ({ ...m })),
  });
  return {
    rubric: {
      id: document.rubric.id,
      version: document.rubric.version,
      title: document.rubric.title,
      sha256: document.rubric.sha256,
      areas: document.areas.map((a) => ({ value: a.area, label: a.label })),
      criteria: document.criteria.map((c) => ({ id: c.id, title: c.title, ...(c.stage !== undefined ? { stage: c.stage } : {}), on_fail: c.on_fail })),
    },
    asOf: document.as_of,
    files: [...document.input.files],
    rowsRead: document.input.rows_read,
    rowsRejected: document.input.rows_rejected,
    rejects: document.rejects.map((r) => ({ ...r })),
    rejectsNotListed: document.rejects_not_listed,
    // The JSON keeps each column's count of rows and its first reason; the first problem itself is the first listed for that column, where there is one.
    rejectedColumns: new Map(
      document.rejected_by_column.map(({ column, rows, example }) => [column, { rows, first: document.rejects.find((r) => r.column === column) ?? { file: document.input.files[0] ?? '', row: 0, column, value: '', reason: example } }]),
    ),
    overall: tally(document),
    ...(document.groups ? { groupBy: document.groups.by } : {}),
    groups: new Map((document.groups?.values ?? []).map((group) => [group.value, tally(group)])),
  };
}
