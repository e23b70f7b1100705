// logOdds: each row's log-odds of its target class under softmax, log(p_t / (1 − p_t)), against closed
// forms, float64 finite differences (first and second order), and its errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, tensor } from '../../engine/index.js';
import { distinct, expectGradGradOk, expectGradOk, expectTensor, throwsMatching, uniform } from './helpers.js';

test('closed forms: two classes give z_t − z_other exactly; equal logits give log(1 / (C − 1))', () => {
  expectTensor(tensor([[3, 1], [0.25, 2.5]]).logOdds([0, 1]), [2], [3 - 1, 2.5 - 0.25], 0, 'logOdds of [a, b]');
  expectTensor(tensor([[0, 0, 0], [7, 7, 7]]).logOdds([0, 2]), [2], [-Math.LN2, -Math.LN2], 1e-15, 'logOdds of equal logits');
  // z_t − ln(e^{z_1} + e^{z_2}), written out: log(e^{0.5} / (e^{−1} + e^{2}))
  expectTensor(tensor([[0.5, -1, 2]]).logOdds([0]), [1], [0.5 - Math.log(Math.exp(-1) + Math.exp(2))], 1e-15, 'logOdds of [0.5, −1, 2]');
});

test('p_t → 1: the log-odds keep every digit where log p_t − log(1 − p_t) from logSoftmax would not', () => {
  // logits [x, 0, 0], target 0: log(p / (1 − p)) = x − ln 2, exact to an ulp for any x.
  for (const x of [30, 40, 800, 1e4]) {
    expectTensor(tensor([[x, 0, 0]]).logOdds([0]), [1], [x - Math.LN2], 2 * Number.EPSILON * x, `logOdds at x = ${x}`);
  }
  // Logits near 1e4 that differ a little: z_j − z_t is exact (Sterbenz), so ℓ = 1e4 − (1e4 − 50) = 50.
  expectTensor(tensor([[1e4, 1e4 - 50]]).logOdds([0]), [1], [50], 0, 'logOdds at 1e4');
});

test('the gradient is the closed form: 1 at t, −(softmax over the other classes) elsewhere', () => {
  const z = [[0.5, -1, 2], [1, 0.3, -0.2]];
  const t = [0, 2];
  const g = grad((x: Tensor) => x.logOdds(t).sum())(tensor(z)).data;
  const expected = z.flatMap((row, i) => {
    const others = row.reduce((s, v, j) => (j === t[i] ? s : s + Math.exp(v)), 0);
    return row.map((v, j) => (j === t[i] ? 1 : -Math.exp(v) / others));
  });
  const worst = (values: ArrayLike<number>): number => expected.reduce((w, e, k) => Math.max(w, Math.abs(values[k] - e)), 0);
  assert.ok(worst(g) <= 1e-15, `∂ logOdds: worst difference ${worst(g)}`);
  // Negative control: the same comparison catches a gradient with t's entry of the wrong sign.
  assert.ok(worst(Float64Array.from(g, (v, k) => (k === 0 ? -v : v))) > 1, 'a flipped sign at t passes');
});

test('gradcheck and gradgradcheck, with repeated targets and four classes', () => {
  const f = (x: Tensor): Tensor => x.logOdds([1, 3, 1]);
  expectGradOk('logOdds [3,4]', f, [uniform([3, 4], 5)]);
  expectGradGradOk('logOdds [3,4]', f, [uniform([3, 4], 5)]);
  const g = (x: Tensor): Tensor => x.logOdds(tensor([0, 1])).softplus().mul(x.logOdds([1, 0]).sigmoid());
  expectGradOk('logOdds in a composite', g, [distinct([2, 2], 6)]);
  expectGradGradOk('logOdds in a composite', g, [distinct([2, 2], 6)]);
});

test('errors name logOdds and what was wrong', () => {
  throwsMatching(() => tensor([1, 2, 3]).logOdds([0]), /^logOdds: expected an \[N, C\] tensor with C ≥ 2 classes, got shape \[3\]/);
  throwsMatching(() => tensor([[1], [2]]).logOdds([0, 0]), /^logOdds: expected an \[N, C\] tensor with C ≥ 2 classes, got shape \[2, ?1\]/);
  throwsMatching(() => tensor([[1, 2]]).logOdds([2]), /^logOdds: index 2 at row 0 is out of range for 2 classes/);
  throwsMatching(() => tensor([[1, 2]]).logOdds([0, 1]), /^logOdds: got 2 indices for 1 rows/);
});

test.run();
