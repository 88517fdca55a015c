import { describe, expect, it } from 'vitest';
import { progressLine, startProgress } from '../../src/cli/progress.js';

const MiB = 1024 * 1024;

/** 45% of a 180 MB export read in 50 s: the rest should take about a minute. */
const halfway = { file: 'cases.csv', bytesRead: 81 * MiB, totalBytes: 180 * MiB, rows: 312_000, elapsedMs: 50_000 };

describe('the progress line', () => {
  it('shows the file, a bar, how far along, the sizes, the rows, the rate and the time left on a wide terminal', () => {
    expect(progressLine({ ...halfway, width: 120 })).toBe(
      'Reading cases.csv  [#########-----------]  45%  81 MB of 180 MB  312,000 rows  6,200 rows/s  about 1 min left',
    );
  });

  it('drops the rate and then the sizes before it narrows the bar', () => {
    expect(progressLine({ ...halfway, width: 80 })).toBe('Reading cases.csv  [#########-----------]  45%  312,000 rows  about 1 min left');
    expect(progressLine({ ...halfway, width: 60 })).toBe('Reading cases.csv  [#######---------]  45%  about 1 min left');
  });

  it('drops the bar, then the file name, when the terminal is narrow', () => {
    expect(progressLine({ ...halfway, width: 40 })).toBe('Reading cases.csv  45%  about 1 min left');
    expect(progressLine({ ...halfway, width: 30 })).toBe('45%  about 1 min left');
    expect(progressLine({ ...halfway, width: 3 })).toBe('45%');
  });

  it('never runs past the width, whatever the width and the figures', () => {
    const states = [
      halfway,
      { ...halfway, file: 'west-midlands-police-child-protection-export-2014-06.csv' },
      { file: 'big.csv', bytesRead: 1.5 * 1024 * MiB, totalBytes: 12 * 1024 * MiB, rows: 98_765_432, elapsedMs: 7_200_000 },
      { file: 'cases.csv', bytesRead: 0, totalBytes: 4 * MiB, rows: 0, elapsedMs: 0 },
    ];
    for (const state of states) {
      for (let width = 0; width <= 160; width++) {
        expect(progressLine({ ...state, width }).length, `width ${width}`).toBeLessThanOrEqual(width);
      }
    }
  });

  it('shows the name without its folder, cutting the middle out of a long one', () => {
    const line = progressLine({ ...halfway, file: '/exports/west-midlands-police-child-protection-export-2014-06.csv', width: 130 });
    expect(line).toBe(
      'Reading west-midlands...rt-2014-06.csv  [#########-----------]  45%  81 MB of 180 MB  312,000 rows  6,200 rows/s  about 1 min left',
    );
  });

  it('shows small amounts with one decimal and large files in GB', () => {
    const start = { file: 'cases.csv', rows: 2_000, elapsedMs: 500, width: 120 };
    expect(progressLine({ ...start, bytesRead: 0.4 * MiB, totalBytes: 4 * MiB })).toBe('Reading cases.csv  [##------------------]  10%  0.4 MB of 4.0 MB  2,000 rows');
    expect(progressLine({ ...start, bytesRead: 1024 * MiB, totalBytes: 2.5 * 1024 * MiB })).toBe(
      'Reading cases.csv  [########------------]  40%  1.0 GB of 2.5 GB  2,000 rows',
    );
  });

  it('estimates the time left from the bytes read so far, in plain words', () => {
    const at = (bytesRead: number, elapsedMs: number) =>
      progressLine({ file: 'cases.csv', bytesRead, totalBytes: 100 * MiB, rows: 1_000, elapsedMs, width: 200 }).split('  ').at(-1);
    expect(at(50 * MiB, 40_000)).toBe('about 40 s left');
    expect(at(20 * MiB, 30_000)).toBe('about 2 min left');
    expect(at(90 * MiB, 45_000)).toBe('a few seconds left');
    expect(at(80 * MiB, 220_000)).toBe('about 1 min left');
  });

  it('gives no estimate and no rate before a second has passed, nor with nothing read yet, nor once all is read', () => {
    const line = (bytesRead: number, elapsedMs: number) =>
      progressLine({ file: 'cases.csv', bytesRead, totalBytes: 100 * MiB, rows: bytesRead > 0 ? 1_000 : 0, elapsedMs, width: 200 });
    expect(line(10 * MiB, 999)).toBe('Reading cases.csv  [##------------------]  10%  10 MB of 100 MB  1,000 rows');
    expect(line(0, 5_000)).toBe('Reading cases.csv  [--------------------]  0%  0.0 MB of 100 MB  0 rows');
    expect(line(100 * MiB, 5_000)).toBe('Reading cases.csv  [####################]  100%  100 MB of 100 MB  1,000 rows  200 rows/s');
  });
});

