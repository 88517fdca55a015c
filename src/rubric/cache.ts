import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ASTNode } from '@marcbachmann/cel-js';
import { CEL_ERROR, compileClosure } from './closures.js';
import type { CompiledCriterion, CompiledRubric } from './compile.js';
import { isoDateToTimestamp } from './dates.js';
import { NeedsEvaluator } from './needs-evaluator.js';
import type { CompiledExpression, EvaluationInput, ExpressionEnvironments } from './expressions.js';

/**
 * A cache of compiled rubrics, so that scoring with an unchanged rubric neither parses YAML,
 * nor validates with zod, nor parses and type-checks CEL, nor even loads those libraries.
 * What is kept is data: the rubric's parts and each expression's type-checked syntax tree;
 * the closures are rebuilt from the trees (cheap). Only rubrics whose every expression
 * compiles to closures are cached, so a cached rubric never needs the general evaluator,
 * except to describe a fault (division by zero...), which loads it (NeedsEvaluator).
 */
const FORMAT = 1;

interface CachedExpression { source: string; fields: string[]; constant?: boolean; ast: unknown }
type CachedCriterion = Omit<CompiledCriterion, 'applies' | 'check'> & { applies: CachedExpression | null; check: CachedExpression };
type CachedRubric = Omit<CompiledRubric, 'source' | 'file' | 'criteria'> & { format: number; criteria: CachedCriterion[] };

function cacheDir(env: NodeJS.ProcessEnv): string {
  return env.AUDIT_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'case-file-audit', 'rubrics');
}

function cacheFile(text: string, version: string, env: NodeJS.ProcessEnv): string {
  return path.join(cacheDir(env), `${createHash('sha256').update(`${FORMAT}\0${version}\0${text}`).digest('hex')}.json`);
}

// CEL ints are bigints, which JSON cannot hold.
const replacer = (_: string, value: unknown) => (typeof value === 'bigint' ? { $bigint: value.toString() } : value);
const reviver = (_: string, value: unknown) =>
  value !== null && typeof value === 'object' && '$bigint' in value ? BigInt((value as { $bigint: string }).$bigint) : value;

function restoreExpression(cached: CachedExpression, slotOf: ReadonlyMap<string, number>, evaluator: () => ((context: Record<string, unknown>) => unknown) | NeedsEvaluator): CompiledExpression | undefined {
  const closure = compileClosure(cached.ast as ASTNode, slotOf, isoDateToTimestamp);
  if (!closure) return undefined;
  const fieldSlots = cached.fields.map((f) => slotOf.get(f) ?? -1);
  let program: ((context: Record<string, unknown>) => unknown) | undefined;
  const evaluate = (input: EvaluationInput) => {
    const result = closure(input.slots);
    if (result !== CEL_ERROR) return result;
    if (fieldSlots.some((slot) => input.slots[slot] === null)) return undefined;
    if (!program) {
      const found = evaluator();
      if (found instanceof NeedsEvaluator) throw found;
      program = found;
    }
    return program(input.byName());
  };
  return { source: cached.source, fields: cached.fields, constant: cached.constant, compiled: true, closure, fieldSlots, ast: cached.ast as ASTNode, evaluate };
}

/**
 * The compiled rubric rebuilt from its portable form (`portableRubric`), or
 * undefined when the text is not one. Used by the cache, and by worker
 * threads, which then need none of yaml, zod and the CEL library.
 */
export function restoreRubric(portable: string, text: string, file: string): CompiledRubric | undefined {
  let data: CachedRubric;
  try {
    data = JSON.parse(portable, reviver) as CachedRubric;
  } catch {
    return undefined;
  }
  if (data.format !== FORMAT) return undefined;
  const slotOf = new Map([...data.fields.map((f) => f.name), 'as_of'].map((name, i) => [name, i]));
  // The general evaluator, only to describe a fault: loaded on demand.
  let environments: ExpressionEnvironments | undefined;
  const load = async () => {
    const { createEnvironments } = await import('./expressions.js');
    environments = createEnvironments(new Map(data.fields.map((f) => [f.name, { type: f.type, ...(f.values ? { values: f.values } : {}) }])));
  };
  const evaluatorFor = (source: string) => () => (environments ? environments.run.parse(source) : new NeedsEvaluator(load));
  const criteria: CompiledCriterion[] = [];
  for (const criterion of data.criteria) {
    const applies = criterion.applies && restoreExpression(criterion.applies, slotOf, evaluatorFor(criterion.applies.source));
    const check = restoreExpression(criterion.check, slotOf, evaluatorFor(criterion.check.source));
    if (!check || applies === undefined) return undefined;
    criteria.push({ ...criterion, applies, check });
  }
  const { format: _, ...rest } = data;
  // `source` (positions in the YAML) is for diagnostics, which a rubric that compiled has none of.
  const nowhere = () => ({ line: 1, column: 1 });
  return { ...rest, file, criteria, source: { file, text, locate: nowhere, locateKey: nowhere, locateInString: nowhere } };
}

/** The compiled rubric as text, or undefined when an expression needs the general evaluator (only closures can be rebuilt). */
export function portableRubric(compiled: CompiledRubric): string | undefined {
  if (compiled.criteria.some((c) => !c.check.compiled || (c.applies && !c.applies.compiled))) return undefined;
  const { source: _s, file: _f, criteria, ...rest } = compiled;
  const data: CachedRubric = {
    format: FORMAT,
    ...rest,
    criteria: criteria.map((c) => ({ ...c, applies: c.applies && cachedExpression(c.applies), check: cachedExpression(c.check) })),
  };
  return JSON.stringify(data, replacer);
}

/** The compiled rubric for this text, if this version of audit cached it before. */
export async function readCachedRubric(text: string, file: string, version: string, env: NodeJS.ProcessEnv = process.env): Promise<CompiledRubric | undefined> {
  if (env.AUDIT_NO_CACHE) return undefined;
  try {
    return restoreRubric(await readFile(cacheFile(text, version, env), 'utf8'), text, file);
  } catch {
    // Missing, unreadable or not what this version writes: compile afresh.
    return undefined;
  }
}

/** The syntax tree as plain data: op and args only (what compileClosure reads); anything else is not cacheable. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  if ('op' in value && 'args' in value) return { op: (value as ASTNode).op, args: plain((value as ASTNode).args) };
  throw new Error('not cacheable');
}

function cachedExpression(expression: CompiledExpression): CachedExpression {
  return { source: expression.source, fields: expression.fields, ...(expression.constant !== undefined ? { constant: expression.constant } : {}), ast: plain(expression.ast) };
}

/** Keeps a compiled rubric for the next run; any failure to write only means no cache. */
export async function writeCachedRubric(text: string, version: string, compiled: CompiledRubric, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env.AUDIT_NO_CACHE) return;
  const portable = portableRubric(compiled);
  if (portable === undefined) return;
  const target = cacheFile(text, version, env);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    // Only the user may write there: whoever can change a cached rubric can change the grades, as with the rubric itself.
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await writeFile(temporary, portable, { mode: 0o600 });
    await rename(temporary, target);
  } catch {
    // A read-only home or a full disk: run without the cache.
    await rm(temporary, { force: true }).catch(() => undefined);
  }
}
