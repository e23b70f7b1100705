// Input checks shared by every public function, and the one way to describe a value in a message.
// Every message starts with the public function's name and says what was expected.
import { type Shape, formatShape } from './shape.js';

// The largest Float64Array we try to allocate. V8's limit is 2³² − 1 elements on 64-bit builds
// (less in some browsers); 2²⁸ float64s is already 2 GiB, beyond any toy run on this engine.
export const MAX_ELEMENTS = 2 ** 28;

/**
 * A short, safe description of any value for an error message: numbers as they print, strings
 * quoted, arrays and objects summarised. Never throws (BigInt, Symbol, null-prototype objects and
 * cycles included).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value.toString()}n (a BigInt)`;
    case 'symbol':
      return 'a Symbol';
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name === 'string' && name !== 'Object' && name !== '') return `a ${name}`;
  return 'an object';
}

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
  const x = checkFinite(fn, name, value);
  if (x < min || x > max || (minExclusive && x === min) || (maxExclusive && x === max)) {
    const lo = minExclusive ? `(${min}` : `[${min}`;
    const hi = maxExclusive ? `${max})` : `${max}]`;
    throw new Error(`${fn}: ${name} must be in ${lo}, ${hi}, got ${describeValue(value)}`);
  }
  return x;
}

/** An integer in [min, max]. */
export function checkInteger(fn: string, name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = min === -Infinity && max === Infinity ? 'an integer' : max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new Error(`${fn}: ${name} must be ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/** A boolean. */
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

/**
 * A Float64Array of `size` elements for the result of `fn`, or an Error naming the function and the
 * shape when the size is beyond what a Float64Array (or this machine's memory) can hold: never a
 * RangeError from deep inside a kernel.
 */
export function allocate(fn: string, size: number, shape?: Shape): Float64Array {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ELEMENTS) {
    const what = shape === undefined ? `${size} elements` : `shape ${formatShape(shape)} (${size} elements)`;
    throw new Error(`${fn}: result of ${what} is too large (expected at most ${MAX_ELEMENTS} elements)`);
  }
  return new Float64Array(size);
}
