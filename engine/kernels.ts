// Typed-array kernels: every hot loop of the engine, free of per-element objects and closures.
// NOTE: each kind of arithmetic gets its own loop (a switch outside the loop, not a function
// called per element): V8 runs a loop that calls a passed-in function about six times slower.
import { allocate, checkSize } from './checks.js';
import { gradientBuffer } from './buffers.js';
import { type Shape, shapeSize } from './shape.js';

export type BinaryKind = 'add' | 'sub' | 'mul' | 'div';
export type UnaryKind = 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'sigmoid' | 'relu' | 'tanh';

// Where each output element of a broadcast finds its operand: a 2-D walk [rows, cols] with a row
// stride and a column stride per operand (0 where the operand is broadcast), or, for patterns
// that do not fold into two dimensions, an explicit index per element.
interface StridePlan {
  rows: number;
  cols: number;
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
}

function stridePlan(aShape: Shape, bShape: Shape, outShape: Shape): StridePlan | null {
  // Group consecutive output axes by which operands span them; size-1 axes belong to no group.
  const groupSizes: number[] = [];
  const groupA: boolean[] = [];
  const groupB: boolean[] = [];
  const ndim = outShape.length;
  for (let i = 0; i < ndim; i++) {
    const size = outShape[i];
    if (size === 1) continue;
    const inA = (aShape[i - (ndim - aShape.length)] ?? 1) !== 1;
    const inB = (bShape[i - (ndim - bShape.length)] ?? 1) !== 1;
    const last = groupSizes.length - 1;
    if (last >= 0 && groupA[last] === inA && groupB[last] === inB) {
      groupSizes[last] *= size;
    } else {
      groupSizes.push(size);
      groupA.push(inA);
      groupB.push(inB);
    }
  }
  if (groupSizes.length > 2) return null;
  if (groupSizes.length === 0) return { rows: 1, cols: 1, aRow: 0, aCol: 0, bRow: 0, bCol: 0 };
  if (groupSizes.length === 1) {
    return { rows: 1, cols: groupSizes[0], aRow: 0, aCol: groupA[0] ? 1 : 0, bRow: 0, bCol: groupB[0] ? 1 : 0 };
  }
  const cols = groupSizes[1];
  const rowStride = (inRows: boolean, inCols: boolean): number => (inRows ? (inCols ? cols : 1) : 0);
  return {
    rows: groupSizes[0],
    cols,
    aRow: rowStride(groupA[0], groupA[1]),
    aCol: groupA[1] ? 1 : 0,
    bRow: rowStride(groupB[0], groupB[1]),
    bCol: groupB[1] ? 1 : 0,
  };
}

// For each element of outShape, the flat index of the element of `shape` that broadcasts onto it.
export function broadcastIndex(shape: Shape, outShape: Shape): Int32Array {
  const ndim = outShape.length;
  const lead = ndim - shape.length;
  const strides = new Array<number>(ndim).fill(0);
  let stride = 1;
  for (let i = ndim - 1; i >= lead; i--) {
    const size = shape[i - lead];
    strides[i] = size === 1 ? 0 : stride;
    stride *= size;
  }
  const total = shapeSize(outShape);
  const index = new Int32Array(total);
  const counter = new Array<number>(ndim).fill(0);
  let offset = 0;
  for (let i = 0; i < total; i++) {
    index[i] = offset;
    for (let axis = ndim - 1; axis >= 0; axis--) {
      counter[axis]++;
      offset += strides[axis];
      if (counter[axis] < outShape[axis]) break;
      offset -= strides[axis] * counter[axis];
      counter[axis] = 0;
    }
  }
  return index;
}

export function binary(kind: BinaryKind, a: Float64Array, aShape: Shape, b: Float64Array, bShape: Shape, outShape: Shape): Float64Array {
  // A broadcast output can be far larger than either operand: its size is checked before allocation.
  checkSize(kind, shapeSize(outShape), outShape);
  const out = gradientBuffer(shapeSize(outShape));
  // NOTE: equal sizes (no broadcast at all) and a scalar operand skip the planning: for tiny
  // tensors the plan would cost more than the arithmetic.
  if (a.length === out.length && b.length === out.length) {
    binaryStrided(kind, a, b, out, { rows: 1, cols: out.length, aRow: 0, aCol: 1, bRow: 0, bCol: 1 });
    return out;
  }
  const plan = stridePlan(aShape, bShape, outShape);
  if (plan !== null) {
    binaryStrided(kind, a, b, out, plan);
  } else {
    binaryIndexed(kind, a, broadcastIndex(aShape, outShape), b, broadcastIndex(bShape, outShape), out);
  }
  return out;
}

