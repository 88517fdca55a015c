#!/usr/bin/env node
// npm run bench: scores deterministic synthetic exports with `audit score`,
// side by side with the bare CSV parse (the floor for this parser) and with
// DuckDB running the same rubric written by hand as SQL. The grade counts of
// audit and DuckDB must agree before any time is reported.
//
//   node scripts/bench.mjs                      100k and 1M rows; writes docs/performance.md
//   node scripts/bench.mjs --rows 10000 --check only checks that audit (on one thread and on two) and DuckDB agree (used by npm test)
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seeded } from './seeded.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUBRIC = path.join(ROOT, 'scripts', 'bench', 'rubric.yaml');
const DATA = path.join(ROOT, 'scripts', 'bench', '.data');
const AS_OF = '2020-01-01';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (option('--rows') ?? '100000,1000000').split(',').map(Number);
const checkOnly = args.includes('--check');

// ---------------------------------------------------------------------------
// Synthetic exports: 25 columns in the shape real exports have.

const COLUMNS = [
  'case_ref', 'area', 'team', 'referred_on', 'referred_at', 'age', 'threshold_met', 'referred_to_sc', 'strategy_at', 'voice',
  'supervisor', 'intel_submitted', 'intel_followed', 'suspect_on', 'arrested_on', 'risk_grade', 'episodes', 'returned_at',
  'interview_at', 'overnight', 'transfer', 'certificate', 'dash', 'by_appointment', 'notes',
];
const AREAS = ['cse', 'missing', 'custody', 'domestic-abuse', 'other'];
const TEAMS = ['North', 'South', 'East', 'West', 'Central', ''];
const GRADES = ['no-apparent-risk', 'low', 'medium', 'high', ''];
const pad = (n) => String(n).padStart(2, '0');
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms) => new Date(ms).toISOString().slice(0, 16);
const dayFirst = (ms) => { const d = new Date(ms); return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`; };
const dayFirstTime = (ms) => { const d = new Date(ms); return `${dayFirst(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`; };

async function generate(rows, file) {
  const random = seeded(20140601 + rows);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const yn = (p = 0.8, blank = 0.05) => { const r = random(); return r < blank ? '' : r < blank + p ? 'Y' : 'N'; };
  const maybe = (p, value) => (random() < p ? value : '');
  const out = createWriteStream(file);
  const write = (text) => (out.write(text) ? undefined : new Promise((resolve) => out.once('drain', resolve)));
  await write(`${COLUMNS.join(',')}\n`);
  const start = Date.UTC(2016, 0, 1);
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const referred = start + Math.floor(random() * 1100) * 86_400_000 + Math.floor(random() * 24 * 60) * 60_000;
    const returned = referred + Math.floor(random() * 48) * 3_600_000;
    const row = [
      `B-${i}`, pick(AREAS), pick(TEAMS), iso(referred), dayFirstTime(referred), maybe(0.97, 5 + Math.floor(random() * 13)),
      yn(0.7), yn(0.8), maybe(0.85, dayFirstTime(referred + Math.floor(random() * 40) * 3_600_000)), yn(0.75, 0.1),
      yn(0.8), yn(0.6), yn(0.7), maybe(0.4, iso(referred + 86_400_000)), maybe(0.6, dayFirst(referred + Math.floor(random() * 25) * 86_400_000)),
      pick(GRADES), maybe(0.9, Math.floor(random() * 6)), maybe(0.8, isoTime(returned)),
      maybe(0.8, dayFirstTime(returned + Math.floor(random() * 100) * 3_600_000)), yn(0.3), yn(0.5), yn(0.3, 0.3), yn(0.7), yn(0.2),
      `"Synthetic note ${i}, with a comma and ""quotes"""`,
    ];
    buffer += `${row.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  await new Promise((resolve) => out.end(resolve));
}

// ---------------------------------------------------------------------------
// The same rubric by hand in SQL. CEL and SQL agree on AND/OR with a missing
// value (NULL absorbs like a CEL error); equality and IN with a missing value
// are false in CEL, so they are written IS NOT DISTINCT FROM / coalesce here.

const b = (column) => `(${column} = 'Y')`;
const dateIso = (column) => `CAST(${column} AS DATE)`;
const dateDayFirst = (column) => `CAST(strptime(${column}, '%d/%m/%Y') AS DATE)`;
const timeDayFirst = (column) => `strptime(${column}, '%d/%m/%Y %H:%M')`;
const timeIso = (column) => `strptime(${column}, '%Y-%m-%dT%H:%M')`;
const hours = (from, to) => `((epoch(${to}) - epoch(${from})) / 3600.0)`;
const age = 'CAST(age AS INTEGER)';
const episodes = 'CAST(episodes AS INTEGER)';

// [id, applies (TRUE if always), check, on_fail, when_missing]
const CRITERIA = [
  ['referral', b('threshold_met'), b('referred_to_sc'), 'inadequate', 'fail'],
  ['strategy-24h', `${b('referred_to_sc')} AND area <> 'custody'`, `strategy_at IS NOT NULL AND ${hours(timeDayFirst('referred_at'), timeDayFirst('strategy_at'))} <= 24.0`, 'requires-improvement', 'fail'],
  ['voice', 'TRUE', b('voice'), 'requires-improvement', 'not-assessed'],
  ['supervisor', 'TRUE', b('supervisor'), 'requires-improvement', 'fail'],
  ['cse-intel', `area = 'cse' AND ${b('intel_submitted')}`, b('intel_followed'), 'inadequate', 'fail'],
  ['cse-arrest', `area = 'cse' AND suspect_on IS NOT NULL`, `arrested_on IS NOT NULL AND date_diff('day', ${dateIso('suspect_on')}, ${dateDayFirst('arrested_on')}) <= 14`, 'inadequate', 'fail'],
  ['missing-graded', `area = 'missing'`, 'risk_grade IS NOT NULL', 'inadequate', 'fail'],
  ['missing-nar', `area = 'missing' AND risk_grade IS NOT DISTINCT FROM 'no-apparent-risk'`, `${episodes} < 3 AND ${age} >= 12`, 'inadequate', 'fail'],
  ['missing-rhi', `area = 'missing' AND returned_at IS NOT NULL`, `interview_at IS NOT NULL AND ${hours(timeIso('returned_at'), timeDayFirst('interview_at'))} <= 72.0`, 'inadequate', 'fail'],
  ['missing-repeat', `area = 'missing' AND ${episodes} >= 3`, `coalesce(risk_grade IN ('medium', 'high'), FALSE)`, 'requires-improvement', 'fail'],
  ['custody-transfer', `area = 'custody' AND ${b('overnight')} AND ${age} < 17`, `${b('transfer')} OR ${b('certificate')}`, 'inadequate', 'fail'],
  ['custody-age', `area = 'custody'`, `${age} >= 10`, 'requires-improvement', 'fail'],
  ['da-dash', `area = 'domestic-abuse'`, `${b('dash')} OR ${b('voice')}`, 'requires-improvement', 'fail'],
  ['da-appointment', `area = 'domestic-abuse'`, `NOT ${b('by_appointment')}`, 'requires-improvement', 'fail'],
  ['team-recorded', 'TRUE', 'team IS NOT NULL', 'requires-improvement', 'fail'],
  ['referral-dated', 'referred_on IS NOT NULL', `${dateIso('referred_on')} < DATE '2019-01-01'`, 'requires-improvement', 'fail'],
  ['age-recorded', 'TRUE', 'age IS NOT NULL', 'requires-improvement', 'fail'],
  ['other-strategy', `area = 'other' AND ${b('threshold_met')}`, 'strategy_at IS NOT NULL', 'requires-improvement', 'fail'],
  ['young-not-nar', 'risk_grade IS NOT NULL', `NOT (risk_grade IS NOT DISTINCT FROM 'no-apparent-risk' AND ${age} < 12)`, 'inadequate', 'fail'],
  ['episodes-recorded', `area = 'missing'`, 'episodes IS NOT NULL', 'requires-improvement', 'fail'],
];

/** `file` as DuckDB reads it: a CSV export with every column text, or a Parquet copy of it. */
const sourceSql = (file) => (file.endsWith('.parquet') ? `read_parquet('${file}')` : `read_csv('${file}', header = true, all_varchar = true, quote = '"', escape = '"')`);

function gradeSql(file) {
  // A criterion is not met when it applies and its check is false, or missing with when_missing: fail.
  const notMet = ([, applies, check, , whenMissing]) =>
    `CASE WHEN (${applies}) IS NOT TRUE THEN 0 WHEN (${check}) THEN 0 WHEN (${check}) IS NULL THEN ${whenMissing === 'fail' ? 1 : 0} ELSE 1 END`;
  const inadequate = CRITERIA.filter((c) => c[3] === 'inadequate').map(notMet).join(' + ');
  const lesser = CRITERIA.filter((c) => c[3] === 'requires-improvement').map(notMet).join(' + ');
  return `
    WITH cases AS (SELECT * FROM ${sourceSql(file)}),
    counted AS (SELECT (${inadequate}) AS serious, (${lesser}) AS lesser FROM cases)
    SELECT
      count(*) FILTER (WHERE serious = 0 AND lesser = 0) AS good,
      count(*) FILTER (WHERE serious = 0 AND lesser BETWEEN 1 AND 2) AS requires_improvement,
      count(*) FILTER (WHERE serious > 0 OR lesser >= 3) AS inadequate
    FROM counted`;
}

// ---------------------------------------------------------------------------
// The three runs.

async function timeDuckDb(file) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: String(os.cpus().length) });
  const connection = await db.connect();
  const started = process.hrtime.bigint();
  const result = await connection.runAndReadAll(gradeSql(file));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [row] = result.getRowObjects();
  connection.closeSync?.();
  return { seconds, counts: { good: Number(row.good), 'requires-improvement': Number(row.requires_improvement), inadequate: Number(row.inadequate) } };
}

