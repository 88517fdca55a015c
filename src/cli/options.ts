import { isoDateToTimestamp } from '../rubric/dates.js';
import { UsageError } from './errors.js';

/** `--as-of` is the audit date expressions see as `as_of`; today unless given. */
export function parseAsOf(text: string | undefined, today: Date): Date {
  if (text === undefined) return new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()));
  const date = isoDateToTimestamp(text);
  if (!date) throw new UsageError(`--as-of ${text}: write the audit date as YYYY-MM-DD, for example 2014-06-30`);
  return date;
}

export function choice<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} ${value}: choose one of ${allowed.join(', ')}`);
}
