import { lintRubric } from '../rubric/compile.js';
import { LINT_FORMATS } from '../render/formats.js';
import { renderLintGithub, renderLintJson, renderLintSarif, renderLintText, type LintResult } from '../render/diagnostics.js';
import { EXIT, UsageError } from './errors.js';
import { choice } from './options.js';
import { expandRubricPaths, packageVersion, readText } from './rubric-files.js';

export interface LintCommandOptions {
  format: string;
  maxWarnings?: string;
}

export async function lintCommand(paths: string[], options: LintCommandOptions): Promise<number> {
  const format = choice('--format', options.format, LINT_FORMATS);
  const maxWarnings = options.maxWarnings === undefined ? undefined : Number(options.maxWarnings);
  if (maxWarnings !== undefined && (!Number.isInteger(maxWarnings) || maxWarnings < 0)) {
    throw new UsageError(`--max-warnings ${options.maxWarnings}: give a whole number, 0 or more`);
  }
  const files = await expandRubricPaths(paths);
  const result: LintResult = { files, diagnostics: [] };
  for (const file of files) result.diagnostics.push(...lintRubric(await readText(file), file));

  const output =
    format === 'text' ? renderLintText(result)
    : format === 'json' ? renderLintJson(result)
    : format === 'github' ? renderLintGithub(result)
    : renderLintSarif(result, { version: await packageVersion() });
  process.stdout.write(output);

  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  if (errors > 0) return EXIT.failed;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    process.stderr.write(`audit: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