function binaryStrided(kind: BinaryKind, a: Float64Array, b: Float64Array, out: Float64Array, plan: StridePlan): void {
  const { rows, cols, aRow, aCol, bRow, bCol } = plan;
  switch (kind) {
    case 'add':
      for (let r = 0; r < rows; r++) {
        let i = r * aRow, j = r * bRow;
        for (let k = r * cols, end = k + cols; k < end; k++, i += aCol, j += bCol) out[k] = a[i] + b[j];
      }
      return;
    case 'sub':
      for (let r = 0; r < rows; r++) {
        let i = r * aRow, j = r * bRow;
        for (let k = r * cols, end = k + cols; k < end; k++, i += aCol, j += bCol) out[k] = a[i] - b[j];
      }
      return;
    case 'mul':
      for (let r = 0; r < rows; r++) {
        let i = r * aRow, j = r * bRow;
        for (let k = r * cols, end = k + cols; k < end; k++, i += aCol, j += bCol) out[k] = a[i] * b[j];
      }
      return;
    case 'div':
      for (let r = 0; r < rows; r++) {
        let i = r * aRow, j = r * bRow;
        for (let k = r * cols, end = k + cols; k < end; k++, i += aCol, j += bCol) out[k] = a[i] / b[j];
      }
      return;
  }
}

function binaryIndexed(kind: BinaryKind, a: Float64Array, ai: Int32Array, b: Float64Array, bi: Int32Array, out: Float64Array): void {
  const n = out.length;
  switch (kind) {
    case 'add':
      for (let k = 0; k < n; k++) out[k] = a[ai[k]] + b[bi[k]];
      return;
    case 'sub':
      for (let k = 0; k < n; k++) out[k] = a[ai[k]] - b[bi[k]];
      return;
    case 'mul':
      for (let k = 0; k < n; k++) out[k] = a[ai[k]] * b[bi[k]];
      return;
    case 'div':
      for (let k = 0; k < n; k++) out[k] = a[ai[k]] / b[bi[k]];
      return;
  }
}

// a += b for arrays of one length (backward's in-place gradient accumulation): the same bits as a + b.
export function addInPlace(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

// out += b, with b broadcast to out's shape (addmm's bias): out + b element by element, as binary('add') gives.
export function addBroadcastInPlace(out: Float64Array, outShape: Shape, b: Float64Array, bShape: Shape): void {
  if (b.length === out.length) return addInPlace(out, b);
  const plan = stridePlan(outShape, bShape, outShape);
  if (plan !== null) binaryStrided('add', out, b, out, plan);
  else binaryIndexed('add', out, broadcastIndex(outShape, outShape), b, broadcastIndex(bShape, outShape), out);
}

export function unary(kind: UnaryKind, a: Float64Array): Float64Array {
  const n = a.length;
  const out = gradientBuffer(n);
  switch (kind) {
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
      break;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]);
      break;
    case 'sign':
      for (let i = 0; i < n; i++) out[i] = +(a[i] > 0) - +(a[i] < 0);
      break;
    case 'sigmoid':
      // NOTE: exp of a non-positive number only, so neither branch overflows (stable at ±1000).
      for (let i = 0; i < n; i++) {
        const x = a[i];
        if (x >= 0) {
          out[i] = 1 / (1 + Math.exp(-x));
        } else {
          const e = Math.exp(x);
          out[i] = e / (1 + e);
        }
      }
      break;
    case 'relu':
      // NOTE: x · [x > 0] + 0 has no data-dependent branch: `x > 0 ? x : 0` mispredicts on half of
      // the activations and runs three times slower. NaN passes through (NaN · 0 = NaN, as in
      // PyTorch), + 0 turns −0 into 0, and −∞ (where −∞ · 0 would be NaN) takes the one branch,
      // which is never taken in practice and so always predicted.
      for (let i = 0; i < n; i++) {
        const x = a[i];
        out[i] = x === -Infinity ? 0 : x * +(x > 0) + 0;
      }
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]);
      break;
  }
  return out;
}

// g · [a > 0] (relu's backward) in one pass, branch-free like relu itself.
export function mulPositive(g: Float64Array, a: Float64Array): Float64Array {
  const n = a.length;
  const out = gradientBuffer(n);
  for (let i = 0; i < n; i++) out[i] = g[i] * +(a[i] > 0);
  return out;
}

