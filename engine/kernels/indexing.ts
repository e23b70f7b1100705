// Typed-array kernels of the indexing ops: index selection, gather, one-hot and pick, with their scatters.
import { allocate } from '../buffers.js';
import { type AxisView, type Shape, shapeSize, strides } from '../shape.js';

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
  const out = allocate('indexAdd', outer * size * inner);
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
  const out = allocate('gather', offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = a[offsets[i]];
  return out;
}

// The adjoint of gather: out[offsets[i]] += g[i], into zeros of `size` elements.
export function scatterAdd(g: Float64Array, offsets: Int32Array, size: number): Float64Array {
  const out = allocate('scatterAdd', size);
  for (let i = 0; i < offsets.length; i++) out[offsets[i]] += g[i];
  return out;
}

export function oneHot(indices: Int32Array, numClasses: number): Float64Array {
  const out = allocate('oneHot', indices.length * numClasses, [indices.length, numClasses]);
  for (let i = 0; i < indices.length; i++) out[i * numClasses + indices[i]] = 1;
  return out;
}

export function pickRows(a: Float64Array, indices: Int32Array, numClasses: number): Float64Array {
  const out = allocate('pick', indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = a[i * numClasses + indices[i]];
  return out;
}
