// Indexing ops: indexSelect (whole slices by index) and gather (one element per index), with their scatters.
import * as kernels from '../kernels.js';
import { type Shape, formatShape, normalizeAxis, shapeSize } from '../shape.js';
import { describeValue as describe } from '../checks.js';
import { type Indices, Tensor, node, show } from '../tensor.js';
import * as opKernels from './kernels.js';

// out = a's slices at `indices` along the axis  ⇒  ∂: gOut's slices added back at those indices (a repeated index adds up)
export function indexSelect(a: Tensor, axis: number, indices: Indices): Tensor {
  const ax = normalizeAxis(axis, a.ndim, 'indexSelect');
  const { values, shape: indexShape } = readIndices('indexSelect', indices);
  if (indexShape.length > 1) {
    throw new Error(`indexSelect: indices must be 1-D, got shape ${formatShape(indexShape)}`);
  }
  const index = checkRange('indexSelect', values, ax, a.shape[ax]);
  const view = kernels.axisView(a.shape, ax);
  const shape = a.shape.map((s, i) => (i === ax ? index.length : s));
  return node('indexSelect', shape, opKernels.indexSelect(a.data, view, index), [a], (gOut) => [indexAdd(gOut, ax, index, a.shape)]);
}

// out = zeros of `shape` with g's slices added at `index` along the axis (indexSelect's adjoint)  ⇒  ∂: indexSelect again
function indexAdd(g: Tensor, axis: number, index: Int32Array, shape: Shape): Tensor {
  const view = kernels.axisView(shape, axis);
  return node('indexAdd', shape, opKernels.indexAdd(g.data, view, index), [g], (gOut) => [indexSelect(gOut, axis, index)]);
}

// out[…, j, …] = a[…, index[…, j, …], …] on the axis, out of index's shape (torch.gather)
// ⇒  ∂: gOut scattered (added) back to the positions read
export function gather(a: Tensor, axis: number, indices: Indices): Tensor {
  const ax = normalizeAxis(axis, a.ndim, 'gather');
  const { values, shape } = readIndices('gather', indices);
  if (shape.length !== a.ndim) {
    throw new Error(`gather: index has shape ${formatShape(shape)} but the input has shape ${formatShape(a.shape)} (expected the same number of axes)`);
  }
  shape.forEach((size, d) => {
    if (d !== ax && size > a.shape[d]) {
      throw new Error(
        `gather: index of shape ${formatShape(shape)} is larger than the input ${formatShape(a.shape)} on axis ${d} ` +
          `(expected at most ${a.shape[d]}, as torch.gather)`,
      );
    }
  });
  const index = checkRange('gather', values, ax, a.shape[ax]);
  const offsets = opKernels.gatherOffsets(a.shape, shape, ax, index);
  return node('gather', shape, opKernels.gather(a.data, offsets), [a], (gOut) => [scatterAdd(gOut, offsets, a.shape, ax, index, shape)]);
}

// out = zeros of `shape` with g added at the positions gather read (gather's adjoint)  ⇒  ∂: gather again
function scatterAdd(g: Tensor, offsets: Int32Array, shape: Shape, axis: number, index: Int32Array, indexShape: Shape): Tensor {
  const data = opKernels.scatterAdd(g.data, offsets, shapeSize(shape));
  return node('scatterAdd', shape, data, [g], (gOut) => [gather(gOut, axis, new Tensor(Float64Array.from(index), indexShape))]);
}

// Indices as given (number[], Int32Array, or a Tensor of integer values) with their shape.
function readIndices(op: string, indices: Indices): { values: ArrayLike<number>; shape: Shape } {
  if (indices instanceof Tensor) return { values: indices.data, shape: indices.shape };
  if (indices instanceof Int32Array || Array.isArray(indices)) return { values: indices, shape: [indices.length] };
  throw new Error(`${op}: indices must be a number[], an Int32Array or a Tensor of integers, got ${describe(indices)}`);
}

// Each index an integer in [0, size): negative indices are refused, as torch.gather and index_select do.
function checkRange(op: string, values: ArrayLike<number>, axis: number, size: number): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= size) {
      const problem = typeof v === 'number' && Number.isInteger(v) ? 'is out of range' : 'is not an integer';
      throw new Error(`${op}: index ${show(v)} at position ${i} ${problem} for axis ${axis} of size ${size} (expected an integer in [0, ${size}))`);
    }
    out[i] = v;
  }
  return out;
}
