import { describe, expect, it } from 'vitest';
import { meetsTarget, parseTargets } from '../../src/report/targets.js';
import { wilson } from '../../src/report/wilson.js';
import { parsePeriod, periodLabel, periodOf, periodsBetween } from '../../src/summary/periods.js';

const round = (x: number) => Math.round(x * 10000) / 10000;

describe('Wilson score interval', () => {
  it('matches hand-computed values', () => {
    // 5 of 9: p = .5556, z² = 3.8415; centre = (p + z²/18) / (1 + z²/9) = .5390; half-width = .2723.
    expect([round(wilson(5, 9).low), round(wilson(5, 9).high)]).toEqual([0.2667, 0.8112]);
    // 48 of 115 (computed independently in Python with the same formula).
    expect([round(wilson(48, 115).low), round(wilson(48, 115).high)]).toEqual([0.3314, 0.5088]);
    // The edges stay inside 0–1 and are not degenerate.
    expect(wilson(0, 11).low).toBe(0);
    expect(round(wilson(0, 11).high)).toBe(0.2588);
    expect(round(wilson(11, 11).low)).toBe(0.7412);
    expect(wilson(11, 11).high).toBe(1);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('narrows as the sample grows', () => {
    const width = (k: number, n: number) => wilson(k, n).high - wilson(k, n).low;
    expect(width(50, 100)).toBeLessThan(width(5, 10));
  });
});

describe('targets', () => {
  it('parses grades, comparisons and percentages', () => {
    expect(parseTargets('inadequate<=10%, good >= 40,requires improvement<30%')).toEqual([
      { grade: 'inadequate', comparison: '<=', percent: 10, text: 'inadequate <= 10%' },
      { grade: 'good', comparison: '>=', percent: 40, text: 'good >= 40%' },
      { grade: 'requires-improvement', comparison: '<', percent: 30, text: 'requires-improvement < 30%' },
    ]);
    expect(() => parseTargets('bad<=10%')).toThrow("--targets: 'bad<=10%' is not a target; write a grade, a comparison and a percentage, such as inadequate<=10% or good>=40%");
    expect(() => parseTargets('good>=140%')).toThrow('cannot be over 100');
  });

  it('is met or missed at the boundary as written', () => {
    const counts = { cases: 20, good: 8, 'requires-improvement': 10, inadequate: 2 };
    const [atMost, under, atLeast, over] = parseTargets('inadequate<=10%,inadequate<10%,good>=40%,good>40%');
    expect([meetsTarget(atMost!, counts), meetsTarget(under!, counts), meetsTarget(atLeast!, counts), meetsTarget(over!, counts)]).toEqual([true, false, true, false]);
    expect(meetsTarget(atMost!, { cases: 0, good: 0, 'requires-improvement': 0, inadequate: 0 })).toBeNull();
  });
});

describe('periods', () => {
  it('names months and quarters and lists the periods between two', () => {
    const date = new Date(Date.UTC(2014, 5, 30, 23, 59));
    expect([periodOf(date, 'month'), periodOf(date, 'quarter')]).toEqual(['2014-06', '2014-Q2']);
    expect([periodLabel('2014-06', 'month'), periodLabel('2014-Q2', 'quarter')]).toEqual(['June 2014', 'Apr–Jun 2014']);
    expect(periodsBetween('2013-11', '2014-02', 'month')).toEqual(['2013-11', '2013-12', '2014-01', '2014-02']);
    expect(periodsBetween('2013-Q4', '2014-Q2', 'quarter')).toEqual(['2013-Q4', '2014-Q1', '2014-Q2']);
    expect([parsePeriod('--from', '2014-05', 'quarter'), parsePeriod('--to', '2014-q3', 'quarter')]).toEqual(['2014-Q2', '2014-Q3']);
    expect(() => parsePeriod('--from', '2014-13', 'month')).toThrow('--from 2014-13: write a month as YYYY-MM, for example 2014-01');
  });
});
