import type { FieldValue } from '../cases/coerce.js';

/** A field value as an auditor writes it. */
export function formatValue(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return 'not recorded';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
