;; The engine's WebAssembly SIMD kernels: hot loops of engine/kernels/, two float64 lanes at a time.
;; Each function does, element for element, the same IEEE operations in the same order as its JS twin
;; (named above it), so the two backends give the same bits. Pointers are byte offsets into the imported
;; memory; sizes count float64 elements. The memory is shared so that worker threads can each compute a
;; band of rows of one product (scripts/build-wasm.ts also emits the unshared twin of this module for
;; hosts without SharedArrayBuffer).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; matmul: rows [i0, i1) of out = a · b, in blocks of 4 rows × 4 columns (i0, i1 multiples of 4).
  ;; The operands come padded to whole blocks (engine/wasm/kernels.ts lays them out):
  ;; - a: element (i, p) at a + i·rowStride + p·colStride (bytes): a row-major a has strides (8k, 8),
  ;;   a transposed one (8, 8·rows), so neither is rearranged; its padding rows hold zeros.
  ;; - b: packed in column quads (the export pack lays them out): quad q (columns 4q..4q+3) is k × 4 values
  ;;   at b + 32·q·k, (b[p, 4q], …, b[p, 4q+3]) at step p. Each step of the k loop reads the next 32 bytes:
  ;;   whole cache lines, in order. Its padding columns hold zeros.
  ;; - out: row-major with n4 columns (n rounded up to a multiple of 4); every element is written.
  ;; Twin: matmulAccumulate in engine/kernels/matmul.ts. Each element of out is summed in plain order,
  ;; out[i, j] = (…((0 + a[i,0]·b[0,j]) + a[i,1]·b[1,j]) + …) + a[i,k−1]·b[k−1,j], each product
  ;; rounded, then each sum: the naive triple loop's order, so any blocking gives the same bits.
  ;; NOTE: why 4 × 4: the block's 16 sums sit in 8 f64x2 registers for the whole k loop; per step of k,
  ;; 2 loads of b and 4 of a feed 8 multiplies and 8 adds. With the two b registers, the a value and a
  ;; product that is 12 of the 16 xmm registers: no spills, and four times the arithmetic per load of a
  ;; 1 × 4 block.
  ;; NOTE: cache blocking. k is walked in slabs of kc steps and the columns in blocks of nb (a multiple of
  ;; 4): the slab of b under one column block (kc × nb values) is read by every 4-row block while it sits in
  ;; L2, and a 4-row strip of a (4 × kc) by every quad of the column block while it sits in L1. A slab
  ;; after the first starts each block's sums from the partial sums it stored in out, so every element is
  ;; still summed p = 0, 1, …, k − 1 by the same additions: blocking changes no bit.
  (func (export "matmul")
    (param $a i32) (param $rowStride i32) (param $colStride i32) (param $b i32) (param $out i32) (param $k i32) (param $n4 i32) (param $kc i32) (param $nb i32) (param $i0 i32) (param $i1 i32)
    (local $p0 i32) (local $p1 i32) (local $j0 i32) (local $j1 i32) (local $i i32) (local $j i32) (local $outRow i32) (local $panel i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pbEnd i32) (local $po i32)
    (local $b01 v128) (local $b23 v128) (local $x v128)
    ;; $cR0 holds out[i+R, j..j+1], $cR1 out[i+R, j+2..j+3]
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $outRow (i32.shl (local.get $n4) (i32.const 3)))
    (local.set $panel (i32.shl (local.get $k) (i32.const 5)))
    ;; slabs [p0, p1) of k
    (block $slabsDone (loop $slabs
      (br_if $slabsDone (i32.ge_u (local.get $p0) (local.get $k)))
      (local.set $p1 (select (local.get $k) (i32.add (local.get $p0) (local.get $kc))
        (i32.gt_u (i32.add (local.get $p0) (local.get $kc)) (local.get $k))))
      ;; column blocks [j0, j1)
      (local.set $j0 (i32.const 0))
      (block $columnsDone (loop $columns
        (br_if $columnsDone (i32.ge_u (local.get $j0) (local.get $n4)))
        (local.set $j1 (select (local.get $n4) (i32.add (local.get $j0) (local.get $nb))
          (i32.gt_u (i32.add (local.get $j0) (local.get $nb)) (local.get $n4))))
        (local.set $i (local.get $i0))
        (block $rowsDone (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $i1)))
          (local.set $j (local.get $j0))
          (block $quadsDone (loop $quads
            (br_if $quadsDone (i32.ge_u (local.get $j) (local.get $j1)))
            ;; $paR: a[i+R, p0]; $pb: b[p0, j..j+3]; $po: out[i, j], computed where it is used (kept live
            ;; across the k loop it measured slower)
            (local.set $pa0 (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $rowStride))
              (i32.mul (local.get $p0) (local.get $colStride)))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $rowStride)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $rowStride)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $rowStride)))
            (local.set $pb (i32.add (local.get $b) (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $panel))
              (i32.shl (local.get $p0) (i32.const 5)))))
            (local.set $pbEnd (i32.add (local.get $pb) (i32.shl (i32.sub (local.get $p1) (local.get $p0)) (i32.const 5))))
            (if (i32.eqz (local.get $p0))
              (then
                (local.set $c00 (v128.const f64x2 0 0)) (local.set $c01 (v128.const f64x2 0 0))
                (local.set $c10 (v128.const f64x2 0 0)) (local.set $c11 (v128.const f64x2 0 0))
                (local.set $c20 (v128.const f64x2 0 0)) (local.set $c21 (v128.const f64x2 0 0))
                (local.set $c30 (v128.const f64x2 0 0)) (local.set $c31 (v128.const f64x2 0 0)))
              (else
                ;; the sums so far, as the previous slab left them
                (local.set $po (i32.add (local.get $out)
                  (i32.add (i32.mul (local.get $i) (local.get $outRow)) (i32.shl (local.get $j) (i32.const 3)))))
                (local.set $c00 (v128.load offset=0 (local.get $po))) (local.set $c01 (v128.load offset=16 (local.get $po)))
                (local.set $po (i32.add (local.get $po) (local.get $outRow)))
                (local.set $c10 (v128.load offset=0 (local.get $po))) (local.set $c11 (v128.load offset=16 (local.get $po)))
                (local.set $po (i32.add (local.get $po) (local.get $outRow)))
                (local.set $c20 (v128.load offset=0 (local.get $po))) (local.set $c21 (v128.load offset=16 (local.get $po)))
                (local.set $po (i32.add (local.get $po) (local.get $outRow)))
                (local.set $c30 (v128.load offset=0 (local.get $po))) (local.set $c31 (v128.load offset=16 (local.get $po)))))
            (block $stepsDone (loop $steps
              (br_if $stepsDone (i32.ge_u (local.get $pb) (local.get $pbEnd)))
              ;; b[p, j..j+3], shared by the four rows
              (local.set $b01 (v128.load offset=0 (local.get $pb)))
              (local.set $b23 (v128.load offset=16 (local.get $pb)))
              ;; row R: out[i+R, j..j+3] += a[i+R, p] · b[p, j..j+3]
              (local.set $x (v128.load64_splat (local.get $pa0)))
              (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b01))))
              (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b23))))
              (local.set $x (v128.load64_splat (local.get $pa1)))
              (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b01))))
              (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b23))))
              (local.set $x (v128.load64_splat (local.get $pa2)))
              (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b01))))
              (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b23))))
              (local.set $x (v128.load64_splat (local.get $pa3)))
              (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b01))))
              (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b23))))
              (local.set $pa0 (i32.add (local.get $pa0) (local.get $colStride)))
              (local.set $pa1 (i32.add (local.get $pa1) (local.get $colStride)))
              (local.set $pa2 (i32.add (local.get $pa2) (local.get $colStride)))
              (local.set $pa3 (i32.add (local.get $pa3) (local.get $colStride)))
              (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
              (br $steps)))
            ;; the block into out[i..i+3, j..j+3]
            (local.set $po (i32.add (local.get $out)
              (i32.add (i32.mul (local.get $i) (local.get $outRow)) (i32.shl (local.get $j) (i32.const 3)))))
            (v128.store offset=0 (local.get $po) (local.get $c00))
            (v128.store offset=16 (local.get $po) (local.get $c01))
            (local.set $po (i32.add (local.get $po) (local.get $outRow)))
            (v128.store offset=0 (local.get $po) (local.get $c10))
            (v128.store offset=16 (local.get $po) (local.get $c11))
            (local.set $po (i32.add (local.get $po) (local.get $outRow)))
            (v128.store offset=0 (local.get $po) (local.get $c20))
            (v128.store offset=16 (local.get $po) (local.get $c21))
            (local.set $po (i32.add (local.get $po) (local.get $outRow)))
            (v128.store offset=0 (local.get $po) (local.get $c30))
            (v128.store offset=16 (local.get $po) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $quads)))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $rows)))
        (local.set $j0 (local.get $j1))
        (br $columns)))
      (local.set $p0 (local.get $p1))
      (br $slabs))))

  ;; pack: b [k, n] into column quads at dst, the layout matmul reads: quad q (columns 4q..4q+3) as k × 4
  ;; values from dst + 32·q·k, columns past n as zeros. Element (p, j) of b is at src + p·sStep + j·sCol
  ;; (bytes): (8n, 8) for b stored row-major, (8, 8k) for b stored transposed. Moves values, computes none.
  ;; Called by matmulOperands in engine/wasm/kernels.ts once it has copied b into the memory as stored.
  (func (export "pack") (param $src i32) (param $sStep i32) (param $sCol i32) (param $dst i32) (param $k i32) (param $n i32)
    (local $j i32) (local $ps i32) (local $pd i32) (local $end i32) (local $sCol2 i32) (local $sCol3 i32)
    (local.set $sCol2 (i32.shl (local.get $sCol) (i32.const 1)))
    (local.set $sCol3 (i32.add (local.get $sCol2) (local.get $sCol)))
    (block $quadsDone (loop $quads
      (br_if $quadsDone (i32.ge_s (local.get $j) (local.get $n)))
      (local.set $ps (i32.add (local.get $src) (i32.mul (local.get $j) (local.get $sCol))))
      (local.set $pd (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $j) (local.get $k)) (i32.const 3))))
      (local.set $end (i32.add (local.get $pd) (i32.shl (local.get $k) (i32.const 5))))
      (if (i32.le_s (i32.add (local.get $j) (i32.const 4)) (local.get $n))
        (then
          (block $done (loop $steps
            (br_if $done (i32.ge_u (local.get $pd) (local.get $end)))
            (f64.store offset=0 (local.get $pd) (f64.load (local.get $ps)))
            (f64.store offset=8 (local.get $pd) (f64.load (i32.add (local.get $ps) (local.get $sCol))))
            (f64.store offset=16 (local.get $pd) (f64.load (i32.add (local.get $ps) (local.get $sCol2))))
            (f64.store offset=24 (local.get $pd) (f64.load (i32.add (local.get $ps) (local.get $sCol3))))
            (local.set $ps (i32.add (local.get $ps) (local.get $sStep)))
            (local.set $pd (i32.add (local.get $pd) (i32.const 32)))
            (br $steps))))
        (else
          ;; the last quad, with 1 to 3 columns of b and zeros after them
          (block $done (loop $steps
            (br_if $done (i32.ge_u (local.get $pd) (local.get $end)))
            (v128.store offset=0 (local.get $pd) (v128.const f64x2 0 0))
            (v128.store offset=16 (local.get $pd) (v128.const f64x2 0 0))
            (f64.store offset=0 (local.get $pd) (f64.load (local.get $ps)))
            (if (i32.lt_s (i32.add (local.get $j) (i32.const 1)) (local.get $n))
              (then (f64.store offset=8 (local.get $pd) (f64.load (i32.add (local.get $ps) (local.get $sCol))))))
            (if (i32.lt_s (i32.add (local.get $j) (i32.const 2)) (local.get $n))
              (then (f64.store offset=16 (local.get $pd) (f64.load (i32.add (local.get $ps) (local.get $sCol2))))))
            (local.set $ps (i32.add (local.get $ps) (local.get $sStep)))
            (local.set $pd (i32.add (local.get $pd) (i32.const 32)))
            (br $steps)))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $quads))))

  ;; out = a ∘ b element by element for arrays of n elements, ∘ by kind: 0 add, 1 sub, 2 mul, 3 div.
  ;; Twin: binary in engine/kernels/elementwise.ts on operands of one shape.
  (func (export "binary") (param $kind i32) (param $a i32) (param $b i32) (param $out i32) (param $n i32)
    (local $end i32) (local $x v128) (local $y v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (local.set $x (v128.load (local.get $a)))
      (local.set $y (v128.load (local.get $b)))
      ;; a branch per pair, always predicted the same way (a select would compute the division too)
      (v128.store (local.get $out)
        (if (result v128) (i32.eqz (local.get $kind))
          (then (f64x2.add (local.get $x) (local.get $y)))
          (else (if (result v128) (i32.eq (local.get $kind) (i32.const 1))
            (then (f64x2.sub (local.get $x) (local.get $y)))
            (else (if (result v128) (i32.eq (local.get $kind) (i32.const 2))
              (then (f64x2.mul (local.get $x) (local.get $y)))
              (else (f64x2.div (local.get $x) (local.get $y)))))))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        ;; the last, odd element: loaded as a pair's first lane (the lane past it is never stored)
        (local.set $x (v128.load64_zero (local.get $a)))
        (local.set $y (v128.load64_zero (local.get $b)))
        (v128.store64_lane 0 (local.get $out)
          (if (result v128) (i32.eqz (local.get $kind))
            (then (f64x2.add (local.get $x) (local.get $y)))
            (else (if (result v128) (i32.eq (local.get $kind) (i32.const 1))
              (then (f64x2.sub (local.get $x) (local.get $y)))
              (else (if (result v128) (i32.eq (local.get $kind) (i32.const 2))
                (then (f64x2.mul (local.get $x) (local.get $y)))
                (else (f64x2.div (local.get $x) (local.get $y))))))))))))

  ;; out = x · [x > 0] + 0, and 0 at x = −∞ (where x · 0 would be NaN); NaN passes through.
  ;; Twin: unary('relu') in engine/kernels/elementwise.ts, written there without a branch for the same reasons.
  (func (export "relu") (param $a i32) (param $out i32) (param $n i32)
    (local $end i32) (local $x v128) (local $r v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
    ;; one element at a time past the last pair: a pair load would read past the array
    (block $done (loop $pairs
      (br_if $done (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (local.set $x (v128.load (local.get $a)))
      (local.set $r (f64x2.add
        (f64x2.mul (local.get $x) (v128.and (f64x2.gt (local.get $x) (v128.const f64x2 0 0)) (v128.const f64x2 1 1)))
        (v128.const f64x2 0 0)))
      (v128.store (local.get $out)
        (v128.bitselect (v128.const f64x2 0 0) (local.get $r) (f64x2.eq (local.get $x) (v128.const f64x2 -inf -inf))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_u (local.get $out) (local.get $end))
      (then
        (local.set $x (v128.load64_splat (local.get $a)))
        (local.set $r (f64x2.add
          (f64x2.mul (local.get $x) (v128.and (f64x2.gt (local.get $x) (v128.const f64x2 0 0)) (v128.const f64x2 1 1)))
          (v128.const f64x2 0 0)))
        (v128.store64_lane 0 (local.get $out)
          (v128.bitselect (v128.const f64x2 0 0) (local.get $r) (f64x2.eq (local.get $x) (v128.const f64x2 -inf -inf)))))))

  ;; out = g · [a > 0] (relu's backward). Twin: mulPositive in engine/kernels/elementwise.ts.
  (func (export "mulPositive") (param $g i32) (param $a i32) (param $out i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $pairs
      (br_if $done (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out)
        (f64x2.mul (v128.load (local.get $g))
          (v128.and (f64x2.gt (v128.load (local.get $a)) (v128.const f64x2 0 0)) (v128.const f64x2 1 1))))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_u (local.get $out) (local.get $end))
      (then
        (f64.store (local.get $out)
          (f64.mul (f64.load (local.get $g)) (select (f64.const 1) (f64.const 0) (f64.gt (f64.load (local.get $a)) (f64.const 0))))))))

  ;; out[r, j] = a[r, j] + b[j] for r < rows, j < cols: a bias added to every row of a (out may be a).
  ;; Twin: addBroadcastInPlace in engine/kernels/elementwise.ts, for a bias over the last axis (addmm's).
  (func (export "addRows") (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $j i32) (local $pairs i32) (local $rowBytes i32) (local $end i32)
    (local.set $pairs (i32.and (local.get $cols) (i32.const -2)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (local.set $j (i32.const 0))
      (block $rowDone (loop $pair
        (br_if $rowDone (i32.ge_u (local.get $j) (local.get $pairs)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3)))
          (f64x2.add
            (v128.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
            (v128.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pair)))
      ;; an odd last column
      (if (i32.lt_u (local.get $j) (local.get $cols))
        (then
          (f64.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3)))
            (f64.add
              (f64.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
              (f64.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))))
      (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
      (br $row))))

  ;; out[o, k] = Σ_j a[o, j, k] for a viewed as [outer, size, inner], each sum taken down j in order from 0:
  ;; (…((0 + a[o,0,k]) + a[o,1,k]) + …). out (outer · inner elements) must hold zeros on entry.
  ;; Twin: sumAxis in engine/kernels/reductions.ts, along an axis that is not the last (a bias's gradient).
  (func (export "sumColumns") (param $a i32) (param $out i32) (param $outer i32) (param $size i32) (param $inner i32)
    (local $o i32) (local $j i32) (local $k i32) (local $pairs i32) (local $rowBytes i32) (local $acc i32)
    (local.set $pairs (i32.and (local.get $inner) (i32.const -2)))
    (local.set $rowBytes (i32.shl (local.get $inner) (i32.const 3)))
    (block $outerDone (loop $outerLoop
      (br_if $outerDone (i32.ge_u (local.get $o) (local.get $outer)))
      (local.set $j (i32.const 0))
      (block $linesDone (loop $line
        (br_if $linesDone (i32.ge_u (local.get $j) (local.get $size)))
        (local.set $k (i32.const 0))
        (block $pairsDone (loop $pair
          (br_if $pairsDone (i32.ge_u (local.get $k) (local.get $pairs)))
          (local.set $acc (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))))
          (v128.store (local.get $acc)
            (f64x2.add (v128.load (local.get $acc)) (v128.load (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 3))))))
          (local.set $k (i32.add (local.get $k) (i32.const 2)))
          (br $pair)))
        ;; an odd last column
        (if (i32.lt_u (local.get $k) (local.get $inner))
          (then
            (local.set $acc (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))))
            (f64.store (local.get $acc)
              (f64.add (f64.load (local.get $acc)) (f64.load (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 3))))))))
        (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $line)))
      (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $outerLoop))))
)
