// Layout ops, each with its forward, its backward rule and the derivative: reshape and permute (and the
// reshapes composed on them: squeeze, unsqueeze, flatten), transpose, expand, narrow and its pad, concat and stack.
import * as kernels from '../kernels/layout.js';
import { sizesHint } from '../checks.js';
import { describeValue, formatShape } from '../format.js';
import { type Shape, axisView, broadcastShapes, normalizeAxis, sameShape } from '../shape.js';
import { Tensor, node } from '../tensor.js';

// *** reshape and permute ***

// A view of the same data under another shape; one size may be −1 (inferred)  ⇒  ∂: gOut reshaped back
export function reshape(a: Tensor, shape: Shape): Tensor {
  return node('reshape', resolveReshape(shape, a), a.data, [a], (gOut) => [gOut.reshape(a.shape)]);
}

// The target shape with its −1 resolved, or an Error naming reshape.
function resolveReshape(shape: Shape, a: Tensor): Shape {
  if (!Array.isArray(shape)) throw new Error(`reshape: shape must be an array of sizes, got ${describeValue(shape)}${sizesHint('reshape', shape)}`);
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const size = shape[i];
    if (size === -1 && inferred === -1) {
      inferred = i;
    } else if (!Number.isInteger(size) || size < 0) {
      throw new Error(`reshape: invalid size ${describeValue(size)} in ${formatShape(shape)} (expected non-negative integers and at most one -1)`);
    } else {
      known *= size;
    }
  }
  if (inferred >= 0) {
    if (known === 0 || a.size % known !== 0) {
      throw new Error(`reshape: cannot reshape ${formatShape(a.shape)} (${a.size} elements) into ${formatShape(shape)}`);
    }
    const resolved = shape.slice();
    resolved[inferred] = a.size / known;
    return resolved;
  }
  if (known !== a.size) {
    throw new Error(
      `reshape: cannot reshape ${formatShape(a.shape)} (${a.size} elements) into ${formatShape(shape)} (${known} elements)`,
    );
  }
  return shape;
}

// out = a with its axes reordered, out.shape[i] = a.shape[axes[i]]  ⇒  ∂: permute back by the inverse order
export function permute(a: Tensor, axes: readonly number[]): Tensor {
  if (axes.length !== a.ndim) {
    throw new Error(`permute: got ${axes.length} axes [${axes.map(describeValue).join(', ')}] for a ${a.ndim}-D tensor of shape ${formatShape(a.shape)} (expected one per axis)`);
  }
  const order = axes.map((axis) => normalizeAxis(axis, a.ndim, 'permute'));
  const inverse = new Array<number>(order.length);
  order.forEach((axis, i) => {
    if (inverse[axis] !== undefined) throw new Error(`permute: axis ${axis} appears twice in [${axes.map(describeValue).join(', ')}] (expected each axis once)`);
    inverse[axis] = i;
  });
  if (order.every((axis, i) => axis === i)) return a.reshape(a.shape);
  const shape = order.map((axis) => a.shape[axis]);
  return node('permute', shape, kernels.permute(a.data, a.shape, order), [a], (gOut) => [permute(gOut, inverse)]);
}

// *** transpose and expand ***

// transpose, composed: the permute that swaps two axes (its own inverse). Swapping the last two
// axes, the common case (a weight matrix, a batch of them), takes the engine's blocked transpose kernel.
export function transpose(a: Tensor, axis0: number, axis1: number): Tensor {
  const i = normalizeAxis(axis0, a.ndim, 'transpose');
  const j = normalizeAxis(axis1, a.ndim, 'transpose');
  const lastTwo = Math.min(i, j) === a.ndim - 2 && Math.max(i, j) === a.ndim - 1;
  if (!lastTwo) {
    const order = a.shape.map((_, axis) => (axis === i ? j : axis === j ? i : axis));
    return permute(a, order);
  }
  // out = aᵀ over the last two axes  ⇒  ∂: transpose back
  const rows = a.shape[a.ndim - 2];
  const cols = a.shape[a.ndim - 1];
  const shape = [...a.shape.slice(0, -2), cols, rows];
  const data = kernels.transpose(a.data, a.size / (rows * cols || 1), rows, cols);
  return node('transpose', shape, data, [a], (gOut) => [transpose(gOut, -2, -1)]);
}

