// The losses' inputs: checking scores and options, reading targets (indices, label rows, dense maps)
// into the per-row weights the focal formula multiplies by.
import { Tensor, classIndices, describeValue, formatShape, tensor } from '../engine/index.js';

/**
 * Class indices (one per row) or, as a Tensor, indices of shape [N] (dense: [N, d1, ...]; [N, 1, d1, ...]
 * is squeezed, as Keras squeezes) or labels of the input's shape; a single index (a number or a 0-d
 * Tensor) for an unbatched [C] input, as PyTorch takes it.
 */
export type Target = readonly number[] | Int32Array | Tensor | number;

/** The focusing parameter: a number ≥ 0, or the FLSD-53 schedule of Mukhoti et al. 2020. */
export type Gamma = number | 'flsd53';

/** The focal α: one weight per class, or a single number that scales every class. */
export type Alpha = number | readonly number[];

// Labels, once read and checked, for [M, C] scores (a dense input's elements are its rows).
// Plain index targets stay indices (cheap: the loss scores one class per row); label-row targets,
// and index targets with label smoothing, come as rows.
export interface Labels {
  classes: number;
  /** each row's class when the targets were indices (ignored rows hold 0, a placeholder), else null */
  index: Int32Array | null;
  /** 1 for a kept row, 0 for an ignored one; null when nothing is ignored */
  keep: Float64Array | null;
  /** kept rows: the denominator of 'mean' for the focal losses */
  count: number;
  /** [M, C] label rows (given, or one-hot from indices), smoothed; ignored rows all zero; null for plain indices */
  rows: Tensor | null;
}

