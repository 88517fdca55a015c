import { z } from 'zod';
import { GradeSchema } from '../rubric/schema.js';

export const OUTCOMES = ['met', 'not-met', 'not-applicable', 'not-assessed'] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

/** How one criterion came out for one case. Shared between cases where nothing is case-specific, so never changed once made. */
export interface CriterionOutcome {
  readonly id: string;
  readonly outcome: Outcome;
  /** Fields that were empty when the outcome depended on them (not recorded). */
  readonly missing: readonly string[];
}

/** One case, graded. */
export const CaseResultSchema = z.object({
  id: z.string(),
  area: z.string(),
  grade: GradeSchema.describe("the final grade: the moderator's where there is one"),
  /** Present only when a moderator changed the grade the rubric gave. */
  computed_grade: GradeSchema.optional().describe('the grade the rubric gave, when a moderator changed it'),
  not_met: z.array(z.string()),
});
export type CaseResult = z.infer<typeof CaseResultSchema>;
