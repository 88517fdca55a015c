import type { CaseMigration, ChangedCase } from '../diff/case-migration.js';
import { hasChanges, type RubricChange } from '../diff/rubric-change.js';
import { GRADES, type Grade } from '../rubric/constants.js';
import { areaRows, emptyGradeCounts, type GradeCounts } from '../summary/summary.js';
import { escapeMarkdown, markdownTable } from './markdown.js';
import type { Grid } from './sections.js';
import { textTable } from './text-table.js';


export interface DiffReport {
  change: RubricChange;
  cases?: CaseMigration;
}

const GRADE_LABEL: Record<Grade, string> = { good: 'good', 'requires-improvement': 'requires improvement', inadequate: 'inadequate' };

function changeLines(change: RubricChange): string[] {
  const lines = [
    `Old: ${change.old.file} (${change.old.id} ${change.old.version})`,
    `New: ${change.new.file} (${change.new.id} ${change.new.version})`,
  ];
  if (!hasChanges(change)) return [...lines, 'No criteria or fields changed.'];
  if (change.old.version === change.new.version) lines.push(`The rubric changed but its version did not (${change.new.version}).`);
  const list = (label: string, items: string[]) => (items.length > 0 ? [`${label}: ${items.join(', ')}`] : []);
  lines.push(
    ...list('Criteria added', change.criteriaAdded),
    ...list('Criteria removed', change.criteriaRemoved),
    ...list('Criteria changed', change.criteriaChanged.map((c) => `${c.id} (${c.parts.join(', ')})`)),
    ...list('Fields added', change.fieldsAdded),
    ...list('Fields removed', change.fieldsRemoved),
    ...list('Fields changed', change.fieldsChanged.map((f) => `${f.name} (${f.from} → ${f.to})`)),
  );
  if (change.escalateAfter) lines.push(`escalate_after: ${change.escalateAfter.from ?? 'not set'} → ${change.escalateAfter.to ?? 'not set'}`);
  return lines;
}

function matrixGrid(cases: CaseMigration): Grid {
  return {
    columns: [{ header: 'Old grade \\ new grade', align: 'left' }, ...GRADES.map((g) => ({ header: GRADE_LABEL[g], align: 'right' as const }))],
    rows: GRADES.map((from) => [GRADE_LABEL[from], ...GRADES.map((to) => String(cases.matrix[from][to]))]),
  };
}

function why(change: RubricChange, c: ChangedCase): string {
  const parts = [
    ...(c.newlyNotMet.length > 0 ? [`now not met: ${c.newlyNotMet.join(', ')}`] : []),
    ...(c.noLongerNotMet.length > 0 ? [`no longer not met: ${c.noLongerNotMet.join(', ')}`] : []),
  ];
  // Criteria still not met whose on_fail changed move the grade too, as does escalate_after.
  const reweighed = change.criteriaChanged.filter((x) => x.parts.includes('on_fail') && c.stillNotMet.includes(x.id)).map((x) => x.id);
  if (reweighed.length > 0) parts.push(`on_fail changed: ${reweighed.join(', ')}`);
  if (change.escalateAfter) parts.push(`escalate_after ${change.escalateAfter.from ?? 'not set'} → ${change.escalateAfter.to ?? 'not set'}`);
  return parts.join('; ');
}

function changedGrid(change: RubricChange, cases: CaseMigration): Grid {
  return {
    columns: ['Case', 'Area', 'Old grade', 'New grade', 'Why'].map((header) => ({ header, align: 'left' as const })),
    rows: cases.changed.map((c) => [c.id, c.area, GRADE_LABEL[c.from], GRADE_LABEL[c.to], why(change, c)]),
  };
}

function delta(before: number, after: number): string {
  if (before === after) return String(after);
  return `${before} → ${after} (${after > before ? '+' : ''}${after - before})`;
}

