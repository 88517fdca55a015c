import { existsSync } from 'node:fs';
import { compileRubric, type CompiledRubric } from '../rubric/compile.js';
import { RubricError } from '../rubric/diagnostics.js';
import { parseYaml, validate } from '../rubric/load.js';
import { RubricTestFileSchema } from '../rubric/schema.js';
import { TEST_FORMATS } from '../render/formats.js';
import { renderTestJson, renderTestJunit, renderTestText } from '../render/test-results.js';
import { coverage, coveragePercent, runRubricTests, type LocatedTest, type RubricTestReport } from '../testing/run-tests.js';
import { EXIT, UsageError } from './errors.js';
import { choice, parseAsOf } from './options.js';
import { expandRubricPaths, readText } from './rubric-files.js';

export interface TestCommandOptions {
  format: string;
  minCoverage?: string;
  asOf?: string;
}

export function siblingTestFile(rubricFile: string): string {
  return rubricFile.replace(/\.ya?ml$/, '.test.yaml');
}

/** Tests written in the rubric under `tests:`, then those in its sibling NAME.test.yaml. */
async function testsOf(rubric: CompiledRubric): Promise<LocatedTest[]> {
  const inline = rubric.tests.map((test, i) => ({ test, file: rubric.file, line: rubric.source.locate(['tests', i]).line }));
  const sibling = siblingTestFile(rubric.file);
  if (sibling === rubric.file || !existsSync(sibling)) return inline;
  const { data, source, diagnostics } = parseYaml(await readText(sibling), sibling);
  if (data === undefined) throw new RubricError(diagnostics);
  const parsed = validate(RubricTestFileSchema, data, source);
  if (!parsed.value) throw new RubricError(parsed.diagnostics);
  return [...inline, ...parsed.value.tests.map((test, i) => ({ test, file: sibling, line: source.locate(['tests', i]).line }))];
}

export async function testCommand(paths: string[], options: TestCommandOptions): Promise<number> {
  const format = choice('--format', options.format, TEST_FORMATS);
  const minCoverage = options.minCoverage === undefined ? undefined : Number(options.minCoverage);
  if (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 100)) {
    throw new UsageError(`--min-coverage ${options.minCoverage}: give a percentage from 0 to 100`);
  }
  const asOf = parseAsOf(options.asOf, new Date());
  const reports: RubricTestReport[] = [];
  for (const file of await expandRubricPaths(paths)) {
    const rubric = compileRubric(await readText(file), file);
    const results = runRubricTests(rubric, await testsOf(rubric), asOf);
    reports.push({ rubric: { id: rubric.id, version: rubric.version, file }, results, coverage: coverage(rubric, results) });
  }

  process.stdout.write(format === 'text' ? renderTestText(reports) : format === 'json' ? renderTestJson(reports) : renderTestJunit(reports));
  const failed = reports.some((r) => r.results.some((t) => !t.passed));
  const percent = coveragePercent(reports);
  if (minCoverage !== undefined && percent < minCoverage) {
    process.stderr.write(`audit: coverage ${percent}% is below --min-coverage ${minCoverage}%\n`);
    return EXIT.failed;
  }
  return failed ? EXIT.failed : EXIT.ok;
}
