;; The gradient of 2x2 max-pooling with stride 2 and no padding (the SER model's pooling) in
;; WebAssembly SIMD, four channels an instruction: each window's gradient goes to its first maximum
;; in row-major order, as TensorFlow does. Windows do not overlap, so every element of a window is
;; written (the gradient or 0); elements outside every window (an odd last row or column) are left
;; as they are, so the caller zeroes dx first. `MEMORY` is replaced by the build (see batch-norm.wat).
(module
  (import "env" "memory" MEMORY)

  (func (export "max_pool_2x2_grad")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $channels i32)
    (param $outHeight i32) (param $outWidth i32)
    (local $n i32) (local $oh i32) (local $ow i32) (local $c i32)
    (local $rowBytes i32) (local $pixelBytes i32) (local $at i32) (local $g i32)
    (local $v00 v128) (local $v01 v128) (local $v10 v128) (local $v11 v128)
    (local $m v128) (local $k00 v128) (local $k01 v128) (local $k10 v128) (local $taken v128) (local $grad v128)
    (local.set $pixelBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $inWidth) (local.get $pixelBytes)))
    (local.set $g (local.get $dy))
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $hDone (loop $hLoop
        (br_if $hDone (i32.ge_u (local.get $oh) (local.get $outHeight)))
        (local.set $ow (i32.const 0))
        (block $wDone (loop $wLoop
          (br_if $wDone (i32.ge_u (local.get $ow) (local.get $outWidth)))
          ;; byte offset of the window's top-left element, channel 0
          (local.set $at
            (i32.add
              (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inHeight)) (i32.shl (local.get $oh) (i32.const 1))) (local.get $rowBytes))
              (i32.mul (i32.shl (local.get $ow) (i32.const 1)) (local.get $pixelBytes))))
          (local.set $c (i32.const 0))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $c) (local.get $pixelBytes)))
            (local.set $v00 (v128.load (i32.add (local.get $x) (local.get $at))))
            (local.set $v01 (v128.load (i32.add (local.get $x) (i32.add (local.get $at) (local.get $pixelBytes)))))
            (local.set $v10 (v128.load (i32.add (local.get $x) (i32.add (local.get $at) (local.get $rowBytes)))))
            (local.set $v11 (v128.load (i32.add (local.get $x) (i32.add (local.get $at) (i32.add (local.get $rowBytes) (local.get $pixelBytes))))))
            (local.set $m (f32x4.max (f32x4.max (local.get $v00) (local.get $v01)) (f32x4.max (local.get $v10) (local.get $v11))))
            ;; lanes where each element is the first maximum
            (local.set $k00 (f32x4.eq (local.get $v00) (local.get $m)))
            (local.set $k01 (v128.andnot (f32x4.eq (local.get $v01) (local.get $m)) (local.get $k00)))
            (local.set $taken (v128.or (local.get $k00) (local.get $k01)))
            (local.set $k10 (v128.andnot (f32x4.eq (local.get $v10) (local.get $m)) (local.get $taken)))
            (local.set $taken (v128.or (local.get $taken) (local.get $k10)))
            (local.set $grad (v128.load (local.get $g)))
            (v128.store (i32.add (local.get $dx) (local.get $at)) (v128.and (local.get $grad) (local.get $k00)))
            (v128.store (i32.add (local.get $dx) (i32.add (local.get $at) (local.get $pixelBytes))) (v128.and (local.get $grad) (local.get $k01)))
            (v128.store (i32.add (local.get $dx) (i32.add (local.get $at) (local.get $rowBytes))) (v128.and (local.get $grad) (local.get $k10)))
            (v128.store (i32.add (local.get $dx) (i32.add (local.get $at) (i32.add (local.get $rowBytes) (local.get $pixelBytes))))
              (v128.andnot (local.get $grad) (local.get $taken)))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $cLoop)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $wLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $hLoop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nLoop)))
  )
)
