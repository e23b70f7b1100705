// Typed-array kernels of the layout ops: broadcast copies, transposes and permutations, slices, joins.
import { allocate } from '../buffers.js';
import { type AxisView, type Shape, shapeSize, strides } from '../shape.js';

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
  const out = allocate('transpose', a.length);
  const block = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * block;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[base + j * rows + i] = a[base + i * cols + j];
    }
  }
  return out;
}

// out[i₀, …] = a[i_{axes⁻¹}…]: the copy behind permute. Walks out in order with a counter per axis,
// stepping a's offset by the stride of the axis that moved.
export function permute(a: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const out = allocate('permute', a.length);
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
  const out = allocate('narrow', outer * block);
  for (let o = 0; o < outer; o++) {
    const from = (o * size + start) * inner;
    out.set(a.subarray(from, from + block), o * block);
  }
  return out;
}

// The inverse of narrow: g placed at [start, start + length) of an axis of `size`, zeros elsewhere.
export function pad(g: Float64Array, outer: number, length: number, inner: number, start: number, size: number): Float64Array {
  const block = length * inner;
  const out = allocate('pad', outer * size * inner);
  for (let o = 0; o < outer; o++) out.set(g.subarray(o * block, (o + 1) * block), (o * size + start) * inner);
  return out;
}

// Parts laid side by side along one axis: part p is [outer, sizes[p], inner].
export function concat(parts: readonly Float64Array[], sizes: readonly number[], outer: number, inner: number): Float64Array {
  let total = 0;
  for (const s of sizes) total += s;
  const out = allocate('concat', outer * total * inner);
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

