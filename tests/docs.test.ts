import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './e2e/run.js';
import { ScoreJsonSchema } from '../src/render/json.js';
import { compile } from './helpers.js';

/** The fenced code blocks of a docs page, in order, with their language. */
function codeBlocks(page: string): Array<{ lang: string; text: string }> {
  const text = readFileSync(path.join(ROOT, 'docs', page), 'utf8');
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', text: m[2] ?? '' }));
}

/** Writes the worked example of docs/rubric-format.md to a folder, as a user would save it. */
export function workedExample(): string {
  const blocks = codeBlocks('rubric-format.md');
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-docs-'));
  writeFileSync(path.join(dir, 'example-cse.yaml'), blocks.find((b) => b.lang === 'yaml')?.text ?? '');
  writeFileSync(path.join(dir, 'cases.csv'), blocks.find((b) => b.lang === 'csv')?.text ?? '');
  return dir;
}

describe('docs/rubric-format.md', () => {
  it('every complete rubric on the page loads', () => {
    const rubrics = codeBlocks('rubric-format.md').filter((b) => b.lang === 'yaml' && b.text.startsWith('id:'));
    expect(rubrics.length).toBeGreaterThanOrEqual(2);
    for (const block of rubrics) expect(() => compile(block.text)).not.toThrow();
  });

  it('the worked example prints exactly what the page shows', async () => {
    const dir = workedExample();
    const expected = codeBlocks('rubric-format.md').find((b) => b.lang === 'text')?.text;
    const run = await audit(['score', 'cases.csv', '--rubric', 'example-cse.yaml', '--as-of', '2014-07-01'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expected);
  });
});

describe('docs/output-json.md', () => {
  it('shows exactly the JSON the worked example gives, and it fits the schema', async () => {
    const dir = workedExample();
    const expected = codeBlocks('output-json.md').find((b) => b.lang === 'json')?.text ?? '';
    const run = await audit(['score', 'cases.csv', '--rubric', 'example-cse.yaml', '--as-of', '2014-07-01', '--format', 'json', '--by', 'month'], { cwd: dir });
    expect(run.stdout).toBe(expected);
    const parsed = JSON.parse(run.stdout);
    expect(ScoreJsonSchema.parse(parsed)).toEqual(parsed);
  });
});
