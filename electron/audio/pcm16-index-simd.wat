;; The peak index of a 16-bit stereo WAV (wav-signal.ts) in WebAssembly SIMD: one pass over the whole
;; file is most of the first view of a long recording, and eight samples per load go ~10x faster than
;; a JavaScript loop. For each block of 128 interleaved frames at $src, it writes max |L + R| / 65536
;; (the peak of the decoder's mono (L + R) / 2, scaled as its floats) as f32 at $peak, and the sum of
;; (L + R)^2 / 2^32 (the mono samples' energy) as f32 at $energy. |L + R| <= 65536, so the squares
;; and their sums are exact in f64: the same values as summing the decoder's floats, in any order.
;; Pointers are byte offsets into the imported memory. `MEMORY` is replaced by
;; scripts/build-simd-kernels.mjs's generate(), which writes pcm16-index-simd-wasm.ts:
;;   node --input-type=module -e "import { generate, targetOf } from './scripts/build-simd-kernels.mjs';
;;     import { writeFileSync } from 'node:fs'; const w = 'electron/audio/pcm16-index-simd.wat';
;;     writeFileSync(targetOf(w), await generate(w));"
;; tests/unit/wav-signal.test.ts fails when the committed module differs from this source.
(module
  (import "env" "memory" MEMORY)

  (func (export "stereoBlocks") (param $src i32) (param $blocks i32) (param $peak i32) (param $energy i32)
    (local $end i32)
    (local $blockEnd i32)
    (local $s v128)
    (local $max v128)
    (local $e0 v128)
    (local $e1 v128)
    (local $m i32)
    ;; 128 frames of 4 bytes: 512 bytes a block.
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $blocks) (i32.const 9))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $blockEnd (i32.add (local.get $src) (i32.const 512)))
        (local.set $max (v128.const i32x4 0 0 0 0))
        (local.set $e0 (v128.const f64x2 0 0))
        (local.set $e1 (v128.const f64x2 0 0))
        (loop $frames
          ;; Four frames: adjacent pairs of the eight samples are L and R.
          (local.set $s (i32x4.extadd_pairwise_i16x8_s (v128.load (local.get $src))))
          (local.set $max (i32x4.max_s (local.get $max) (i32x4.abs (local.get $s))))
          (local.set $e0 (f64x2.add (local.get $e0)
            (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $s)) (f64x2.convert_low_i32x4_s (local.get $s)))))
          (local.set $s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s) (local.get $s)))
          (local.set $e1 (f64x2.add (local.get $e1)
            (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $s)) (f64x2.convert_low_i32x4_s (local.get $s)))))
          (local.set $src (i32.add (local.get $src) (i32.const 16)))
          (br_if $frames (i32.lt_u (local.get $src) (local.get $blockEnd))))
        (local.set $m (i32x4.extract_lane 0 (local.get $max)))
        (if (i32.gt_s (i32x4.extract_lane 1 (local.get $max)) (local.get $m)) (then (local.set $m (i32x4.extract_lane 1 (local.get $max)))))
        (if (i32.gt_s (i32x4.extract_lane 2 (local.get $max)) (local.get $m)) (then (local.set $m (i32x4.extract_lane 2 (local.get $max)))))
        (if (i32.gt_s (i32x4.extract_lane 3 (local.get $max)) (local.get $m)) (then (local.set $m (i32x4.extract_lane 3 (local.get $max)))))
        (f32.store (local.get $peak) (f32.div (f32.convert_i32_s (local.get $m)) (f32.const 65536)))
        (local.set $e0 (f64x2.add (local.get $e0) (local.get $e1)))
        (f32.store (local.get $energy)
          (f32.demote_f64 (f64.div
            (f64.add (f64x2.extract_lane 0 (local.get $e0)) (f64x2.extract_lane 1 (local.get $e0)))
            (f64.const 4294967296))))
        (local.set $peak (i32.add (local.get $peak) (i32.const 4)))
        (local.set $energy (i32.add (local.get $energy) (i32.const 4)))
        (br $block)))))
