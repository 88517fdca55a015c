;; The two loops that touch every byte of a large export, in WebAssembly with
;; 128-bit vectors: splitting a worker's chunk of ASCII into records and
;; cells, and the parity of the quotes in a chunk on the thread that cuts the
;; file into chunks. A JavaScript loop over a Uint8Array costs about 2.5 ns a
;; byte on the machines this runs on; these look at 16 bytes at a time.
;;
;; ascii-kernel.ts loads the module, lays out its memory and copies each
;; chunk in; scripts/build-wasm.mjs assembles this file into
;; ascii-kernel.wasm.ts (`npm run kernel`), and a test checks that the two
;; agree.
;;
;; Memory (offsets set by `layout`, in bytes):
;;   $bytes    the chunk, then an LF (so that a scan of an unquoted cell
;;             stops at the end), then 16 quotes (so that a scan for a
;;             closing quote stops there, past the end, and a vector read
;;             near the end stays in the chunk's own memory)
;;   $starts, $ends (i32), $doubled (u8): each cell's place in the chunk,
;;             and 1 when it was quoted with doubled quotes inside
;;   $first    (i32) the first cell of each record, and one past the last
(module
  (memory (export "memory") 1)
  (global $bytes (mut i32) (i32.const 0))
  (global $starts (mut i32) (i32.const 0))
  (global $ends (mut i32) (i32.const 0))
  (global $doubled (mut i32) (i32.const 0))
  (global $first (mut i32) (i32.const 0))
  ;; What the last `split` wrote.
  (global $cells (export "cells") (mut i32) (i32.const 0))
  (global $records (export "records") (mut i32) (i32.const 0))

  (func (export "layout") (param $bytes i32) (param $starts i32) (param $ends i32) (param $doubled i32) (param $first i32)
    (global.set $bytes (local.get $bytes))
    (global.set $starts (local.get $starts))
    (global.set $ends (local.get $ends))
    (global.set $doubled (local.get $doubled))
    (global.set $first (local.get $first)))

  ;; Splits up to $most records of the chunk of $length bytes, from $from (a
  ;; record's start), as CsvRecords (csv-records.ts) splits the same text:
  ;; cells end at the delimiter, records at LF, CR or CRLF, and a quoted cell
  ;; runs to a quote that is not doubled. Returns where the next record
  ;; starts, or -1 to give up: at a quote inside an unquoted cell, text after
  ;; a closing quote, a quote left open, or a record of more than $max bytes,
  ;; where CsvRecords names the problem.
  (func (export "split") (param $from i32) (param $length i32) (param $most i32) (param $delimiter i32) (param $max i32) (result i32)
    (local $at i32) (local $end i32) (local $base i32) (local $record i32) (local $cell i32)
    (local $cellStart i32) (local $quote i32) (local $doubled i32) (local $byte i32) (local $found i32)
    (local $block v128) (local $delimiters v128)
    (local.set $base (global.get $bytes))
    (local.set $at (i32.add (local.get $base) (local.get $from)))
    (local.set $end (i32.add (local.get $base) (local.get $length)))
    (local.set $delimiters (i8x16.splat (local.get $delimiter)))
    (global.set $cells (i32.const 0))
    (global.set $records (i32.const 0))
    (i32.store (global.get $first) (i32.const 0))
    (block $split
      (loop $records
        (br_if $split (i32.ge_u (local.get $at) (local.get $end)))
        (br_if $split (i32.ge_u (global.get $records) (local.get $most)))
        (local.set $record (local.get $at))
        (block $recordEnd
          (loop $cells
            (local.set $cell (global.get $cells))
            (if (i32.eq (i32.load8_u (local.get $at)) (i32.const 34))
              (then
                ;; A quoted cell: its text runs to a quote not doubled.
                (local.set $doubled (i32.const 0))
                (local.set $quote (i32.add (local.get $at) (i32.const 1)))
                (block $closed
                  (loop $scan
                    (local.set $found (i8x16.bitmask (i8x16.eq (v128.load (local.get $quote)) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
                    (if (i32.eqz (local.get $found))
                      (then
                        (local.set $quote (i32.add (local.get $quote) (i32.const 16)))
                        (br $scan)))
                    (local.set $quote (i32.add (local.get $quote) (i32.ctz (local.get $found))))
                    ;; Only the quotes past the end are left: a quote left open.
                    (if (i32.ge_u (local.get $quote) (local.get $end)) (then (return (i32.const -1))))
                    ;; The byte after the last one is the LF past the end, never a quote.
                    (br_if $closed (i32.ne (i32.load8_u (i32.add (local.get $quote) (i32.const 1))) (i32.const 34)))
                    (local.set $doubled (i32.const 1))
                    (local.set $quote (i32.add (local.get $quote) (i32.const 2)))
                    (br $scan)))
                (i32.store (i32.add (global.get $starts) (i32.shl (local.get $cell) (i32.const 2))) (i32.sub (i32.add (local.get $at) (i32.const 1)) (local.get $base)))
                (i32.store (i32.add (global.get $ends) (i32.shl (local.get $cell) (i32.const 2))) (i32.sub (local.get $quote) (local.get $base)))
                (i32.store8 (i32.add (global.get $doubled) (local.get $cell)) (local.get $doubled))
                (global.set $cells (i32.add (local.get $cell) (i32.const 1)))
                (local.set $at (i32.add (local.get $quote) (i32.const 1)))
                ;; After the closing quote: the delimiter, a line break, or the end (the LF past it).
                (local.set $byte (i32.load8_u (local.get $at)))
                (if (i32.eq (local.get $byte) (local.get $delimiter))
                  (then
                    (local.set $at (i32.add (local.get $at) (i32.const 1)))
                    (br $cells)))
                (br_if $recordEnd (i32.or (i32.eq (local.get $byte) (i32.const 10)) (i32.eq (local.get $byte) (i32.const 13))))
                (return (i32.const -1)))
              (else
                ;; An unquoted cell: its text runs to the first delimiter, line break or quote.
                (local.set $cellStart (local.get $at))
                (block $cellEnd
                  (loop $scan
                    (local.set $block (v128.load (local.get $at)))
                    (local.set $found
                      (i8x16.bitmask
                        (v128.or
                          (v128.or
                            (i8x16.eq (local.get $block) (local.get $delimiters))
                            (i8x16.eq (local.get $block) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
                          (v128.or
                            (i8x16.eq (local.get $block) (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13))
                            (i8x16.eq (local.get $block) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))))
                    (if (local.get $found)
                      (then
                        (local.set $at (i32.add (local.get $at) (i32.ctz (local.get $found))))
                        (br $cellEnd)))
                    (local.set $at (i32.add (local.get $at) (i32.const 16)))
                    (br $scan)))
                (local.set $byte (i32.load8_u (local.get $at)))
                (if (i32.eq (local.get $byte) (i32.const 34)) (then (return (i32.const -1))))
                (i32.store (i32.add (global.get $starts) (i32.shl (local.get $cell) (i32.const 2))) (i32.sub (local.get $cellStart) (local.get $base)))
                (i32.store (i32.add (global.get $ends) (i32.shl (local.get $cell) (i32.const 2))) (i32.sub (local.get $at) (local.get $base)))
                (i32.store8 (i32.add (global.get $doubled) (local.get $cell)) (i32.const 0))
                (global.set $cells (i32.add (local.get $cell) (i32.const 1)))
                (br_if $recordEnd (i32.ne (local.get $byte) (local.get $delimiter)))
                (local.set $at (i32.add (local.get $at) (i32.const 1)))
                (br $cells)))))
        (if (i32.gt_u (i32.sub (local.get $at) (local.get $record)) (local.get $max)) (then (return (i32.const -1))))
        ;; Past the line break: LF, CR or CRLF (at the end, the LF past it is not taken).
        (if (i32.lt_u (local.get $at) (local.get $end))
          (then
            (local.set $byte (i32.load8_u (local.get $at)))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))
            (if (i32.and (i32.eq (local.get $byte) (i32.const 13)) (i32.lt_u (local.get $at) (local.get $end)))
              (then
                (if (i32.eq (i32.load8_u (local.get $at)) (i32.const 10))
                  (then (local.set $at (i32.add (local.get $at) (i32.const 1)))))))))
        (global.set $records (i32.add (global.get $records) (i32.const 1)))
        (i32.store (i32.add (global.get $first) (i32.shl (global.get $records) (i32.const 2))) (global.get $cells))
        (br $records)))
    (i32.sub (local.get $at) (local.get $base)))

  ;; 1 when the chunk's $length bytes hold an odd number of quotes, else 0.
  ;; Each lane of the running XOR of the blocks' quote masks is set when its
  ;; lane held an odd number of quotes; the lanes' parities together are the
  ;; whole chunk's.
  (func (export "oddQuotes") (param $length i32) (result i32)
    (local $at i32) (local $end i32) (local $blocksEnd i32) (local $parity v128) (local $odd i32)
    (local.set $at (global.get $bytes))
    (local.set $end (i32.add (local.get $at) (local.get $length)))
    (local.set $blocksEnd (i32.sub (local.get $end) (i32.and (local.get $length) (i32.const 15))))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $at) (local.get $blocksEnd)))
        (local.set $parity (v128.xor (local.get $parity) (i8x16.eq (v128.load (local.get $at)) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $blocks)))
    (local.set $odd (i32.and (i32.popcnt (i8x16.bitmask (local.get $parity))) (i32.const 1)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $odd (i32.xor (local.get $odd) (i32.eq (i32.load8_u (local.get $at)) (i32.const 34))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $tail)))
    (local.get $odd))
)
