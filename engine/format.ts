// How every message prints a value: formatShape for shapes, describeValue for anything else.
// Every check and every error message of the engine, the losses and the models prints through these two.

const SHOWN_AXES = 32;
// A list of at most this many numbers prints its values (`[0.25, 0.75]`); a longer one, its length.
const SHOWN_NUMBERS = 10;

/**
 * How every message prints a shape: `[2,3]`, `[]` for a scalar. Entries that are not numbers (a
 * shape being rejected) are described safely, so printing a bad shape never throws.
 * @example formatShape([2, 3]) // '[2,3]'
 */
export function formatShape(shape: readonly number[]): string {
  if (!Array.isArray(shape)) return describeValue(shape);
  // A shape being rejected may be an array of length 2³² − 1: print its start only.
  const shown = Math.min(shape.length, SHOWN_AXES);
  const parts: string[] = [];
  for (let i = 0; i < shown; i++) {
    const size: unknown = shape[i];
    parts.push(typeof size === 'number' ? String(size) : describeValue(size));
  }
  if (shape.length > shown) parts.push(`… (${shape.length} entries)`);
  return `[${parts.join(',')}]`;
}

/**
 * A short, safe description of any value for an error message: numbers as they print, strings
 * quoted, a short list of numbers by its values, other arrays and objects summarised. Never throws
 * (BigInt, Symbol, null-prototype objects and cycles included).
 * @example describeValue([0.25, 0.75]) // '[0.25, 0.75]'
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
  if (Array.isArray(value)) return isShortNumberList(value) ? `[${value.map(describeValue).join(', ')}]` : `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name === 'string' && name !== 'Object' && name !== '') return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  return 'an object';
}

// Whether an array is at most SHOWN_NUMBERS numbers with no holes (the length is read first: a sparse
// array of length 2³² − 1 is not walked).
function isShortNumberList(value: readonly unknown[]): boolean {
  if (value.length > SHOWN_NUMBERS) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'number') return false;
  return true;
}
