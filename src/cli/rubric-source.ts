import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRubric, type CompiledRubric } from '../rubric/compile.js';
import { UsageError } from './errors.js';
import { readText } from './rubric-files.js';

export const DEFAULT_RUBRIC = 'hmic-ncpi-child-protection';

/** The rubrics that ship with the package, wherever it is installed. */
export const SHIPPED_DIR = fileURLToPath(new URL('../../rubrics/', import.meta.url));

export async function shippedRubricNames(): Promise<string[]> {
  const entries = await readdir(SHIPPED_DIR);
  return entries
    .filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

async function readRubricFile(file: string): Promise<{ text: string; file: string }> {
  const shown = displayPath(file);
  return { text: await readText(file, shown), file: shown };
}

/** `--rubric` takes a path, or the name of a shipped rubric; without it, the default rubric. */
export async function resolveRubric(nameOrPath: string | undefined): Promise<{ text: string; file: string }> {
  const given = nameOrPath ?? DEFAULT_RUBRIC;
  if (/[\\/]/.test(given) || /\.ya?ml$/.test(given)) return readRubricFile(given);
  const names = await shippedRubricNames();
  if (!names.includes(given)) {
    throw new UsageError(`no shipped rubric is called '${given}'; shipped rubrics: ${names.join(', ')} (or give a path to a .yaml file)`);
  }
  return readRubricFile(path.join(SHIPPED_DIR, `${given}.yaml`));
}

export async function loadCompiledRubric(nameOrPath: string | undefined): Promise<CompiledRubric> {
  const { text, file } = await resolveRubric(nameOrPath);
  return compileRubric(text, file);
}
