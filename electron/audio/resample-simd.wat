;; The polyphase resampler's inner loop (resample.ts) in WebAssembly SIMD: one output is the dot
;; product of a row of taps and the input under it, eight products per iteration in two f32x4
;; accumulators (two, so each add need not wait for the one before). Pointers are byte offsets into
;; the imported memory; `n` is a positive multiple of 8. `MEMORY` is replaced with the import's type
;; by scripts/build-simd-kernels.mjs's generate(), which writes resample-simd-wasm.ts:
;;   node --input-type=module -e "import { generate, targetOf } from './scripts/build-simd-kernels.mjs';
;;     import { writeFileSync } from 'node:fs'; const w = 'electron/audio/resample-simd.wat';
;;     writeFileSync(targetOf(w), await generate(w));"
;; tests/unit/resample.test.ts fails when the committed module differs from this source.
(module
  (import "env" "memory" MEMORY)

  (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $acc0 v128)
    (local $acc1 v128)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (loop $next
      (local.set $acc0 (f32x4.add (local.get $acc0)
        (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
      (local.set $acc1 (f32x4.add (local.get $acc1)
        (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (br_if $next (i32.lt_u (local.get $a) (local.get $end))))
    (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0))))))