// out = a repeated along its size-1 (or new leading) axes  ⇒  ∂: gOut summed back to a's shape
export function expand(a: Tensor, shape: Shape): Tensor {
  if (!Array.isArray(shape)) throw new Error(`expand: shape must be an array of sizes, got ${describeValue(shape)}${sizesHint('expand', shape)}`);
  const lead = shape.length - a.ndim;
  // −1 keeps the size of an existing axis; a new leading axis has no size to keep (PyTorch refuses it too).
  // NOTE: a plain loop that stops at the first bad size, not map: a sparse array of length 2³² − 1 is all holes.
  const target: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const size: unknown = shape[i];
    if (size === -1) {
      if (i < lead) throw new Error(`expand: −1 at axis ${i} of ${formatShape(shape)} names a new leading axis of ${formatShape(a.shape)} (expected an explicit size there)`);
      target.push(a.shape[i - lead]);
    } else {
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
        throw new Error(`expand: shape ${formatShape(shape)} must hold non-negative integers or -1, got ${describeValue(size)} at position ${i}`);
      }
      target.push(size);
    }
  }
  const out = lead < 0 ? null : broadcastShapes(a.shape, target, 'expand');
  if (out === null || !sameShape(out, target)) {
    throw new Error(`expand: cannot expand shape ${formatShape(a.shape)} to ${formatShape(shape)} (only size-1 axes and new leading axes may grow)`);
  }
  // The rule hands back gOut in the output's shape; backward's one broadcast helper sums it to a's.
  return node('expand', target, kernels.broadcastTo(a.data, a.shape, target), [a], (gOut) => [gOut]);
}

// *** reshapes: squeeze, unsqueeze, flatten ***

// squeeze, composed: a reshape without the size-1 axis (or all of them); other sizes are left alone, as in PyTorch.
export function squeeze(a: Tensor, axis: number | undefined): Tensor {
  if (axis === undefined) return a.reshape(a.shape.filter((size) => size !== 1));
  const ax = normalizeAxis(axis, a.ndim, 'squeeze');
  return a.shape[ax] === 1 ? a.reshape(a.shape.filter((_, i) => i !== ax)) : a;
}

// unsqueeze, composed: a reshape with a new size-1 axis; axis ∈ [−ndim − 1, ndim] as in PyTorch.
export function unsqueeze(a: Tensor, axis: number): Tensor {
  const ax = normalizeAxis(axis, a.ndim + 1, 'unsqueeze');
  return a.reshape([...a.shape.slice(0, ax), 1, ...a.shape.slice(ax)]);
}

// flatten, composed: a reshape merging axes start..end (a scalar becomes [1], as torch.flatten does).
export function flatten(a: Tensor, startAxis: number, endAxis: number): Tensor {
  if (a.ndim === 0) return a.reshape([1]);
  const start = normalizeAxis(startAxis, a.ndim, 'flatten');
  const end = normalizeAxis(endAxis, a.ndim, 'flatten');
  if (start > end) throw new Error(`flatten: startAxis ${startAxis} comes after endAxis ${endAxis} for a ${a.ndim}-D tensor (expected start ≤ end)`);
  const merged = a.shape.slice(start, end + 1).reduce((n, s) => n * s, 1);
  return a.reshape([...a.shape.slice(0, start), merged, ...a.shape.slice(end + 1)]);
}

// *** slices and joins ***

