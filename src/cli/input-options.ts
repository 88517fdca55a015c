import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { CaseInput } from '../cases/input.js';
import type { ScoreOptions } from '../pipeline.js';
import { openCases } from '../cases/open.js';
import { startWorkers } from '../parallel/scored-chunks.js';
import { MIN_REDACT_KEY_LENGTH, pseudonymiser } from '../cases/redact.js';
import { UsageError } from './errors.js';

export interface InputOptions {
  delimiter?: string;
  sheet?: string;
  redact?: boolean;
}

const DELIMITER_NAMES: Record<string, string> = { comma: ',', ',': ',', semicolon: ';', ';': ';', tab: '\t', '\\t': '\t', '\t': '\t', pipe: '|', '|': '|' };

export function inputOpener(files: string[], options: InputOptions): (file: string) => Promise<CaseInput> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  let delimiter: string | undefined;
  if (options.delimiter !== undefined) {
    delimiter = DELIMITER_NAMES[options.delimiter.toLowerCase()];
    if (!delimiter) throw new UsageError(`--delimiter ${options.delimiter}: choose comma, semicolon, tab or pipe`);
  }
  const readOptions = { ...(delimiter ? { delimiter } : {}), ...(options.sheet !== undefined ? { sheet: options.sheet } : {}) };
  return (file) => openCases(file, readOptions);
}

/** With --redact, the pseudonymiser keyed from AUDIT_REDACT_KEY; refuses to run without a usable key. */
export function redactor(options: InputOptions, env: NodeJS.ProcessEnv): ((id: string) => string) | undefined {
  if (!options.redact) return undefined;
  const key = env.AUDIT_REDACT_KEY;
  if (!key) throw new UsageError('--redact needs a secret key in the environment variable AUDIT_REDACT_KEY; without it, case references cannot be pseudonymised');
  if (key.length < MIN_REDACT_KEY_LENGTH) throw new UsageError(`AUDIT_REDACT_KEY is too short: use at least ${MIN_REDACT_KEY_LENGTH} characters, kept secret`);
  return pseudonymiser(key);
}

/**
 * Below this size an export is read on one thread: starting the others
 * costs more than they save, and about 25 MB of memory. Measured on the
 * first rows of the benchmark's export, six runs each: 12 MB took 0.62-0.89 s
 * on one thread and 0.77-0.98 s on two, 16 MB 0.73-1.02 s and 0.94-1.01 s,
 * 18 MB 0.78-0.98 s and 0.77-1.04 s (docs/performance.md).
 */
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
const MOST_THREADS = 64;
/** Each thread costs memory (about 20 MB), and past a few the main thread, which counts every case, is the limit. */
const DEFAULT_MOST_THREADS = 4;
/**
 * Small enough that what the threads hold stays small (each holds a chunk's
 * bytes, its text and its cell positions, and twice as many chunks as threads
 * are in hand); large enough that handing chunks over costs nothing to speak
 * of. Measured on the 1M-row benchmark: 512 KB and 1 MB ran at the same speed,
 * 2 MB no faster, with peak memory 130, 140–160 and 170 MB.
 */
const CHUNK_BYTES = 512 * 1024;
/** The largest chunk AUDIT_CHUNK_BYTES may ask for (tests and measurements only). */
const MOST_TEST_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Starts the threads a large export will be read on before it is opened
 * (startWorkers), when one of the files named is large enough for them.
 */
export function startThreadsFor(files: string[], parallel: NonNullable<ScoreOptions['parallel']>): void {
  if (parallel.threads < 2) return;
  if (files.some((file) => file !== '-' && sizeOf(file) >= Math.max(1, parallel.minBytes))) startWorkers(parallel.threads);
}

/** The file's size, or 0 if it cannot be seen: opening it says why, later. */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * How many threads read a large CSV export (--jobs; one per core by default).
 * AUDIT_CHUNK_BYTES, for tests, makes every CSV file on disk read in chunks
 * of that many bytes, however small the file.
 */
export function parallelReading(options: { jobs?: string }, env: NodeJS.ProcessEnv): NonNullable<ScoreOptions['parallel']> {
  const threads = options.jobs === undefined ? Math.min(availableParallelism(), DEFAULT_MOST_THREADS) : Number(options.jobs);
  if (!Number.isInteger(threads) || threads < 1 || threads > MOST_THREADS) throw new UsageError(`--jobs ${options.jobs}: give a whole number of threads from 1 to ${MOST_THREADS}`);
  if (env.AUDIT_CHUNK_BYTES) {
    const testChunkBytes = Number(env.AUDIT_CHUNK_BYTES);
    if (!Number.isInteger(testChunkBytes) || testChunkBytes < 64 || testChunkBytes > MOST_TEST_CHUNK_BYTES) {
      throw new UsageError(`AUDIT_CHUNK_BYTES=${env.AUDIT_CHUNK_BYTES}: this setting is for tests; give a whole number of bytes from 64 to ${MOST_TEST_CHUNK_BYTES}, or leave it unset`);
    }
    return { threads, minBytes: 0, chunkBytes: testChunkBytes };
  }
  return { threads, minBytes: PARALLEL_MIN_BYTES, chunkBytes: CHUNK_BYTES };
}
