import type { CaseRecord } from '../cases/coerce.js';
import type { CompiledRubric } from '../rubric/compile.js';
import type { Grade } from '../rubric/schema.js';
import type { CriterionOutcome } from './outcome.js';

/**
 * HMIC's limiting judgement: a case is good when nothing is not met;
 * otherwise the worst `on_fail` among its shortfalls; and `escalate_after`
 * requires-improvement shortfalls together make it inadequate.
 */
export function gradeCase(rubric: CompiledRubric, outcomes: CriterionOutcome[]): Grade {
  let shortfalls = 0;
  let inadequate = false;
  for (let index = 0; index < outcomes.length; index++) {
    if (outcomes[index]?.outcome !== 'not-met') continue;
    shortfalls++;
    if (rubric.criteria[index]?.on_fail === 'inadequate') inadequate = true;
  }
  return limitingJudgement(rubric, shortfalls, inadequate);
}

/** The grade from how many criteria a case did not meet, and whether any of them is marked down to inadequate. */
export function limitingJudgement(rubric: CompiledRubric, shortfalls: number, inadequate: boolean): Grade {
  if (shortfalls === 0) return 'good';
  if (inadequate) return 'inadequate';
  if (rubric.escalateAfter !== undefined && shortfalls >= rubric.escalateAfter) return 'inadequate';
  return 'requires-improvement';
}

/** The final grade: a moderator's grade, where the rubric declares moderation and the case has one, overrides the computed one. */
export function finalGrade(rubric: CompiledRubric, record: CaseRecord, computed: Grade): Grade {
  const moderated = rubric.moderation ? record.slots[rubric.moderation.gradeSlot] : null;
  return typeof moderated === 'string' ? (moderated as Grade) : computed;
}
