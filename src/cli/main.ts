import { Command, Option } from 'commander';
import { describeFailure } from './errors.js';
import { LINT_FORMATS } from '../render/diagnostics.js';
import { explainCommand } from './explain.js';
import { lintCommand } from './lint.js';
import { rubricsCommand } from './rubrics.js';
import { SCORE_FORMATS, scoreCommand } from './score.js';

const RUBRIC_HELP = 'rubric file, or the name of a shipped rubric (see audit rubrics); default hmic-ncpi-child-protection';
const AS_OF_HELP = 'audit date (YYYY-MM-DD) that rubric expressions see as as_of; default today';

function program(run: (result: Promise<number>) => void): Command {
  const audit = new Command('audit')
    .description('Score child-protection case files against an inspection rubric, HMIC style.')
    .showHelpAfterError()
    .exitOverride();

  audit
    .command('score')
    .description('grade every case and print the breakdown by area of child protection')
    .argument('<files...>', 'case-file exports (CSV); several files are one data set')
    .option('-r, --rubric <rubric>', RUBRIC_HELP)
    .addOption(new Option('-f, --format <format>', 'output format').choices(SCORE_FORMATS).default('table'))
    .option('--by <field>', 'add the breakdown per value of a field (e.g. team), or per month of the case date')
    .option('--cases-out <file>', 'also write one record per case (.csv, .json or .jsonl)')
    .option('--as-of <date>', AS_OF_HELP)
    .option('--strict', 'exit 3 if any row is rejected')
    .action((files: string[], options) => run(scoreCommand(files, options)));

  audit
    .command('explain')
    .description('show why one case got its grade: every criterion, the values it used, and the guidance')
    .argument('<files...>', 'case-file exports (CSV)')
    .requiredOption('-c, --case <id>', 'the case reference to explain')
    .option('-r, --rubric <rubric>', RUBRIC_HELP)
    .option('--as-of <date>', AS_OF_HELP)
    .action((files: string[], options) => run(explainCommand(files, options)));

  audit
    .command('lint')
    .description('check rubrics and report every problem: file:line:column, severity, message, rule')
    .argument('<rubrics...>', 'rubric files, or folders to search for them')
    .addOption(new Option('-f, --format <format>', 'output format').choices(LINT_FORMATS).default('text'))
    .option('--max-warnings <n>', 'fail (exit 1) when there are more warnings than this')
    .action((paths: string[], options) => run(lintCommand(paths, options)));

  audit
    .command('rubrics')
    .description('list the shipped rubrics with their titles and versions')
    .action(() => run(rubricsCommand()));

  return audit;
}

/** Runs the command line and returns the exit code; every failure becomes one message on stderr. */
export async function main(argv: string[]): Promise<number> {
  let pending: Promise<number> = Promise.resolve(0);
  try {
    await program((result) => (pending = result)).parseAsync(argv);
    return await pending;
  } catch (error) {
    const { code, message } = describeFailure(error);
    if (message) process.stderr.write(`audit: ${message}\n`);
    return code;
  }
}
