// Shapes: sizes, strides, axes and the one NumPy broadcasting rule every op shares.
import { checkShape } from './checks.js';
import { describeValue, formatShape } from './format.js';

/** The size of each axis, outermost first: `[N, C]`; `[]` for a scalar. */
export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= shape[i];
  return size;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// An axis in [-ndim, ndim) counted from the end when negative, as in NumPy and PyTorch.
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (typeof axis !== 'number') {
    // x.sum([0, 1]) or x.sum({ dim: 1 }): PyTorch's tuple of dims and keywords; "out of range" would mislead.
    throw new Error(
      `${op}: axis must be one integer, got ${describeValue(axis)} (one axis per call: reduce again for another; no axis for all)`,
    );
  }
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const range = ndim === 0 ? 'none (the tensor is a scalar)' : `an integer in [${-ndim}, ${ndim - 1}]`;
    const shown = describeValue(axis);
    throw new Error(`${op}: axis ${shown} is out of range for a ${ndim}-D tensor (expected ${range})`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * The shape two shapes broadcast to under NumPy's rule (align from the right; sizes equal or 1), or an Error naming the op. @example broadcastShapes([4, 1, 3], [5, 3]) // [4, 5, 3]
 */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcast'): Shape {
  if (sameShape(a, b)) return a;
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = 1; i <= ndim; i++) {
    const sizeA = i <= a.length ? a[a.length - i] : 1;
    const sizeB = i <= b.length ? b[b.length - i] : 1;
    if (sizeA !== sizeB && sizeA !== 1 && sizeB !== 1) {
      throw new Error(
        `${op}: cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}: ` +
          `sizes ${sizeA} and ${sizeB} differ at axis ${-i} (expected equal sizes or 1)`,
      );
    }
    out[ndim - i] = sizeA === 1 ? sizeB : sizeA;
  }
  return out;
}

/**
 * The shape two shapes broadcast to under NumPy's rule (torch.broadcast_shapes): aligned from the
 * right, each pair of sizes equal or one of them 1. Both shapes are checked first.
 * @example broadcastShapes([4, 1, 3], [5, 3]) // [4, 5, 3]
 */
export function publicBroadcastShapes(a: Shape, b: Shape): Shape {
  const fn = 'broadcastShapes';
  return broadcastShapes(checkShape(fn, a, 'first shape'), checkShape(fn, b, 'second shape'), fn);
}

// The axes along which a gradient of shape `from` must be summed to come back to `to`
// (the leading axes broadcasting added, and the axes where `to` has size 1).
export function broadcastAxes(from: Shape, to: Shape): number[] {
  const axes: number[] = [];
  const lead = from.length - to.length;
  for (let i = 0; i < from.length; i++) {
    if (i < lead || (to[i - lead] === 1 && from[i] !== 1)) axes.push(i);
  }
  return axes;
}

// An axis splits a row-major array into [outer, size, inner], inner contiguous: how every kernel
// that works along one axis (reductions, slices, index selection) walks the data.
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
