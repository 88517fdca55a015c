/** Thrown by a cached expression that needs the general CEL evaluator; the caller awaits load() and evaluates again. */
export class NeedsEvaluator extends Error {
  constructor(readonly load: () => Promise<void>) {
    super('the CEL evaluator is not loaded');
  }
}
