// Input checks shared by every public function (values are described through format.ts).
// Every message starts with the public function's name and says what was expected.
import { describeValue, formatShape } from './format.js';

// The largest Float64Array we try to allocate. V8's limit is 2³² − 1 elements on 64-bit builds
// (less in some browsers); 2²⁸ float64s is already 2 GiB, beyond any toy run on this engine.
export const MAX_ELEMENTS = 2 ** 28;

/**
 * Reads an options object: null or undefined mean "all defaults"; anything but a plain object is an
 * Error; an unknown key is an Error naming it and listing every key the function takes (so that a
 * PyTorch user's `amsgrad: true` or `retain_graph: true` is never silently ignored).
 */
export function checkOptions<T extends object>(fn: string, options: unknown, keys: readonly (keyof T & string)[]): Partial<T> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${fn}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Reflect.ownKeys(options)) {
    if (typeof key !== 'string' || !(keys as readonly string[]).includes(key)) {
      const shown = typeof key === 'string' ? JSON.stringify(key) : 'a Symbol key';
      const accepted = keys.length === 0 ? 'it takes no options' : `it takes ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
      throw new Error(`${fn}: unknown option ${shown} (${accepted})`);
    }
  }
  return options as Partial<T>;
}

/** A finite number, or an Error naming the function and the parameter. */
export function checkFinite(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${fn}: ${name} must be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

/** A finite number in [min, max] (either bound may be open: pass exclusive: true for min). */
export function checkRange(
  fn: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
  { minExclusive = false, maxExclusive = false } = {},
): number {
  const x = typeof value === 'number' && Number.isFinite(value) ? value : NaN;
  // NaN fails every comparison below, so the test is written to pass only for values in range.
  if (!(x >= min && x <= max) || (minExclusive && x === min) || (maxExclusive && x === max)) {
    const lo = minExclusive ? `(${min}` : `[${min}`;
    const hi = maxExclusive ? `${max})` : `${max}]`;
    const expected = max === Infinity ? `a finite number ${minExclusive ? '>' : '≥'} ${min}` : `in ${lo}, ${hi}`;
    throw new Error(`${fn}: ${name} must be ${expected}, got ${describeValue(value)}`);
  }
  return x;
}

/** A safe integer (|value| < 2⁵³, so exactly represented) in [min, max]. */
export function checkInteger(fn: string, name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      max !== Infinity ? `an integer in [${min}, ${max}]`
      : min === 1 ? 'a positive integer'
      : min === 0 ? 'a non-negative integer'
      : min === -Infinity ? 'an integer' : `an integer ≥ ${min}`;
    throw new Error(`${fn}: ${name} must be ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * A shape: an array of non-negative integers. Returns its argument (no copy: the Tensor constructor
 * checks every shape this way; a function that keeps a caller's array copies it itself).
 */
export function checkShape(fn: string, shape: unknown, name = 'shape'): readonly number[] {
  if (!Array.isArray(shape)) throw new Error(`${fn}: ${name} must be an array of sizes, got ${describeValue(shape)}`);
  // NOTE: a plain loop that stops at the first bad entry: a sparse array's first hole ends it at once.
  for (let i = 0; i < shape.length; i++) {
    const size: unknown = shape[i];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      throw new Error(`${fn}: ${name} ${formatShape(shape)} must hold non-negative integers, got ${describeValue(size)} at position ${i}`);
    }
  }
  return shape as readonly number[];
}

/** A function, or an Error naming the parameter. */
export function checkFunction(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'function') throw new Error(`${fn}: ${name} must be a function, got ${describeValue(value)}`);
}

/** A boolean (true or false, nothing truthy), or an Error naming the function and the parameter. */
export function checkBoolean(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`${fn}: ${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

/** One of a fixed set of strings. */
export function checkChoice<T extends string>(fn: string, name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new Error(`${fn}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** The check of `allocate` without the allocation: for a result made some other way (an Int32Array, a view). */
export function checkSize(fn: string, size: number, shape?: readonly number[]): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ELEMENTS) {
    const what = shape === undefined ? `${size} elements` : `shape ${formatShape(shape)} (${size} elements)`;
    throw new Error(`${fn}: result of ${what} is too large (expected at most ${MAX_ELEMENTS} elements)`);
  }
}

/**
 * The hint for a number where an array of sizes belongs, as in PyTorch's `x.reshape(3, 2)`: JavaScript drops
 * the 2, so "got 3" alone would puzzle. '' for anything else.
 */
export function sizesHint(fn: string, shape: unknown): string {
  return typeof shape === 'number' ? ` (the sizes go in one array: ${fn}([${shape}, ...]), not ${fn}(${shape}, ...) as in PyTorch)` : '';
}

/**
 * backward's check for PyTorch's `retain_graph`: PyTorch frees the graph after backward unless it is true;
 * this engine always keeps it, so the option has nothing to do. Say so, rather than the bare "unknown
 * option" that leaves a PyTorch user guessing.
 */
export function rejectRetainGraph(options: unknown): void {
  if (options === null || typeof options !== 'object') return;
  for (const key of ['retainGraph', 'retain_graph']) {
    if (Object.prototype.hasOwnProperty.call(options, key)) {
      throw new Error(
        `backward: there is no ${key} option: the graph is always kept after backward (PyTorch's retain_graph=True), ` +
          `so backward can be called again; the one option is createGraph`,
      );
    }
  }
}

/** The hint for an options object passed where backward's gOut goes, as in `loss.backward({ createGraph: true })`. */
export function optionsHint(gOut: unknown): string {
  const options = gOut !== null && typeof gOut === 'object' && !Array.isArray(gOut);
  return options ? ' (options go second: backward(undefined, { createGraph: true }))' : '';
}
