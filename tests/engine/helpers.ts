// Shared helpers for the engine tests: gradchecks that name the culprit, seeded inputs, close-enough checks.
import * as assert from 'uvu/assert';
import {
  type GradcheckOptions,
  type GradcheckResult,
  type Shape,
  Tensor,
  gradcheck,
  gradgradcheck,
  rng,
} from '../../engine/index.js';

export type Fn = (...inputs: Tensor[]) => Tensor;

// gradcheck that fails with the op's name and gradcheck's own message (input, index, analytic, numeric).
export function expectGradOk(name: string, f: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const result = gradcheck(f, inputs, { seed: 7, ...options });
  if (!result.ok) throw new Error(`${name}: ${result.message}`);
  return result;
}

export function expectGradGradOk(name: string, f: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const result = gradgradcheck(f, inputs, { seed: 11, ...options });
  if (!result.ok) throw new Error(`${name} (second order): ${result.message}`);
  return result;
}

// A shape as test names print it: [4,1,3].
export function fmt(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

function size(shape: Shape): number {
  return shape.reduce((n, s) => n * s, 1);
}

// Uniform in [lo, hi), seeded.
export function uniform(shape: Shape, seed: number, lo = -2, hi = 2): Tensor {
  const r = rng(seed);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * r.next();
  return new Tensor(data, shape.slice());
}

// |value| in [lo, hi) with a random sign: away from the kink at 0 of abs and relu.
export function awayFromZero(shape: Shape, seed: number, lo = 0.3, hi = 1.5): Tensor {
  const r = rng(seed);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) data[i] = (r.next() < 0.5 ? -1 : 1) * (lo + (hi - lo) * r.next());
  return new Tensor(data, shape.slice());
}

// Values spread 0.25 apart in shuffled order (plus a little noise): no ties, so max is smooth.
export function distinct(shape: Shape, seed: number): Tensor {
  const r = rng(seed);
  const n = size(shape);
  const order = r.shuffle(Array.from({ length: n }, (_, i) => i));
  const data = Float64Array.from(order, (k) => -1 + 0.25 * k + 0.05 * r.next());
  return new Tensor(data, shape.slice());
}

export function close(actual: number, expected: number, tol: number, what: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= tol;
  assert.ok(ok, `${what}: got ${actual}, expected ${expected} (|diff| = ${Math.abs(actual - expected)} > ${tol})`);
}

// Compares a tensor's shape and its row-major values with the expected flat list.
export function expectTensor(t: Tensor, shape: Shape, expected: readonly number[], tol: number, what: string): void {
  assert.equal([...t.shape], [...shape], `${what}: shape`);
  assert.is(t.data.length, expected.length, `${what}: number of elements`);
  for (let i = 0; i < expected.length; i++) close(t.data[i], expected[i], tol, `${what}[${i}]`);
}

// The call throws an Error whose message matches the pattern; on failure, the actual message is shown.
export function throwsMatching(run: () => unknown, pattern: RegExp): void {
  let thrown: unknown = undefined;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) assert.unreachable(`expected an Error matching ${pattern}, but nothing was thrown`);
  assert.instance(thrown, Error, `expected an Error, got ${String(thrown)}`);
  const message = (thrown as Error).message;
  assert.ok(pattern.test(message), `message "${message}" does not match ${pattern}`);
}
