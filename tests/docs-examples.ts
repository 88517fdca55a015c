import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './e2e/run.js';

/** The fenced code blocks of a docs page, in order, with their language. */
export function codeBlocks(page: string): Array<{ lang: string; text: string }> {
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