/** A Parquet copy of the CSV export, every column text, as a warehouse export would hold it. */
async function writeParquet(csv, target) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(`COPY (SELECT * FROM ${sourceSql(csv)}) TO '${target}' (FORMAT parquet)`);
  connection.closeSync?.();
}

// The bare parse with audit's own CSV reader, streaming as audit does: the floor for this parser.
async function timeBareParse(file) {
  const { CsvRecords } = await import(path.join(ROOT, 'dist', 'cases', 'csv-records.js'));
  const started = process.hrtime.bigint();
  const reader = new CsvRecords(',', 1_000_000);
  const decoder = new TextDecoder('utf-8');
  let records = 0;
  for await (const chunk of createReadStream(file)) records += reader.push(decoder.decode(chunk, { stream: true })).length;
  records += reader.end().length;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, records: records - 1 };
}

// The alternative parser the performance notes weigh: papaparse, returning arrays, streaming.
async function timePapaparse(file) {
  const { default: Papa } = await import('papaparse');
  const started = process.hrtime.bigint();
  let records = 0;
  await new Promise((resolve, reject) => Papa.parse(createReadStream(file), { step: () => void records++, complete: resolve, error: reject }));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, records: records - 1 };
}

/** Runs of each kind per size, alternated. */
const RUNS = 3;
/** The run of median time (a copy). */
const medianRun = (runs) => ({ ...[...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] });

