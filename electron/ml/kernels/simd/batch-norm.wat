;; Batch normalisation's full-size passes in WebAssembly SIMD, four channels per instruction. The
;; tensors are channels-last rows in the tfjs wasm backend's own memory, imported here; every pointer
;; is a byte offset into it and every channel count a multiple of 4. `MEMORY` is replaced by the
;; build with the import's type: shared for tfjs' threaded build, plain for the other.
(module
  (import "env" "memory" MEMORY)

  ;; For each channel c: sumA[c] = Σ a[r][c] and sumAB[c] = Σ a[r][c]·b[r][c] over the rows, as f64.
  ;; Partial sums run in f32x4 (in the scratch `acc`: 8 bytes a channel, zeroed by the caller) and
  ;; are added to the f64 totals (zeroed by the caller) every 64 rows, keeping float32 rounding local.
  (func (export "channel_sums")
    (param $a i32) (param $b i32) (param $rows i32) (param $channels i32)
    (param $acc i32) (param $sumA i32) (param $sumAB i32)
    (local $r i32) (local $c i32) (local $rowBytes i32) (local $at i32) (local $p i32) (local $va v128) (local $k i32)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $rowDone
          (loop $chunk
            (br_if $rowDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (local.set $at (i32.add (i32.mul (local.get $r) (local.get $rowBytes)) (local.get $c)))
            (local.set $va (v128.load (i32.add (local.get $a) (local.get $at))))
            ;; acc holds, per group of 4 channels, their 4 sums of a then their 4 sums of a·b
            (local.set $p (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 1))))
            (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $va)))
            (v128.store offset=16 (local.get $p)
              (f32x4.add (v128.load offset=16 (local.get $p))
                (f32x4.mul (local.get $va) (v128.load (i32.add (local.get $b) (local.get $at))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $chunk)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (if (i32.or (i32.eqz (i32.and (local.get $r) (i32.const 63))) (i32.eq (local.get $r) (local.get $rows)))
          (then
            (local.set $k (i32.const 0))
            (block $flushed
              (loop $flush
                (br_if $flushed (i32.ge_u (local.get $k) (local.get $channels)))
                (local.set $p
                  (i32.add (local.get $acc)
                    (i32.add (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 3))
                             (i32.shl (i32.and (local.get $k) (i32.const 3)) (i32.const 2)))))
                (f64.store (i32.add (local.get $sumA) (i32.shl (local.get $k) (i32.const 3)))
                  (f64.add (f64.load (i32.add (local.get $sumA) (i32.shl (local.get $k) (i32.const 3))))
                           (f64.promote_f32 (f32.load (local.get $p)))))
                (f64.store (i32.add (local.get $sumAB) (i32.shl (local.get $k) (i32.const 3)))
                  (f64.add (f64.load (i32.add (local.get $sumAB) (i32.shl (local.get $k) (i32.const 3))))
                           (f64.promote_f32 (f32.load offset=16 (local.get $p)))))
                (f32.store (local.get $p) (f32.const 0))
                (f32.store offset=16 (local.get $p) (f32.const 0))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $flush)))))
        (br $row))))

  ;; out[r][c] = a[r][c]·p[c] + b[r][c]·q[c] + s[c]  (b may be any row data when q is all zeros)
  (func (export "channel_affine")
    (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $channels i32)
    (param $p i32) (param $q i32) (param $s i32)
    (local $r i32) (local $c i32) (local $rowBytes i32) (local $at i32)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $rowDone
          (loop $chunk
            (br_if $rowDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (local.set $at (i32.add (i32.mul (local.get $r) (local.get $rowBytes)) (local.get $c)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $at))) (v128.load (i32.add (local.get $p) (local.get $c))))
                  (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $at))) (v128.load (i32.add (local.get $q) (local.get $c)))))
                (v128.load (i32.add (local.get $s) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $chunk)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