export interface LabelOptions {
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
  // NOTE: x · 0 is 0 (or −0) for every finite x and NaN for ±∞ and NaN, so the sum is 0 exactly when all are
  // finite: a loop without a branch per element (1.4× faster on the focal bench's logits); the one that
  // names the culprit runs only when there is one.
  let probe = 0;
  for (let i = 0; i < data.length; i++) probe += data[i] * 0;
  if (probe === 0) return value;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${name}: ${what} ${data[i]} at ${position(i, shape)} is not finite (expected finite numbers)`);
    }
  }
  return value;
}

/** A dense input read as rows: the [M, C] scores, the targets matching them, and the shape of 'none'. */
export interface Rows {
  scores: Tensor;
  target: Target;
  /** [N] for [N, C] input, [N, d1, ..., dk] for dense input */
  mapShape: number[];
}

// An unbatched [C] input (PyTorch's "no batch dim"): one row [1, C] whose 'none' is a 0-d Tensor;
// its target one index (a number, [t], or a 0-d Tensor) or labels of shape [C].
function unbatched(name: string, what: string, t: Tensor, target: Target): Rows {
  const scores = t.reshape([1, t.size]);
  if (typeof target === 'number') return { scores, target: [target], mapShape: [] };
  if (target instanceof Tensor && target.ndim === 0) return { scores, target: target.reshape([1]), mapShape: [] };
  if (target instanceof Tensor && target.ndim === 1 && target.size === t.size) return { scores, target: target.reshape([1, t.size]), mapShape: [] };
  if ((Array.isArray(target) || target instanceof Int32Array) && target.length === 1) return { scores, target, mapShape: [] };
  throw new Error(`${name}: an unbatched ${what} of shape ${shapeText(t.shape)} takes one class index (a number or a 0-d Tensor) or labels of shape ${shapeText(t.shape)}`);
}

// [N, C] scores, or dense [N, C, d1, ..., dk] ones with the class axis 1 (PyTorch's layout), as
// [M, C] rows: the class axis moved last and the rest flattened, so that each element is a row.
// Dense targets follow: an [N, d1, ..., dk] Tensor of indices is flattened, and a label Tensor of
// the input's shape is laid out as the rows are.
export function readRows(name: string, what: string, value: unknown, target: Target): Rows {
  const t = checkTensor(name, what, value);
  if (t.ndim === 1 && t.size > 0) return unbatched(name, what, t, target);
  if (t.ndim < 2 || t.shape[0] === 0 || t.shape[1] === 0) {
    throw new Error(`${name}: ${what} must be [C], [N, C] or dense [N, C, d1, ..., dk] with N, C ≥ 1, got shape ${shapeText(t.shape)}`);
  }
  if (typeof target === 'number') {
    throw new Error(`${name}: a single target index ${target} needs an unbatched [C] ${what}, got shape ${shapeText(t.shape)} (give one index per row)`);
  }
  const [n, classes, ...spatial] = t.shape;
  // Keras' sparse labels of shape [N, 1] (or [N, 1, d1, ...]): the size-1 class axis is squeezed away.
  // With C = 1 that shape is a label Tensor instead, and stays one.
  if (target instanceof Tensor && classes !== 1 && target.ndim === t.ndim && target.shape[1] === 1 && target.shape[0] === n) {
    target = target.squeeze(1);
  }
  if (t.ndim === 2) return { scores: t, target, mapShape: [n] };
  const mapShape = [n, ...spatial];
  const classLast = [0, ...spatial.map((_, i) => i + 2), 1];
  const scores = t.permute(...classLast).reshape([-1, classes]);
  if (!(target instanceof Tensor)) {
    throw new Error(`${name}: dense ${what} of shape ${shapeText(t.shape)} needs a Tensor target: indices of shape ${shapeText(mapShape)} or labels of shape ${shapeText(t.shape)}`);
  }
  if (target.ndim === t.ndim && target.shape.every((s, i) => s === t.shape[i])) {
    return { scores, target: target.permute(...classLast).reshape([-1, classes]), mapShape };
  }
  if (target.ndim === mapShape.length && target.shape.every((s, i) => s === mapShape[i])) {
    return { scores, target: target.reshape([-1]), mapShape };
  }
  throw new Error(
    `${name}: target has shape ${shapeText(target.shape)} for dense ${what} of shape ${shapeText(t.shape)} ` +
      `(expected indices of shape ${shapeText(mapShape)} or labels of shape ${shapeText(t.shape)})`,
  );
}

// γ of the binary focal losses (the softmax ones also take 'flsd53', losses/focal.ts).
export function checkGamma(name: string, gamma: unknown): number {
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0) {
    throw new Error(`${name}: gamma must be a finite number ≥ 0, got ${describeValue(gamma)}`);
  }
  return gamma;
}

// The clip of the losses on probabilities: [ε, 1 − ε] with ε in (0, ½) (Keras: backend.epsilon() = 1e-7).
export function checkEpsilon(name: string, epsilon: unknown): number {
  if (typeof epsilon !== 'number' || !(epsilon > 0 && epsilon < 0.5)) {
    throw new Error(`${name}: epsilon must be a number in (0, 0.5), got ${describeValue(epsilon)}`);
  }
  return epsilon;
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

// Index targets as an Int32Array (ignored rows → 0) and the mask of kept rows. The engine's reader
// (the one pick, gather and oneHot use) checks them; what only a loss knows, ignoreIndex, is read here.
function readIndices(
  name: string,
  target: Target,
  n: number,
  classes: number,
  ignoreIndex: number | undefined,
): { index: Int32Array; keep: Float64Array | null; count: number } {
  if (typeof target === 'number') target = [target]; // one index, as an unbatched input's
  const values: ArrayLike<unknown> | null = target instanceof Tensor ? target.data : target instanceof Int32Array || Array.isArray(target) ? target : null;
  // PyTorch's losses skip -100 by default (ignore_index=-100); here nothing is skipped unless asked, so say how.
  const pytorch = ignoreIndex === undefined && values !== null && values.length === n ? Array.prototype.indexOf.call(values, -100) : -1;
  if (pytorch >= 0) {
    throw new Error(`${name}: target index -100 at row ${pytorch} is out of range for ${classes} classes (expected an integer in [0, ${classes}); PyTorch ignores -100 by default, here pass { ignoreIndex: -100 })`);
  }
  const index = classIndices(name, target, classes, { rows: n }, { label: 'target index', ignoreIndex });
  if (ignoreIndex === undefined || values === null) return { index, keep: null, count: n };
  // An ignored row reads as class 0 (a placeholder): its weight in keep is 0.
  const keep = new Float64Array(n).fill(1);
  let count = n;
  for (let i = 0; i < n; i++) {
    if (values[i] !== ignoreIndex) continue;
    keep[i] = 0;
    count--;
  }
  return { index, keep: count === n ? null : keep, count };
}

// [M, C] label rows: the same shape as the input, finite values in [0, 1].
function checkLabelRows(name: string, target: Tensor, n: number, classes: number): void {
  if (target.shape[0] !== n) {
    throw new Error(`${name}: got ${target.shape[0]} target rows for ${n} rows of input (expected one per row)`);
  }
  if (target.shape[1] !== classes) {
    throw new Error(
      `${name}: one-hot / soft target has shape ${shapeText(target.shape)} but the input has ${classes} classes ` +
        `(expected ${shapeText([n, classes])})`,
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
  return checkBinaryValues(name, y, hard);
}

function checkBinaryValues(name: string, y: Tensor, hard: boolean): Tensor {
  if (!hard) {
    checkUnitInterval(name, 'binary target', y);
    return y;
  }
  const bad = y.data.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new Error(`${name}: binary target ${y.data[bad]} at ${position(bad, y.shape)} is not 0 or 1`);
  return y;
}

// Reads targets for [M, C] scores: indices (with ignoreIndex) or label rows, then smooths them
// (y ← y·(1 − ls) + ls/C, Keras' and PyTorch's rule). Ignored rows stay all zero.
export function readLabels(name: string, input: Tensor, target: Target, options: LabelOptions = {}): Labels {
  const [n, classes] = input.shape;
  const { ignoreIndex } = options;
  const smoothing = checkLabelSmoothing(name, options.labelSmoothing ?? 0);
  if (ignoreIndex !== undefined && !Number.isInteger(ignoreIndex)) {
    throw new Error(`${name}: ignoreIndex must be an integer, got ${describeValue(ignoreIndex)}`);
  }
  if (target instanceof Tensor && target.ndim === 2) {
    // PyTorch refuses it too ("ignore_index is not supported for floating point target"): a label
    // row has no index to compare, and silently ignoring the option would train on every row.
    if (ignoreIndex !== undefined) {
      throw new Error(`${name}: ignoreIndex is not supported with label (probability) targets of shape ${shapeText(target.shape)} (give class indices, or zero the rows to leave out)`);
    }
    checkLabelRows(name, target, n, classes);
    const rows = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / classes) : target;
    return { classes, index: null, keep: null, count: n, rows };
  }
  if (target instanceof Tensor && target.ndim !== 1) {
    throw new Error(
      `${name}: target must be class indices of shape ${shapeText([n])} or label rows of shape ${shapeText([n, classes])}, ` +
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

// The weight of each scored term, never differentiated: with plain indices one per row, α_t (1 for
// no α) times 0 for an ignored row; with label rows one per class, y_c · α_c. null: all ones.
export function termWeights(labels: Labels, alpha: number | Float64Array | null): Tensor | null {
  const { index, keep, rows } = labels;
  if (rows !== null) return alpha === null ? rows : rows.mul(typeof alpha === 'number' ? alpha : tensor(alpha));
  if (alpha === null && keep === null) return null;
  const n = index!.length;
  const weights = new Float64Array(n);
  if (alpha instanceof Float64Array) for (let i = 0; i < n; i++) weights[i] = alpha[index![i]];
  else weights.fill(alpha ?? 1);
  if (keep !== null) for (let i = 0; i < n; i++) weights[i] *= keep[i];
  return new Tensor(weights, [n]);
}

/** Binary targets read for a loss: the values in [0, 1] (smoothed, ignored elements 0) and the kept elements. */
export interface BinaryLabels {
  y: Tensor;
  /** 1 for a kept element, 0 for an ignored one; null when nothing is ignored */
  keep: Float64Array | null;
  /** kept elements: the denominator of 'mean' */
  count: number;
}

// Binary targets with kornia's per-element ignoreIndex and Keras' label smoothing toward ½:
// y ← y·(1 − ls) + ls/2. An element whose target is ignoreIndex is left out (its target read as 0).
export function readBinaryLabels(
  name: string,
  logits: Tensor,
  target: unknown,
  options: { ignoreIndex?: number; labelSmoothing?: number },
): BinaryLabels {
  const { ignoreIndex } = options;
  const smoothing = checkLabelSmoothing(name, options.labelSmoothing ?? 0);
  if (ignoreIndex !== undefined && !Number.isInteger(ignoreIndex)) {
    throw new Error(`${name}: ignoreIndex must be an integer, got ${describeValue(ignoreIndex)}`);
  }
  let y = readBinaryTargets(name, logits, ignoreIndex === undefined ? target : withIgnoredAsZero(logits, target, ignoreIndex), false);
  let keep: Float64Array | null = null;
  let count = logits.size;
  if (ignoreIndex !== undefined) {
    const raw = (target instanceof Tensor ? target.data : (target as ArrayLike<number>));
    keep = Float64Array.from({ length: logits.size }, (_, i) => (raw[i] === ignoreIndex ? 0 : 1));
    count = keep.reduce((a, b) => a + b, 0);
    if (count === logits.size) keep = null;
  }
  if (smoothing > 0) y = y.mul(1 - smoothing).add(smoothing / 2);
  return { y, keep, count };
}

// The targets with every ignoreIndex entry replaced by 0, so the [0, 1] check reads only the kept ones.
function withIgnoredAsZero(logits: Tensor, target: unknown, ignoreIndex: number): unknown {
  if (target instanceof Tensor) {
    if (target.size !== logits.size) return target; // readBinaryTargets names the shape mismatch
    return tensor(Float64Array.from(target.data, (v) => (v === ignoreIndex ? 0 : v)), { shape: [...target.shape] });
  }
  if (Array.isArray(target) || target instanceof Int32Array || target instanceof Float64Array) {
    return Array.from(target as ArrayLike<unknown>, (v) => (v === ignoreIndex ? 0 : v));
  }
  return target;
}

