import type { Grade } from '../rubric/schema.js';
import type { GradeCounts } from '../summary/summary.js';

export interface Target {
  grade: Grade;
  comparison: '<=' | '>=' | '<' | '>';
  percent: number;
  /** As the user wrote it, tidied: "inadequate <= 10%". */
  text: string;
}

export class TargetError extends Error {}

const TARGET = /^\s*(good|requires[ -]improvement|inadequate)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*%?\s*$/i;

/** Parses "inadequate<=10%,good>=40%": a grade, a comparison and a percentage, comma-separated. */
export function parseTargets(text: string): Target[] {
  return text.split(',').map((part) => {
    const match = TARGET.exec(part);
    if (!match) {
      throw new TargetError(`--targets: '${part.trim()}' is not a target; write a grade, a comparison and a percentage, such as inadequate<=10% or good>=40%`);
    }
    const grade = match[1]!.toLowerCase().replace(' ', '-') as Grade;
    const percent = Number(match[3]);
    if (percent > 100) throw new TargetError(`--targets: '${part.trim()}': a percentage cannot be over 100`);
    const comparison = match[2] as Target['comparison'];
    return { grade, comparison, percent, text: `${grade} ${comparison} ${percent}%` };
  });
}

/** Whether a set of cases meets a target. With no cases there is nothing to meet or miss. */
export function meetsTarget(target: Target, counts: GradeCounts): boolean | null {
  if (counts.cases === 0) return null;
  const share = (100 * counts[target.grade]) / counts.cases;
  switch (target.comparison) {
    case '<=':
      return share <= target.percent;
    case '>=':
      return share >= target.percent;
    case '<':
      return share < target.percent;
    case '>':
      return share > target.percent;
  }
}

