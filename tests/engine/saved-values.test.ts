// sigmoid, softplus, logsumexp and logOddsAgainst keep values from their forward pass for a plain backward (σ(−a),
// σ(a), softmax(a), the softmax over the other classes), and pow's plain backward is one pass; a createGraph
// backward builds the same values from ops. Both must give the same bits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, noGrad, tensor } from '../../engine/index.js';

const VALUES = [[-1e4, -745, -40, -3.5, -0, 0, 1e-300, 0.25, 2, 36.7, 40, 800, 1e4], [NaN, -Infinity, Infinity, -1, 1, 0.5, -0.5, 3, -3, 7, -7, 20, -20]];

// The gradient of sum(f(x)·w) at x, by a plain backward and by a createGraph backward.
function bothGradients(f: (x: Tensor) => Tensor, rows: number[][]): [Float64Array, Float64Array] {
  const grads = [false, true].map((createGraph) => {
    const x = tensor(rows, { requiresGrad: true });
    const y = f(x);
    const w = tensor(Array.from({ length: y.size }, (_, i) => 0.5 + (i % 7) / 3)).reshape(y.shape);
    y.mul(w).sum().backward(undefined, { createGraph });
    return x.grad!.data;
  });
  return [grads[0], grads[1]];
}

// The first element where the two differ in bits (Object.is), or -1.
function firstDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return 0;
  return x.findIndex((v, i) => !Object.is(v, y[i]));
}

function assertSameBits(plain: Float64Array, built: Float64Array, what: string): void {
  const i = firstDifference(plain, built);
  assert.is(i, -1, `${what}, element ${i}: plain ${plain[i]}, createGraph ${built[i]}`);
}

const cases: [string, (x: Tensor) => Tensor][] = [
  ['sigmoid', (x) => x.sigmoid()],
  ['softplus', (x) => x.softplus()],
  ['logSigmoid', (x) => x.logSigmoid()],
  ['logsumexp over axis 1', (x) => x.logsumexp(1)],
  ['logsumexp over axis 0, kept', (x) => x.logsumexp(0, true)],
  ['logsumexp over everything', (x) => x.logsumexp()],
  ['logOddsAgainst', (x) => x.logOddsAgainst([12, 4])],
  ['pow 1 (its backward in one pass, as pow 2, 3 and 2.5)', (x) => x.pow(1)],
  ['pow 2', (x) => x.pow(2)],
  ['pow 3', (x) => x.pow(3)],
  ['pow 2.5', (x) => x.pow(2.5)],
  ['logOddsAgainst at the infinities', (x) => x.logOddsAgainst([2, 1])],
];
for (const [name, f] of cases) {
  test(`${name}: the saved values give the bits a createGraph backward builds`, () => {
    const [plain, built] = bothGradients(f, VALUES);
    assertSameBits(plain, built, name);
  });
}

test('a value one ulp off is caught (negative control of the bit comparison), and so is −0 against 0', () => {
  assert.is(firstDifference(Float64Array.from([0.1, 0.2]), Float64Array.from([0.1, 0.2 + 2 ** -55])), 1);
  assert.is(firstDifference(Float64Array.from([-0]), Float64Array.from([0])), 0);
});

test('without a graph (noGrad, or an input that needs no gradient) nothing is kept, and the values are the same', () => {
  const x = tensor(VALUES);
  const recorded = tensor(VALUES, { requiresGrad: true });
  for (const [name, f] of cases) {
    assertSameBits(f(recorded).data, noGrad(() => f(x)).data, `${name} forward`);
    assertSameBits(f(recorded).data, f(x).data, `${name} forward without requiresGrad`);
  }
});

test.run();
