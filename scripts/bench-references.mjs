// Times the table of case references on its own (after `npm run build`):
// n distinct references, then each of them again, so that every repeat's
// first row is far back. Prints the time a reference for each half, and
// whether the scratch file of first places was used.
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
seen.release?.();

const each = (ms) => `${((1000 * ms) / rows).toFixed(2)} µs each`;
console.log(`${rows.toLocaleString('en-GB')} distinct references: ${(distinct / 1000).toFixed(2)} s, ${each(distinct)}`);
console.log(`each of them again:  ${(repeats / 1000).toFixed(2)} s, ${each(repeats)}`);
console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
