import { createHmac } from 'node:crypto';

export const MIN_REDACT_KEY_LENGTH = 16;

/**
 * A keyed pseudonym for a case reference: HMAC-SHA-256 under the key, so the
 * same reference gets the same pseudonym in every run and every month (trends
 * still join up), and nobody without the key can reverse it or test a guess.
 */
export function pseudonymiser(key: string): (id: string) => string {
  return (id) => `P-${createHmac('sha256', key).update(id, 'utf8').digest('hex').slice(0, 16)}`;
}
