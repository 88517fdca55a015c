#!/usr/bin/env node
// Compares the speed of `audit score` at two or more commits on the same
// benchmark file, run in turn so that a machine that speeds up or slows down
// affects each build alike (on a shared machine a single run varies by a
// quarter). Each commit is built in a git worktree of its own; the work tree
// is not touched.
//
//   node scripts/compare-builds.mjs dfaf894 HEAD [--rows 1000000] [--jobs 2] [--rounds 6]
//
// The benchmark file comes from `npm run bench` (scripts/bench/.data/).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return value;
};
const rows = option('--rows', '1000000');
const jobs = option('--jobs', '2');
const rounds = Number(option('--rounds', '6'));
const revisions = args;
if (revisions.length < 2 || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: node scripts/compare-builds.mjs REVISION REVISION... [--rows 1000000] [--jobs 2] [--rounds 6]');
  process.exit(2);
}
const data = path.join(ROOT, 'scripts', 'bench', '.data', `bench-${rows}.csv`);
if (!existsSync(data)) {
  console.error(`${path.relative(ROOT, data)} is not there: run \`npm run bench\` (or \`node scripts/bench.mjs --rows ${rows}\`) first`);
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  console.error('needs /usr/bin/time (Debian: apt-get install time) for the peak memory of each run');
  process.exit(2);
}

const git = (...gitArgs) => execFileSync('git', ['-C', ROOT, ...gitArgs], { encoding: 'utf8' }).trim();
const place = mkdtempSync(path.join(tmpdir(), 'audit-compare-'));
const builds = revisions.map((revision, i) => ({ revision, commit: git('rev-parse', '--short', revision), dir: path.join(place, `build-${i}`), runs: [] }));

try {
  for (const build of builds) {
    git('worktree', 'add', '--detach', build.dir, build.commit);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(build.dir, 'node_modules'));
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: build.dir, stdio: 'inherit' });
  }
  for (let round = 1; round <= rounds; round++) {
    for (const build of builds) {
      const command = [path.join(build.dir, 'bin', 'audit.js'), 'score', data, '--rubric', path.join(ROOT, 'scripts', 'bench', 'rubric.yaml'), '--format', 'json', '--as-of', '2020-01-01', '--jobs', jobs];
      // Each build has its own rubric cache, filled by its first run: the first round is left out of the medians.
      const env = { ...process.env, AUDIT_CACHE_DIR: path.join(build.dir, '.rubric-cache') };
      const run = spawnSync('/usr/bin/time', ['-f', '%e %U %M', process.execPath, ...command], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const line = run.stderr.trim().split('\n').at(-1) ?? '';
      const [wall, user, kb] = line.split(' ').map(Number);
      if (run.status !== 0 || wall === undefined || Number.isNaN(wall)) throw new Error(`${build.revision}: audit failed: ${run.stderr}`);
      if (round > 1 || rounds === 1) build.runs.push({ wall, user, mb: Math.round(kb / 1024) });
      console.log(`round ${round} ${build.revision} (${build.commit}): ${wall.toFixed(2)} s, user ${user.toFixed(2)} s, ${Math.round(kb / 1024)} MB`);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  console.log(`\n${rows} rows, --jobs ${jobs}, medians of ${builds[0].runs.length} runs each (the first round warms each build's rubric cache and is left out):`);
  for (const build of builds) {
    const walls = build.runs.map((r) => r.wall);
    console.log(`  ${build.revision} (${build.commit}): ${median(walls).toFixed(2)} s (${Math.min(...walls).toFixed(2)}–${Math.max(...walls).toFixed(2)}), user ${median(build.runs.map((r) => r.user)).toFixed(2)} s, peak ${Math.max(...build.runs.map((r) => r.mb))} MB`);
  }
} finally {
  for (const build of builds) if (existsSync(build.dir)) git('worktree', 'remove', '--force', build.dir);
  rmSync(place, { recursive: true, force: true });
}
