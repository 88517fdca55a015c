import type { ScoreJson, TallyJson } from '../output-schemas.js';
import { headlineFindings, topShortfalls } from '../summary/findings.js';
import { areaRows, casesScored, rejectedColumns, sortedGroups, type Summary, type Tally } from '../summary/summary.js';

/** Bump when a field is removed or changes meaning; adding fields keeps the version. */
export const JSON_SCHEMA_VERSION = 2;


function tallyJson(summary: Summary, tally: Tally): TallyJson {
  return {
    totals: { ...tally.totals },
    areas: areaRows(summary.rubric, tally).map((a) => ({ area: a.value, label: a.label, ...a.counts })),
    criteria: summary.rubric.criteria.map((c, i) => ({ ...c, met: 0, 'not-met': 0, 'not-applicable': 0, 'not-assessed': 0, not_recorded: 0, ...tally.criteria[i] })),
    shortfalls: topShortfalls(summary, tally).map((s) => ({ id: s.id, applied: s.applied, 'not-met': s.not_met, percent: s.percent })),
    moderated: tally.moderated,
  };
}

export function toJsonDocument(summary: Summary): ScoreJson {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    rubric: { id: summary.rubric.id, version: summary.rubric.version, title: summary.rubric.title, sha256: summary.rubric.sha256 },
    as_of: summary.asOf,
    input: { files: summary.files, rows_read: summary.rowsRead, cases_scored: casesScored(summary), rows_rejected: summary.rowsRejected },
    ...tallyJson(summary, summary.overall),
    findings: headlineFindings(summary),
    ...(summary.groupBy !== undefined
      ? { groups: { by: summary.groupBy, values: sortedGroups(summary).map(([value, tally]) => ({ value, ...tallyJson(summary, tally) })) } }
      : {}),
    rejects: summary.rejects,
    rejects_not_listed: summary.rejectsNotListed,
    rejected_by_column: rejectedColumns(summary),
  };
}

export function renderJson(summary: Summary): string {
  return `${JSON.stringify(toJsonDocument(summary), null, 2)}\n`;
}
