// Nested arrays (of numbers, or of booleans for where's condition) read into a shape and row-major data.
import { allocate } from './buffers.js';
import { checkSize } from './checks.js';
import { describeValue } from './format.js';
import { shapeSize } from './shape.js';

/** Values read from nested arrays: row-major data and the shape they fill. */
export interface Nested {
  data: Float64Array;
  shape: number[];
}

/**
 * The values of nested arrays, row-major, read with an explicit stack: nesting thousands deep
 * cannot overflow the call stack, and the result is sized (and its size checked) before it is
 * filled. Ragged nesting, holes and cycles are Errors naming `fn`; `leaf` turns each leaf into a
 * number or throws.
 */
export function readNested(fn: string, values: unknown, leaf: (value: unknown, where: string) => number): Nested {
  const shape = claimedShape(fn, values);
  const data = allocate(fn, shapeSize(shape), shape);
  const where = (path: readonly number[]): string => (path.length === 0 ? 'the top level' : `[${path.join('][')}]`);
  // One frame per open array: the array and the next position to read; `open` holds the arrays on
  // the current path, so an array that contains itself is found at once.
  const arrays: unknown[][] = [];
  const path: number[] = [];
  const open = new Set<unknown>();
  let filled = 0;
  const enter = (value: unknown): void => {
    const depth = arrays.length;
    if (Array.isArray(value)) {
      if (open.has(value)) throw new Error(`${fn}: the nested array contains itself at ${where(path)} (expected a tree of arrays of numbers)`);
      if (depth >= shape.length) {
        throw new Error(`${fn}: ragged nested array: expected a number at ${where(path)}, got an array`);
      }
      if (value.length !== shape[depth]) {
        throw new Error(`${fn}: ragged nested array: expected ${shape[depth]} elements at ${where(path)}, got ${value.length}`);
      }
      open.add(value);
      arrays.push(value);
      path.push(0);
      return;
    }
    if (depth < shape.length) {
      const got = typeof value === 'number' ? 'a number' : describeValue(value);
      throw new Error(`${fn}: ragged nested array: expected an array of ${shape[depth]} elements at ${where(path)}, got ${got}`);
    }
    data[filled++] = leaf(value, where(path));
  };
  enter(values);
  while (arrays.length > 0) {
    const top = arrays.length - 1;
    const array = arrays[top];
    const i = path[top];
    if (i === array.length) {
      open.delete(array);
      arrays.pop();
      path.pop();
      if (top > 0) path[top - 1]++;
      continue;
    }
    // NOTE: `in`, not a read: a hole reads as undefined, and we want to say it is a hole.
    if (!(i in array)) throw new Error(`${fn}: the array at ${where(path.slice(0, top))} has a hole at index ${i} (expected a value)`);
    const before = arrays.length;
    enter(array[i]);
    if (arrays.length === before) path[top]++;
  }
  return { data, shape };
}

// The shape nested arrays claim by their first elements; readNested checks every other element against it.
function claimedShape(fn: string, values: unknown): number[] {
  const shape: number[] = [];
  const seen = new Set<unknown>();
  let size = 1;
  let level = values;
  while (Array.isArray(level)) {
    if (seen.has(level)) throw new Error(`${fn}: the nested array contains itself at depth ${shape.length} (expected a tree of arrays of numbers)`);
    seen.add(level);
    shape.push(level.length);
    size *= level.length;
    checkSize(fn, size, shape);
    if (level.length === 0) break;
    level = (level as unknown[])[0];
  }
  return shape;
}

