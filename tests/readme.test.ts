// The README's ten-line example: its printed numbers checked against the closed form, then run.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, tensor } from '../index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readme.slice(readme.indexOf('## Ten lines'), readme.indexOf('## What is in it'));

// s = x·w per row = [1·0.5 + 2·(−1), 3·0.5 + 4·(−1)] = [−1.5, −2.5]; loss = mean tanh(s)²;
// ∂loss/∂w_j = mean_i 2·tanh(s_i)·(1 − tanh²(s_i))·x_ij.
const t = [Math.tanh(-1.5), Math.tanh(-2.5)];
const x = [
  [1, 2],
  [3, 4],
];
const lossClosedForm = (t[0] ** 2 + t[1] ** 2) / 2;
const gradWClosedForm = [0, 1].map((j) => (2 * t[0] * (1 - t[0] ** 2) * x[0][j] + 2 * t[1] * (1 - t[1] ** 2) * x[1][j]) / 2);

test('the numbers printed in the README are the closed form', () => {
  assert.ok(example.includes(`// ${lossClosedForm}`), `README should print the loss ${lossClosedForm}`);
  assert.ok(example.includes(`// [ ${gradWClosedForm.join(', ')} ]`), `README should print w.grad ${gradWClosedForm}`);
  assert.ok(example.includes('= [ 12 ]'), 'README should print d²x³/dx² at 2 = 6·2 = 12');
});

test('the README example computes them', () => {
  const xt = tensor(x, { requiresGrad: true });
  const w = tensor([0.5, -1], { requiresGrad: true });
  const loss = xt.mul(w).sum(1).tanh().pow(2).mean();
  loss.backward();
  assert.ok(Math.abs(loss.item() - lossClosedForm) <= 1e-15);
  w.grad!.data.forEach((g, j) => assert.ok(Math.abs(g - gradWClosedForm[j]) <= 1e-15, `w.grad[${j}]`));
  const cube = (v: Tensor): Tensor => v.pow(3).sum();
  assert.equal(grad((v: Tensor) => grad(cube)(v).sum())(tensor([2])).toArray(), [12]);
});

test.run();
