import { stat } from 'node:fs/promises';
import path from 'node:path';

const MEBIBYTE = 1024 * 1024;
const GIBIBYTE = 1024 * MEBIBYTE;

/**
 * A number format made when first used: making the first one loads the
 * locale data, some 30 ms, and most runs never show a progress line.
 */
function numberFormat(options: Intl.NumberFormatOptions): { format(value: number): string } {
  let made: Intl.NumberFormat | undefined;
  return { format: (value) => (made ??= new Intl.NumberFormat('en-GB', options)).format(value) };
}

const WHOLE_NUMBER = numberFormat({ maximumFractionDigits: 0 });
const ONE_DECIMAL = numberFormat({ minimumFractionDigits: 1, maximumFractionDigits: 1 });
// The line is redrawn several times a second: a rate to the last row would flicker too fast to read.
const TWO_FIGURES = numberFormat({ maximumSignificantDigits: 2 });

const SEPARATOR = '  ';
const WIDEST_BAR = 20;
const NARROWEST_BAR = 10;
// Long export names are cut so that they do not crowd out the bar and the figures.
const LONGEST_NAME = 30;
const SHORTEST_NAME = 8;
// Before this, the rate is mostly start-up noise and an estimate would jump about.
const SETTLING_MS = 1000;
// A smaller file is read in a second or two: a bar would only flash.
const SMALLEST_SHOWN_BYTES = 4 * MEBIBYTE;
const REDRAW_MS = 200;

interface ProgressState {
  file: string;
  bytesRead: number;
  totalBytes: number;
  rows: number;
  elapsedMs: number;
  width: number;
}

/** `81 MB of 180 MB`, in whichever unit suits the total, the way a file manager shows sizes. */
function sizes(bytesRead: number, totalBytes: number): string {
  const [unit, unitName] = totalBytes >= GIBIBYTE ? [GIBIBYTE, 'GB'] : [MEBIBYTE, 'MB'];
  const amount = (bytes: number) => (bytes / unit < 10 ? ONE_DECIMAL : WHOLE_NUMBER).format(bytes / unit);
  return `${amount(bytesRead)} ${unitName} of ${amount(totalBytes)} ${unitName}`;
}

