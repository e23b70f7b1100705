// Input handling shared by the losses: checking logits and options, reading targets, reducing.
import { describeValue } from '../engine/checks.js';
import { Tensor, tensor } from '../engine/index.js';
import { formatShape } from '../engine/shape.js';

export type Reduction = 'mean' | 'sum' | 'none';

/** Class indices (one per row) or, as a Tensor, either indices of shape [N] or label rows of shape [N, C]. */
export type Target = readonly number[] | Int32Array | Tensor;

/** The focusing parameter: a number ≥ 0, or the FLSD-53 schedule of Mukhoti et al. 2020. */
export type Gamma = number | 'flsd53';

/** The focal α: one weight per class, or a single number that scales every class. */
export type Alpha = number | readonly number[];

// Labels, once read and checked. Plain index targets stay indices (cheap: the loss picks one
// log-probability per row); label-row targets, and index targets with label smoothing, come as rows.
interface LabelCommon {
  classes: number;
  /** 1 for a kept row, 0 for an ignored one; null when nothing is ignored */
  keep: Float64Array | null;
  /** kept rows: the denominator of 'mean' for the focal losses */
  count: number;
}
interface IndexLabels extends LabelCommon {
  /** each row's class (ignored rows hold 0, a placeholder) */
  index: Int32Array;
  rows: null;
}
interface RowLabels extends LabelCommon {
  /** each row's class when the targets were indices, else null */
  index: Int32Array | null;
  /** [N, C] label rows (given, or one-hot from indices), smoothed; ignored rows all zero */
  rows: Tensor;
}
export type Labels = IndexLabels | RowLabels;

interface LabelOptions {
  ignoreIndex?: number;
  labelSmoothing?: number;
}

// Rounding slack for values that must lie in [0, 1] (probabilities, labels).
const UNIT_SLACK = 1e-9;

// Shapes print as the engine prints them, [2,3]: one vocabulary for every message.
const shapeText = formatShape;

// A Tensor of finite values: a NaN or ±∞ logit is an Error here rather than a NaN loss later.
export function checkTensor(name: string, what: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array (wrap it with tensor())' : typeof value;
    throw new Error(`${name}: ${what} must be a Tensor, got ${got}`);
  }
  const { data, shape } = value;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${name}: ${what} ${data[i]} at ${position(i, shape)} is not finite (expected finite numbers)`);
    }
  }
  return value;
}

// [N, C] scores (logits or probabilities), N ≥ 1 and C ≥ 1.
export function checkRows(name: string, what: string, value: unknown): Tensor {
  const t = checkTensor(name, what, value);
  if (t.ndim !== 2 || t.shape[0] === 0 || t.shape[1] === 0) {
    const hint = t.ndim === 1 ? ' (for one sample, reshape to [1, C])' : '';
    throw new Error(`${name}: ${what} must be 2-D [N, C] with N, C ≥ 1, got shape ${shapeText(t.shape)}${hint}`);
  }
  return t;
}

export function checkReduction(name: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`${name}: unknown reduction ${describeValue(reduction)} (expected 'mean', 'sum' or 'none')`);
  }
  return reduction;
}

export function checkGamma(name: string, gamma: unknown): number {
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0) {
    throw new Error(`${name}: gamma must be a finite number ≥ 0, got ${describeValue(gamma)}`);
  }
  return gamma;
}

export function checkGammaOrSchedule(name: string, gamma: unknown): Gamma {
  if (gamma === 'flsd53') return gamma;
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0) {
    throw new Error(`${name}: gamma must be a finite number ≥ 0 or 'flsd53', got ${describeValue(gamma)}`);
  }
  return gamma;
}

function checkLabelSmoothing(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new Error(`${name}: labelSmoothing must be a number in [0, 1], got ${describeValue(value)}`);
  }
  return value;
}

// A number scales every class; an array gives one weight per class.
export function checkClassWeights(name: string, what: string, value: unknown, classes: number): number | Float64Array {
  if (typeof value !== 'number') return checkWeightArray(name, what, value, classes);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: ${what} must be a finite number ≥ 0, got ${describeValue(value)}`);
  return value;
}

