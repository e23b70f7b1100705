// Creating tensors: from numbers and nested arrays, filled, random, ranges, one-hot.
import { allocate } from './buffers.js';
import { checkBoolean, checkInteger, checkOptions, checkShape, checkSize } from './checks.js';
import { describeValue, formatShape } from './format.js';
import { oneHot as oneHotKernel } from './kernels/indexing.js';
import { readNested } from './nested.js';
import { classIndices } from './ops/indexing.js';
import type { Rng } from './rng.js';
import { type Shape, shapeSize } from './shape.js';
import { type Indices, type NestedArray, Tensor } from './tensor.js';

/** Options of the creation functions: `requiresGrad` (default false) makes the tensor a leaf that collects `.grad`. */
export interface TensorOptions {
  /** record operations on the tensor for backward (torch's `requires_grad`); default false */
  requiresGrad?: boolean;
}

/**
 * Options of `tensor()`: `requiresGrad`, and `shape` to read flat values (a `number[]` or `Float64Array`) under a shape.
 */
export interface FromValuesOptions extends TensorOptions {
  /** the shape of a flat array of values (default: 1-D) */
  shape?: Shape;
  /** a label for pictures of the graph, as `named()` gives */
  name?: string;
}

const TENSOR_KEYS = ['requiresGrad'] as const;
const FROM_VALUES_KEYS = ['requiresGrad', 'shape', 'name'] as const;

function requiresGradOf(fn: string, options: unknown, keys: readonly (keyof FromValuesOptions)[]): Partial<FromValuesOptions> & { requiresGrad: boolean } {
  const o = checkOptions<FromValuesOptions>(fn, options, keys);
  return { ...o, requiresGrad: o.requiresGrad === undefined ? false : checkBoolean(fn, 'requiresGrad', o.requiresGrad) };
}

/**
 * A tensor from a number, nested arrays of numbers, or a flat array with `options.shape` (like
 * `torch.tensor`). The values are copied. Ragged nesting, holes in sparse arrays, cycles and leaves
 * that are not numbers ('abc', null, true, 1n) are Errors: nothing is coerced. NaN and ±Infinity are
 * numbers and are kept, as in PyTorch.
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true }).shape // [2, 2]
 */
export function tensor(values: NestedArray | Float64Array | readonly number[], options?: FromValuesOptions | null): Tensor {
  const { requiresGrad, shape, name } = requiresGradOf('tensor', options, FROM_VALUES_KEYS);
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new Error(`tensor: options.name must be a non-empty string, got ${describeValue(name)}`);
  }
  const out = fromValues(values, requiresGrad, shape);
  return name === undefined ? out : out.named(name);
}

function fromValues(values: NestedArray | Float64Array | readonly number[], requiresGrad: boolean, shape: Shape | undefined): Tensor {
  const { data, shape: inferred } = values instanceof Float64Array ? { data: values.slice(), shape: [values.length] } : readNested('tensor', values, numberLeaf);
  if (shape === undefined) return new Tensor(data, inferred, requiresGrad);
  const target = checkShape('tensor', shape).slice();
  if (shapeSize(target) !== data.length) {
    throw new Error(`tensor: ${data.length} values do not fill shape ${formatShape(target)} (${shapeSize(target)} elements)`);
  }
  return new Tensor(data, target, requiresGrad);
}

// tensor()'s leaves: numbers, kept as they are (NaN and ±Infinity included); nothing is coerced.
function numberLeaf(value: unknown, where: string): number {
  if (typeof value !== 'number') throw new Error(`tensor: expected numbers, got ${describeValue(value)} at ${where}`);
  return value;
}

/**
 * A tensor of `shape` filled with `value` (torch.full). The value must be a number (NaN and
 * ±Infinity included); nothing is coerced.
 * @example full([2, 3], 0.5)
 */
export function full(shape: Shape, value: number, options?: TensorOptions | null): Tensor {
  if (typeof value !== 'number') throw new Error(`full: value must be a number, got ${describeValue(value)}`);
  return filled(shape, value, options, 'full');
}

/** A tensor of `shape` filled with zeros (torch.zeros). */
export function zeros(shape: Shape, options?: TensorOptions | null): Tensor {
  return filled(shape, 0, options, 'zeros');
}

/** A tensor of `shape` filled with ones (torch.ones). */
export function ones(shape: Shape, options?: TensorOptions | null): Tensor {
  return filled(shape, 1, options, 'ones');
}

function filled(shape: Shape, value: number, options: TensorOptions | null | undefined, op: string): Tensor {
  const { requiresGrad } = requiresGradOf(op, options, TENSOR_KEYS);
  const checked = checkShape(op, shape).slice();
  const data = allocate(op, shapeSize(checked), checked);
  return new Tensor(value === 0 ? data : data.fill(value), checked, requiresGrad);
}

function checkRng(random: unknown, op: string): Rng {
  const r = random as Partial<Rng> | null;
  if (typeof r !== 'object' || r === null || typeof r.next !== 'function' || typeof r.normal !== 'function') {
    throw new Error(`${op}: expected a generator from rng(seed) as second argument, got ${describeValue(random)}`);
  }
  return r as Rng;
}

/** Standard normal samples from the seeded generator (torch.randn with an explicit generator). */
export function randn(shape: Shape, random: Rng, options?: TensorOptions | null): Tensor {
  const { requiresGrad } = requiresGradOf('randn', options, TENSOR_KEYS);
  checkRng(random, 'randn');
  const checked = checkShape('randn', shape).slice();
  const data = allocate('randn', shapeSize(checked), checked);
  for (let i = 0; i < data.length; i++) data[i] = random.normal();
  return new Tensor(data, checked, requiresGrad);
}

/** Uniform samples in [0, 1) from the seeded generator (torch.rand with an explicit generator). */
export function rand(shape: Shape, random: Rng, options?: TensorOptions | null): Tensor {
  const { requiresGrad } = requiresGradOf('rand', options, TENSOR_KEYS);
  checkRng(random, 'rand');
  const checked = checkShape('rand', shape).slice();
  const data = allocate('rand', shapeSize(checked), checked);
  for (let i = 0; i < data.length; i++) data[i] = random.next();
  return new Tensor(data, checked, requiresGrad);
}

/**
 * `arange(stop)` or `arange(start, stop, step = 1)`: start, start + step, ... up to but excluding
 * stop, as torch.arange.
 * @example arange(3) // [0, 1, 2]
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  const finite = [from, to, step].every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!finite || step === 0) {
    throw new Error(
      `arange: expected finite start, stop and a non-zero step, got ${describeValue(from)}, ${describeValue(to)}, ${describeValue(step)}`,
    );
  }
  const count = Math.max(0, Math.ceil((to - from) / step));
  const data = allocate('arange', count, [count]);
  for (let i = 0; i < count; i++) data[i] = from + i * step;
  return new Tensor(data, [count]);
}

/** [N, C] with a 1 at each row's class index (torch.nn.functional.one_hot, as float64). */
export function oneHot(indices: Indices, numClasses: number): Tensor {
  checkInteger('oneHot', 'numClasses', numClasses, 1);
  if (!(indices instanceof Tensor) && !(indices instanceof Int32Array) && !Array.isArray(indices)) {
    throw new Error(`oneHot: indices must be a number[], an Int32Array or a 1-D Tensor, got ${describeValue(indices)}`);
  }
  const n = indices instanceof Tensor ? indices.size : indices.length;
  checkSize('oneHot', n * numClasses, [n, numClasses]);
  const index = classIndices('oneHot', indices, numClasses, { rows: n });
  return new Tensor(oneHotKernel(index, numClasses), [n, numClasses]);
}
