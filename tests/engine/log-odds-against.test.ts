// logOddsAgainst: each row's log-odds against its target class under softmax, log((1 − p_t) / p_t), against
// closed forms, float64 finite differences (first and second order), and its errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, tensor } from '../../engine/index.js';
import { distinct, expectGradGradOk, expectGradOk, expectTensor, throwsMatching, uniform } from './helpers.js';

test('closed forms: two classes give z_other − z_t exactly; equal logits give log(C − 1)', () => {
  expectTensor(tensor([[3, 1], [0.25, 2.5]]).logOddsAgainst([0, 1]), [2], [1 - 3, 0.25 - 2.5], 0, 'of [a, b]');
  expectTensor(tensor([[0, 0, 0], [7, 7, 7]]).logOddsAgainst([0, 2]), [2], [Math.LN2, Math.LN2], 1e-15, 'of equal logits');
  // log((e^{−1} + e^{2}) / e^{0.5}), written out
  expectTensor(tensor([[0.5, -1, 2]]).logOddsAgainst([0]), [1], [Math.log(Math.exp(-1) + Math.exp(2)) - 0.5], 1e-15, 'of [0.5, −1, 2]');
});

test('p_t → 1: every digit kept, where log(1 − p_t) − log p_t from logSoftmax would lose them', () => {
  // logits [x, 0, 0], target 0: log((1 − p) / p) = ln 2 − x, exact to an ulp for any x.
  for (const x of [30, 40, 800, 1e4]) {
    expectTensor(tensor([[x, 0, 0]]).logOddsAgainst([0]), [1], [Math.LN2 - x], 2 * Number.EPSILON * x, `at x = ${x}`);
  }
  // Logits near 1e4 that differ a little: z_j − z_t is exact (Sterbenz), so u = (1e4 − 50) − 1e4 = −50.
  expectTensor(tensor([[1e4, 1e4 - 50]]).logOddsAgainst([0]), [1], [-50], 0, 'at 1e4');
});

test('the gradient is the closed form: −1 at t, the softmax over the other classes elsewhere', () => {
  const z = [[0.5, -1, 2], [1, 0.3, -0.2]];
  const t = [0, 2];
  const g = grad((x: Tensor) => x.logOddsAgainst(t).sum())(tensor(z)).data;
  const expected = z.flatMap((row, i) => {
    const others = row.reduce((s, v, j) => (j === t[i] ? s : s + Math.exp(v)), 0);
    return row.map((v, j) => (j === t[i] ? -1 : Math.exp(v) / others));
  });
  const worst = (values: ArrayLike<number>): number => expected.reduce((w, e, k) => Math.max(w, Math.abs(values[k] - e)), 0);
  assert.ok(worst(g) <= 1e-15, `∂ logOddsAgainst: worst difference ${worst(g)}`);
  // Negative control: the same comparison catches a gradient with t's entry of the wrong sign.
  assert.ok(worst(Float64Array.from(g, (v, k) => (k === 0 ? -v : v))) > 1, 'a flipped sign at t passes');
});

test('gradcheck and gradgradcheck, with repeated targets and four classes', () => {
  const f = (x: Tensor): Tensor => x.logOddsAgainst([1, 3, 1]);
  expectGradOk('logOddsAgainst [3,4]', f, [uniform([3, 4], 5)]);
  expectGradGradOk('logOddsAgainst [3,4]', f, [uniform([3, 4], 5)]);
  const g = (x: Tensor): Tensor => x.logOddsAgainst(tensor([0, 1])).softplus().mul(x.logOddsAgainst([1, 0]).sigmoid());
  expectGradOk('logOddsAgainst in a composite', g, [distinct([2, 2], 6)]);
  expectGradGradOk('logOddsAgainst in a composite', g, [distinct([2, 2], 6)]);
});

test('errors name logOddsAgainst and what was wrong', () => {
  throwsMatching(() => tensor([1, 2, 3]).logOddsAgainst([0]), /^logOddsAgainst: expected an \[N, C\] tensor with C ≥ 2 classes, got shape \[3\]/);
  throwsMatching(() => tensor([[1], [2]]).logOddsAgainst([0, 0]), /^logOddsAgainst: expected an \[N, C\] tensor with C ≥ 2 classes, got shape \[2, ?1\]/);
  throwsMatching(() => tensor([[1, 2]]).logOddsAgainst([2]), /^logOddsAgainst: index 2 at row 0 is out of range for 2 classes/);
  throwsMatching(() => tensor([[1, 2]]).logOddsAgainst([0, 1]), /^logOddsAgainst: got 2 indices for 1 rows/);
});

test.run();
