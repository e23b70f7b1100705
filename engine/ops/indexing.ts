// Indexing ops, each with its forward, its backward rule and the derivative: pick and gather (one element
// per index) with gather's scatter, indexSelect (whole slices) with its scatter, and the one index reader.
import * as kernels from '../kernels/indexing.js';
import { checkSize } from '../checks.js';
import { describeValue, formatShape } from '../format.js';
import { type Shape, axisView, normalizeAxis, shapeSize } from '../shape.js';
import { type Indices, Tensor, constant, node } from '../tensor.js';

/** @internal Where the indices read by `classIndices` point: one per row into `rows` rows of classes, or along `axis`. */
export type IndexTarget = { rows: number; axis?: undefined } | { axis: number; rows?: undefined };

/**
 * @internal The one index reader: indices (a `number[]`, an `Int32Array` or a Tensor of integer values)
 * as an Int32Array, each an integer in [0, size), or an Error naming `op`, the index and where it is.
 * With `{ rows }` the indices are 1-D, one per row, into `size` classes (pick, oneHot, the losses' targets);
 * with `{ axis }` they may have any shape and point along that axis of size `size` (indexSelect, gather).
 * `label` names them in messages ('index' unless given); an entry equal to `ignoreIndex` reads as 0.
 */
export function classIndices(
  op: string,
  indices: Indices,
  size: number,
  target: IndexTarget,
  { label = 'index', ignoreIndex }: { label?: string; ignoreIndex?: number } = {},
): Int32Array {
  const perRow = target.rows !== undefined;
  let values: ArrayLike<unknown>;
  if (indices instanceof Tensor) {
    if (perRow && indices.ndim !== 1) throw new Error(`${op}: indices must be 1-D, got shape ${formatShape(indices.shape)}`);
    values = indices.data;
  } else if (indices instanceof Int32Array || Array.isArray(indices)) {
    values = indices;
  } else {
    const tensor = perRow ? 'a 1-D Tensor' : 'a Tensor of integers';
    throw new Error(`${op}: indices must be a number[], an Int32Array or ${tensor}, got ${describeValue(indices)}`);
  }
  if (perRow && values.length !== target.rows) {
    throw new Error(`${op}: got ${values.length} indices for ${target.rows} rows (expected one index per row)`);
  }
  // A sparse array's length can be 2³² − 1 with nothing in it: refuse it before reading or allocating.
  checkSize(op, values.length);
  const out = new Int32Array(values.length);
  if (ignoreIndex === undefined && (values instanceof Int32Array || values instanceof Float64Array) && copyInRange(values, size, out)) return out;
  const expected = `an integer in [0, ${size})` + (ignoreIndex === undefined ? '' : ` or the ignoreIndex ${ignoreIndex}`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === ignoreIndex) continue;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < size) {
      out[i] = v;
      continue;
    }
    const integer = typeof v === 'number' && Number.isInteger(v);
    const at = perRow ? `at row ${i}` : `at position ${i}`;
    const range = perRow ? `for ${size} classes` : `for axis ${target.axis} of size ${size}`;
    const problem = integer ? `is out of range ${range}` : perRow ? 'is not an integer' : `is not an integer ${range}`;
    throw new Error(`${op}: ${label} ${describeValue(v)} ${at} ${problem} (expected ${expected})`);
  }
  return out;
}

// The common case of classIndices, in a loop without its messages: typed-array indices copied into `out`,
// true when every one is an integer in [0, size); false at the first that is not (the full check then names it).
function copyInRange(values: Int32Array | Float64Array, size: number, out: Int32Array): boolean {
  if (values instanceof Int32Array) {
    // integers already: only the range to check (a loop of one element type, then one copy; twice as fast)
    for (let i = 0; i < values.length; i++) if (values[i] < 0 || values[i] >= size) return false;
    out.set(values);
    return true;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v < size && (v | 0) === v)) return false;
    out[i] = v;
  }
  return true;
}

// The shape of indices that classIndices has read.
function shapeOf(indices: Indices, index: Int32Array): Shape {
  return indices instanceof Tensor ? indices.shape : [index.length];
}

// *** pick and gather ***

// out[i] = a[i, indices[i]] for a of shape [N, C]  ⇒  ∂out/∂a = oneHot(indices) scaled row by row by gOut
export function pick(a: Tensor, indices: Indices): Tensor {
  if (a.ndim !== 2) throw new Error(`pick: expected an [N, C] tensor, got shape ${formatShape(a.shape)}`);
  const [n, classes] = a.shape;
  const index = classIndices('pick', indices, classes, { rows: n });
  return node('pick', [n], kernels.pickRows(a.data, index, classes), [a], (gOut) => [
    constant(kernels.oneHot(index, classes), a.shape).mul(gOut.reshape([n, 1])),
  ]);
}

// out[…, j, …] = a[…, index[…, j, …], …] on the axis, out of index's shape (torch.gather)
// ⇒  ∂: gOut scattered (added) back to the positions read
export function gather(a: Tensor, axis: number, indices: Indices): Tensor {
  const ax = normalizeAxis(axis, a.ndim, 'gather');
  const index = classIndices('gather', indices, a.shape[ax], { axis: ax });
  const shape = shapeOf(indices, index);
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
  const offsets = kernels.gatherOffsets(a.shape, shape, ax, index);
  return node('gather', shape, kernels.gather(a.data, offsets), [a], (gOut) => [scatterAdd(gOut, offsets, a.shape, ax, index, shape)]);
}

// out = zeros of `shape` with g added at the positions gather read (gather's adjoint)  ⇒  ∂: gather again
function scatterAdd(g: Tensor, offsets: Int32Array, shape: Shape, axis: number, index: Int32Array, indexShape: Shape): Tensor {
  const data = kernels.scatterAdd(g.data, offsets, shapeSize(shape));
  return node('scatterAdd', shape, data, [g], (gOut) => [gather(gOut, axis, new Tensor(Float64Array.from(index), indexShape))]);
}

// *** indexSelect ***

// out = a's slices at `indices` along the axis  ⇒  ∂: gOut's slices added back at those indices (a repeated index adds up)
export function indexSelect(a: Tensor, axis: number, indices: Indices): Tensor {
  const ax = normalizeAxis(axis, a.ndim, 'indexSelect');
  const index = classIndices('indexSelect', indices, a.shape[ax], { axis: ax });
  const indexShape = shapeOf(indices, index);
  if (indexShape.length > 1) throw new Error(`indexSelect: indices must be 1-D, got shape ${formatShape(indexShape)}`);
  const shape = a.shape.map((s, i) => (i === ax ? index.length : s));
  return node('indexSelect', shape, kernels.indexSelect(a.data, axisView(a.shape, ax), index), [a], (gOut) => [indexAdd(gOut, ax, index, a.shape)]);
}

// out = zeros of `shape` with g's slices added at `index` along the axis (indexSelect's adjoint)  ⇒  ∂: indexSelect again
function indexAdd(g: Tensor, axis: number, index: Int32Array, shape: Shape): Tensor {
  return node('indexAdd', shape, kernels.indexAdd(g.data, axisView(shape, axis), index), [g], (gOut) => [indexSelect(gOut, axis, index)]);
}
