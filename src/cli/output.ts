import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RecordWriter } from '../render/record-writer.js';
import { UsageError } from './errors.js';

function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

/**
 * Temporary files being written. They may hold case references, so a run
 * interrupted by Ctrl-C or a polite kill removes them before it exits (with
 * the code a shell gives a run ended by that signal); only a run killed
 * outright (SIGKILL) can leave one.
 */
const unfinished = new Set<string>();
let removedOnInterrupt = false;

function started(temporary: string): void {
  unfinished.add(temporary);
  if (removedOnInterrupt) return;
  removedOnInterrupt = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      for (const file of unfinished) rmSync(file, { force: true });
      process.exit(code);
    });
  }
}

function cannotWrite(file: string, error: Error): UsageError {
  return new UsageError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? error.message})`);
}

/** Writes a whole file via a temporary file and a rename: an interrupted run leaves no half-written output. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = temporaryName(file);
  started(temporary);
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw cannotWrite(file, error as Error);
  } finally {
    unfinished.delete(temporary);
  }
}

/** A file of records written one at a time, that appears under its name only when complete. */
export interface RecordsFile<T> {
  write(record: T): void;
  commit(): Promise<void>;
  abandon(): Promise<void>;
}

export function streamRecordsAtomically<T>(file: string, writer: RecordWriter<T>): RecordsFile<T> {
  const temporary = temporaryName(file);
  started(temporary);
  const stream: WriteStream = createWriteStream(temporary);
  let failure: Error | undefined;
  stream.on('error', (error) => (failure = error));
  stream.write(writer.start());
  const finished = () => new Promise<void>((resolve) => stream.end(resolve));
  return {
    write: (record) => void stream.write(writer.write(record)),
    async commit() {
      stream.write(writer.end());
      await finished();
      try {
        if (failure) {
          await rm(temporary, { force: true });
          throw cannotWrite(file, failure);
        }
        await rename(temporary, file);
      } finally {
        unfinished.delete(temporary);
      }
    },
    async abandon() {
      await finished();
      await rm(temporary, { force: true });
      unfinished.delete(temporary);
    },
  };
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}
