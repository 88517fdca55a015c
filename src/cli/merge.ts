import { readFile } from 'node:fs/promises';
import { InputError } from '../cases/errors.js';
import { ScoreJsonSchema, type ScoreJson } from '../output-schemas.js';
import { SCORE_FORMATS } from '../render/formats.js';
import { summaryFromJson } from '../summary/from-json.js';
import { mergeSummaries } from '../summary/summary.js';
import { UsageError } from './errors.js';
import { choice } from './options.js';
import { renderSummary } from './render-summary.js';

/** What must be the same in every summary merged: merged counts of different rubrics, dates or breakdowns would mean nothing. */
const MUST_AGREE: [string, (d: ScoreJson) => string | undefined][] = [
  ['rubric id', (d) => d.rubric.id],
  ['rubric version', (d) => d.rubric.version],
  ['rubric text (sha256)', (d) => d.rubric.sha256],
  ['audit date', (d) => d.as_of],
  ['--by breakdown', (d) => d.groups?.by],
];

async function readSummary(file: string): Promise<ScoreJson> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'file not found' : 'cannot be read'}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(`${file}: is not JSON; give the output of audit score --format json`);
  }
  const checked = ScoreJsonSchema.safeParse(parsed);
  if (!checked.success) throw new InputError(`${file}: is not a summary written by this version of audit score --format json (${checked.error.issues[0]?.path.join('.') || 'the document'} does not fit)`);
  return checked.data;
}

/** `audit merge SUMMARY.json...`: the summary of all the parts together, in any of score's formats. */
export async function mergeCommand(files: string[], options: { format: string }): Promise<number> {
  const format = choice('--format', options.format, SCORE_FORMATS);
  const documents = await Promise.all(files.map(readSummary));
  const [first] = documents;
  if (!first) throw new UsageError('give the summaries to merge');
  documents.forEach((document, i) => {
    for (const [what, value] of MUST_AGREE) {
      if (value(document) !== value(first)) {
        throw new UsageError(`${files[i]}: its ${what} (${value(document) ?? 'none'}) differs from ${files[0]}'s (${value(first) ?? 'none'}); only summaries of the same rubric, audit date and breakdown can be merged`);
      }
    }
  });
  const merged = documents.map(summaryFromJson).reduce((a, b) => mergeSummaries(a, b));
  process.stdout.write(await renderSummary(merged, format));
  return 0;
}
