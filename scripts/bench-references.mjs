// Times the table of case references on its own (after `npm run build`):
// n distinct references, then each of them again, so that every repeat's
// first row is far back, then one of them n times more. Prints the time a
// reference for each part.
//
//   node scripts/bench-references.mjs [--rows 2000000]
import { referenceFingerprint, SeenReferences } from '../dist/cases/seen-references.js';

const args = process.argv.slice(2);
const at = args.indexOf('--rows');
const rows = at >= 0 ? Number(args[at + 1]) : 2_000_000;

const fingerprints = new Float64Array(rows);
for (let i = 0; i < rows; i++) fingerprints[i] = referenceFingerprint(`B-${i}`);

const seen = new SeenReferences();
seen.reserve(2 * rows);
let started = performance.now();
for (let i = 0; i < rows; i++) if (seen.firstSeenFingerprint(fingerprints[i], i) !== undefined) throw new Error(`B-${i} taken for a repeat`);
const distinct = performance.now() - started;
started = performance.now();
for (let i = 0; i < rows; i++) if (seen.firstSeenFingerprint(fingerprints[i], rows + i) !== i) throw new Error(`B-${i} not found at row ${i}`);
const repeats = performance.now() - started;
// One reference on row after row (a placeholder such as "N/A" in the reference column).
started = performance.now();
for (let i = 0; i < rows; i++) if (seen.firstSeenFingerprint(fingerprints[5], 2 * rows + i) !== 5) throw new Error('B-5 not found at row 5');
const oneAgain = performance.now() - started;
seen.release?.();

const each = (ms) => `${((1000 * ms) / rows).toFixed(2)} µs each`;
console.log(`${rows.toLocaleString('en-GB')} distinct references: ${(distinct / 1000).toFixed(2)} s, ${each(distinct)}`);
console.log(`each of them again:  ${(repeats / 1000).toFixed(2)} s, ${each(repeats)}`);
console.log(`the 6th, as often:    ${(oneAgain / 1000).toFixed(2)} s, ${each(oneAgain)}`);
console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
