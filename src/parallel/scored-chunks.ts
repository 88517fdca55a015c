import { Worker } from 'node:worker_threads';
import { InputError } from '../cases/errors.js';
import { recordChunks } from '../cases/record-chunks.js';
import type { ChunkResult, ChunkTask, WorkerSetup } from './protocol.js';

export interface ChunkPlan {
  path: string;
  threads: number;
  chunkBytes: number;
  /** Longer than any record within the size limit can be, in bytes. */
  longestRecordBytes: number;
}

// Small heaps: a worker's garbage is nearly all short-lived (one row's cells and values), and a heap that V8 lets
// grow unasked is memory the whole machine pays for. 48 MB still holds the largest chunk, a 5 MB run with no
// record end, several times over.
const resourceLimits = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 48 };
const workerCode = new URL('./worker.js', import.meta.url);

/** Workers started ahead of need, loading their code, until an export is scored. */
const started: Worker[] = [];

/**
 * Starts worker threads before the export is opened, so that loading their
 * code (about a tenth of a second) overlaps the main thread's start. They
 * wait, not holding the process open, until scoredChunks gives them work.
 */
export function startWorkers(threads: number): void {
  while (started.length < threads) {
    const worker = new Worker(workerCode, { resourceLimits });
    worker.unref();
    // One that fails before it is given work is not given any: scoredChunks starts another.
    const forget = () => {
      const at = started.indexOf(worker);
      if (at >= 0) started.splice(at, 1);
    };
    worker.once('error', forget).once('exit', forget);
    started.push(worker);
  }
}

/**
 * Scores one CSV export on several worker threads: the file is read in
 * chunks that end at record boundaries, each chunk is scored by a worker, and
 * the results come back in file order. At most two chunks per thread are in
 * hand at once, so memory does not grow with the file.
 */
export async function* scoredChunks(plan: ChunkPlan, setup: WorkerSetup): AsyncGenerator<ChunkResult> {
  const workers = Array.from({ length: plan.threads }, () => {
    const ready = started.shift();
    if (!ready) return new Worker(workerCode, { workerData: setup, resourceLimits });
    ready.ref();
    ready.postMessage(setup);
    return ready;
  });
  const waiting = new Map<number, { resolve: (result: ChunkResult) => void; reject: (error: Error) => void }>();
  // Once a worker has failed, every chunk still to come fails too: none may be left waiting for a dead worker.
  let broken: Error | undefined;
  const failAll = (error: Error) => {
    broken ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  let stopping = false;
  // Chunks each worker has in hand: the next goes to the one with fewest, so that a worker slowed down (by the
  // other threads sharing its core, say) holds up less work than it would in strict turns.
  const inHand = workers.map(() => 0);
  // Memory that goes round rather than being made for each chunk: the chunks' bytes, handed back with their
  // results for the file to be read into again, and the results, handed back once counted.
  const spare: ArrayBuffer[] = [];
  const recycled: ArrayBuffer[] = [];
  for (const [index, worker] of workers.entries()) {
    worker.on('message', (result: ChunkResult) => {
      inHand[index] = (inHand[index] as number) - 1;
      spare.push(result.spent);
      waiting.get(result.seq)?.resolve(result);
      waiting.delete(result.seq);
    });
    worker.on('error', (error) =>
      failAll(
        (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new InputError(`${setup.file}: ran out of memory reading on ${plan.threads} threads; run again with --jobs 1`)
          : error,
      ),
    );
    worker.on('exit', (code) => {
      if (!stopping) failAll(new Error(`a worker thread stopped unexpectedly (exit code ${code})`));
    });
  }

  const chunks = recordChunks(plan.path, plan.chunkBytes, plan.longestRecordBytes, spare);
  const inFlight: Promise<ChunkResult>[] = [];
  let seq = 0;
  let readAll = false;
  try {
    for (;;) {
      while (!readAll && inFlight.length < plan.threads * 2) {
        const chunk = await chunks.next();
        if (chunk.done) {
          readAll = true;
          break;
        }
        const task: ChunkTask = { seq, bytes: chunk.value.bytes, recycled: recycled.splice(0), first: seq === 0, endsRecord: chunk.value.endsRecord };
        const result = new Promise<ChunkResult>((resolve, reject) => (broken ? reject(broken) : waiting.set(task.seq, { resolve, reject })));
        // Awaited in order below; this only keeps a failure of a later chunk from counting as unhandled meanwhile.
        result.catch(() => undefined);
        inFlight.push(result);
        const least = inHand.indexOf(Math.min(...inHand));
        inHand[least] = (inHand[least] as number) + 1;
        (workers[least] as Worker).postMessage(task, [task.bytes.buffer as ArrayBuffer, ...task.recycled]);
        seq++;
      }
      const next = inFlight.shift();
      if (!next) return;
      const result = await next;
      yield result;
      // Asked for the next one, the caller is done with this one.
      recycled.push(result.cases.fingerprint.buffer as ArrayBuffer);
    }
  } finally {
    stopping = true;
    await chunks.return(undefined);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
