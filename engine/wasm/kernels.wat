;; The engine's WebAssembly SIMD kernels: hot loops of engine/kernels/, two float64 lanes at a time.
;; Each function does, element for element, the same IEEE operations in the same order as its JS twin
;; (named above it), so the two backends give the same bits. Pointers are byte offsets into the imported
;; memory; sizes count float64 elements. The memory is shared so that worker threads can each compute a
;; band of rows of one product (scripts/build-wasm.ts also emits the unshared twin of this module for
;; hosts without SharedArrayBuffer).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; matmul: out[m, n] (+)= a[m, k] · b[k, n], rows [i0, i1) of out only (i0 a multiple of 4, so that
  ;; a band of rows is cut where the JS kernel's 4-row blocks are cut). a and out are row-major; b comes
  ;; packed in column pairs: pair j (columns j, j+1) is k × 2 values at b + 8·j·k, (b[p,j], b[p,j+1])
  ;; at step p, and an odd last column is k values after the pairs (packB in engine/wasm/kernels.ts).
  ;; NOTE: packed, every step of the k loop reads the next 16 bytes: whole cache lines, in order, where
  ;; the row-major b is read 16 bytes per 2 KB stride (1.5× slower at 256 × 256).
  ;; Twin: matmulAccumulate in engine/kernels/matmul.ts. Per element of out the sum runs over k in groups of
  ;; four, t = ((a₀b₀ + a₁b₁) + a₂b₂) + a₃b₃ and acc = acc + t, then the k % 4 leftovers one by one;
  ;; rows past the last whole block of four sum one term at a time. `init` = 1 starts from out's
  ;; values (accumulate), 0 from zeros (0 + t is what the JS kernel computes on a fresh out).
  ;; Blocks of 4 rows × 2 columns: one f64x2 register per row holds its two elements of out for the
  ;; whole k loop, and the four values of b per group of k feed all four rows.
  (func (export "matmul")
    (param $a i32) (param $b i32) (param $out i32)
    (param $m i32) (param $k i32) (param $n i32)
    (param $i0 i32) (param $i1 i32) (param $init i32)
    (local $k8 i32) (local $n8 i32) (local $k4 i32) (local $iEnd i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $pa i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $po i32)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $k8 (i32.shl (local.get $k) (i32.const 3)))
    (local.set $n8 (i32.shl (local.get $n) (i32.const 3)))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    ;; the end of the rows handled in blocks of four: the JS kernel's blocks end at m − m % 4
    (local.set $iEnd (i32.and (local.get $m) (i32.const -4)))
    (if (i32.lt_s (local.get $i1) (local.get $iEnd)) (then (local.set $iEnd (local.get $i1))))

    ;; 4 × 2 blocks: columns j, j+1 of rows i..i+3, one f64x2 register per row
    (local.set $i (local.get $i0))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $iEnd)))
      (local.set $j (i32.const 0))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
        (local.set $po (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
        (if (local.get $init)
          (then
            (local.set $c0 (v128.load (local.get $po)))
            (local.set $c1 (v128.load (i32.add (local.get $po) (local.get $n8))))
            (local.set $c2 (v128.load (i32.add (local.get $po) (i32.shl (local.get $n8) (i32.const 1)))))
            (local.set $c3 (v128.load (i32.add (local.get $po) (i32.mul (local.get $n8) (i32.const 3))))))
          (else
            (local.set $c0 (v128.const f64x2 0 0)) (local.set $c1 (v128.const f64x2 0 0))
            (local.set $c2 (v128.const f64x2 0 0)) (local.set $c3 (v128.const f64x2 0 0))))
        ;; $pa: a[i, p]; $pb: b[p, j] in pair j's panel
        (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $k8))))
        (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $k8))))
        (local.set $p (i32.const 0))
        (block $groupsDone (loop $groups
          (br_if $groupsDone (i32.ge_s (local.get $p) (local.get $k4)))
          ;; b[p..p+3, j..j+1], shared by the four rows
          (local.set $b0 (v128.load offset=0 (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $b2 (v128.load offset=32 (local.get $pb)))
          (local.set $b3 (v128.load offset=48 (local.get $pb)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
          (local.set $pa1 (i32.add (local.get $pa) (local.get $k8)))
          (local.set $pa2 (i32.add (local.get $pa1) (local.get $k8)))
          (local.set $pa3 (i32.add (local.get $pa2) (local.get $k8)))
          ;; row r: c_r += ((a[r,p]·b0 + a[r,p+1]·b1) + a[r,p+2]·b2) + a[r,p+3]·b3
          ;; NOTE: each row sits in a block of its own (an `if` on n, never 0 here): V8 then keeps the
          ;; row's four loads beside its arithmetic. Without it, it hoists all sixteen to the top of the
          ;; loop, runs out of the sixteen xmm registers and spills to the stack.
          (if (local.get $n) (then
            (local.set $c0 (f64x2.add (local.get $c0) (f64x2.add (f64x2.add (f64x2.add
                (f64x2.mul (v128.load64_splat offset=0 (local.get $pa)) (local.get $b0))
                (f64x2.mul (v128.load64_splat offset=8 (local.get $pa)) (local.get $b1)))
                (f64x2.mul (v128.load64_splat offset=16 (local.get $pa)) (local.get $b2)))
                (f64x2.mul (v128.load64_splat offset=24 (local.get $pa)) (local.get $b3)))))))
          (if (local.get $n) (then
            (local.set $c1 (f64x2.add (local.get $c1) (f64x2.add (f64x2.add (f64x2.add
                (f64x2.mul (v128.load64_splat offset=0 (local.get $pa1)) (local.get $b0))
                (f64x2.mul (v128.load64_splat offset=8 (local.get $pa1)) (local.get $b1)))
                (f64x2.mul (v128.load64_splat offset=16 (local.get $pa1)) (local.get $b2)))
                (f64x2.mul (v128.load64_splat offset=24 (local.get $pa1)) (local.get $b3)))))))
          (if (local.get $n) (then
            (local.set $c2 (f64x2.add (local.get $c2) (f64x2.add (f64x2.add (f64x2.add
                (f64x2.mul (v128.load64_splat offset=0 (local.get $pa2)) (local.get $b0))
                (f64x2.mul (v128.load64_splat offset=8 (local.get $pa2)) (local.get $b1)))
                (f64x2.mul (v128.load64_splat offset=16 (local.get $pa2)) (local.get $b2)))
                (f64x2.mul (v128.load64_splat offset=24 (local.get $pa2)) (local.get $b3)))))))
          (if (local.get $n) (then
            (local.set $c3 (f64x2.add (local.get $c3) (f64x2.add (f64x2.add (f64x2.add
                (f64x2.mul (v128.load64_splat offset=0 (local.get $pa3)) (local.get $b0))
                (f64x2.mul (v128.load64_splat offset=8 (local.get $pa3)) (local.get $b1)))
                (f64x2.mul (v128.load64_splat offset=16 (local.get $pa3)) (local.get $b2)))
                (f64x2.mul (v128.load64_splat offset=24 (local.get $pa3)) (local.get $b3)))))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br $groups)))
        ;; the k % 4 leftovers, one term at a time
        (block $tailDone (loop $tail
          (br_if $tailDone (i32.ge_s (local.get $p) (local.get $k)))
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (v128.load64_splat (local.get $pa)) (local.get $b0))))
          (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (v128.load64_splat (i32.add (local.get $pa) (local.get $k8))) (local.get $b0))))
          (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (v128.load64_splat (i32.add (local.get $pa) (i32.shl (local.get $k8) (i32.const 1)))) (local.get $b0))))
          (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (v128.load64_splat (i32.add (local.get $pa) (i32.mul (local.get $k8) (i32.const 3)))) (local.get $b0))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $tail)))
        (v128.store (local.get $po) (local.get $c0))
        (v128.store (i32.add (local.get $po) (local.get $n8)) (local.get $c1))
        (v128.store (i32.add (local.get $po) (i32.shl (local.get $n8) (i32.const 1))) (local.get $c2))
        (v128.store (i32.add (local.get $po) (i32.mul (local.get $n8) (i32.const 3))) (local.get $c3))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
      ;; an odd last column: the same sums, scalar
      (if (i32.lt_s (local.get $j) (local.get $n))
        (then (call $column4 (local.get $a) (local.get $b) (local.get $out) (local.get $k) (local.get $n)
          (local.get $i) (local.get $j) (local.get $init))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))

    ;; rows past the last block of four (only in the band that holds them): one term at a time
    (local.set $i (select (local.get $iEnd) (local.get $i0) (i32.gt_s (local.get $iEnd) (local.get $i0))))
    (block $restDone (loop $rest
      (br_if $restDone (i32.ge_s (local.get $i) (local.get $i1)))
      (call $rowSequential (local.get $a) (local.get $b) (local.get $out) (local.get $k) (local.get $n)
        (local.get $i) (local.get $init))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rest))))


  ;; out[i..i+3, j] for one column j, in the 4 × 4 blocks' order (scalar: the column has no neighbour).
  (func $column4 (param $a i32) (param $b i32) (param $out i32) (param $k i32) (param $n i32)
    (param $i i32) (param $j i32) (param $init i32)
    (local $r i32) (local $p i32) (local $k4 i32) (local $pa i32) (local $pb i32) (local $po i32) (local $n8 i32)
    (local $acc f64)
    (local.set $n8 (i32.shl (local.get $n) (i32.const 3)))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (local.set $r (i32.const 0))
    (block $done (loop $row
      (br_if $done (i32.ge_s (local.get $r) (i32.const 4)))
      (local.set $po (i32.add (local.get $out)
        (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $n)) (local.get $j)) (i32.const 3))))
      (local.set $acc (select (f64.load (local.get $po)) (f64.const 0) (local.get $init)))
      (local.set $pa (i32.add (local.get $a) (i32.shl (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $k)) (i32.const 3))))
      (local.set $pb (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $k)) (i32.const 3))))
      (local.set $p (i32.const 0))
      (block $groupsDone (loop $groups
        (br_if $groupsDone (i32.ge_s (local.get $p) (local.get $k4)))
        (local.set $acc (f64.add (local.get $acc)
          (f64.add
            (f64.add
              (f64.add
                (f64.mul (f64.load offset=0 (local.get $pa)) (f64.load offset=0 (local.get $pb)))
                (f64.mul (f64.load offset=8 (local.get $pa)) (f64.load offset=8 (local.get $pb))))
              (f64.mul (f64.load offset=16 (local.get $pa)) (f64.load offset=16 (local.get $pb))))
            (f64.mul (f64.load offset=24 (local.get $pa)) (f64.load offset=24 (local.get $pb))))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $groups)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_s (local.get $p) (local.get $k)))
        (local.set $acc (f64.add (local.get $acc) (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 8)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
      (f64.store (local.get $po) (local.get $acc))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  ;; out[i, :] for a row outside the blocks of four: out[i, j] = (…(out[i, j] + a[i,0]·b[0,j]) + …) + a[i,k−1]·b[k−1,j].
  (func $rowSequential (param $a i32) (param $b i32) (param $out i32) (param $k i32) (param $n i32)
    (param $i i32) (param $init i32)
    (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $po i32) (local $n8 i32)
    (local $acc v128) (local $acc1 f64)
    (local.set $n8 (i32.shl (local.get $n) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $pairsDone (loop $pairs
      (br_if $pairsDone (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
      (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
      (local.set $acc (select (v128.load (local.get $po)) (v128.const f64x2 0 0) (local.get $init)))
      (local.set $pa (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3))))
      (local.set $pb (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $k)) (i32.const 3))))
      (local.set $p (i32.const 0))
      (block $done (loop $terms
        (br_if $done (i32.ge_s (local.get $p) (local.get $k)))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (v128.load64_splat (local.get $pa)) (v128.load (local.get $pb)))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $terms)))
      (v128.store (local.get $po) (local.get $acc))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $pairs)))
    (if (i32.lt_s (local.get $j) (local.get $n))
      (then
        (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
        (local.set $acc1 (select (f64.load (local.get $po)) (f64.const 0) (local.get $init)))
        (local.set $pa (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $k)) (i32.const 3))))
        (local.set $p (i32.const 0))
        (block $done (loop $terms
          (br_if $done (i32.ge_s (local.get $p) (local.get $k)))
          (local.set $acc1 (f64.add (local.get $acc1) (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 8)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $terms)))
        (f64.store (local.get $po) (local.get $acc1)))))

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
)
