// Typed-array kernels of the elementwise ops: broadcasting binary arithmetic, unary functions, maximum.
// NOTE: each kind of arithmetic gets its own loop (a switch outside the loop, not a function
// called per element): V8 runs a loop that calls a passed-in function about six times slower.
import { allocate } from '../buffers.js';
import { type Shape, shapeSize } from '../shape.js';
import { wasmElementwise } from '../wasm/backend.js';
import * as wasm from '../wasm/kernels.js';
import { broadcastIndex } from './layout.js';

export type BinaryKind = 'add' | 'sub' | 'mul' | 'div';
export type UnaryKind = 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'sigmoid' | 'relu' | 'tanh' | 'log1p' | 'expm1' | 'softplus';

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

// The plan of operands of the output's own size: one row, read in step (cols: −1 stands for out.length).
const SAME: StridePlan = { rows: 1, cols: -1, aRow: 0, aCol: 1, bRow: 0, bCol: 1 };

export function binary(kind: BinaryKind, a: Float64Array, aShape: Shape, b: Float64Array, bShape: Shape, outShape: Shape): Float64Array {
  // A broadcast output can be far larger than either operand: its size is checked before allocation.
  const out = allocate(kind, shapeSize(outShape), outShape);
  // NOTE: equal sizes (no broadcast at all) and a scalar operand skip the planning: for tiny
  // tensors the plan would cost more than the arithmetic.
  if (a.length === out.length && b.length === out.length) {
    binaryStrided(kind, a, b, out, SAME);
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
  const { rows, aRow, aCol, bRow, bCol } = plan;
  const cols = plan.cols < 0 ? out.length : plan.cols;
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
// NOTE: a bias over the last axis ([rows, cols] + [cols]) of many elements runs on the wasm twin (the same
// additions, two lanes at a time): JS runs this loop at about 3 ns an element, the twin with its copies in
// and out at under 1.
export function addBroadcastInPlace(out: Float64Array, outShape: Shape, b: Float64Array, bShape: Shape): void {
  const plan = stridePlan(outShape, bShape, outShape);
  if (plan === null) {
    binaryIndexed('add', out, broadcastIndex(outShape, outShape), b, broadcastIndex(bShape, outShape), out);
  } else if (plan.bRow === 0 && plan.bCol === 1 && plan.aRow === plan.cols && wasmElementwise(out.length)) {
    wasm.addRows(out, b, plan.rows, plan.cols, out);
  } else {
    binaryStrided('add', out, b, out, plan);
  }
}

export function unary(kind: UnaryKind, a: Float64Array): Float64Array {
  const n = a.length;
  const out = allocate(kind, n);
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
      // NOTE: many elements run on the wasm twin (the same operations, two lanes at a time).
      if (wasmElementwise(n)) return wasm.relu(a, out);
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
    case 'log1p':
      for (let i = 0; i < n; i++) out[i] = Math.log1p(a[i]);
      break;
    case 'expm1':
      for (let i = 0; i < n; i++) out[i] = Math.expm1(a[i]);
      break;
    case 'softplus':
      // NOTE: max(x, 0) + log1p(e^−|x|): e^x never overflows, and log1p keeps the small tail exact:
      // softplus(−40) is e^−40 to the last bit, where log(1 + e^−40) would round to 0.
      for (let i = 0; i < n; i++) {
        const x = a[i];
        out[i] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
      }
      break;
  }
  return out;
}

// σ(a), and with `flipped` also σ(−a) for sigmoid's backward, both from the one e^−|a|: each with the
// bits unary('sigmoid') gives for a and for −a.
export function sigmoidPair(a: Float64Array, flipped: boolean): { out: Float64Array; flip: Float64Array | null } {
  if (!flipped) return { out: unary('sigmoid', a), flip: null };
  const n = a.length;
  const out = allocate('sigmoid', n);
  const flip = allocate('sigmoid', n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (x >= 0) {
      const e = Math.exp(-x);
      out[i] = 1 / (1 + e);
      flip[i] = e / (1 + e);
    } else {
      const e = Math.exp(x);
      out[i] = e / (1 + e);
      flip[i] = 1 / (1 + e);
    }
  }
  return { out, flip };
}

// softplus(a), and with `slope` also its derivative σ(a) from the same e^−|a| (the bits of unary('sigmoid')).
export function softplusSlope(a: Float64Array, slope: boolean): { out: Float64Array; sigma: Float64Array | null } {
  if (!slope) return { out: unary('softplus', a), sigma: null };
  const n = a.length;
  const out = allocate('softplus', n);
  const sigma = allocate('softplus', n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const e = Math.exp(-Math.abs(x));
    out[i] = Math.max(x, 0) + Math.log1p(e);
    sigma[i] = x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  return { out, sigma };
}

// g · [a > 0] (relu's backward) in one pass, branch-free like relu itself (on the wasm twin for many elements).
export function mulPositive(g: Float64Array, a: Float64Array): Float64Array {
  const n = a.length;
  const out = allocate('relu', n);
  if (wasmElementwise(n)) return wasm.mulPositive(g, a, out);
  for (let i = 0; i < n; i++) out[i] = g[i] * +(a[i] > 0);
  return out;
}

// NOTE: p = 1 and p = 2 skip Math.pow: a copy (Math.pow(x, 1) is x, NaN and ±∞ included), and x · x, the
// correctly rounded square.
export function pow(a: Float64Array, p: number): Float64Array {
  const n = a.length;
  const out = allocate('pow', n);
  if (p === 1) out.set(a);
  else if (p === 2) for (let i = 0; i < n; i++) out[i] = a[i] * a[i];
  else for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], p);
  return out;
}

