import { scoreInputs } from '../pipeline.js';
import { renderExplanation, type Explanation } from '../render/explain.js';
import { EXIT, UsageError } from './errors.js';
import { parseAsOf } from './options.js';
import { useColor } from './output.js';
import { inputOpener, redactor, type InputOptions } from './input-options.js';
import { loadCompiledRubric } from './rubric-source.js';

export interface ExplainCommandOptions extends InputOptions {
  case: string;
  rubric?: string;
  asOf?: string;
}

export async function explainCommand(files: string[], options: ExplainCommandOptions): Promise<number> {
  const asOf = parseAsOf(options.asOf, new Date());
  const open = inputOpener(files, options);
  const redact = redactor(options, process.env);
  // With --redact, the case may be named by its reference or by its pseudonym; only the pseudonym is shown.
  const wanted = new Set([options.case, ...(redact ? [redact(options.case)] : [])]);
  const rubric = await loadCompiledRubric(options.rubric);
  let found: Explanation | undefined;
  const summary = await scoreInputs(rubric, files, open, {
    asOf,
    ...(redact ? { redact } : {}),
    onCase: (result, outcomes, record) => {
      if (!found && wanted.has(result.id)) found = { rubric, record, outcomes, grade: result.grade, ...(result.computed_grade ? { computedGrade: result.computed_grade } : {}) };
    },
  });
  if (!found) {
    const rejected = summary.rowsRejected > 0 ? `; ${summary.rowsRejected} rejected rows were not scored and may include it (run audit score to list them)` : '';
    throw new UsageError(`case ${options.case} is not among the ${summary.overall.totals.cases} cases scored in ${files.join(', ')}${rejected}`);
  }
  process.stdout.write(renderExplanation(found, { color: useColor(process.stdout) }));
  return EXIT.ok;
}
