import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RecordWriter } from '../render/record-writer.js';
import { UsageError } from './errors.js';

function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

/** Writes a whole file via a temporary file and a rename: an interrupted run leaves no half-written output. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = temporaryName(file);
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new UsageError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
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
      if (failure) {
        await rm(temporary, { force: true });
        throw new UsageError(`cannot write ${file} (${(failure as NodeJS.ErrnoException).code ?? failure.message})`);
      }
      await rename(temporary, file);
    },
    async abandon() {
      await finished();
      await rm(temporary, { force: true });
    },
  };
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}
