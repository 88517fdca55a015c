import type { Dialect } from './dialect.js';

/** The characters String.prototype.trim removes, which is also JavaScript's \s. */
export const WHITESPACE = [9, 10, 11, 12, 13, 32, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];

/**
 * A cell as a key to match headers (normaliseHeader) and enum values by:
 * lower case, each run of whitespace, _ and - as one separator. Exact for
 * keys of ASCII, which are all this is compared with: beyond ASCII, only
 * the Kelvin sign lower-cases to an ASCII letter in JavaScript, and dotted
 * capital I to one followed by a combining dot, which engines do not all do.
 */
export function asciiKey(text: string, d: Dialect, separator: string): string {
  const separators = `[${WHITESPACE.map(d.regexChar).join('')}_-]+`;
  return `(CASE WHEN ${d.position(text, d.char(0x130))} = 0 THEN ${d.replaceAll(`lower(replace(${text}, ${d.char(0x212a)}, 'k'))`, separators, d.text(separator))} END)`;
}