// g · (p · aᵖ⁻¹), pow's backward in one pass: the bits of g.mul(a.pow(p − 1).mul(p)).
export function powBackward(g: Float64Array, a: Float64Array, p: number): Float64Array {
  const n = a.length;
  const out = allocate('pow', n);
  const q = p - 1;
  if (q === 1) for (let i = 0; i < n; i++) out[i] = g[i] * (a[i] * p);
  else if (q === 2) for (let i = 0; i < n; i++) out[i] = g[i] * (a[i] * a[i] * p);
  else for (let i = 0; i < n; i++) out[i] = g[i] * (Math.pow(a[i], q) * p);
  return out;
}

// a · b · c in one pass, for arrays of one length: the bits of a.mul(b).mul(c).
export function mulMul(a: Float64Array, b: Float64Array, c: Float64Array): Float64Array {
  const n = a.length;
  const out = allocate('mul', n);
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i] * c[i];
  return out;
}

export function clamp(a: Float64Array, min: number, max: number): Float64Array {
  const n = a.length;
  const out = allocate('clamp', n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    out[i] = x < min ? min : x > max ? max : x;
  }
  return out;
}

// 1 where min ≤ a ≤ max (the gradient passes), 0 where clamp cut a off.
export function insideMask(a: Float64Array, min: number, max: number): Float64Array {
  const n = a.length;
  const out = allocate('clamp', n);
  for (let i = 0; i < n; i++) out[i] = +(a[i] >= min) * +(a[i] <= max);
  return out;
}

// maximum(a, b) on operands already broadcast to one shape, with the gradient's weights for each
// operand: 1 where it is the larger, ½ at a tie, 0 where it is the smaller. A NaN propagates, as in
// torch.maximum; there no comparison holds, and PyTorch's rule then gives the whole gradient to both.
export function maximum(a: Float64Array, b: Float64Array): { out: Float64Array; weightA: Float64Array; weightB: Float64Array } {
  const n = a.length;
  const out = allocate('maximum', n);
  const weightA = allocate('maximum', n);
  const weightB = allocate('maximum', n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) {
      out[i] = x;
      weightA[i] = weightB[i] = 0.5;
    } else {
      out[i] = Number.isNaN(x) ? x : Number.isNaN(y) ? y : x > y ? x : y;
      weightA[i] = x < y ? 0 : 1;
      weightB[i] = x > y ? 0 : 1;
    }
  }
  return { out, weightA, weightB };
}

// out = mask ? a : b, on operands already broadcast to one shape (where); written into a.
export function select(mask: Float64Array, a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < mask.length; i++) a[i] = mask[i] === 1 ? a[i] : b[i];
  return a;
}