// out = a[..., start : start + length, ...] on one axis  ⇒  ∂: gOut padded with zeros back to a's size on that axis
export function narrow(a: Tensor, axis: number, start: number, length: number): Tensor {
  const ax = normalizeAxis(axis, a.ndim, 'narrow');
  const size = a.shape[ax];
  if (!Number.isInteger(start) || start < -size || start > size) {
    throw new Error(`narrow: start ${describeValue(start)} is out of range for axis ${ax} of size ${size} (expected an integer in [${-size}, ${size}])`);
  }
  const from = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || from + length > size) {
    throw new Error(`narrow: length ${describeValue(length)} from start ${from} overruns axis ${ax} of size ${size} (expected an integer in [0, ${size - from}])`);
  }
  const view = axisView(a.shape, ax);
  const shape = a.shape.map((s, i) => (i === ax ? length : s));
  return node('narrow', shape, kernels.narrow(a.data, view, from, length), [a], (gOut) => [pad(gOut, ax, from, size)]);
}

// out = g placed at [start, start + g's length) of an axis of `size`, zeros elsewhere (narrow's adjoint)
// ⇒  ∂: the same narrow again
function pad(g: Tensor, axis: number, start: number, size: number): Tensor {
  const { outer, size: length, inner } = axisView(g.shape, axis);
  const shape = g.shape.map((s, i) => (i === axis ? size : s));
  return node('pad', shape, kernels.pad(g.data, outer, length, inner, start, size), [g], (gOut) => [narrow(gOut, axis, start, length)]);
}

/**
 * Joins tensors along an existing axis (torch.cat): all have the same number of axes and the same
 * sizes but on `axis`. The gradient of each part is its slice of the output's gradient.
 * @example concat([a, b], 1) // [N, Ca]·[N, Cb] → [N, Ca + Cb]
 */
// out = [a₀ | a₁ | …] along the axis  ⇒  ∂out/∂a_p = gOut narrowed to a_p's span
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const parts = checkTensorList('concat', tensors);
  const first = parts[0];
  const ax = normalizeAxis(axis, first.ndim, 'concat');
  parts.forEach((t, p) => {
    const same = t.ndim === first.ndim && t.shape.every((s, i) => i === ax || s === first.shape[i]);
    if (!same) {
      throw new Error(
        `concat: tensor ${p} has shape ${formatShape(t.shape)}, tensor 0 has ${formatShape(first.shape)} ` +
          `(expected the same sizes on every axis but ${ax})`,
      );
    }
  });
  const sizes = parts.map((t) => t.shape[ax]);
  const { outer, inner } = axisView(first.shape, ax);
  const total = sizes.reduce((n, s) => n + s, 0);
  const shape = first.shape.map((s, i) => (i === ax ? total : s));
  const data = kernels.concat(parts.map((t) => t.data), sizes, outer, inner);
  const starts = sizes.map((_, p) => sizes.slice(0, p).reduce((n, s) => n + s, 0));
  return node('concat', shape, data, parts, (gOut) => parts.map((t, p) => (t.requiresGrad ? narrow(gOut, ax, starts[p], sizes[p]) : null)));
}

/**
 * Joins tensors of one shape along a new axis (torch.stack); axis ∈ [−ndim − 1, ndim].
 * @example stack([a, b]) // two [3] tensors → [2, 3]
 */
// stack, composed: unsqueeze each, then concat.
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const parts = checkTensorList('stack', tensors);
  const first = parts[0];
  const ax = normalizeAxis(axis, first.ndim + 1, 'stack');
  parts.forEach((t, p) => {
    if (!sameShape(t.shape, first.shape)) {
      throw new Error(`stack: tensor ${p} has shape ${formatShape(t.shape)}, tensor 0 has ${formatShape(first.shape)} (expected equal shapes)`);
    }
  });
  return concat(parts.map((t) => unsqueeze(t, ax)), ax);
}

function checkTensorList(op: string, tensors: unknown): readonly Tensor[] {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new Error(`${op}: expected a non-empty array of Tensors, got ${describeValue(tensors)}`);
  }
  // NOTE: a plain loop, not forEach, which skips holes (and takes its time over 2³² − 1 of them).
  for (let p = 0; p < tensors.length; p++) {
    const t: unknown = tensors[p];
    if (!(t instanceof Tensor)) throw new Error(`${op}: element ${p} must be a Tensor, got ${describeValue(t)}`);
  }
  return tensors as readonly Tensor[];
}
