// Typed-array loops of the shape and indexing ops: strided copies, slices, gathers and their scatters.
// An axis splits a row-major array into [outer, size, inner] (kernels.axisView), inner contiguous.
import { allocate } from '../checks.js';
import type { AxisView } from '../kernels.js';
import { type Shape, shapeSize } from '../shape.js';

// Row-major strides of a shape.
export function strides(shape: Shape): number[] {
  const out = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = stride;
    stride *= shape[i];
  }
  return out;
}

// out[i₀, …] = a[i_{axes⁻¹}…]: the copy behind permute. Walks out in order with a counter per axis,
// stepping a's offset by the stride of the axis that moved.
export function permute(a: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const out = new Float64Array(a.length);
  const ndim = shape.length;
  if (a.length === 0) return out;
  const inStrides = strides(shape);
  const outShape = axes.map((ax) => shape[ax]);
  const step = axes.map((ax) => inStrides[ax]);
  const counter = new Array<number>(ndim).fill(0);
  let offset = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = a[offset];
    for (let d = ndim - 1; d >= 0; d--) {
      if (++counter[d] < outShape[d]) {
        offset += step[d];
        break;
      }
      offset -= step[d] * (outShape[d] - 1);
      counter[d] = 0;
    }
  }
  return out;
}

// out = a[..., start : start + length, ...] along the axis of `view`.
export function narrow(a: Float64Array, { outer, size, inner }: AxisView, start: number, length: number): Float64Array {
  const block = length * inner;
  const out = new Float64Array(outer * block);
  for (let o = 0; o < outer; o++) {
    const from = (o * size + start) * inner;
    out.set(a.subarray(from, from + block), o * block);
  }
  return out;
}

// The inverse of narrow: g placed at [start, start + length) of an axis of `size`, zeros elsewhere.
export function pad(g: Float64Array, outer: number, length: number, inner: number, start: number, size: number): Float64Array {
  const block = length * inner;
  const out = new Float64Array(outer * size * inner);
  for (let o = 0; o < outer; o++) out.set(g.subarray(o * block, (o + 1) * block), (o * size + start) * inner);
  return out;
}

// Parts laid side by side along one axis: part p is [outer, sizes[p], inner].
export function concat(parts: readonly Float64Array[], sizes: readonly number[], outer: number, inner: number): Float64Array {
  let total = 0;
  for (const s of sizes) total += s;
  const out = new Float64Array(outer * total * inner);
  for (let o = 0; o < outer; o++) {
    let at = o * total * inner;
    for (let p = 0; p < parts.length; p++) {
      const block = sizes[p] * inner;
      out.set(parts[p].subarray(o * block, (o + 1) * block), at);
      at += block;
    }
  }
  return out;
}

// out[o, j, :] = a[o, index[j], :].
export function indexSelect(a: Float64Array, { outer, size, inner }: AxisView, index: Int32Array): Float64Array {
  // The index list, not the input, sets the size: checked before allocation.
  const out = allocate('indexSelect', outer * index.length * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < index.length; j++) {
      const from = (o * size + index[j]) * inner;
      out.set(a.subarray(from, from + inner), (o * index.length + j) * inner);
    }
  }
  return out;
}

// The adjoint of indexSelect: out[o, index[j], :] += g[o, j, :], into zeros of [outer, size, inner].
export function indexAdd(g: Float64Array, { outer, size, inner }: AxisView, index: Int32Array): Float64Array {
  const out = new Float64Array(outer * size * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < index.length; j++) {
      const to = (o * size + index[j]) * inner;
      const from = (o * index.length + j) * inner;
      for (let k = 0; k < inner; k++) out[to + k] += g[from + k];
    }
  }
  return out;
}

// For each element of an index of shape `indexShape`, the flat offset into an array of shape
// `shape` that gather reads (and scatterAdd writes): its own position on every axis but `axis`,
// where it takes index's value.
export function gatherOffsets(shape: Shape, indexShape: Shape, axis: number, index: Int32Array): Int32Array {
  const n = shapeSize(indexShape);
  const offsets = new Int32Array(n);
  if (n === 0) return offsets;
  const ndim = indexShape.length;
  const inStrides = strides(shape);
  const counter = new Array<number>(ndim).fill(0);
  let base = 0; // the offset of the current position with 0 on `axis`
  for (let i = 0; i < n; i++) {
    offsets[i] = base + index[i] * inStrides[axis];
    for (let d = ndim - 1; d >= 0; d--) {
      const step = d === axis ? 0 : inStrides[d];
      if (++counter[d] < indexShape[d]) {
        base += step;
        break;
      }
      base -= step * (indexShape[d] - 1);
      counter[d] = 0;
    }
  }
  return offsets;
}

export function gather(a: Float64Array, offsets: Int32Array): Float64Array {
  const out = new Float64Array(offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = a[offsets[i]];
  return out;
}

// The adjoint of gather: out[offsets[i]] += g[i], into zeros of `size` elements.
export function scatterAdd(g: Float64Array, offsets: Int32Array, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < offsets.length; i++) out[offsets[i]] += g[i];
  return out;
}

// The position of the first extreme along the axis; NaN counts as beyond every number, as in PyTorch.
export function argExtreme(a: Float64Array, { outer, size, inner }: AxisView, largest: boolean): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * size * inner + k;
      let best = 0;
      let bestValue = a[base];
      for (let j = 1; j < size && !Number.isNaN(bestValue); j++) {
        const v = a[base + j * inner];
        if (Number.isNaN(v) || (largest ? v > bestValue : v < bestValue)) {
          best = j;
          bestValue = v;
        }
      }
      out[o * inner + k] = best;
    }
  }
  return out;
}

// maximum(a, b) on operands already broadcast to one shape, with the gradient's weights for each
// operand: 1 where it is the larger, ½ at a tie, 0 where it is the smaller. A NaN propagates, as in
// torch.maximum; there no comparison holds, and PyTorch's rule then gives the whole gradient to both.
export function maximum(a: Float64Array, b: Float64Array): { out: Float64Array; weightA: Float64Array; weightB: Float64Array } {
  const n = a.length;
  const out = new Float64Array(n);
  const weightA = new Float64Array(n);
  const weightB = new Float64Array(n);
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
