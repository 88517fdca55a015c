import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { RubricError } from '../rubric/diagnostics.js';
import { MAX_RUBRIC_BYTES } from '../rubric/constants.js';
import { UsageError } from './errors.js';

export const isTestFile = (file: string) => /\.test\.ya?ml$/.test(file);

/** Rubric files named on the command line: files as given, folders searched for .yaml rubrics (test files left out). */
export async function expandRubricPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info) throw new UsageError(`${given}: no such file or folder`);
    if (info.isFile()) {
      files.push(given);
      continue;
    }
    const entries = await readdir(given, { recursive: true });
    files.push(
      ...entries
        .filter((entry) => /\.ya?ml$/.test(entry) && !isTestFile(entry))
        .sort()
        .map((entry) => path.join(given, entry)),
    );
  }
  if (files.length === 0) throw new UsageError(`no rubric files (.yaml) found in ${paths.join(', ')}`);
  return files;
}

/** A rubric or test file's text; a file too large to be a rubric is refused before it is read. */
export async function readText(file: string, shownAs = file): Promise<string> {
  try {
    const { size } = await stat(file);
    if (size > MAX_RUBRIC_BYTES) {
      throw new RubricError([{ file: shownAs, line: 1, column: 1, severity: 'error', message: `the file is larger than ${MAX_RUBRIC_BYTES} bytes; this is not a rubric`, rule: 'yaml' }]);
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof RubricError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${shownAs}: not found` : `${shownAs}: cannot be read (${code ?? (error as Error).message})`);
  }
}

export async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
