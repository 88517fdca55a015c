import type { CaseInput } from '../cases/input.js';
import { openCases } from '../cases/open.js';
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
