import { formatDiagnostic, RULES, type Diagnostic } from '../rubric/diagnostics.js';


export interface LintResult {
  files: string[];
  diagnostics: Diagnostic[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countOf(result: LintResult, severity: Diagnostic['severity']): number {
  return result.diagnostics.filter((d) => d.severity === severity).length;
}

export function renderLintText(result: LintResult): string {
  const errors = countOf(result, 'error');
  const warnings = countOf(result, 'warning');
  const checked = `${plural(result.files.length, 'rubric')} checked`;
  const tally = errors + warnings === 0 ? `${checked}: no problems` : `${checked}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return [...result.diagnostics.map(formatDiagnostic), tally].join('\n') + '\n';
}

export function renderLintJson(result: LintResult): string {
  return `${JSON.stringify({ files: result.files, errors: countOf(result, 'error'), warnings: countOf(result, 'warning'), diagnostics: result.diagnostics }, null, 2)}\n`;
}

/** GitHub Actions workflow commands: each diagnostic becomes an annotation on the line it names. */
export function renderLintGithub(result: LintResult): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return result.diagnostics
    .map((d) => `::${d.severity} file=${property(d.file)},line=${d.line},col=${d.column},title=${property(`audit lint (${d.rule})`)}::${data(d.message)}\n`)
    .join('');
}

/** SARIF 2.1.0, the format code-scanning tools read. */
export function renderLintSarif(result: LintResult, tool: { version: string }): string {
  const ruleIds = Object.keys(RULES);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'audit',
            version: tool.version,
            informationUri: 'https://github.com/case-file-audit/audit/blob/main/docs/rubric-format.md',
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: RULES[id]?.description ?? id },
              defaultConfiguration: { level: RULES[id]?.severity ?? 'error' },
            })),
          },
        },
        artifacts: result.files.map((file) => ({ location: { uri: file } })),
        results: result.diagnostics.map((d) => ({
          ruleId: d.rule,
          ruleIndex: ruleIds.indexOf(d.rule),
          level: d.severity,
          message: { text: d.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: d.file }, region: { startLine: d.line, startColumn: d.column } } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