// Compiled rubrics are cached; the benchmark keeps its cache with its data.
const ENV = { ...process.env, AUDIT_CACHE_DIR: path.join(DATA, 'rubric-cache') };
// What `audit score` uses by default: one thread per core, up to four.
const THREADS = Math.min(os.availableParallelism(), 4);

/** `audit score` end to end; `extra` such as ['--jobs', '1']. */
function timeAudit(file, extra = [], env = ENV) {
  const out = path.join(DATA, 'audit-output.json');
  const timeAvailable = existsSync('/usr/bin/time');
  return new Promise((resolve, reject) => {
    const command = [path.join(ROOT, 'bin', 'audit.js'), 'score', file, '--rubric', RUBRIC, '--format', 'json', '--as-of', AS_OF, ...extra];
    const started = process.hrtime.bigint();
    const options = { stdio: ['ignore', 'pipe', 'pipe'], env };
    const child = timeAvailable ? spawn('/usr/bin/time', ['-v', process.execPath, ...command], options) : spawn(process.execPath, command, options);
    const chunks = [];
    let stderr = '';
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`audit exited ${code}: ${stderr}`));
      writeFileSync(out, Buffer.concat(chunks));
      const json = readFileSync(out, 'utf8');
      const result = JSON.parse(json);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ seconds, json, counts: { good: result.totals.good, 'requires-improvement': result.totals['requires-improvement'], inadequate: result.totals.inadequate }, rows: result.input.rows_read, rejected: result.input.rows_rejected, peakRssMb: rss ? Number(rss[1]) / 1024 : null });
    });
  });
}

function startupMs() {
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const time = (argv, env = ENV) => {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, argv, { stdio: 'ignore', env });
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const score = [path.join(ROOT, 'bin', 'audit.js'), 'score', path.join(ROOT, 'fixtures', 'wmp-2014-06.csv'), '--format', 'json'];
  time(score); // fills the rubric cache
  // Alternated, so that a busy spell of the machine falls on all three alike.
  const runs = Array.from({ length: 7 }, () => [time(['-e', '0']), time(score), time(score, { ...ENV, AUDIT_NO_CACHE: '1' })]);
  return { node: median(runs.map((r) => r[0])), audit: median(runs.map((r) => r[1])), uncached: median(runs.map((r) => r[2])) };
}

// ---------------------------------------------------------------------------

