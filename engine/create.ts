// Creating tensors: from numbers and nested arrays, filled, random, ranges, one-hot.
import { describeValue } from './checks.js';
import * as kernels from './kernels.js';
import type { Rng } from './rng.js';
import { type Shape, checkShape, formatShape, shapeSize } from './shape.js';
import { type Indices, type NestedArray, Tensor, classIndices } from './tensor.js';

/** Options of the creation functions: `requiresGrad` (default false) makes the tensor a leaf that collects `.grad`. */
export interface TensorOptions {
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

/**
 * A tensor from a number, nested arrays of numbers (row-major, rectangular), or flat values with
 * `{ shape }` (torch.tensor). The values are copied into a new Float64Array.
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const flat = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
 */
export function tensor(values: NestedArray | Float64Array | readonly number[], options: FromValuesOptions = {}): Tensor {
  const { name } = options;
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new Error(`tensor: options.name must be a non-empty string, got ${describeValue(name)}`);
  }
  const out = fromValues(values, options);
  return name === undefined ? out : out.named(name);
}

function fromValues(values: NestedArray | Float64Array | readonly number[], options: FromValuesOptions): Tensor {
  const requiresGrad = options.requiresGrad ?? false;
  if (values instanceof Float64Array || options.shape !== undefined) {
    const flat = values instanceof Float64Array ? values.slice() : Float64Array.from(flatten(values, inferShape(values), 'tensor'));
    const shape = options.shape === undefined ? [flat.length] : checkShape(options.shape.slice(), 'tensor');
    if (shapeSize(shape) !== flat.length) {
      throw new Error(`tensor: ${flat.length} values do not fill shape ${formatShape(shape)} (${shapeSize(shape)} elements)`);
    }
    return new Tensor(flat, shape, requiresGrad);
  }
  const shape = inferShape(values);
  return new Tensor(Float64Array.from(flatten(values, shape, 'tensor')), shape, requiresGrad);
}

// The shape a nested array claims by its first elements; flatten checks every other element against it.
function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = (level as readonly NestedArray[])[0];
  }
  return shape;
}

function flatten(values: NestedArray, shape: Shape, op: string): number[] {
  const out: number[] = [];
  const visit = (value: NestedArray, depth: number, path: number[]): void => {
    const where = path.length === 0 ? 'the top level' : `[${path.join('][')}]`;
    if (Array.isArray(value)) {
      if (shape.length > 0 && depth >= shape.length) {
        throw new Error(`${op}: ragged nested array: expected a number at ${where}, got an array`);
      }
      if (shape.length > 0 && value.length !== shape[depth]) {
        throw new Error(`${op}: ragged nested array: expected ${shape[depth]} elements at ${where}, got ${value.length}`);
      }
      (value as readonly NestedArray[]).forEach((item, i) => visit(item, depth + 1, [...path, i]));
      return;
    }
    if (typeof value !== 'number') {
      throw new Error(`${op}: expected numbers, got ${value === null ? 'null' : typeof value} at ${where}`);
    }
    if (shape.length > 0 && depth < shape.length) {
      throw new Error(`${op}: ragged nested array: expected an array of ${shape[depth]} elements at ${where}, got a number`);
    }
    out.push(value);
  };
  visit(values, 0, []);
  return out;
}

/** A tensor of `shape` with every element `value` (torch.full). */
export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  return filled(shape, value, options, 'full');
}

/** A tensor of zeros of `shape` (torch.zeros). @example zeros([2, 3], { requiresGrad: true }) */
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return filled(shape, 0, options, 'zeros');
}

/** A tensor of ones of `shape` (torch.ones). */
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return filled(shape, 1, options, 'ones');
}

function filled(shape: Shape, value: number, options: TensorOptions, op: string): Tensor {
  return new Tensor(allocate(shape, op).fill(value), shape.slice(), options.requiresGrad ?? false);
}

// Zeros for a checked shape; a size no Float64Array can hold is an Error naming the op.
function allocate(shape: Shape, op: string): Float64Array {
  checkShape(shape, op);
  const size = shapeSize(shape);
  try {
    return new Float64Array(size);
  } catch {
    throw new Error(`${op}: cannot allocate shape ${formatShape(shape)} (${size} elements of 8 bytes)`);
  }
}

function checkRng(random: Rng, op: string): Rng {
  if (typeof random !== 'object' || random === null || typeof random.next !== 'function' || typeof random.normal !== 'function') {
    throw new Error(`${op}: expected a generator from rng(seed) as second argument, got ${random === null ? 'null' : typeof random}`);
  }
  return random;
}

/**
 * Standard normal samples of `shape` from a seeded generator (torch.randn with a generator). @example randn([2, 3], rng(0))
 */
export function randn(shape: Shape, random: Rng, options: TensorOptions = {}): Tensor {
  checkRng(random, 'randn');
  const data = allocate(shape, 'randn');
  for (let i = 0; i < data.length; i++) data[i] = random.normal();
  return new Tensor(data, shape.slice(), options.requiresGrad ?? false);
}

/** Uniform samples in [0, 1) of `shape` from a seeded generator (torch.rand with a generator). */
export function rand(shape: Shape, random: Rng, options: TensorOptions = {}): Tensor {
  checkRng(random, 'rand');
  const data = allocate(shape, 'rand');
  for (let i = 0; i < data.length; i++) data[i] = random.next();
  return new Tensor(data, shape.slice(), options.requiresGrad ?? false);
}

/**
 * `arange(stop)` or `arange(start, stop, step = 1)`: start, start + step, ... up to but excluding stop (torch.arange).
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (![from, to, step].every(Number.isFinite) || step === 0) {
    throw new Error(`arange: expected finite start, stop and a non-zero step, got ${from}, ${to}, ${step}`);
  }
  const count = Math.max(0, Math.ceil((to - from) / step));
  const data = allocate([count], 'arange');
  for (let i = 0; i < count; i++) data[i] = from + i * step;
  return new Tensor(data, [count]);
}

/** An [N, C] tensor with a 1 at each row's class index and 0 elsewhere (torch.nn.functional.one_hot, as float64). */
export function oneHot(indices: Indices, numClasses: number): Tensor {
  if (!Number.isInteger(numClasses) || numClasses <= 0) {
    throw new Error(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  }
  const n = indices instanceof Tensor ? indices.size : indices.length;
  const index = classIndices(indices, n, numClasses, 'oneHot');
  return new Tensor(kernels.oneHot(index, numClasses), [n, numClasses]);
}
