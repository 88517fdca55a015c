import { migrate } from '../diff/case-migration.js';
import { compareRubrics } from '../diff/rubric-change.js';
import { scoreWithEngine } from '../engines/choose.js';
import { DIFF_FORMATS } from '../render/formats.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffText, type DiffReport } from '../render/diff.js';
import { compileRubric, type CompiledRubric } from '../rubric/compile.js';
import type { CaseResult } from '../scoring/outcome.js';
import { EXIT } from './errors.js';
import { choice, parseAsOf } from './options.js';
import { readText } from './rubric-files.js';
import { inputOpener, redactor, type InputOptions } from './input-options.js';

export interface DiffCommandOptions extends InputOptions {
  format: string;
  failOnChange?: boolean;
  asOf?: string;
}

async function gradeAll(rubric: CompiledRubric, files: string[], asOf: Date, options: InputOptions) {
  const results = new Map<string, CaseResult>();
  const redact = redactor(options, process.env);
  const summary = await scoreWithEngine('auto', rubric, files, inputOpener(files, options), { asOf, ...(redact ? { redact } : {}), onResult: (result) => results.set(result.id, result) }, () => undefined);
  return { results, summary };
}

export async function diffCommand(oldFile: string, newFile: string, caseFiles: string[], options: DiffCommandOptions): Promise<number> {
  const format = choice('--format', options.format, DIFF_FORMATS);
  const asOf = parseAsOf(options.asOf, new Date());
  const before = compileRubric(await readText(oldFile), oldFile);
  const after = compileRubric(await readText(newFile), newFile);
  const report: DiffReport = { change: compareRubrics(before, after) };
  if (caseFiles.length > 0) {
    const old = await gradeAll(before, caseFiles, asOf, options);
    const next = await gradeAll(after, caseFiles, asOf, options);
    report.cases = migrate(old.results, next.results, old.summary, next.summary);
  }
  process.stdout.write(format === 'text' ? renderDiffText(report) : format === 'markdown' ? renderDiffMarkdown(report) : renderDiffJson(report));
  return options.failOnChange && (report.cases?.changed.length ?? 0) > 0 ? EXIT.failed : EXIT.ok;
}
