export const OUTCOMES = ['met', 'not-met', 'not-applicable', 'not-assessed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** How one criterion came out for one case. Shared between cases where nothing is case-specific, so never changed once made. */
export interface CriterionOutcome {
  readonly id: string;
  readonly outcome: Outcome;
  /** Fields that were empty when the outcome depended on them (not recorded). */
  readonly missing: readonly string[];
}

export type { CaseResult } from '../output-schemas.js';

/**
 * Outcomes as small numbers: what a summary counts, in a form that is cheap
 * to keep per case and to pass between threads. A shortfall because the
 * information was not recorded is told apart, because the summary reports it.
 */
export const OUTCOME_CODE = { met: 0, notMet: 1, notMetNotRecorded: 2, notApplicable: 3, notAssessed: 4 } as const;
export type OutcomeCode = (typeof OUTCOME_CODE)[keyof typeof OUTCOME_CODE];

export function outcomeCode(outcome: CriterionOutcome): OutcomeCode {
  switch (outcome.outcome) {
    case 'met':
      return OUTCOME_CODE.met;
    case 'not-met':
      return outcome.missing.length > 0 ? OUTCOME_CODE.notMetNotRecorded : OUTCOME_CODE.notMet;
    case 'not-applicable':
      return OUTCOME_CODE.notApplicable;
    case 'not-assessed':
      return OUTCOME_CODE.notAssessed;
  }
}

/** The codes of a case's outcomes, written into `into` (reused from case to case). */
export function outcomeCodes(outcomes: readonly CriterionOutcome[], into: Uint8Array = new Uint8Array(outcomes.length), at = 0): Uint8Array {
  for (let i = 0; i < outcomes.length; i++) into[at + i] = outcomeCode(outcomes[i] as CriterionOutcome);
  return into;
}
