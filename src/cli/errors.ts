import { CommanderError } from 'commander';
import { InputError } from '../cases/errors.js';
import { ScratchFileError } from '../cases/first-places.js';
import { RubricError } from '../rubric/diagnostics.js';
import { ExpressionRuntimeError } from '../scoring/evaluate.js';
import { GroupingError } from '../summary/group.js';

/** 1 means "findings over a threshold" (or failing tests), so an internal fault gets its own code, 70 (EX_SOFTWARE). */
export const EXIT = { ok: 0, failed: 1, usage: 2, input: 3, internal: 70 } as const;

/** A wrong or missing argument. */
export class UsageError extends Error {}

/** Every kind of failure mapped to its exit code and a message for the auditor, in one place. */
export function describeFailure(error: unknown): { code: number; message: string } {
  if (error instanceof RubricError) {
    const count = error.diagnostics.length;
    return { code: EXIT.usage, message: `the rubric cannot be used (${count} ${count === 1 ? 'error' : 'errors'}):\n${error.message}` };
  }
  if (error instanceof InputError) return { code: EXIT.input, message: error.message };
  if (error instanceof UsageError || error instanceof GroupingError || error instanceof ScratchFileError) return { code: EXIT.usage, message: error.message };
  if (error instanceof ExpressionRuntimeError) return { code: EXIT.usage, message: `${error.message}\nThis is a fault in the rubric, not in the case; fix the expression and run again.` };
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? EXIT.ok : EXIT.usage, message: '' };
  const detail = error instanceof Error ? error.message : String(error);
  return { code: EXIT.internal, message: `internal error: ${detail}\nThis is a bug in audit; please report it with the command you ran.` };
}