/** A terminal that records what is written to it. */
function terminal(overrides: { isTTY?: boolean; columns?: number } = {}) {
  const writes: string[] = [];
  return { writes, stream: { isTTY: true, columns: 41, ...overrides, write: (text: string) => writes.push(text) > 0 } };
}

function clock(start: number) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

describe('starting a progress line', () => {
  const large = { file: 'cases.csv', totalBytes: 8 * MiB, env: {} };

  it('shows nothing where it would only get in the way', () => {
    expect(startProgress({ ...large, stream: terminal({ isTTY: false }).stream })).toBeUndefined();
    expect(startProgress({ ...large, stream: { write: () => true } })).toBeUndefined();
    expect(startProgress({ ...large, stream: terminal().stream, env: { CI: 'true' } })).toBeUndefined();
    expect(startProgress({ ...large, stream: terminal().stream, totalBytes: 4 * MiB - 1 })).toBeUndefined();
  });

  it('shows progress on a terminal for a file of 4 MB or more, with CI unset or empty', () => {
    expect(startProgress({ ...large, stream: terminal().stream, totalBytes: 4 * MiB })).toBeDefined();
    expect(startProgress({ ...large, stream: terminal().stream, env: { CI: '' } })).toBeDefined();
  });

  it('redraws at most every 200 ms, one column short of the terminal, timed by the clock it is given', () => {
    const { writes, stream } = terminal();
    const time = clock(1_000);
    const progress = startProgress({ ...large, stream, now: time.now })!;

    time.time = 1_199;
    progress.update(1 * MiB, 5_000);
    expect(writes).toEqual([]);

    time.time = 1_200;
    progress.update(1 * MiB, 5_000);
    for (; time.time < 1_400; time.time += 10) progress.update(2 * MiB, 10_000);
    expect(writes).toEqual(['\rReading cases.csv  [#-------------]  12%\x1b[K']);

    time.time = 3_000;
    progress.update(4 * MiB, 30_000);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toBe('\r50%  a few seconds left\x1b[K');
  });

  it('draws 79 columns on a terminal that does not report its width', () => {
    const { writes, stream } = terminal({ columns: undefined });
    const time = clock(0);
    const progress = startProgress({ ...large, stream, now: time.now })!;
    time.time = 60_000;
    progress.update(6 * MiB, 300_000);
    expect(writes).toEqual(['\rReading cases.csv  [###############-----]  75%  300,000 rows  about 20 s left\x1b[K']);
  });

  it('clears the line when finished, so the report starts at the left margin', () => {
    const { writes, stream } = terminal();
    const time = clock(0);
    const progress = startProgress({ ...large, stream, now: time.now })!;
    time.time = 500;
    progress.update(1 * MiB, 5_000);
    progress.finish();
    expect(writes.at(-1)).toBe('\r\x1b[K');
    expect(writes).toHaveLength(2);
  });

  it('writes nothing at all for a file read before the first redraw', () => {
    const { writes, stream } = terminal();
    const time = clock(0);
    const progress = startProgress({ ...large, stream, now: time.now })!;
    time.time = 150;
    progress.update(8 * MiB, 40_000);
    progress.finish();
    expect(writes).toEqual([]);
  });
});