mkdirSync(DATA, { recursive: true });
const results = [];
for (const rows of sizes) {
  const file = path.join(DATA, `bench-${rows}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${rows.toLocaleString('en-GB')} rows…\n`);
    await generate(rows, file);
  }
  // This machine's speed drifts from minute to minute: DuckDB and audit run alternately, three times each,
  // and each is reported by its median run, so that a slow spell falls on both alike.
  const rounds = [];
  for (let round = 0; round < (checkOnly ? 1 : RUNS); round++) {
    const duck = await timeDuckDb(file);
    const audit = await timeAudit(file);
    // A small file is read on one thread; the check also reads it on two, in small chunks.
    // In the check, the other run reads on two threads in small chunks; in the benchmark, on one thread.
    const other = checkOnly ? await timeAudit(file, ['--jobs', '2'], { ...ENV, AUDIT_CHUNK_BYTES: '65536' }) : await timeAudit(file, ['--jobs', '1']);
    for (const run of [audit, other]) {
      if (JSON.stringify(duck.counts) !== JSON.stringify(run.counts) || run.rows !== rows || run.rejected !== 0) {
        console.error(`audit and DuckDB disagree on ${rows} rows:\n  audit  ${JSON.stringify(run.counts)} (${run.rows} rows, ${run.rejected} rejected)\n  DuckDB ${JSON.stringify(duck.counts)}`);
        process.exit(1);
      }
    }
    rounds.push({ duck, audit, other });
  }
  const duck = medianRun(rounds.map((r) => r.duck));
  const audit = medianRun(rounds.map((r) => r.audit));
  const other = medianRun(rounds.map((r) => r.other));
  // Each round's own ratio, for the spread; and the largest peak memory of any run, not a typical one.
  const ratios = rounds.map((r) => r.duck.seconds / r.audit.seconds);
  const peak = (runs) => Math.max(...runs.map((r) => r.peakRssMb ?? 0)) || null;
  Object.assign(audit, { peakRssMb: peak(rounds.map((r) => r.audit)), ratios });
  Object.assign(other, { peakRssMb: peak(rounds.map((r) => r.other)) });
  // The DuckDB engine (audit score --engine duckdb), once per size: it must agree with the others too.
  const engine = await timeAudit(file, ['--engine', 'duckdb']);
  // The whole JSON summary, not only the grades: every count, area and criterion outcome.
  if (engine.json !== audit.json) {
    console.error(`audit --engine duckdb and --engine js give different JSON summaries on ${rows} rows`);
    process.exit(1);
  }
  if (JSON.stringify(duck.counts) !== JSON.stringify(engine.counts) || engine.rows !== rows) {
    console.error(`audit --engine duckdb and DuckDB disagree on ${rows} rows:\n  audit  ${JSON.stringify(engine.counts)}\n  DuckDB ${JSON.stringify(duck.counts)}`);
    process.exit(1);
  }
  // The same export as Parquet, scored with auto (which chooses DuckDB for it), against the hand-written SQL reading the Parquet file.
  const parquet = path.join(DATA, `bench-${rows}.parquet`);
  if (!existsSync(parquet)) await writeParquet(file, parquet);
  const duckParquet = await timeDuckDb(parquet);
  const auto = await timeAudit(parquet);
  if (auto.json.replaceAll(parquet, file) !== audit.json) {
    console.error(`audit score on the Parquet copy and on the CSV export give different JSON summaries on ${rows} rows`);
    process.exit(1);
  }
  if (JSON.stringify(duckParquet.counts) !== JSON.stringify(auto.counts) || auto.rows !== rows) {
    console.error(`audit score (auto) on Parquet and DuckDB disagree on ${rows} rows:\n  audit  ${JSON.stringify(auto.counts)}\n  DuckDB ${JSON.stringify(duckParquet.counts)}`);
    process.exit(1);
  }
  const bare = await timeBareParse(file);
  const papa = await timePapaparse(file);
  results.push({ rows, bytes: statSync(file).size, duck, audit, oneThread: other, engine, parquet: { duck: duckParquet, auto, bytes: statSync(parquet).size }, bare, papa });
  console.log(`${rows} rows: audit and DuckDB agree: ${JSON.stringify(audit.counts)}`);
}
if (checkOnly) process.exit(0);