// One finite, non-negative weight per class.
export function checkWeightArray(name: string, what: string, value: unknown, classes: number): Float64Array {
  if (!Array.isArray(value)) {
    throw new Error(`${name}: ${what} must be an array of one weight per class, got ${typeof value}`);
  }
  if (value.length !== classes) {
    throw new Error(`${name}: ${what} has ${value.length} weights for ${classes} classes (expected one per class)`);
  }
  return Float64Array.from(value as readonly unknown[], (w, c) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`${name}: ${what}[${c}] must be a finite number ≥ 0, got ${describeValue(w)}`);
    }
    return w;
  });
}

// Index targets as an Int32Array (ignored rows → 0) and the mask of kept rows.
function readIndices(
  name: string,
  target: Target,
  n: number,
  classes: number,
  ignoreIndex: number | undefined,
): { index: Int32Array; keep: Float64Array | null; count: number } {
  let values: ArrayLike<number>;
  if (target instanceof Tensor) {
    values = target.data;
  } else if (target instanceof Int32Array || Array.isArray(target)) {
    values = target;
  } else {
    throw new Error(`${name}: target must be a number[], an Int32Array or a Tensor, got ${typeof target}`);
  }
  if (values.length !== n) {
    throw new Error(`${name}: got ${values.length} targets for ${n} rows of input (expected one per row)`);
  }
  const expected = `an integer in [0, ${classes})` + (ignoreIndex === undefined ? '' : ` or the ignoreIndex ${ignoreIndex}`);
  const index = new Int32Array(n);
  const keep = new Float64Array(n).fill(1);
  let count = n;
  for (let i = 0; i < n; i++) {
    const t = values[i];
    if (t === ignoreIndex) {
      keep[i] = 0;
      count--;
      continue;
    }
    const problem = typeof t !== 'number' || !Number.isInteger(t) ? 'is not an integer' : t < 0 ? 'is negative' : t >= classes ? `is out of range for ${classes} classes` : '';
    if (problem !== '') throw new Error(`${name}: target index ${describeValue(t)} at row ${i} ${problem} (expected ${expected})`);
    index[i] = t;
  }
  return { index, keep: count === n ? null : keep, count };
}

// [N, C] label rows: the same shape as the input, finite values in [0, 1].
function checkLabelRows(name: string, target: Tensor, n: number, classes: number): void {
  if (target.shape[0] !== n) {
    throw new Error(`${name}: got ${target.shape[0]} target rows for ${n} rows of input (expected one per row)`);
  }
  if (target.shape[1] !== classes) {
    throw new Error(
      `${name}: one-hot / soft target has shape ${shapeText(target.shape)} but the input has ${classes} classes ` +
        `(expected ${formatShape([n, classes])})`,
    );
  }
  checkUnitInterval(name, 'target', target);
}

// Every value finite and in [0, 1] (up to rounding), else an Error naming the first one outside.
export function checkUnitInterval(name: string, what: string, t: Tensor): void {
  const { data, shape } = t;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= -UNIT_SLACK && v <= 1 + UNIT_SLACK)) throw new Error(`${name}: ${what} ${v} at ${position(i, shape)} is outside [0, 1]`);
  }
}

// The multi-index of flat element i, as text: [row, column].
function position(i: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(i % shape[axis]);
    i = Math.floor(i / shape[axis]);
  }
  return formatShape(index);
}

