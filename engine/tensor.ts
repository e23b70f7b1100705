// Tensor: a float64 n-d array that remembers the op that made it, with one-line methods for every op.
// Each op's forward, backward rule and derivative live together in engine/ops/*.ts, by topic;
// the reverse-mode sweep that runs the rules (Tensor.backward) lives in engine/backward.ts.
import { runBackward } from './backward.js';
import { checkBoolean, checkOptions, checkShape, optionsHint, rejectRetainGraph } from './checks.js';
import { describeValue, formatShape } from './format.js';
import { isGradEnabled } from './gradMode.js';
import * as elementwise from './ops/elementwise.js';
import * as indexing from './ops/indexing.js';
import * as layout from './ops/layout.js';
import * as linalg from './ops/matmul.js';
import * as reductions from './ops/reductions.js';
import { type Scope, currentScope } from './scope.js';
import { type Shape, sameShape, shapeSize } from './shape.js';

/** The kind of node that made a Tensor: 'leaf' for one made from values, else the op's name. */
export type Op =
  | 'leaf'
  // elementwise
  | 'add' | 'sub' | 'mul' | 'div' | 'exp' | 'expm1' | 'log' | 'log1p' | 'pow' | 'sqrt' | 'abs'
  | 'sigmoid' | 'softplus' | 'relu' | 'tanh' | 'clamp' | 'maximum' | 'where'
  // reductions
  | 'sum' | 'max' | 'logsumexp' | 'logSoftmax' | 'logOddsAgainst'
  // layout
  | 'reshape' | 'permute' | 'transpose' | 'expand' | 'narrow' | 'pad' | 'concat'
  // indexing, matrix products
  | 'pick' | 'gather' | 'scatterAdd' | 'indexSelect' | 'indexAdd' | 'matmul' | 'addmm';

/** A Tensor, or a plain number standing for a scalar Tensor (`x.mul(2)`). */
export type Operand = Tensor | number;
/** Class or element indices: a `number[]`, an `Int32Array`, or a Tensor holding integer values. */
export type Indices = readonly number[] | Int32Array | Tensor;
/** A number, or (nested) arrays of numbers: what `tensor()` reads and `toArray()` returns. */
export type NestedArray = number | readonly NestedArray[];

// Given the gradient of the output (and the node, so common ops share one rule function), each input's
// gradient, possibly in the output's broadcast shape (backward sums it to the input's); null where none
// flows, or where an input does not require grad and skipping it saves a pass over the data.
export type BackwardRule = (gOut: Tensor, out: Tensor) => readonly (Tensor | null)[];

const NO_INPUTS: readonly Tensor[] = Object.freeze([]);
let madeCount = 0;

/**
 * A float64 n-d array (row-major, contiguous) that records the op that made it, so that `backward()`
 * can compute gradients in reverse mode. Ops follow PyTorch's names, positional signatures and NumPy
 * broadcasting; every one is differentiable twice and more (backward rules are written in Tensor ops).
 * Build tensors with `tensor()`, `zeros()`, `randn()`, ...
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum(); // Σ x²
 * y.backward();
 * x.grad?.toArray(); // [[2, 4], [6, 8]] = 2x
 */
export class Tensor {
  /** The size of each axis; `[]` for a scalar. */
  readonly shape: Shape;
  /** The values, row-major and contiguous (a view may share them with the tensor it was made from). */
  readonly data: Float64Array;
  /** The gradient accumulated (+=) by `backward()` when this is a leaf that requires grad; null until then, and after `zeroGrad()`. */
  grad: Tensor | null = null;
  /** Whether gradients flow to this tensor (PyTorch's requires_grad): set on leaves, inherited by ops' results. */
  requiresGrad: boolean;
  /** The op that made this tensor ('leaf' for one made from values). */
  readonly op: Op;
  /** The tensors the op read (empty for a leaf): the edges of the graph. */
  readonly inputs: readonly Tensor[];
  /** The op's vector–Jacobian product: given the output's gradient, each input's (null for a leaf). */
  readonly backwardRule: BackwardRule | null;
  /** @internal when the tensor was made: a node's inputs always have smaller stamps, so backward can take nodes latest-made first */
  readonly made: number = ++madeCount;
  /** A label for pictures of the graph (`toDot`, the playground), set by `tensor(v, { name })` or `named()`; null if none. */
  declare name: string | null;
  /** The composite function call (`withScope`) that made this tensor; null outside every scope. */
  declare readonly scope: Scope | null;
  // NOTE: name and scope default to null on the prototype and become own fields only when set, so
  // that a node made outside every scope is no bigger than before they existed.
  static {
    Object.defineProperties(Tensor.prototype, { name: { value: null, writable: true }, scope: { value: null, writable: true } });
  }