function timeLeft({ bytesRead, totalBytes, elapsedMs }: ProgressState): string | undefined {
  if (elapsedMs < SETTLING_MS || bytesRead <= 0 || bytesRead >= totalBytes) return undefined;
  // Only the size of the file is known in advance, not its number of rows, so the estimate goes by bytes.
  const seconds = ((totalBytes - bytesRead) * elapsedMs) / bytesRead / 1000;
  if (seconds < 10) return 'a few seconds left';
  const tensOfSeconds = Math.round(seconds / 10) * 10;
  if (tensOfSeconds < 60) return `about ${tensOfSeconds} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

function rowsPerSecond({ rows, elapsedMs }: ProgressState): string | undefined {
  if (elapsedMs < SETTLING_MS || rows <= 0) return undefined;
  return `${TWO_FIGURES.format(Math.round((rows * 1000) / elapsedMs))} rows/s`;
}

/** Cuts the middle out of a long name, keeping its end, where exports carry the date and the extension. */
function shortenName(name: string, length: number): string {
  if (name.length <= length) return name;
  const kept = length - 3;
  const end = Math.ceil(kept / 2);
  return `${name.slice(0, kept - end)}...${name.slice(name.length - end)}`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.floor(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * One line of progress, at most `width` characters. As the width shrinks, the figures go first (rate, then
 * sizes, then rows), then the bar, then the file name, so the last to go are how far along and how long to go.
 */
export function progressLine(state: ProgressState): string {
  const { bytesRead, totalBytes, rows, width } = state;
  const fraction = totalBytes > 0 ? Math.min(Math.max(bytesRead / totalBytes, 0), 1) : 0;
  // Rounded down, so that 100% means everything has been read.
  const percent = `${Math.floor(fraction * 100)}%`;
  const eta = timeLeft(state);
  // In the order they appear on the line; when it is too narrow, the figure with the lowest `dropOrder` goes first.
  const figures: { text: string | undefined; dropOrder?: number }[] = [
    { text: percent },
    { text: sizes(bytesRead, totalBytes), dropOrder: 2 },
    { text: `${WHOLE_NUMBER.format(rows)} rows`, dropOrder: 3 },
    { text: rowsPerSecond(state), dropOrder: 1 },
    { text: eta },
  ];
  const name = path.basename(state.file);
  const reading = `Reading ${shortenName(name, LONGEST_NAME)}`;

  for (const dropped of [0, 1, 2, 3]) {
    const text = figures
      .filter((figure) => figure.dropOrder === undefined || figure.dropOrder > dropped)
      .flatMap((figure) => (figure.text === undefined ? [] : [figure.text]))
      .join(SEPARATOR);
    const barWidth = width - reading.length - text.length - 2 * SEPARATOR.length - '[]'.length;
    if (barWidth >= NARROWEST_BAR) {
      return [reading, bar(fraction, Math.min(barWidth, WIDEST_BAR)), text].join(SEPARATOR);
    }
  }

  const essentials = eta === undefined ? percent : `${percent}${SEPARATOR}${eta}`;
  const nameWidth = width - 'Reading '.length - SEPARATOR.length - essentials.length;
  if (nameWidth >= SHORTEST_NAME) {
    return `Reading ${shortenName(name, Math.min(nameWidth, LONGEST_NAME))}${SEPARATOR}${essentials}`;
  }
  return essentials.length <= width ? essentials : percent.slice(0, width);
}

export interface Progress {
  /** Cheap enough to call for every batch of rows: it redraws only when the last drawing is old enough. */
  update(bytesRead: number, rows: number): void;
  /** Clears the line, so that what is written next starts at the left margin. */
  finish(): void;
}

/**
 * A progress line on `stream` while a large file is read, or undefined where it would only get in the way:
 * output that is not a terminal (a log, a pipe), a CI run, or a file read too quickly to need one.
 */
export function startProgress(options: {
  file: string;
  totalBytes: number;
  stream: { isTTY?: boolean; columns?: number; write(text: string): boolean };
  env: Record<string, string | undefined>;
  now?: () => number;
}): Progress | undefined {
  const { file, totalBytes, stream, env, now = () => performance.now() } = options;
  if (stream.isTTY !== true || (env.CI ?? '') !== '' || totalBytes < SMALLEST_SHOWN_BYTES) return undefined;

  const startedAt = now();
  // Counting from the start, not from zero, leaves a file read within the first interval without a flash of bar.
  let drawnAt = startedAt;
  let drawn = false;
  return {
    update(bytesRead, rows) {
      const time = now();
      if (time - drawnAt < REDRAW_MS) return;
      drawnAt = time;
      drawn = true;
      // One column short of the terminal: writing into the last column makes some terminals wrap, and every
      // redraw would then land on a new line. A terminal that reports no width (0 or none) gets the usual 80.
      const width = (stream.columns || 80) - 1;
      stream.write(`\r${progressLine({ file, bytesRead, totalBytes, rows, elapsedMs: time - startedAt, width })}\x1b[K`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

/** The progress line for reading these inputs, when it is wanted: their total size must be known, so not for standard input. */
export async function inputProgress(files: string[], stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Promise<Progress | undefined> {
  if (files.includes('-') || stream.isTTY !== true) return undefined;
  let totalBytes = 0;
  for (const file of files) {
    try {
      totalBytes += (await stat(file)).size;
    } catch {
      // Reading the file will say what is wrong with it.
      return undefined;
    }
  }
  return startProgress({ file: files.length === 1 ? (files[0] as string) : `${files.length} files`, totalBytes, stream, env });
}
