/** The output formats of each command, in one light module so the command line can offer them without loading the renderers. */
export const SCORE_FORMATS = ['table', 'markdown', 'json', 'csv'] as const;
export const LINT_FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export const TEST_FORMATS = ['text', 'json', 'junit'] as const;
export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export const REPORT_FORMATS = ['html', 'markdown', 'json'] as const;
