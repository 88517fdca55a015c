import { coveragePercent, type RubricTestReport, type TestResult } from '../testing/run-tests.js';


function failureLines(result: TestResult): string[] {
  return [
    ...result.problems,
    ...(result.actualGrade && result.actualGrade !== result.expectedGrade ? [`grade: expected ${result.expectedGrade}, got ${result.actualGrade}`] : []),
    ...result.differences.map((d) => `${d.id}: expected ${d.expected}, got ${d.actual}`),
  ];
}

function uncovered(report: RubricTestReport): string[] {
  return report.coverage
    .filter((c) => !(c.met && c.notMet))
    .map((c) => `${c.id} (${!c.met && !c.notMet ? 'never met or not met' : c.met ? 'never not met' : 'never met'})`);
}

export function renderTestText(reports: RubricTestReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    const failed = report.results.filter((r) => !r.passed).length;
    lines.push(`${report.rubric.file} (${report.rubric.id} ${report.rubric.version}): ${report.results.length} tests, ${failed} failed`);
    for (const result of report.results) {
      lines.push(`  ${result.passed ? 'ok  ' : 'FAIL'}  ${result.name}${result.passed ? '' : `  (${result.file}:${result.line})`}`);
      for (const line of failureLines(result)) lines.push(`          ${line}`);
    }
    const covered = report.coverage.filter((c) => c.met && c.notMet).length;
    lines.push(`  coverage: ${covered} of ${report.coverage.length} criteria both met and not met by a passing test`);
    const missing = uncovered(report);
    if (missing.length > 0) lines.push(`  uncovered: ${missing.join(', ')}`);
    lines.push('');
  }
  const all = reports.flatMap((r) => r.results);
  const failed = all.filter((r) => !r.passed).length;
  lines.push(`${all.length} tests, ${all.length - failed} passed, ${failed} failed; coverage ${coveragePercent(reports)}%`);
  return `${lines.join('\n')}\n`;
}

export function renderTestJson(reports: RubricTestReport[]): string {
  const all = reports.flatMap((r) => r.results);
  const json = {
    tests: all.length,
    failed: all.filter((r) => !r.passed).length,
    coverage_percent: coveragePercent(reports),
    rubrics: reports.map((report) => ({
      ...report.rubric,
      results: report.results.map((r) => ({
        id: r.id,
        name: r.name,
        file: r.file,
        line: r.line,
        passed: r.passed,
        expected_grade: r.expectedGrade,
        actual_grade: r.actualGrade ?? null,
        differences: r.differences,
        problems: r.problems,
      })),
      coverage: report.coverage.map((c) => ({ id: c.id, met: c.met, 'not-met': c.notMet })),
      uncovered: report.coverage.filter((c) => !(c.met && c.notMet)).map((c) => c.id),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** JUnit XML, which CI systems show as test results: one suite per rubric, names `rubric-id::test name`. */
export function renderTestJunit(reports: RubricTestReport[]): string {
  const all = reports.flatMap((r) => r.results);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="audit test" tests="${all.length}" failures="${all.filter((r) => !r.passed).length}">`,
  ];
  for (const report of reports) {
    const failures = report.results.filter((r) => !r.passed).length;
    lines.push(`  <testsuite name="${xml(report.rubric.id)}" tests="${report.results.length}" failures="${failures}" file="${xml(report.rubric.file)}">`);
    for (const result of report.results) {
      const attributes = `classname="${xml(report.rubric.id)}" name="${xml(result.id)}" file="${xml(result.file)}" line="${result.line}"`;
      if (result.passed) {
        lines.push(`    <testcase ${attributes}/>`);
      } else {
        const details = failureLines(result);
        lines.push(`    <testcase ${attributes}>`, `      <failure message="${xml(details[0] ?? 'failed')}">${xml(details.join('\n'))}</failure>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
