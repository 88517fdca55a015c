import { describe, expect, it } from 'vitest';
import { GROUP_SEPARATOR, GroupValues, grouping, GroupingError, MOST_GROUP_VALUES, reportGrouping } from '../../src/summary/group.js';
import { compile, rubricYaml } from '../helpers.js';

const rubric = compile(rubricYaml('  a: { type: boolean }\n  team: { type: string }\n  on: { type: date }', '  - { id: c1, check: a, on_fail: inadequate }').replace('case: { id: ref, area: area }', 'case: { id: ref, area: area, date: on }'));
const values = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `team ${from + i}`);

describe('a --by breakdown', () => {
  it(`may have ${MOST_GROUP_VALUES} values, met in any number of chunks, and not one more`, () => {
    const counted = new GroupValues(grouping(rubric, 'team'), ['cases.csv']);
    counted.admit(values(600));
    counted.admit(values(MOST_GROUP_VALUES));
    expect(() => counted.admit(values(1, MOST_GROUP_VALUES))).toThrow(
      new GroupingError(`--by team: more than 1,000 different values in cases.csv; a breakdown is for a field with few values, such as team; for dates, use --by month or --by quarter`),
    );
  });

  it("counts a report's values, not its keys of period and value", () => {
    const counted = new GroupValues(reportGrouping(rubric, 'month', 'team'), ['a.csv', 'b.csv']);
    for (const month of ['2014-05', '2014-06', '2014-07']) counted.admit(values(MOST_GROUP_VALUES).map((v) => `${month}${GROUP_SEPARATOR}${v}`));
    expect(() => counted.admit([`2014-08${GROUP_SEPARATOR}one more`])).toThrow('--by team: more than 1,000 different values in a.csv, b.csv;');
  });

  it('leaves a report without --by alone, whatever its periods', () => {
    const counted = new GroupValues(reportGrouping(rubric, 'month'), ['a.csv']);
    expect(() => counted.admit(Array.from({ length: 2 * MOST_GROUP_VALUES }, (_, i) => `${1000 + i}-01`))).not.toThrow();
  });
});
