// Tensor: a float64 n-d array that remembers the op that made it, the core ops with their gradients,
// and one-line methods for the ops that live in engine/ops/*.ts (forward and backward together there).
// The reverse-mode sweep that runs those backward rules (Tensor.backward, grad) lives in engine/backward.ts.
import { runBackward, upstreamGradient } from './backward.js';
import { checkBoolean, checkOptions, checkShape as checkShapeOf, describeValue, rejectRetainGraph, sizesHint } from './checks.js';
import * as kernels from './kernels.js';
import * as elementwise from './ops/elementwise.js';
import * as indexing from './ops/indexing.js';
import * as layout from './ops/layout.js';
import * as linalg from './ops/matmul.js';
import * as reductions from './ops/reductions.js';
import { isGradEnabled } from './gradMode.js';
import { type Scope, currentScope, withScope } from './scope.js';
import {
  type Shape,
  broadcastShapes,
  formatShape,
  normalizeAxis,
  shapeSize,
} from './shape.js';

/** The kind of node that made a Tensor: 'leaf' for one made from values, else the op's name. */
export type Op =
  | 'leaf'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'exp'
  | 'log'
  | 'pow'
  | 'sqrt'
  | 'abs'
  | 'sigmoid'
  | 'relu'
  | 'tanh'
  | 'clamp'
  | 'logSoftmax'
  | 'sum'
  | 'max'
  | 'logsumexp'
  | 'matmul'
  | 'addmm'
  | 'reshape'
  | 'transpose'
  | 'expand'
  | 'pick'
  | 'log1p'
  | 'expm1'
  | 'softplus'
  | 'maximum'
  | 'where'
  | 'permute'
  | 'narrow'
  | 'pad'
  | 'concat'
  | 'indexSelect'
  | 'indexAdd'
  | 'gather'
  | 'scatterAdd';

/** A Tensor, or a plain number standing for a scalar Tensor (`x.mul(2)`). */
export type Operand = Tensor | number;
/** Class or element indices: a `number[]`, an `Int32Array`, or a Tensor holding integer values. */
export type Indices = readonly number[] | Int32Array | Tensor;
/** A number, or (nested) arrays of numbers: what `tensor()` reads and `toArray()` returns. */
export type NestedArray = number | readonly NestedArray[];

// Given the gradient of the output, the gradient for each input (null: none flows to it).
// A gradient may come back in the output's broadcast shape: backward sums it to the input's.
// Rules skip (null) an input that does not require grad where that saves a pass over the data.
// A rule gets its node too: the most common ops share one rule function instead of a closure per node.
export type BackwardRule = (gOut: Tensor, out: Tensor) => readonly (Tensor | null)[];

const NO_INPUTS: readonly Tensor[] = Object.freeze([]);

// The rules of the ops that long chains are made of are shared functions, not a closure per node:
// a node of a 10,000-op chain then holds fewer objects for the GC to copy (docs/performance.md).

// out = a + b  ⇒  ∂out/∂a = 1,  ∂out/∂b = 1
const addRule: BackwardRule = (gOut) => [gOut, gOut];