export function pow(a: Float64Array, p: number): Float64Array {
  const n = a.length;
  const out = new Float64Array(n);
  if (p === 2) {
    for (let i = 0; i < n; i++) out[i] = a[i] * a[i];
  } else {
    for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], p);
  }
  return out;
}

export function clamp(a: Float64Array, min: number, max: number): Float64Array {
  const n = a.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    out[i] = x < min ? min : x > max ? max : x;
  }
  return out;
}

// 1 where min ≤ a ≤ max (the gradient passes), 0 where clamp cut a off.
export function insideMask(a: Float64Array, min: number, max: number): Float64Array {
  const n = a.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = +(a[i] >= min) * +(a[i] <= max);
  return out;
}

// A reduction along one axis views the data as [outer, size, inner], with inner contiguous.
export interface AxisView {
  outer: number;
  size: number;
  inner: number;
}

export function axisView(shape: Shape, axis: number): AxisView {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, size: shape[axis], inner };
}

export function sumAxis(a: Float64Array, { outer, size, inner }: AxisView): Float64Array {
  const out = new Float64Array(outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let total = 0;
      for (let j = o * size, end = j + size; j < end; j++) total += a[j];
      out[o] = total;
    }
    return out;
  }
  for (let o = 0; o < outer; o++) {
    const base = o * inner;
    for (let j = 0; j < size; j++) {
      const row = (o * size + j) * inner;
      for (let k = 0; k < inner; k++) out[base + k] += a[row + k];
    }
  }
  return out;
}

// NaN wins, as in NumPy and PyTorch: a NaN anywhere along the axis makes the maximum NaN.
export function maxAxis(a: Float64Array, { outer, size, inner }: AxisView): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let best = -Infinity;
      for (let j = 0; j < size; j++) {
        const x = a[(o * size + j) * inner + k];
        if (x > best || x !== x) best = x;
        if (best !== best) break;
      }
      out[o * inner + k] = best;
    }
  }
  return out;
}

// For max's backward: 1/count at each element equal to its line's maximum, else 0, so the
// gradient is split equally among ties (as JAX and torch.amax do). Where the maximum is NaN, the
// NaN elements are the maximum and share the gradient (as in PyTorch).
export function maxTieWeights(a: Float64Array, max: Float64Array, { outer, size, inner }: AxisView): Float64Array {
  const out = new Float64Array(a.length);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const best = max[o * inner + k];
      const isMax = (x: number): boolean => x === best || (best !== best && x !== x);
      let ties = 0;
      for (let j = 0; j < size; j++) if (isMax(a[(o * size + j) * inner + k])) ties++;
      for (let j = 0; j < size; j++) {
        const i = (o * size + j) * inner + k;
        if (isMax(a[i])) out[i] = 1 / ties;
      }
    }
  }
  return out;
}

// log Σ exp(a) along the axis, with the line's maximum taken out first so that nothing
// overflows; a line that is all −∞ gives −∞, and a +∞ gives +∞.
export function logsumexpAxis(a: Float64Array, view: AxisView): Float64Array {
  const { outer, size, inner } = view;
  const max = maxAxis(a, view);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const m = max[o * inner + k];
      if (!Number.isFinite(m)) {
        out[o * inner + k] = m;
        continue;
      }
      let total = 0;
      for (let j = 0; j < size; j++) total += Math.exp(a[(o * size + j) * inner + k] - m);
      out[o * inner + k] = m + Math.log(total);
    }
  }
  return out;
}

// a − logsumexp(a) along the axis, computed per line as (a − max) − log Σ exp(a − max).
export function logSoftmaxAxis(a: Float64Array, view: AxisView): Float64Array {
  const { outer, size, inner } = view;
  const max = maxAxis(a, view);
  const out = new Float64Array(a.length);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const m = max[o * inner + k];
      let total = 0;
      for (let j = 0; j < size; j++) total += Math.exp(a[(o * size + j) * inner + k] - m);
      const logTotal = Math.log(total);
      for (let j = 0; j < size; j++) {
        const i = (o * size + j) * inner + k;
        out[i] = a[i] - m - logTotal;
      }
    }
  }
  return out;
}

