/** Thrown by a cached expression that needs the general CEL evaluator; the caller awaits load() and evaluates again. */
export class NeedsEvaluator extends Error {
  constructor(readonly load: () => Promise<void>) {
    super('the CEL evaluator is not loaded');
  }
}

/** Runs `evaluate`; when it needs the general evaluator, loads it and runs `evaluate` again. */
export async function withEvaluator<T>(evaluate: () => T): Promise<T> {
  try {
    return evaluate();
  } catch (error) {
    if (!(error instanceof NeedsEvaluator)) throw error;
    await error.load();
    return evaluate();
  }
}