// out = a · b  ⇒  ∂out/∂a = b,  ∂out/∂b = a
const mulRule: BackwardRule = (gOut, out) => {
  const a = out.inputs[0];
  const b = out.inputs[1];
  return [a.requiresGrad ? gOut.mul(b) : null, b.requiresGrad ? gOut.mul(a) : null];
};

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
  /**
   * The gradient accumulated (+=) by `backward()` when this is a leaf that requires grad; null until then, and after `zeroGrad()`.
   */
  grad: Tensor | null = null;
  /** Whether gradients flow to this tensor (PyTorch's requires_grad): set on leaves, inherited by ops' results. */
  requiresGrad: boolean;
  /** The op that made this tensor ('leaf' for one made from values). */
  readonly op: Op;
  /** The tensors the op read (empty for a leaf): the edges of the graph. */
  readonly inputs: readonly Tensor[];
  /** The op's vector–Jacobian product: given the output's gradient, each input's (null for a leaf). */
  readonly backwardRule: BackwardRule | null;
  /** A label for pictures of the graph (`toDot`, the playground), set by `tensor(v, { name })` or `named()`; null if none. */
  declare name: string | null;
  /** The composite function call (`withScope`) that made this tensor; null outside every scope. */
  declare readonly scope: Scope | null;
  // NOTE: name and scope default to null on the prototype and become own fields only when set, so
  // that a node made outside every scope is no bigger than before they existed.
  static {
    Object.defineProperties(Tensor.prototype, { name: { value: null, writable: true }, scope: { value: null, writable: true } });
  }
  /** @internal the gradient flowing into this node during one backward pass */
  pendingGrad: Tensor | null = null;
  /** @internal marks the node as seen by one topological sort */
  visitMark = 0;

  // Build tensors with tensor(), zeros(), ... ; ops build their outputs with this constructor.
  constructor(
    data: Float64Array,
    shape: Shape,
    requiresGrad = false,
    op: Op = 'leaf',
    inputs: readonly Tensor[] = NO_INPUTS,
    backwardRule: BackwardRule | null = null,
  ) {
    // NOTE: a few type tests, cheap beside any op's arithmetic (a shape has a handful of entries), so
    // that `new Tensor` from user code fails with a message instead of a TypeError.
    if (!(data instanceof Float64Array)) {
      throw new Error(`Tensor: data must be a Float64Array, got ${describeValue(data)} (tensor() builds one from values)`);
    }
    checkShapeOf('Tensor', shape);
    if (data.length !== shapeSize(shape)) {
      throw new Error(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${shapeSize(shape)} elements)`);
    }
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
  get size(): number {
    return this.data.length;
  }

  /** The number of axes (0 for a scalar). */
  get ndim(): number {
    return this.shape.length;
  }

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
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** Clears `.grad` (sets it to null), as torch.Tensor.grad = None. */
  zeroGrad(): void {
    this.grad = null;
  }

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

  // ---- elementwise with broadcasting ----

  /** a + b, elementwise with NumPy broadcasting (torch.add). @example x.add(1) */
  add(other: Operand): Tensor {
    const b = operand(other, 'add');
    const shape = broadcastShapes(this.shape, b.shape, 'add');
    const data = kernels.binary('add', this.data, this.shape, b.data, b.shape, shape);
    return node('add', shape, data, [this, b], addRule);
  }

  /** a − b, elementwise with NumPy broadcasting (torch.sub). */
  // out = a − b  ⇒  ∂out/∂a = 1,  ∂out/∂b = −1
  sub(other: Operand): Tensor {
    const b = operand(other, 'sub');
    const shape = broadcastShapes(this.shape, b.shape, 'sub');
    const data = kernels.binary('sub', this.data, this.shape, b.data, b.shape, shape);
    return node('sub', shape, data, [this, b], (gOut) => [gOut, b.requiresGrad ? gOut.neg() : null]);
  }

  /** a · b, elementwise with NumPy broadcasting (torch.mul). @example x.mul(2) */
  mul(other: Operand): Tensor {
    const b = operand(other, 'mul');
    const shape = broadcastShapes(this.shape, b.shape, 'mul');
    const data = kernels.binary('mul', this.data, this.shape, b.data, b.shape, shape);
    return node('mul', shape, data, [this, b], mulRule);
  }

  /** a / b, elementwise with NumPy broadcasting (torch.div, true division). */
  // out = a / b  ⇒  ∂out/∂a = 1/b,  ∂out/∂b = −a/b² = −out/b
  div(other: Operand): Tensor {
    const b = operand(other, 'div');
    const shape = broadcastShapes(this.shape, b.shape, 'div');
    const data = kernels.binary('div', this.data, this.shape, b.data, b.shape, shape);
    const out: Tensor = node('div', shape, data, [this, b], (gOut) => [
      this.requiresGrad ? gOut.div(b) : null,
      b.requiresGrad ? gOut.mul(out).div(b).neg() : null,
    ]);
    return out;
  }

  /** −a, elementwise. */
  // −a, composed: a · (−1)
  neg(): Tensor {
    return this.mul(-1);
  }

  // ---- elementwise, one input ----

  /** eᵃ, elementwise. */
  // out = eᵃ  ⇒  ∂out/∂a = eᵃ = out
  exp(): Tensor {
    const out: Tensor = node('exp', this.shape, kernels.unary('exp', this.data), [this], (gOut) => [gOut.mul(out)]);
    return out;
  }

  /** The natural logarithm, elementwise (−∞ at 0 and NaN below, as in PyTorch). */
  // out = ln a  ⇒  ∂out/∂a = 1/a
  log(): Tensor {
    return node('log', this.shape, kernels.unary('log', this.data), [this], (gOut) => [gOut.div(this)]);
  }

  /** aᵖ for a finite number p, elementwise (torch.pow with a scalar exponent); its gradient is exactly 0 when p = 0. */
  // out = aᵖ  ⇒  ∂out/∂a = p·aᵖ⁻¹, and exactly 0 when p = 0 (also at a = 0, where 0·0⁻¹ would be NaN)
  pow(p: number): Tensor {
    if (typeof p !== 'number' || !Number.isFinite(p)) {
      throw new Error(`pow: exponent must be a finite number, got ${describeValue(p)}`);
    }
    return node('pow', this.shape, kernels.pow(this.data, p), [this], (gOut) => [
      p === 0 ? constant(new Float64Array(this.size), this.shape) : gOut.mul(this.pow(p - 1).mul(p)),
    ]);
  }

  /** √a, elementwise (its gradient is +∞ at 0, as in PyTorch). */
  // out = √a  ⇒  ∂out/∂a = 1/(2√a) = 1/(2·out)   (∞ at a = 0, as in PyTorch)
  sqrt(): Tensor {
    const out: Tensor = node('sqrt', this.shape, kernels.unary('sqrt', this.data), [this], (gOut) => [gOut.div(out.mul(2))]);
    return out;
  }

  /** |a|, elementwise; the gradient at 0 is 0 (PyTorch: sign(0) = 0). */
  // out = |a|  ⇒  ∂out/∂a = sign(a), taken as 0 at a = 0
  abs(): Tensor {
    return node('abs', this.shape, kernels.unary('abs', this.data), [this], (gOut) => [
      gOut.mul(constant(kernels.unary('sign', this.data), this.shape)),
    ]);
  }

  /** σ(a) = 1 / (1 + e⁻ᵃ), elementwise and stable for large |a| (torch.sigmoid). */
  // out = σ(a) = 1/(1 + e⁻ᵃ)  ⇒  ∂out/∂a = σ(a)·σ(−a)
  // NOTE: σ(−a) rather than 1 − σ(a): the latter cancels to 0 (or to noise) once σ(a) rounds near 1.
  sigmoid(): Tensor {
    const out: Tensor = node('sigmoid', this.shape, kernels.unary('sigmoid', this.data), [this], (gOut) => [
      gOut.mul(out).mul(this.neg().sigmoid()),
    ]);
    return out;
  }

  /** max(a, 0), elementwise; relu'(0) = 0, as in PyTorch. */
  // out = max(a, 0)  ⇒  ∂out/∂a = 1 where a > 0, else 0 (relu'(0) = 0, as in PyTorch)
  relu(): Tensor {
    return node('relu', this.shape, kernels.unary('relu', this.data), [this], (gOut) => [maskPositive(gOut, this)]);
  }

  /** tanh a, elementwise. */
  // out = tanh a  ⇒  ∂out/∂a = 1 − out²
  tanh(): Tensor {
    const out: Tensor = node('tanh', this.shape, kernels.unary('tanh', this.data), [this], (gOut) => [
      gOut.mul(out.mul(out).neg().add(1)),
    ]);
    return out;
  }

  /** Each value clipped to [min, max] (torch.clamp); the gradient is 1 inside, edges included, and 0 outside. */
  // out = min(max(a, min), max)  ⇒  ∂out/∂a = 1 where min ≤ a ≤ max, else 0 (PyTorch's rule at the edges)
  clamp(min = -Infinity, max = Infinity): Tensor {
    if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
      throw new Error(`clamp: expected numbers min ≤ max, got min = ${describeValue(min)}, max = ${describeValue(max)}`);
    }
    return node('clamp', this.shape, kernels.clamp(this.data, min, max), [this], (gOut) => [
      gOut.mul(constant(kernels.insideMask(this.data, min, max), this.shape)),
    ]);
  }

  /** log(1 + a), exact also where a is tiny (Math.log1p). */
  log1p(): Tensor {
    return elementwise.log1p(this);
  }

  /** eᵃ − 1, exact also where a is tiny (Math.expm1). */
  expm1(): Tensor {
    return elementwise.expm1(this);
  }

  /** log(1 + eᵃ), stable for |a| up to 1e4 and beyond; its gradient is σ(a) (torch.nn.functional.softplus, β = 1). */
  softplus(): Tensor {
    return elementwise.softplus(this);
  }

  /** log σ(a) = −softplus(−a), stable for |a| up to 1e4 (torch.nn.functional.logsigmoid). */
  logSigmoid(): Tensor {
    return elementwise.logSigmoid(this);
  }

  /** The elementwise larger of a and b, broadcasting (torch.maximum; ties split the gradient in halves). */
  maximum(other: Operand): Tensor {
    return elementwise.maximum(this, other);
  }

  /** The elementwise smaller of a and b, broadcasting (torch.minimum; ties split the gradient in halves). */
  minimum(other: Operand): Tensor {
    return elementwise.minimum(this, other);
  }

  // ---- along an axis ----

  /**
   * log softmax along `axis` (torch.log_softmax), fused so that it stays exact for logits of ±1e4. @example logits.logSoftmax(-1)
   */
  // out = a − log Σ exp(a)  ⇒  gIn = gOut − softmax(a) · Σ gOut
  // NOTE: fused (not log(softmax)) so that the max is subtracted once and log p stays exact at logits ±1e4.
  logSoftmax(axis = -1): Tensor {
    const ax = normalizeAxis(axis, this.ndim, 'logSoftmax');
    const data = kernels.logSoftmaxAxis(this.data, kernels.axisView(this.shape, ax));
    const out: Tensor = node('logSoftmax', this.shape, data, [this], (gOut) => [
      gOut.sub(out.exp().mul(gOut.sum(ax, true))),
    ]);
    return out;
  }

  /** softmax along `axis` (torch.softmax): exp(logSoftmax(a)), so it is as stable. @example logits.softmax(-1) */
  // softmax, composed: exp(logSoftmax(a)), which inherits its stability.
  softmax(axis = -1): Tensor {
    return withScope('softmax', () => this.logSoftmax(normalizeAxis(axis, this.ndim, 'softmax')).exp());
  }

  /**
   * The sum over `axis` (negative counts from the end), or over all elements without one (torch.sum). @example x.sum(1, true)
   */
  // out = Σ a over the axis (all elements when axis is undefined)  ⇒  ∂out/∂a = 1: gOut spreads back over the axis
  sum(axis?: number, keepdims = false): Tensor {
    const { view, kept, shape } = reduction(this, axis, keepdims, 'sum');
    return node('sum', shape, kernels.sumAxis(this.data, view), [this], (gOut) => [gOut.reshape(kept).expand(this.shape)]);
  }

  /** The mean over `axis`, or over all elements without one (torch.mean); the mean of nothing is NaN, as in PyTorch. */
  // mean, composed: sum / count. The mean of nothing is 0/0 = NaN, as in PyTorch and NumPy (a sum of
  // nothing is 0; max of nothing is an Error; logsumexp of nothing is log 0 = −∞): docs/autodiff.md.
  mean(axis?: number, keepdims = false): Tensor {
    const count = axis === undefined ? this.size : this.shape[normalizeAxis(axis, this.ndim, 'mean')];
    checkBoolean('mean', 'keepdims', keepdims);
    return withScope('mean', () => this.sum(axis, keepdims).div(count));
  }

  /** The maximum over `axis`, or over all elements without one (torch.amax); ties share the gradient equally. */
  // out = max a over the axis  ⇒  ∂out/∂a = 1/k at each of the k elements equal to the max, else 0
  // (ties split the gradient equally, as JAX and torch.amax do; a NaN in a line makes its max NaN)
  max(axis?: number, keepdims = false): Tensor {
    const { view, kept, shape } = reduction(this, axis, keepdims, 'max');
    const data = kernels.maxAxis(this.data, view);
    return node('max', shape, data, [this], (gOut) => [
      gOut.reshape(kept).mul(constant(kernels.maxTieWeights(this.data, data, view), this.shape)),
    ]);
  }

  /** The minimum over an axis (all elements without one); ties share the gradient, like max. */
  min(axis?: number, keepdims = false): Tensor {
    return reductions.min(this, axis, keepdims);
  }

  /** The flat index of the largest value, or the indices along `axis` (torch.argmax: the first of ties; NaN counts as largest). Never requires grad. */
  argmax(axis?: number, keepdims = false): Tensor {
    return reductions.argExtreme(this, axis, keepdims, 'argmax');
  }

  /** The flat index of the smallest value, or the indices along `axis` (torch.argmin: the first of ties; NaN counts as smallest). Never requires grad. */
  argmin(axis?: number, keepdims = false): Tensor {
    return reductions.argExtreme(this, axis, keepdims, 'argmin');
  }

  /** log Σ exp(a) over `axis`, or over all elements without one, without overflow (torch.logsumexp). */
  // out = log Σ exp(a) over the axis  ⇒  ∂out/∂a = exp(a − out) = softmax(a)
  // NOTE: the backward takes softmax(a) from logSoftmax rather than exp(a − out): out is rounded
  // (1e4 + ln 2 is not a double), and a − out would carry that rounding into every gradient.
  logsumexp(axis?: number, keepdims = false): Tensor {
    const { view, kept, shape } = reduction(this, axis, keepdims, 'logsumexp');
    return node('logsumexp', shape, kernels.logsumexpAxis(this.data, view), [this], (gOut) => {
      const softmax = axis === undefined ? this.reshape([-1]).softmax(0).reshape(this.shape) : this.softmax(axis);
      return [gOut.reshape(kept).mul(softmax)];
    });
  }

  // ---- linear algebra and shape ----

  /**
   * The matrix product with torch.matmul's rules: 1-D operands are promoted (a row for `a`, a
   * column for `b`) and the added axis removed; leading (batch) axes broadcast, so [B, n, k]·[k, m]
   * and [B, 1, n, k]·[C, k, m] both work. Runs through the blocked matmul kernel.
   * @example tensor([[1, 2], [3, 4]]).matmul(tensor([1, 1])) // [3, 7]
   */
  matmul(other: Tensor): Tensor {
    return linalg.matmul(this, other);
  }

  /**
   * The same values under another shape of the same size; one size may be −1 (torch.reshape). @example x.reshape([-1])
   */
  // A view of the same data under another shape; one size may be −1 (inferred).  ∂: reshape back
  reshape(shape: Shape): Tensor {
    const target = resolveReshape(shape, this);
    return node('reshape', target, this.data, [this], (gOut) => [gOut.reshape(this.shape)]);
  }

  /** Swaps two axes (by default the last two), as torch.transpose. @example x.transpose(0, 1) */
  transpose(axis0 = -2, axis1 = -1): Tensor {
    return layout.transpose(this, axis0, axis1);
  }

  /** Reorders the axes: out's axis i is a's axis `axes[i]`, as torch.permute. @example x.permute(0, 2, 1) */
  permute(...axes: number[]): Tensor {
    return layout.permute(this, axes);
  }

  /** Repeats a along its size-1 (or new leading) axes to `shape`; −1 keeps an axis' size (torch.expand). */
  expand(shape: Shape): Tensor {
    return layout.expand(this, shape);
  }

  /** Removes `axis` if its size is 1 (else returns a unchanged), or every size-1 axis (torch.squeeze). */
  squeeze(axis?: number): Tensor {
    return layout.squeeze(this, axis);
  }

  /** Inserts a size-1 axis at `axis` ∈ [−ndim − 1, ndim] (torch.unsqueeze). */
  unsqueeze(axis: number): Tensor {
    return layout.unsqueeze(this, axis);
  }

  /** Merges axes startAxis..endAxis into one (torch.flatten); a scalar becomes shape [1]. */
  flatten(startAxis = 0, endAxis = -1): Tensor {
    return layout.flatten(this, startAxis, endAxis);
  }

  /** The slice start ≤ i < start + length of one axis (torch.narrow; a negative start counts from the end). */
  narrow(axis: number, start: number, length: number): Tensor {
    return layout.narrow(this, axis, start, length);
  }

  /** The entries at `indices` along `axis`, in that order (torch.index_select). @example x.indexSelect(0, [2, 0]) */
  indexSelect(axis: number, indices: Indices): Tensor {
    return indexing.indexSelect(this, axis, indices);
  }

  /** torch.gather: out[i][j][k] = a[i][index[i][j][k]][k] for axis 1; `index` has out's shape. */
  gather(axis: number, index: Indices): Tensor {
    return indexing.gather(this, axis, index);
  }

  /**
   * out[i] = a[i, indices[i]] for an [N, C] tensor: each row's entry at its class index (a gather along axis 1). @example logp.pick([0, 2])
   */
  // out[i] = a[i, indices[i]] for a of shape [N, C]  ⇒  ∂out/∂a = oneHot(indices) scaled row by row by gOut
  pick(indices: Indices): Tensor {
    if (this.ndim !== 2) {
      throw new Error(`pick: expected an [N, C] tensor, got shape ${formatShape(this.shape)}`);
    }
    const [n, classes] = this.shape;
    const index = classIndices(indices, n, classes, 'pick');
    return node('pick', [n], kernels.pickRows(this.data, index, classes), [this], (gOut) => [
      constant(kernels.oneHot(index, classes), this.shape).mul(gOut.reshape([n, 1])),
    ]);
  }

  // ---- gradients ----

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

// ---- helpers shared by the ops ----

// The output of an op: a graph node when recording and some input requires grad, else a plain value.
function node(op: Op, shape: Shape, data: Float64Array, inputs: readonly Tensor[], rule: BackwardRule): Tensor {
  if (isGradEnabled()) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i].requiresGrad) return new Tensor(data, shape, true, op, inputs, rule);
    }
  }
  return new Tensor(data, shape, false, op);
}

// gOut · [a > 0], relu's backward, in one pass without building the mask. It is linear in gOut
// with the same mask, so its own backward is itself: createGraph can differentiate it again.
function maskPositive(gOut: Tensor, a: Tensor): Tensor {
  return node('mul', a.shape, kernels.mulPositive(gOut.data, a.data), [gOut], (g) => [maskPositive(g, a)]);
}

// A value that is not differentiated (a mask, a one-hot): it never requires grad.
function constant(data: Float64Array, shape: Shape): Tensor {
  return new Tensor(data, shape);
}

function operand(value: Operand, op: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') return new Tensor(new Float64Array([value]), []);
  throw new Error(`${op}: expected a Tensor or a number as operand, got ${describe(value)}`);
}

// An operand in an error message: an array gets a hint, since tensor() is what was meant.
function describe(value: unknown): string {
  return Array.isArray(value) ? `${describeValue(value)} (wrap it with tensor())` : describeValue(value);
}

export interface Reduction {
  view: kernels.AxisView;
  kept: Shape; // the output's shape with the reduced axes kept as size 1
  shape: Shape;
}

// The max of nothing has no value (PyTorch raises too); a sum of nothing is 0 and a logsumexp of
// nothing is log 0 = −∞, as in PyTorch.
function reduction(a: Tensor, axis: number | undefined, keepdims: boolean, op: string): Reduction {
  const ax = axis === undefined ? null : normalizeAxis(axis, a.ndim, op);
  checkBoolean(op, 'keepdims', keepdims);
  const view = ax === null ? { outer: 1, size: a.size, inner: 1 } : kernels.axisView(a.shape, ax);
  if (view.size === 0 && op !== 'sum' && op !== 'logsumexp') {
    throw new Error(`${op}: cannot reduce an empty ${ax === null ? 'tensor' : `axis ${ax}`} of shape ${formatShape(a.shape)}`);
  }
  const kept = a.shape.map((size, i) => (ax === null || i === ax ? 1 : size));
  const shape = keepdims ? kept : ax === null ? [] : a.shape.filter((_, i) => i !== ax);
  return { view, kept, shape };
}

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

// out = op(a)·op(b), op a transpose where asked, without building the transpose.
// The plain matmul above is this with no transposes; backward needs the other variants:
// for out = A·B, gA = gOut·Bᵀ and gB = Aᵀ·gOut, and when A = aᵀ, ga = (gA)ᵀ = B·gOutᵀ.
function matmulTransposed(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const m = transA ? a.shape[1] : a.shape[0];
  const k = transA ? a.shape[0] : a.shape[1];
  const n = transB ? b.shape[0] : b.shape[1];
  const data = kernels.matmul(a.data, b.data, m, k, n, transA, transB);
  return node('matmul', [m, n], data, [a, b], (gOut) => [
    a.requiresGrad ? (transA ? matmulTransposed(b, gOut, transB, true) : matmulTransposed(gOut, b, false, !transB)) : null,
    b.requiresGrad ? (transB ? matmulTransposed(gOut, a, true, transA) : matmulTransposed(a, gOut, !transA, false)) : null,
  ]);
}

// Class indices as an Int32Array of length n, each an integer in [0, classes).
export function classIndices(indices: Indices, n: number, classes: number, op: string): Int32Array {
  let values: ArrayLike<number>;
  if (indices instanceof Tensor) {
    if (indices.ndim !== 1) {
      throw new Error(`${op}: indices must be 1-D, got shape ${formatShape(indices.shape)}`);
    }
    values = indices.data;
  } else if (indices instanceof Int32Array || Array.isArray(indices)) {
    values = indices;
  } else {
    throw new Error(`${op}: indices must be a number[], an Int32Array or a 1-D Tensor, got ${describe(indices)}`);
  }
  if (values.length !== n) {
    throw new Error(`${op}: got ${values.length} indices for ${n} rows (expected one index per row)`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const index = values[i];
    const problem = !Number.isInteger(index) ? 'is not an integer' : index < 0 || index >= classes ? `is out of range for ${classes} classes` : '';
    if (problem !== '') {
      throw new Error(`${op}: index ${describeValue(index)} at row ${i} ${problem} (expected an integer in [0, ${classes}))`);
    }
    out[i] = index;
  }
  return out;
}

// The helpers every op module builds its outputs with (engine/ops/*.ts), and describe for engine/backward.ts; not part of the public API.
export { node, constant, operand, describe, describeValue as show, reduction, matmulTransposed };
