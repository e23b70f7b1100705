// Accuracy where the loss is tiny (p_t → 1) and everywhere else: every value and gradient within 1e-13
// relative of an exact reference (BigInt fixed point, tests/losses/exactReference.ts), for logits up
// to ±1e4 and γ in [0, 5], wherever the reference is a normal float64. Issue 9's table: before,
// focalLoss at x = 30 was off by 3.1e-3 and at x = 40 returned 0; issue 19's: at γ = 0.5 and logits
// [400, 0] it returned 1.9e-249 for 2.65e-261, and at γ = 1 and [354, 0] it was 5.5e3 times too large.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, tensor } from '../../engine/index.js';
import { binaryCrossEntropy, binaryFocalLoss, crossEntropy, focalLoss } from '../../losses/index.js';
import { focalPair } from './exactReference.js';

const MIN_NORMAL = 2.2250738585072014e-308;
const RTOL = 1e-13;

// u = z_other − z_target: from very confident and right (u = −740) to very confident and wrong (u = 1e4).
const US = [-740, -700, -500, -400, -354, -350, -345, -200, -100, -60, -40, -36.5, -30, -23, -20, -10, -3.25, -1, -0.5, -(2 ** -20), 0, 0.5, 1, 7.75, 30, 100, 1000, 1e4];

// The relative error, or 0 where the exact value is not a normal float64 (nothing to hold it to).
function relativeError(actual: number, expected: number): number {
  return Math.abs(expected) >= MIN_NORMAL ? Math.abs(actual - expected) / Math.abs(expected) : 0;
}

function expectClose(actual: number, expected: number, what: string): void {
  const rel = relativeError(actual, expected);
  assert.ok(rel <= RTOL, `${what}: got ${actual}, exact ${expected} (relative error ${rel.toExponential(2)})`);
}

// Logit pairs [a, b] with b − a = u exactly: [−u, 0], and the same gap near +1e4.
function pairs(u: number): [number, number][] {
  const s = 1e4 - Math.max(u, 0);
  return [
    [-u, 0],
    [s, s + u],
  ];
}

let checked = 0;

// γ below 1, at 1 and just above (where a floor before pow used to cut normal values), and up to 5.
const GAMMAS = [0, 0.25, 0.5, 1, 1.015625, 1.5, 2, 3, 4.75, 5];

test('focalLoss (γ from 0 to 5) and crossEntropy: value and both gradients, index target 0', () => {
  for (const gamma of GAMMAS) {
    for (const u of US) {
      const exact = focalPair(u, gamma);
      for (const [a, b] of pairs(u)) {
        const what = `γ = ${gamma}, logits [${a}, ${b}]`;
        const f = (x: Tensor): Tensor => focalLoss(x, [0], { gamma });
        const z = tensor([[a, b]]);
        expectClose(f(z).item(), exact.value, `focalLoss ${what}`);
        const g = grad(f)(z).data;
        expectClose(g[0], -exact.dU, `∂/∂a ${what}`);
        expectClose(g[1], exact.dU, `∂/∂b ${what}`);
        if (gamma === 0) {
          expectClose(crossEntropy(z, [0]).item(), exact.value, `crossEntropy ${what}`);
          expectClose(grad((x: Tensor) => crossEntropy(x, [0]))(z).data[1], exact.dU, `crossEntropy ∂/∂b ${what}`);
        }
        checked++;
      }
    }
  }
});

test('binaryFocalLoss (γ from 0 to 5; torchvision, α off) and binaryCrossEntropy: target 1 at logit x = −u', () => {
  for (const gamma of GAMMAS) {
    for (const u of US) {
      const exact = focalPair(u, gamma);
      const x = tensor([-u]);
      const f = (t: Tensor): Tensor => binaryFocalLoss(t, [1], { gamma, alpha: -1 });
      expectClose(f(x).item(), exact.value, `binaryFocalLoss γ = ${gamma}, x = ${-u}`);
      expectClose(grad(f)(x).data[0], -exact.dU, `binaryFocalLoss' γ = ${gamma}, x = ${-u}`);
      if (gamma === 0) {
        const h = (t: Tensor): Tensor => binaryCrossEntropy(t, [1]);
        expectClose(h(x).item(), exact.value, `binaryCrossEntropy x = ${-u}`);
        expectClose(grad(h)(x).data[0], -exact.dU, `binaryCrossEntropy' x = ${-u}`);
        // and target 0 at logit u: the same numbers by symmetry
        expectClose(binaryCrossEntropy(tensor([u]), [0]).item(), exact.value, `binaryCrossEntropy target 0, x = ${u}`);
      }
      checked++;
    }
  }
});

test('the reference itself is checked against known constants (a negative control for the harness)', () => {
  // softplus(0) = ln 2; σ(0) = ½: at u = 0, γ = 2: value ¼·ln 2, dU = ¼·(2·½·ln 2 + ½)
  const atZero = focalPair(0, 2);
  assert.ok(Math.abs(atZero.value - 0.25 * Math.LN2) <= 1e-16);
  assert.ok(Math.abs(atZero.dU - 0.25 * (Math.LN2 + 0.5)) <= 1e-16);
  // The check catches the old formula: 1 − exp(log p_t) at x = 30 (u = −30) is off by ~3e-3.
  const logp = -Math.log1p(Math.exp(-30));
  const naive = (1 - Math.exp(logp)) ** 2 * -logp;
  assert.ok(relativeError(naive, focalPair(-30, 2).value) > 1e-4, 'the naive form is caught');
  // And the floor before pow: σ(u) clamped at 1e-150 at u = −400, γ = 0.5 is 7e11 times too large.
  const clamped = Math.max(Math.exp(-400), 1e-150) ** 0.5 * Math.exp(-400);
  assert.ok(relativeError(clamped, focalPair(-400, 0.5).value) > 1e11, 'the clamped form is caught');
  // The reference's non-integer powers, against doubles where those are exact enough: γ = ½ at u = −20.
  const sigma = 1 / (1 + Math.exp(20));
  assert.ok(relativeError(Math.sqrt(sigma) * Math.log1p(Math.exp(-20)), focalPair(-20, 0.5).value) < 1e-15);
  assert.ok(checked > 700, `${checked} cases`);
});

test.run();
