import { Chalk } from 'chalk';
import type { CaseRecord } from '../cases/coerce.js';
import type { CompiledRubric } from '../rubric/compile.js';
import type { Grade } from '../rubric/schema.js';
import type { CriterionOutcome, Outcome } from '../scoring/outcome.js';
import { formatValue } from './values.js';

export interface Explanation {
  rubric: CompiledRubric;
  record: CaseRecord;
  outcomes: CriterionOutcome[];
  grade: Grade;
  /** The grade the rubric gave, when a moderator changed it. */
  computedGrade?: Grade;
}

const OUTCOME_LABEL: Record<Outcome, string> = {
  met: 'met',
  'not-met': 'NOT MET',
  'not-applicable': 'not applicable',
  'not-assessed': 'not assessed',
};

function areaLabel(rubric: CompiledRubric, value: string): string {
  return rubric.areas.find((a) => a.value === value)?.label ?? value;
}

function gradeReason({ rubric, outcomes, grade }: Explanation): string {
  const notMet = outcomes.filter((o) => o.outcome === 'not-met');
  if (grade === 'good') return 'every criterion that applied was met';
  const limiting = notMet.filter((o) => rubric.criteria.find((c) => c.id === o.id)?.on_fail === 'inadequate');
  if (grade === 'inadequate' && limiting.length === 0) {
    return `${notMet.length} requires-improvement shortfalls; ${rubric.escalateAfter} or more make a case inadequate`;
  }
  const causes = grade === 'inadequate' ? limiting : notMet;
  return `not met: ${causes.map((o) => o.id).join(', ')}`;
}

/** Why one case got its grade: every criterion, its outcome, the values it looked at, and the guidance. */
export function renderExplanation(explanation: Explanation, options: { color: boolean }): string {
  const { rubric, record, outcomes, grade } = explanation;
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<Outcome, (s: string) => string> = {
    met: chalk.green,
    'not-met': chalk.red.bold,
    'not-applicable': chalk.dim,
    'not-assessed': chalk.yellow,
  };
  const lines = [
    chalk.bold(`Case ${record.id}`),
    `Source: ${record.file}, row ${record.row}`,
    `Rubric: ${rubric.id} version ${rubric.version}`,
    `Area: ${areaLabel(rubric, record.area)}`,
    explanation.computedGrade
      ? `Grade: ${chalk.bold(grade)}, set by a moderator; the rubric gave ${explanation.computedGrade} (${gradeReason({ ...explanation, grade: explanation.computedGrade })})`
      : `Grade: ${chalk.bold(grade)} (${gradeReason(explanation)})`,
    '',
  ];
  const indent = ' '.repeat(16);
  rubric.criteria.forEach((criterion, index) => {
    const outcome = outcomes[index];
    if (!outcome) return;
    lines.push(`${paint[outcome.outcome](OUTCOME_LABEL[outcome.outcome].padEnd(14))}  ${criterion.id}${criterion.title ? `: ${criterion.title}` : ''}`);
    // A criterion that does not apply needs no more than its name.
    if (outcome.outcome === 'not-applicable') return;
    const used = [...new Set([...(criterion.applies?.fields ?? []), ...criterion.check.fields])];
    lines.push(`${indent}on fail: ${criterion.on_fail}${criterion.stage ? `, stage: ${criterion.stage}` : ''}`);
    if (used.length > 0) lines.push(`${indent}values: ${used.map((f) => `${f} = ${formatValue(record.values[f])}`).join(', ')}`);
    if (outcome.missing.length > 0) {
      const consequence = outcome.outcome === 'not-met' ? 'counted as not met (when_missing: fail)' : 'left out of the grade';
      lines.push(`${indent}not recorded: ${outcome.missing.join(', ')}, so ${consequence}`);
    }
    if (criterion.guidance) lines.push(`${indent}guidance: ${criterion.guidance.trim()}`);
    if (criterion.reference) lines.push(`${indent}reference: ${criterion.reference.trim()}`);
  });
  return `${lines.join('\n')}\n`;
}
