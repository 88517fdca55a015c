import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './e2e/run.js';

describe('the benchmark, small', () => {
  it('audit score and DuckDB running the same rubric by hand in SQL give the same grade counts on 10,000 rows', async () => {
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [path.join(ROOT, 'scripts', 'bench.mjs'), '--rows', '10000', '--check'], { cwd: ROOT }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(output).toMatch(/^10000 rows: audit and DuckDB agree: \{"good":\d+,"requires-improvement":\d+,"inadequate":\d+\}\n$/);
  });
});
