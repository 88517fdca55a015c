import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

/** The summaries of parts of an export, merged, are the summary of the whole: every count, group, rejected row and finding. */

const tmp = mkdtempSync(path.join(tmpdir(), 'audit-merge-'));
const [header, ...rows] = readFileSync(path.join(ROOT, 'fixtures', 'monthly-2014.csv'), 'utf8').split(/\r?\n/).filter((line) => line !== '');

describe('audit merge', () => {
  it('merges random shards of an export into the summary of all of them read together', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: rows.length, maxLength: rows.length }), async (shards, picks) => {
        const dir = path.join(tmp, `run-${++run}`);
        const files = Array.from({ length: shards }, (_, s) => path.join(`${dir}-shard-${s + 1}.csv`));
        files.forEach((file, s) => writeFileSync(file, [header, ...rows.filter((_, r) => (picks[r] ?? 0) % shards === s)].join('\n') + '\n'));
        const summaries = await Promise.all(
          files.map(async (file) => {
            const out = `${file}.json`;
            writeFileSync(out, (await audit(['score', file, '--as-of', '2014-07-01', '--by', 'team', '--format', 'json'])).stdout);
            return out;
          }),
        );
        const merged = await audit(['merge', ...summaries, '--format', 'json']);
        const whole = await audit(['score', ...files, '--as-of', '2014-07-01', '--by', 'team', '--format', 'json']);
        expect(merged.stderr).toBe('');
        // A merge lists regraded cases by reference; one run over several files, in file order.
        const normalised = (text: string) => {
          const json = JSON.parse(text);
          const byId = (list: { id: string }[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
          json.moderated = byId(json.moderated);
          for (const group of json.groups.values) group.moderated = byId(group.moderated);
          return json;
        };
        expect(normalised(merged.stdout)).toEqual(normalised(whole.stdout));
      }),
      { numRuns: 4 },
    );
  });

  it('prints every format, and refuses summaries of different rubrics, dates or breakdowns', async () => {
    const summary = async (name: string, args: string[]) => {
      const file = path.join(tmp, `${name}.json`);
      writeFileSync(file, (await audit(['score', ...args, '--format', 'json'])).stdout);
      return file;
    };
    const june = await summary('june', ['fixtures/wmp-2014-06.csv', '--as-of', '2014-07-01']);
    const later = await summary('later', ['fixtures/wmp-2014-06.csv', '--as-of', '2014-08-01']);
    const custody = await summary('custody', ['fixtures/custody-2015-16.csv', '--rubric', 'custody', '--as-of', '2014-07-01']);
    const byTeam = await summary('by-team', ['fixtures/wmp-2014-06.csv', '--as-of', '2014-07-01', '--by', 'team']);

    const table = await audit(['merge', june, june]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('230 rows read, 230 cases scored, 0 rejected');
    expect(table.stdout).toContain('- 96 of 230 cases (42%) were inadequate.');
    for (const format of ['markdown', 'csv']) expect((await audit(['merge', june, june, '--format', format])).code).toBe(0);

    for (const [other, what] of [
      [later, 'audit date'],
      [custody, 'rubric id'],
      [byTeam, '--by breakdown'],
    ] as const) {
      const refused = await audit(['merge', june, other]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`its ${what}`);
    }
    const notJson = await audit(['merge', june, 'fixtures/wmp-2014-06.csv']);
    expect(notJson.code).toBe(3);
    expect(notJson.stderr).toBe('audit: fixtures/wmp-2014-06.csv: is not JSON; give the output of audit score --format json\n');
  });
});
