import { ASCII_KERNEL_WASM } from './ascii-kernel.wasm.js';
import { RecordBatch, type LazyText } from './record-batch.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  layout(bytes: number, starts: number, ends: number, doubled: number, first: number): void;
  split(from: number, length: number, most: number, delimiter: number, max: number): number;
  oddQuotes(length: number): number;
  cells: WebAssembly.Global;
  records: WebAssembly.Global;
}

const PAGE_BYTES = 65_536;
/** Past a chunk's last byte: an LF, then 16 quotes (see ascii-kernel.wat). */
const PAST_END = 17;
const LF = 0x0a;
const QUOTE = 0x22;

let compiled: WebAssembly.Module | null | undefined;

/**
 * The loops that touch every byte of a large export, in WebAssembly with
 * 128-bit vectors (ascii-kernel.wat): splitting a chunk of ASCII into
 * records (about three times as fast as the same loop in JavaScript here),
 * and the parity of a chunk's quotes. One per thread; a chunk is copied in,
 * which costs a small part of reading it.
 */
export class AsciiKernel {
  private readonly exports: KernelExports;
  /** The largest chunk the memory is laid out for. */
  private capacity = -1;
  private length = 0;
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private doubled = new Uint8Array(0);
  private first = new Int32Array(0);

  private constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
  }

  /** A kernel for this thread, or undefined where the engine cannot run one (no 128-bit vectors), and the loops in JavaScript do. */
  static create(): AsciiKernel | undefined {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(Buffer.from(ASCII_KERNEL_WASM, 'base64'));
      } catch {
        compiled = null;
      }
    }
    return compiled ? new AsciiKernel(compiled) : undefined;
  }

  /** Copies a chunk in, for split or oddQuotes. */
  load(bytes: Uint8Array): void {
    if (bytes.length > this.capacity) this.layOut(bytes.length);
    const memory = new Uint8Array(this.exports.memory.buffer, 0, bytes.length + PAST_END);
    memory.set(bytes);
    memory[bytes.length] = LF;
    memory.fill(QUOTE, bytes.length + 1);
    this.length = bytes.length;
  }

  /**
   * Splits up to `most` records of the chunk loaded, from `from` (a record's
   * start), as CsvRecords would split its text; they are then `batch`.
   * Returns where the next record starts, or -1 where the text is not
   * ordinary CSV or a record is longer than `maxRecordBytes`: the rest is
   * then for CsvRecords, which names the problem.
   */
  split(from: number, most: number, delimiter: number, maxRecordBytes: number): number {
    return this.exports.split(from, this.length, most, delimiter, maxRecordBytes);
  }

  /**
   * The records the last split found, over `text` (the chunk's own, one
   * character a byte): a view of the kernel's memory, good until the next
   * split, as a RecordBuilder's batch is good until its next.
   */
  batch(text: string | LazyText, firstRow: number): RecordBatch {
    const records = this.exports.records.value as number;
    const cells = this.exports.cells.value as number;
    return new RecordBatch(text, records, this.first.subarray(0, records + 1), this.starts.subarray(0, cells), this.ends.subarray(0, cells), this.doubled.subarray(0, cells), firstRow);
  }

  /** Whether the chunk holds an odd number of quote bytes. */
  oddQuotes(bytes: Uint8Array): boolean {
    this.load(bytes);
    return this.exports.oddQuotes(bytes.length) === 1;
  }

  /**
   * Room for a chunk of `length` bytes and, for its cells, as many as a
   * chunk of that length can hold: one a byte, and one more. Memory is
   * given to the process as it is written, so room for cells that never
   * come costs nothing.
   */
  private layOut(length: number): void {
    const cells = length + 2;
    const align = (offset: number) => Math.ceil(offset / 16) * 16;
    const starts = align(length + PAST_END);
    const ends = align(starts + 4 * cells);
    const doubled = align(ends + 4 * cells);
    const first = align(doubled + cells);
    const end = first + 4 * cells;
    const { memory } = this.exports;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE_BYTES));
    this.exports.layout(0, starts, ends, doubled, first);
    const { buffer } = memory;
    this.starts = new Int32Array(buffer, starts, cells);
    this.ends = new Int32Array(buffer, ends, cells);
    this.doubled = new Uint8Array(buffer, doubled, cells);
    this.first = new Int32Array(buffer, first, cells);
    this.capacity = length;
  }
}