// Binary targets: a Tensor of the logits' shape (or, for 1-D logits, an array of their length) with
// values in [0, 1]; `hard` asks for exactly 0 or 1.
export function readBinaryTargets(name: string, logits: Tensor, target: unknown, hard: boolean): Tensor {
  let y: Tensor;
  if (target instanceof Tensor) {
    y = target;
  } else if ((Array.isArray(target) || target instanceof Int32Array || target instanceof Float64Array) && logits.ndim === 1) {
    const values = target as ArrayLike<unknown>;
    // The length first: a sparse array of length 2³² − 1 must not be copied to find out.
    if (values.length !== logits.size) {
      throw new Error(`${name}: target has shape ${shapeText([values.length])} but logits have shape ${shapeText(logits.shape)} (expected the same shape)`);
    }
    for (let i = 0; i < values.length; i++) {
      if (typeof values[i] !== 'number') throw new Error(`${name}: binary target ${describeValue(values[i])} at [${i}] is not a number`);
    }
    y = tensor(Float64Array.from(values as ArrayLike<number>));
  } else {
    throw new Error(`${name}: target must be a Tensor of the logits' shape ${shapeText(logits.shape)}` + (logits.ndim === 1 ? ' or an array' : ''));
  }
  if (y.ndim !== logits.ndim || y.shape.some((size, axis) => size !== logits.shape[axis])) {
    throw new Error(`${name}: target has shape ${shapeText(y.shape)} but logits have shape ${shapeText(logits.shape)} (expected the same shape)`);
  }
  if (!hard) {
    checkUnitInterval(name, 'binary target', y);
    return y;
  }
  const bad = y.data.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new Error(`${name}: binary target ${y.data[bad]} at ${position(bad, y.shape)} is not 0 or 1`);
  return y;
}

// Reads targets for [N, C] input: indices (with ignoreIndex) or label rows, then smooths them
// (y ← y·(1 − ls) + ls/C, Keras' and PyTorch's rule). Ignored rows stay all zero.
export function readLabels(name: string, input: Tensor, target: Target, options: LabelOptions = {}): Labels {
  const [n, classes] = input.shape;
  const { ignoreIndex } = options;
  const smoothing = checkLabelSmoothing(name, options.labelSmoothing ?? 0);
  if (ignoreIndex !== undefined && !Number.isInteger(ignoreIndex)) {
    throw new Error(`${name}: ignoreIndex must be an integer, got ${describeValue(ignoreIndex)}`);
  }
  if (target instanceof Tensor && target.ndim === 2) {
    checkLabelRows(name, target, n, classes);
    // NOTE: ignoreIndex applies to index targets only, as in PyTorch.
    const rows = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / classes) : target;
    return { classes, index: null, keep: null, count: n, rows };
  }
  if (target instanceof Tensor && target.ndim !== 1) {
    throw new Error(
      `${name}: target must be class indices of shape ${formatShape([n])} or label rows of shape ${formatShape([n, classes])}, ` +
        `got shape ${shapeText(target.shape)}`,
    );
  }
  const { index, keep, count } = readIndices(name, target, n, classes, ignoreIndex);
  if (smoothing === 0) return { classes, index, keep, count, rows: null };
  const rows = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    if (keep !== null && keep[i] === 0) continue;
    for (let c = 0; c < classes; c++) rows[i * classes + c] = smoothing / classes + (c === index[i] ? 1 - smoothing : 0);
  }
  return { classes, index, keep, count, rows: tensor(rows, { shape: [n, classes] }) };
}

// 'none': the per-sample losses; 'sum': their sum; 'mean': the sum over `denominator`.
// NOTE: a zero denominator (every sample ignored, or every weight 0) gives 0 rather than PyTorch's
// NaN: every term is then 0 as well, and the graph stays connected with an all-zero gradient.
export function reduce(perSample: Tensor, reduction: Reduction, denominator: number): Tensor {
  if (reduction === 'none') return perSample;
  const total = perSample.sum();
  return reduction === 'sum' || denominator === 0 ? total : total.div(denominator);
}

// A row-wise constant as an [N] tensor (a mask or per-sample weights), never differentiated.
export function rowConstant(values: Float64Array): Tensor {
  return tensor(values, { shape: [values.length] });
}