const rate = (rows, seconds) => Math.round(rows / seconds);
/** How much larger `to` is than `from`, in words: "12% more", "4% less". */
const change = (from, to) => {
  const percent = Math.round((100 * to) / from - 100);
  return percent < 0 ? `${-percent}% less` : `${percent}% more`;
};
const fmt = (n) => n.toLocaleString('en-GB');
const startup = startupMs();
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node.js ${process.version}`;
const rss = (r) => (r.peakRssMb ? `${Math.round(r.peakRssMb)} MB` : 'n/a');
const table = [
  `| rows | file | audit score, ${THREADS} threads (rows/s) | audit score, 1 thread (rows/s) | bare parse, audit's reader (rows/s) | bare parse, papaparse (rows/s) | DuckDB (rows/s) | audit / DuckDB (range over the runs) | audit peak RSS, ${THREADS} threads (1 thread), largest of the runs |`,
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) => `| ${fmt(r.rows)} | ${(r.bytes / 2 ** 20).toFixed(0)} MB | ${fmt(rate(r.rows, r.audit.seconds))} (${r.audit.seconds.toFixed(1)} s) | ${fmt(rate(r.rows, r.oneThread.seconds))} (${r.oneThread.seconds.toFixed(1)} s) | ${fmt(rate(r.rows, r.bare.seconds))} | ${fmt(rate(r.rows, r.papa.seconds))} | ${fmt(rate(r.rows, r.duck.seconds))} (${r.duck.seconds.toFixed(2)} s) | ${(r.duck.seconds / r.audit.seconds).toFixed(2)}× (${Math.min(...r.audit.ratios).toFixed(2)}–${Math.max(...r.audit.ratios).toFixed(2)}) | ${rss(r.audit)} (${rss(r.oneThread)}) |`),
];
const engineTable = [
  '| rows | CSV: `audit score --engine duckdb` (rows/s) | against DuckDB running the rubric written by hand | against `audit score` (auto: the JS engine) | peak RSS | Parquet: `audit score` (auto: DuckDB) (rows/s) | against DuckDB running the rubric written by hand on the Parquet file | peak RSS |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${fmt(r.rows)} | ${fmt(rate(r.rows, r.engine.seconds))} (${r.engine.seconds.toFixed(1)} s) | ${(r.duck.seconds / r.engine.seconds).toFixed(2)}× | ${(r.audit.seconds / r.engine.seconds).toFixed(2)}× | ${rss(r.engine)} | ${fmt(rate(r.rows, r.parquet.auto.seconds))} (${r.parquet.auto.seconds.toFixed(1)} s) | ${(r.parquet.duck.seconds / r.parquet.auto.seconds).toFixed(2)}× | ${rss(r.parquet.auto)} |`,
  ),
];
const [first, last] = [results[0], results[results.length - 1]];
const growth = first && last && first !== last && first.audit.peakRssMb && last.audit.peakRssMb
  ? `Peak RSS from ${fmt(first.rows)} to ${fmt(last.rows)} rows: ${Math.round(first.audit.peakRssMb)} → ${Math.round(last.audit.peakRssMb)} MB (${change(first.audit.peakRssMb, last.audit.peakRssMb)}) on ${THREADS} threads; ${Math.round(first.oneThread.peakRssMb)} → ${Math.round(last.oneThread.peakRssMb)} MB (${change(first.oneThread.peakRssMb, last.oneThread.peakRssMb)}) on one.`
  : '';
const startupLine = `Start-up (\`audit score\` on the 115-case fixture, median of 7): ${startup.audit.toFixed(0)} ms with the compiled rubric cached, ${startup.uncached.toFixed(0)} ms compiling it; \`node -e 0\`: ${startup.node.toFixed(0)} ms, so the target (2 × node + 100 ms) is ${(2 * startup.node + 100).toFixed(0)} ms.`;
console.log(`\n${table.join('\n')}\n\n${engineTable.join('\n')}\n\n${growth}\n${startupLine}\nmachine: ${machine}`);

const page = path.join(ROOT, 'docs', 'performance.md');
const text = readFileSync(page, 'utf8');
const measured = `<!-- measured: start -->\nMeasured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, on ${machine}. Times are the median of ${RUNS} runs of each, DuckDB and audit alternated.\n\n${table.join('\n')}\n\nThe DuckDB engine (one run of each size): on the CSV export with \`--engine duckdb\` (\`auto\` chooses the JS engine for CSV), and on a Parquet copy of it (${results.map((r) => `${(r.parquet.bytes / 2 ** 20).toFixed(0)} MB`).join(', ')}), which \`auto\` gives to DuckDB. The hand-written SQL is timed in process, without starting Node.js or reading the rubric; \`audit\` is timed end to end.\n\n${engineTable.join('\n')}\n\n${growth}\n\n${startupLine}\n<!-- measured: end -->`;
writeFileSync(page, text.replace(/<!-- measured: start -->[\s\S]*<!-- measured: end -->/, measured));
console.log(`\nwrote the table into ${path.relative(process.cwd(), page)}`);
