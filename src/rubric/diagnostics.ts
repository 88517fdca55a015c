/** A problem found in a rubric, placed where the author can find it. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
  /** Short stable name of the check that found it, e.g. `schema` or `expression`. */
  rule: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.message}  (${d.rule})`;
}

/** Thrown when a rubric cannot be used; carries every error found, not just the first. */
export class RubricError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'RubricError';
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}

/** Every check that can produce a diagnostic, with what it means: the rule metadata shown by SARIF and the docs. */
export const RULES: Record<string, { severity: Diagnostic['severity']; description: string }> = {
  yaml: { severity: 'error', description: 'The file is not valid YAML, has a duplicate key, or expands aliases too far.' },
  schema: { severity: 'error', description: 'A key is unknown, missing or has the wrong kind of value for the rubric format.' },
  expression: { severity: 'error', description: 'A CEL expression has a syntax error, uses an unknown field or function, mixes types, or is not true-or-false.' },
  'case-field': { severity: 'error', description: 'A case entry (id, area, date, group_by, moderation) names a field that is not declared or of the wrong type.' },
  'area-value': { severity: 'error', description: 'An areas entry is not a value of the area field, or is listed twice.' },
  'duplicate-id': { severity: 'error', description: 'Two criteria have the same id.' },
  'escalate-after': { severity: 'error', description: 'escalate_after is below 1.' },
  'unused-field': { severity: 'warning', description: 'A declared field is used by no expression and no case entry, so reading its column is pointless.' },
  'criterion-title': { severity: 'warning', description: 'A criterion has no title, so reports show its id.' },
  'criterion-reference': { severity: 'warning', description: 'A criterion has no reference to the law, guidance or inspection finding behind it.' },
  'never-applies': { severity: 'warning', description: 'A criterion\'s applies expression can never be true.' },
  'enum-value': { severity: 'warning', description: 'An enum field is compared with a value it does not have, so the comparison never matches.' },
};
