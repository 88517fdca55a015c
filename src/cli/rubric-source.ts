import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledRubric } from '../rubric/compile.js';
import { readCachedRubric, writeCachedRubric } from '../rubric/cache.js';
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

/**
 * What a cached rubric was compiled by: a digest of the rubric compiler's own
 * code and of the versions of the libraries it uses (package.json), so that
 * any other version of audit, a rebuilt one, or one with other libraries
 * compiles afresh instead of trusting an older cache.
 */
async function compilerVersion(): Promise<string> {
  const folder = new URL('../rubric/', import.meta.url);
  const digest = createHash('sha256').update(await readFile(new URL('../../package.json', import.meta.url)));
  const entries = await readdir(folder, { withFileTypes: true });
  // Sorted by code unit, not with localeCompare: its first call loads the collation data, tens of milliseconds of start-up.
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    digest.update(entry.name).update(await readFile(new URL(entry.name, folder)));
  }
  return digest.digest('hex');
}

/** The rubric, compiled, from the cache when this version of audit has compiled the same text before. */
export async function loadCompiledRubric(nameOrPath: string | undefined): Promise<CompiledRubric> {
  const { text, file } = await resolveRubric(nameOrPath);
  const cacheOn = !process.env.AUDIT_NO_CACHE;
  const version = cacheOn ? await compilerVersion() : '';
  const cached = cacheOn ? await readCachedRubric(text, file, version) : undefined;
  if (cached) return cached;
  // The compiler loads yaml, zod and the CEL library: only when the rubric is new or changed.
  const { compileRubric } = await import('../rubric/compile.js');
  const compiled = compileRubric(text, file);
  if (cacheOn) await writeCachedRubric(text, version, compiled);
  return compiled;
}