  // Build tensors with tensor(), zeros(), ... ; ops build their outputs with this constructor.
  constructor(
    data: Float64Array,
    shape: Shape,
    requiresGrad = false,
    op: Op = 'leaf',
    inputs: readonly Tensor[] = NO_INPUTS,
    backwardRule: BackwardRule | null = null,
  ) {
    // NOTE: a leaf is checked, so that `new Tensor` from user code fails with a message, not a TypeError; an
    // op's node (a kernel's output, a shape from checked inputs) skips it: on a 4-element op that counts.
    if (op === 'leaf') checkLeaf(data, shape);
    this.data = data;
    this.shape = shape;
    this.requiresGrad = requiresGrad;
    this.op = op;
    this.inputs = inputs;
    this.backwardRule = backwardRule;
    const scope = currentScope();
    if (scope !== null) this.scope = scope;
  }

  /** The number of elements (the product of the shape; 1 for a scalar). */
  get size(): number { return this.data.length; }

  /** The number of axes (0 for a scalar). */
  get ndim(): number { return this.shape.length; }

  /** The value of a one-element tensor as a number (torch.Tensor.item); an Error for any other size. */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`item: expected a tensor with one element, got shape ${formatShape(this.shape)}`);
    }
    return this.data[0];
  }

  /** The values as nested arrays of the tensor's shape (a number for a scalar), like torch.Tensor.tolist. */
  toArray(): NestedArray {
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return this.data[offset];
      const stride = shapeSize(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The same values as a new leaf that does not require grad (torch.Tensor.detach). */
  detach(): Tensor { return new Tensor(this.data, this.shape); }

  /** Clears `.grad` (sets it to null), as torch.Tensor.grad = None. */
  zeroGrad(): void { this.grad = null; }

  /** A readable form: `Tensor([[1, 2]], shape=[1,2], op=leaf)`. */
  toString(): string {
    // Not JSON.stringify, which would print NaN and ±Infinity as null.
    const format = (v: NestedArray): string => (typeof v === 'number' ? String(v) : `[${v.map(format).join(', ')}]`);
    return `Tensor(${format(this.toArray())}, shape=${formatShape(this.shape)}, op=${this.op})`;
  }

  /**
   * Gives this tensor a name for pictures of the graph and returns this same tensor (not a copy),
   * so it can sit inside an expression: `logp.pick(t).named('log p_t')`.
   */
  named(name: string): this {
    if (typeof name !== 'string' || name === '') {
      throw new Error(`named: expected a non-empty string as the tensor's name, got ${name === '' ? 'an empty string' : typeof name}`);
    }
    this.name = name;
    return this;
  }

  // *** elementwise: arithmetic with broadcasting (engine/ops/elementwise.ts) ***

  /** a + b, elementwise with NumPy broadcasting (torch.add). @example x.add(1) */
  add(other: Operand): Tensor { return elementwise.add(this, other); }

  /** a − b, elementwise with NumPy broadcasting (torch.sub). */
  sub(other: Operand): Tensor { return elementwise.sub(this, other); }

  /** a · b, elementwise with NumPy broadcasting (torch.mul). @example x.mul(2) */
  mul(other: Operand): Tensor { return elementwise.mul(this, other); }

  /** a / b, elementwise with NumPy broadcasting (torch.div, true division). */
  div(other: Operand): Tensor { return elementwise.div(this, other); }

  /** −a, elementwise. */
  neg(): Tensor { return elementwise.neg(this); }

  // *** elementwise: powers, exponentials and logarithms ***

  /** eᵃ, elementwise. */
  exp(): Tensor { return elementwise.exp(this); }

  /** eᵃ − 1, exact also where a is tiny (Math.expm1). */
  expm1(): Tensor { return elementwise.expm1(this); }

  /** The natural logarithm, elementwise (−∞ at 0 and NaN below, as in PyTorch). */
  log(): Tensor { return elementwise.log(this); }

  /** log(1 + a), exact also where a is tiny (Math.log1p). */
  log1p(): Tensor { return elementwise.log1p(this); }

  /** aᵖ for a finite number p, elementwise (torch.pow with a scalar exponent); its gradient is exactly 0 when p = 0. */
  pow(p: number): Tensor { return elementwise.pow(this, p); }

  /** √a, elementwise (its gradient is +∞ at 0, as in PyTorch). */
  sqrt(): Tensor { return elementwise.sqrt(this); }

  /** |a|, elementwise; the gradient at 0 is 0 (PyTorch: sign(0) = 0). */
  abs(): Tensor { return elementwise.abs(this); }

  // *** elementwise: activations ***

  /** σ(a) = 1 / (1 + e⁻ᵃ), elementwise and stable for large |a| (torch.sigmoid). */
  sigmoid(): Tensor { return elementwise.sigmoid(this); }

  /** log(1 + eᵃ), stable for |a| up to 1e4 and beyond; its gradient is σ(a) (torch.nn.functional.softplus, β = 1). */
  softplus(): Tensor { return elementwise.softplus(this); }

  /** log σ(a) = −softplus(−a), stable for |a| up to 1e4 (torch.nn.functional.logsigmoid). */
  logSigmoid(): Tensor { return elementwise.logSigmoid(this); }

  /** max(a, 0), elementwise; relu'(0) = 0, as in PyTorch. */
  relu(): Tensor { return elementwise.relu(this); }

  /** tanh a, elementwise. */
  tanh(): Tensor { return elementwise.tanh(this); }

  // *** elementwise: clipping and choosing ***

  /** Each value clipped to [min, max] (torch.clamp); the gradient is 1 inside, edges included, and 0 outside. */
  clamp(min = -Infinity, max = Infinity): Tensor { return elementwise.clamp(this, min, max); }

  /** The elementwise larger of a and b, broadcasting (torch.maximum; ties split the gradient in halves). */
  maximum(other: Operand): Tensor { return elementwise.maximum(this, other); }

  /** The elementwise smaller of a and b, broadcasting (torch.minimum; ties split the gradient in halves). */
  minimum(other: Operand): Tensor { return elementwise.minimum(this, other); }

  // *** reductions (engine/ops/reductions.ts) ***

  /**
   * The sum over `axis` (negative counts from the end), or over all elements without one (torch.sum). @example x.sum(1, true)
   */
  sum(axis?: number, keepdims = false): Tensor { return reductions.sum(this, axis, keepdims); }

  /** The mean over `axis`, or over all elements without one (torch.mean); the mean of nothing is NaN, as in PyTorch. */
  mean(axis?: number, keepdims = false): Tensor { return reductions.mean(this, axis, keepdims); }

  /** The maximum over `axis`, or over all elements without one (torch.amax); ties share the gradient equally. */
  max(axis?: number, keepdims = false): Tensor { return reductions.max(this, axis, keepdims); }

  /** The minimum over an axis (all elements without one); ties share the gradient, like max. */
  min(axis?: number, keepdims = false): Tensor { return reductions.min(this, axis, keepdims); }

  /** The flat index of the largest value, or the indices along `axis` (torch.argmax: the first of ties; NaN counts as largest). Never requires grad. */
  argmax(axis?: number, keepdims = false): Tensor { return reductions.argExtreme(this, axis, keepdims, 'argmax'); }

  /** The flat index of the smallest value, or the indices along `axis` (torch.argmin: the first of ties; NaN counts as smallest). Never requires grad. */
  argmin(axis?: number, keepdims = false): Tensor { return reductions.argExtreme(this, axis, keepdims, 'argmin'); }

  /** log Σ exp(a) over `axis`, or over all elements without one, without overflow (torch.logsumexp). */
  logsumexp(axis?: number, keepdims = false): Tensor { return reductions.logsumexp(this, axis, keepdims); }

  /**
   * log softmax along `axis` (torch.log_softmax), fused so that it stays exact for logits of ±1e4. @example logits.logSoftmax(-1)
   */
  logSoftmax(axis = -1): Tensor { return reductions.logSoftmax(this, axis); }

  /** softmax along `axis` (torch.softmax): exp(logSoftmax(a)), so it is as stable. @example logits.softmax(-1) */
  softmax(axis = -1): Tensor { return reductions.softmax(this, axis); }

  /** Row i's log-odds against class t = indices[i] under softmax, log((1 − p_t) / p_t) = log Σ_{j≠t} e^{z_j − z_t}, for [N, C]: 1 − p_t = σ(out). */
  logOddsAgainst(indices: Indices): Tensor { return reductions.logOddsAgainst(this, indices); }

  // *** layout (engine/ops/layout.ts) ***

  /**
   * The same values under another shape of the same size; one size may be −1 (torch.reshape). @example x.reshape([-1])
   */
  reshape(shape: Shape): Tensor { return layout.reshape(this, shape); }

  /** Reorders the axes: out's axis i is a's axis `axes[i]`, as torch.permute. @example x.permute(0, 2, 1) */
  permute(...axes: number[]): Tensor { return layout.permute(this, axes); }

  /** Swaps two axes (by default the last two), as torch.transpose. @example x.transpose(0, 1) */
  transpose(axis0 = -2, axis1 = -1): Tensor { return layout.transpose(this, axis0, axis1); }

  /** Repeats a along its size-1 (or new leading) axes to `shape`; −1 keeps an axis' size (torch.expand). */
  expand(shape: Shape): Tensor { return layout.expand(this, shape); }

  /** Removes `axis` if its size is 1 (else returns a unchanged), or every size-1 axis (torch.squeeze). */
  squeeze(axis?: number): Tensor { return layout.squeeze(this, axis); }

  /** Inserts a size-1 axis at `axis` ∈ [−ndim − 1, ndim] (torch.unsqueeze). */
  unsqueeze(axis: number): Tensor { return layout.unsqueeze(this, axis); }

  /** Merges axes startAxis..endAxis into one (torch.flatten); a scalar becomes shape [1]. */
  flatten(startAxis = 0, endAxis = -1): Tensor { return layout.flatten(this, startAxis, endAxis); }

  /** The slice start ≤ i < start + length of one axis (torch.narrow; a negative start counts from the end). */
  narrow(axis: number, start: number, length: number): Tensor { return layout.narrow(this, axis, start, length); }

  // *** indexing (engine/ops/indexing.ts) ***

  /**
   * out[i] = a[i, indices[i]] for an [N, C] tensor: each row's entry at its class index (a gather along axis 1). @example logp.pick([0, 2])
   */
  pick(indices: Indices): Tensor { return indexing.pick(this, indices); }

  /** torch.gather: out[i][j][k] = a[i][index[i][j][k]][k] for axis 1; `index` has out's shape. */
  gather(axis: number, index: Indices): Tensor { return indexing.gather(this, axis, index); }

  /** The entries at `indices` along `axis`, in that order (torch.index_select). @example x.indexSelect(0, [2, 0]) */
  indexSelect(axis: number, indices: Indices): Tensor { return indexing.indexSelect(this, axis, indices); }

  // *** matrix products (engine/ops/matmul.ts) ***

  /**
   * The matrix product with torch.matmul's rules: 1-D operands are promoted (a row for `a`, a
   * column for `b`) and the added axis removed; leading (batch) axes broadcast, so [B, n, k]·[k, m]
   * and [B, 1, n, k]·[C, k, m] both work. Runs through the blocked matmul kernel.
   * @example tensor([[1, 2], [3, 4]]).matmul(tensor([1, 1])) // [3, 7]
   */
  matmul(other: Tensor): Tensor { return linalg.matmul(this, other); }

  // *** gradients (engine/backward.ts) ***

  /**
   * Back-propagates from this tensor and adds (+=) the gradient into `.grad` of every leaf that requires
   * it, as torch.Tensor.backward. `gOut` (the upstream gradient, of this tensor's shape) defaults to 1 for
   * a one-element tensor; `{ createGraph: true }` records the backward pass, so the gradients can be
   * differentiated again. The graph is never freed (as with PyTorch's `retain_graph=True`): calling backward
   * again adds the same gradients once more, so zero them between steps (`zeroGrad`, or the optimizer's).
   * @example
   * const loss = focalLoss(logits, [0, 2]);
   * loss.backward();
   * logits.grad; // ∂loss/∂logits
   */
  backward(gOut?: Tensor, options?: BackwardOptions | null): void {
    rejectRetainGraph(options);
    const { createGraph = false } = checkOptions<BackwardOptions>('backward', options, ['createGraph']);
    if (!this.requiresGrad) {
      throw new Error(
        `backward: this ${this.op} tensor of shape ${formatShape(this.shape)} does not require grad ` +
          `(expected a result computed from a tensor with requiresGrad: true, outside noGrad)`,
      );
    }
    runBackward(this, upstreamGradient(this, gOut), checkBoolean('backward', 'createGraph', createGraph), null);
  }
}

/** Options of `Tensor.backward` (torch's `create_graph`). */
export interface BackwardOptions {
  /** record the backward pass itself, so that the gradients can be differentiated again; default false */
  createGraph?: boolean;
}

// backward's gOut: 1 for a one-element tensor, else a Tensor of its shape.
function upstreamGradient(t: Tensor, gOut: Tensor | undefined): Tensor {
  if (gOut === undefined) {
    if (t.size !== 1) {
      throw new Error(
        `backward: gOut is required for a non-scalar tensor of shape ${formatShape(t.shape)} ` +
          `(pass a gradient of the same shape, or reduce to a scalar first)`,
      );
    }
    return new Tensor(new Float64Array([1]), t.shape);
  }
  // loss.backward({ retainGraph: true }): PyTorch's keywords where gOut goes get a hint (optionsHint).
  if (!(gOut instanceof Tensor)) throw new Error(`backward: gOut must be a Tensor, got ${describeOperand(gOut)}${optionsHint(gOut)}`);
  if (!sameShape(gOut.shape, t.shape)) {
    throw new Error(
      `backward: gOut has shape ${formatShape(gOut.shape)} but the tensor has shape ${formatShape(t.shape)} (expected equal shapes)`,
    );
  }
  return gOut;
}

// *** what every op builds its output with (engine/ops/*.ts) ***

/** @internal The output of an op: a graph node when recording and some input requires grad, else a plain value. */
export function node(op: Op, shape: Shape, data: Float64Array, inputs: readonly Tensor[], rule: BackwardRule): Tensor {
  if (isGradEnabled()) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i].requiresGrad) return new Tensor(data, shape, true, op, inputs, rule);
    }
  }
  return new Tensor(data, shape, false, op);
}

// A leaf's data must be a Float64Array that fills its shape.
function checkLeaf(data: unknown, shape: Shape): void {
  if (!(data instanceof Float64Array)) {
    throw new Error(`Tensor: data must be a Float64Array, got ${describeValue(data)} (tensor() builds one from values)`);
  }
  checkShape('Tensor', shape);
  if (data.length !== shapeSize(shape)) {
    throw new Error(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${shapeSize(shape)} elements)`);
  }
}

/** @internal A value that is not differentiated (a mask, a one-hot): it never requires grad. */
export function constant(data: Float64Array, shape: Shape): Tensor {
  return new Tensor(data, shape);
}

/** @internal An operand as a Tensor: a number becomes a scalar; anything else is an Error naming the op. */
export function operand(value: Operand, op: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') return new Tensor(new Float64Array([value]), []);
  throw new Error(`${op}: expected a Tensor or a number as operand, got ${describeOperand(value)}`);
}

// An operand in an error message: an array gets a hint, since tensor() is what was meant.
function describeOperand(value: unknown): string {
  return Array.isArray(value) ? `${describeValue(value)} (wrap it with tensor())` : describeValue(value);
}
