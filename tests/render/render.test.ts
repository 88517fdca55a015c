import { outcomeCodes } from '../../src/scoring/outcome.js';
import { describe, expect, it } from 'vitest';
import { caseWriter } from '../../src/render/cases.js';
import { csvCell } from '../../src/render/csv-cell.js';
import { renderCsv } from '../../src/render/csv.js';
import { escapeMarkdown, renderMarkdown } from '../../src/render/markdown.js';
import { renderTable } from '../../src/render/table.js';
import { addCase, addRejectedRow, emptySummary, LISTED_REJECTS, rubricInfo } from '../../src/summary/summary.js';
import { textTable } from '../../src/render/text-table.js';
import { compile, rubricYaml } from '../helpers.js';

const rubric = compile(rubricYaml('  a: { type: boolean }', '  - { id: c1, title: First, check: a, on_fail: inadequate }'));

function summaryWithGroup(group: string) {
  const summary = emptySummary(rubricInfo(rubric), { asOf: '2014-07-01', files: ['a.csv'], groupBy: 'team' });
  addCase(summary, 'cse', 'inadequate', outcomeCodes([{ id: 'c1', outcome: 'not-met', missing: [] }]), group);
  addCase(summary, 'missing', 'good', outcomeCodes([{ id: 'c1', outcome: 'met', missing: [] }]), group);
  return summary;
}

describe('renderers', () => {
  it('colour the terminal table only when asked', () => {
    const summary = summaryWithGroup('North');
    expect(renderTable(summary, { color: true })).toMatch(/\u001b\[1m/);
    expect(renderTable(summary, { color: false })).not.toMatch(/\u001b\[/);
  });

  it('keep a hostile group value from breaking a markdown table or injecting markup', () => {
    const markdown = renderMarkdown(summaryWithGroup('<script>alert(1)</script> | x'));
    expect(markdown).toContain('## team: \\<script\\>alert(1)\\</script\\> \\| x');
    expect(markdown).not.toContain('<script>');
    expect(escapeMarkdown('a|b\nc')).toBe('a\\|b c');
  });

  it('list the first rejected cells, then the rows by column at fault and where the rest are', () => {
    const summary = summaryWithGroup('North');
    for (let row = 2; row < 2 + 120; row++) addRejectedRow(summary, [{ file: 'a.csv', row, column: row % 2 ? 'Referred On' : '', value: 'x', reason: row % 2 ? 'not a date' : 'the row has 5 cells but the header has 7' }]);
    const table = renderTable(summary, { color: false });
    expect(table).toContain(
      [
        'Rejected rows (not scored)',
        'Column           Rows  For example',
        '(the whole row)    60  the row has 5 cells but the header has 7',
        'Referred On        60  not a date',
        '',
        `The first ${LISTED_REJECTS} of 120 unreadable cells; --rejects-out FILE writes every one.`,
        'File   Row  Column       Value  Reason',
        'a.csv    2               x      the row has 5 cells but the header has 7',
      ].join('\n'),
    );
    expect(table.match(/^a\.csv /gm)).toHaveLength(LISTED_REJECTS);
    const markdown = renderMarkdown(summary);
    expect(markdown).toContain(['| (the whole row) | 60 | the row has 5 cells but the header has 7 |', '| Referred On | 60 | not a date |', '', `The first ${LISTED_REJECTS} of 120`].join('\n'));
    expect(markdown.match(/^\| a\.csv \|/gm)).toHaveLength(LISTED_REJECTS);
  });

  it('do not fail on a list longer than a call may take arguments (200,000 moderated cases)', () => {
    const summary = summaryWithGroup('North');
    for (let i = 0; i < 200_000; i++) summary.overall.moderated.push({ id: `WM-${i}`, area: 'cse', computed: 'inadequate', final: 'good' });
    expect(renderTable(summary, { color: false }).split('\n').length).toBeGreaterThan(200_000);
    expect(renderMarkdown(summary).split('\n').length).toBeGreaterThan(200_000);
    expect(textTable([{ header: 'a', align: 'left' }], Array.from({ length: 200_000 }, () => ['x']))).toHaveLength(200_001);
  });

  it('neutralise spreadsheet formulas in CSV cells (OWASP CSV injection)', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(renderCsv(summaryWithGroup('=cmd'))).toContain("\r\n'=cmd,cse,");
  });

  it('write cases as CSV, JSON and JSON lines', () => {
    const result = { id: '@WM-1', area: 'cse', grade: 'inadequate' as const, not_met: ['c1', 'c2'] };
    const all = (format: 'csv' | 'json' | 'jsonl', results: (typeof result)[]) => {
      const writer = caseWriter(format);
      return writer.start() + results.map((r) => writer.write(r)).join('') + writer.end();
    };
    expect(all('csv', [result])).toBe("id,area,grade,computed_grade,not_met\r\n'@WM-1,cse,inadequate,,c1;c2\r\n");
    expect(JSON.parse(all('json', [result, result]))).toEqual([result, result]);
    expect(JSON.parse(all('json', []))).toEqual([]);
    expect(all('jsonl', [result]).split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual([result]);
  });
});