export function broadcastTo(a: Float64Array, shape: Shape, outShape: Shape): Float64Array {
  const total = shapeSize(outShape);
  const out = allocate('expand', total, outShape);
  if (a.length === 1) return out.fill(a[0]);
  if (a.length === total) {
    out.set(a);
    return out;
  }
  const index = broadcastIndex(shape, outShape);
  for (let i = 0; i < total; i++) out[i] = a[index[i]];
  return out;
}

// Swaps the last two axes of a [batch..., rows, cols] array.
export function transpose(a: Float64Array, batch: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(a.length);
  const block = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * block;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[base + j * rows + i] = a[base + i * cols + j];
    }
  }
  return out;
}

// out[m, n] = op(a) · op(b), where op transposes when asked: a is stored [m, k] or [k, m], b [k, n] or [n, k].
// A transposed a is read in place through its strides (its values are loaded outside the inner
// loop, so the strides cost nothing); a transposed b is first copied into plain layout, O(k·n)
// against the product's O(m·k·n), because b is what the inner loop streams.
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  checkSize('matmul', m * n, [m, n]);
  const bPlain = transB ? transpose(b, 1, n, k) : b;
  const out = gradientBuffer(m * n);
  if (transA) matmulAccumulate(a, 1, m, bPlain, m, k, n, out);
  else matmulAccumulate(a, k, 1, bPlain, m, k, n, out);
  return out;
}

// i-k-j order, blocked four rows of out by four rows of b: each value of b loaded from memory
// feeds four rows of out, and each row of out is streamed once per four steps of k. This is what
// takes plain JavaScript from ~2 to ~4 GFLOP/s; the loops are spelled out because V8 does not
// keep a 4×4 block of locals in registers any other way. out += a·b, with a[i, p] at
// a[i·rowStride + p·colStride]. The benchmark's fused step imports it by path (it is not public API).
export function matmulAccumulate(
  a: Float64Array,
  rowStride: number,
  colStride: number,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  out: Float64Array,
): void {
  const s = colStride;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const o0 = i * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    const r0 = i * rowStride, r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      const q = p * s;
      const x0 = a[r0 + q], x1 = a[r0 + q + s], x2 = a[r0 + q + 2 * s], x3 = a[r0 + q + 3 * s];
      const y0 = a[r1 + q], y1 = a[r1 + q + s], y2 = a[r1 + q + 2 * s], y3 = a[r1 + q + 3 * s];
      const z0 = a[r2 + q], z1 = a[r2 + q + s], z2 = a[r2 + q + 2 * s], z3 = a[r2 + q + 3 * s];
      const w0 = a[r3 + q], w1 = a[r3 + q + s], w2 = a[r3 + q + 2 * s], w3 = a[r3 + q + 3 * s];
      for (let j = 0; j < n; j++) {
        const c0 = b[b0 + j], c1 = b[b1 + j], c2 = b[b2 + j], c3 = b[b3 + j];
        out[o0 + j] += x0 * c0 + x1 * c1 + x2 * c2 + x3 * c3;
        out[o1 + j] += y0 * c0 + y1 * c1 + y2 * c2 + y3 * c3;
        out[o2 + j] += z0 * c0 + z1 * c1 + z2 * c2 + z3 * c3;
        out[o3 + j] += w0 * c0 + w1 * c1 + w2 * c2 + w3 * c3;
      }
    }
    for (; p < k; p++) {
      const bRow = p * n;
      const q = p * s;
      const x = a[r0 + q], y = a[r1 + q], z = a[r2 + q], w = a[r3 + q];
      for (let j = 0; j < n; j++) {
        const c = b[bRow + j];
        out[o0 + j] += x * c;
        out[o1 + j] += y * c;
        out[o2 + j] += z * c;
        out[o3 + j] += w * c;
      }
    }
  }
  for (; i < m; i++) {
    const row = i * n;
    const aRow = i * rowStride;
    for (let p = 0; p < k; p++) {
      const ap = a[aRow + p * s];
      const bRow = p * n;
      for (let j = 0; j < n; j++) out[row + j] += ap * b[bRow + j];
    }
  }
}

export function oneHot(indices: Int32Array, numClasses: number): Float64Array {
  const out = allocate('oneHot', indices.length * numClasses, [indices.length, numClasses]);
  for (let i = 0; i < indices.length; i++) out[i * numClasses + indices[i]] = 1;
  return out;
}

export function pickRows(a: Float64Array, indices: Int32Array, numClasses: number): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = a[i * numClasses + indices[i]];
  return out;
}