function areaDeltaGrid(cases: CaseMigration): Grid {
  const oldAreas = new Map(areaRows(cases.before.rubric, cases.before.overall).map((a) => [a.value, a.counts]));
  const newAreas = areaRows(cases.after.rubric, cases.after.overall);
  const labels = new Map(newAreas.map((a) => [a.value, a.label]));
  for (const [value] of oldAreas) if (!labels.has(value)) labels.set(value, value);
  const row = (label: string, before: GradeCounts, after: GradeCounts) => [
    label,
    delta(before.cases, after.cases),
    ...GRADES.map((g) => delta(before[g], after[g])),
  ];
  const rows = [...labels].map(([value, label]) =>
    row(label, oldAreas.get(value) ?? emptyGradeCounts(), newAreas.find((a) => a.value === value)?.counts ?? emptyGradeCounts()),
  );
  rows.push(row('Total', cases.before.overall.totals, cases.after.overall.totals));
  return {
    columns: [{ header: 'Area', align: 'left' }, ...['Cases', 'Good', 'Requires improvement', 'Inadequate'].map((header) => ({ header, align: 'right' as const }))],
    rows,
    totalRow: rows.length - 1,
  };
}

function caseSentences(cases: CaseMigration): string[] {
  const changed = cases.changed.length;
  return [
    `${cases.scoredByBoth} cases scored under both rubrics; ${changed === 1 ? '1 case changed' : `${changed} cases changed`} grade.`,
    ...(cases.onlyOld + cases.onlyNew > 0 ? [`${cases.onlyOld} cases were scored only under the old rubric and ${cases.onlyNew} only under the new (rejected by the other).`] : []),
  ];
}

export function renderDiffText({ change, cases }: DiffReport): string {
  const lines = ['Rubric change', ...changeLines(change)];
  if (cases) {
    lines.push('', `Cases: ${cases.after.files.join(', ')}`, ...caseSentences(cases), '', 'Grade migration (rows: old grade, columns: new grade)', ...textTable(matrixGrid(cases).columns, matrixGrid(cases).rows));
    if (cases.changed.length > 0) lines.push('', 'Cases that changed grade', ...textTable(changedGrid(change, cases).columns, changedGrid(change, cases).rows));
    lines.push('', 'Case file audit results by area: old → new', ...textTable(areaDeltaGrid(cases).columns, areaDeltaGrid(cases).rows));
  }
  return `${lines.join('\n')}\n`;
}

/** For a pull-request comment or a CI step summary. */
export function renderDiffMarkdown({ change, cases }: DiffReport): string {
  const lines = ['## Rubric change', '', ...changeLines(change).map((l) => `- ${escapeMarkdown(l)}`)];
  if (cases) {
    lines.push('', '## How the cases move', '', ...caseSentences(cases), '', ...markdownTable(matrixGrid(cases)));
    if (cases.changed.length > 0) lines.push('', '### Cases that changed grade', '', ...markdownTable(changedGrid(change, cases)));
    lines.push('', '### Case file audit results by area: old → new', '', ...markdownTable(areaDeltaGrid(cases)));
  }
  return `${lines.join('\n')}\n`;
}

export function renderDiffJson({ change, cases }: DiffReport): string {
  const json = {
    change: {
      old: change.old,
      new: change.new,
      criteria: { added: change.criteriaAdded, removed: change.criteriaRemoved, changed: change.criteriaChanged },
      fields: { added: change.fieldsAdded, removed: change.fieldsRemoved, changed: change.fieldsChanged },
      escalate_after: change.escalateAfter ?? null,
    },
    ...(cases
      ? {
          cases: {
            files: cases.after.files,
            scored_by_both: cases.scoredByBoth,
            only_old: cases.onlyOld,
            only_new: cases.onlyNew,
            changed_count: cases.changed.length,
            matrix: cases.matrix,
            changed: cases.changed.map((c) => ({ id: c.id, area: c.area, from: c.from, to: c.to, newly_not_met: c.newlyNotMet, no_longer_not_met: c.noLongerNotMet })),
            totals: { old: cases.before.overall.totals, new: cases.after.overall.totals },
          },
        }
      : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
