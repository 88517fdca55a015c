import { areaRows, casesScored, type CriterionInfo, type Summary, type Tally } from './summary.js';

export interface Shortfall extends CriterionInfo {
  /** Cases assessed against the criterion: met plus not met. */
  applied: number;
  not_met: number;
  not_assessed: number;
  /** Not met as a whole-number percentage of applied. */
  percent: number;
}

export const MAX_SHORTFALLS = 10;

export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((100 * part) / whole);
}

/** Criteria most often not met, most frequent first, ties in rubric order. */
export function topShortfalls(summary: Summary, tally: Tally = summary.overall, limit = MAX_SHORTFALLS): Shortfall[] {
  return summary.rubric.criteria
    .map((info, index) => {
      const counts = tally.criteria[index];
      const notMet = counts?.['not-met'] ?? 0;
      const applied = notMet + (counts?.met ?? 0);
      return { ...info, applied, not_met: notMet, not_assessed: counts?.['not-assessed'] ?? 0, percent: percent(notMet, applied) };
    })
    .filter((s) => s.not_met > 0)
    .sort((a, b) => b.not_met - a.not_met)
    .slice(0, limit);
}

/** "Child sexual exploitation" reads "child sexual exploitation" mid-sentence; "CSE" stays "CSE". */
function midSentence(label: string): string {
  const firstWord = label.split(/\s/)[0] ?? '';
  return firstWord.length > 1 && firstWord === firstWord.toUpperCase() ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

function cases(n: number): string {
  return n === 1 ? '1 case' : `${n} cases`;
}

/** Three to six plain-English sentences a reader can quote. */
export function headlineFindings(summary: Summary): string[] {
  const total = casesScored(summary);
  if (total === 0) return ['No cases were scored.'];
  const { totals } = summary.overall;
  const findings = [
    `${totals.inadequate} of ${cases(total)} (${percent(totals.inadequate, total)}%) were inadequate.`,
    `${totals.good} (${percent(totals.good, total)}%) were good and ${totals['requires-improvement']} (${percent(totals['requires-improvement'], total)}%) required improvement.`,
  ];

  const overallRate = totals.inadequate / total;
  const worstAreas = areaRows(summary.rubric, summary.overall)
    .filter((a) => a.counts.inadequate > 0 && a.counts.inadequate / a.counts.cases >= overallRate)
    .sort((a, b) => b.counts.inadequate / b.counts.cases - a.counts.inadequate / a.counts.cases)
    .slice(0, 2);
  for (const area of worstAreas) {
    findings.push(`${area.counts.inadequate} of ${area.counts.cases} ${midSentence(area.label)} cases were inadequate.`);
  }

  const [top] = topShortfalls(summary);
  findings.push(
    top
      ? `The most frequent shortfall: "${top.title}", not met in ${top.not_met} of ${cases(top.applied)} where it applied.`
      : 'Every criterion was met in every case where it applied.',
  );
  const moderated = summary.overall.moderated.length;
  if (moderated > 0) findings.push(`${moderated === 1 ? '1 grade was' : `${moderated} grades were`} changed by a moderator; the tables use the moderated grades.`);
  if (summary.rowsRejected > 0) {
    const rows = summary.rowsRejected === 1 ? '1 row was' : `${summary.rowsRejected} rows were`;
    const where =
      summary.rejects.length === 0
        ? 'the summary counts them without listing them'
        : summary.rejectsNotListed > 0
          ? `the first ${summary.rejects.length} unreadable cells are listed under "Rejected rows", with the rows for each column`
          : 'they are listed under "Rejected rows"';
    findings.push(`${rows} rejected for unreadable values and not scored; ${where}.`);
  }
  return findings;
}
