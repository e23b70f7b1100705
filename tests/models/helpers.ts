// Small assertions shared by the models tests.
import * as assert from 'uvu/assert';

// run() must throw an Error whose message contains every fragment.
export function throwsWith(run: () => unknown, fragments: readonly string[]): void {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    const message = error.message;
    for (const fragment of fragments) assert.ok(message.includes(fragment), `expected "${fragment}" in "${message}"`);
    return;
  }
  assert.unreachable(`no error thrown; expected one mentioning ${fragments.join(', ')}`);
}

// Element by element, the same bits (Object.is, so −0 and 0 differ and NaN equals NaN).
export function sameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Object.is(actual[i], expected[i]), `${what}[${i}]: got ${show(actual[i])}, expected ${show(expected[i])}`);
  }
}

const show = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

export function closeRel(actual: number, expected: number, rtol: number, what: string): void {
  const error = Math.abs(actual - expected);
  assert.ok(error <= rtol * Math.abs(expected), `${what}: got ${actual}, expected ${expected} (|diff| = ${error})`);
}
