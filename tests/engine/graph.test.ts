// Graph semantics of backward: reuse, unused branches, accumulation, zero gOut, repeat runs, depth, noGrad, createGraph.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor, full, grad, noGrad, ones, tensor, zeros } from '../../engine/index.js';
import { gradients } from '../../engine/autograd.js';
import { close, expectTensor, throwsMatching } from './helpers.js';

test('a tensor used twice: d(x·x)/dx = 2x', () => {
  const x = tensor([1.5, -2, 3], { requiresGrad: true });
  x.mul(x).sum().backward();
  expectTensor(x.grad!, [3], [2 * 1.5, 2 * -2, 2 * 3], 0, 'x.grad');
});

test('a tensor reached by two paths: d(eˣ + 3x)/dx = eˣ + 3', () => {
  const x = tensor([0.5, -1], { requiresGrad: true });
  x.exp().add(x.mul(3)).sum().backward();
  expectTensor(x.grad!, [2], [Math.exp(0.5) + 3, Math.exp(-1) + 3], 1e-15, 'x.grad');
});

test('a diamond: h = 2x used by two branches that meet again', () => {
  // f = Σ (h² + h³), h = 2x  ⇒  df/dx = 2·(2h + 3h²)
  const x = tensor([0.25, -0.5], { requiresGrad: true });
  const h = x.mul(2);
  h.mul(h).add(h.pow(3)).sum().backward();
  expectTensor(x.grad!, [2], [0.25, -0.5].map((v) => 2 * (2 * 2 * v + 3 * (2 * v) ** 2)), 1e-15, 'x.grad');
});

test('a branch computed but not used neither blocks nor zeroes the gradient', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const h = x.mul(2);
  const unused = h.exp().log().sum(); // hangs off h, never reaches the output
  const out = h.mul(3).sum();
  out.backward();
  expectTensor(x.grad!, [3], [6, 6, 6], 0, 'x.grad');
  assert.ok(unused.requiresGrad);
  // and backward from the unused branch still works on its own: d Σ log(e^(2x)) / dx = 2
  x.zeroGrad();
  unused.backward();
  expectTensor(x.grad!, [3], [2, 2, 2], 1e-15, 'x.grad from the other branch');
});

test('gradients accumulate over two backward calls (grad doubles)', () => {
  const x = tensor([0.5, -1.5], { requiresGrad: true });
  const out = x.pow(3).sum();
  out.backward();
  expectTensor(x.grad!, [2], [3 * 0.25, 3 * 2.25], 0, 'after one backward');
  out.backward();
  expectTensor(x.grad!, [2], [2 * 3 * 0.25, 2 * 3 * 2.25], 0, 'after two');
  // a second graph built from the same leaf also accumulates
  x.mul(10).sum().backward();
  expectTensor(x.grad!, [2], [2 * 3 * 0.25 + 10, 2 * 3 * 2.25 + 10], 0, 'after a third, different graph');
});

test('an accumulated .grad is a new tensor: the first is not updated in place', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = tensor([3, 4], { requiresGrad: true });
  const g = tensor([1, 1]);
  x.add(y).backward(g);
  const first = x.grad!;
  x.add(y).backward(g);
  expectTensor(first, [2], [1, 1], 0, 'the first .grad');
  expectTensor(x.grad!, [2], [2, 2], 0, 'x.grad');
  expectTensor(y.grad!, [2], [2, 2], 0, 'y.grad');
});

test('zeroGrad clears .grad', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  x.mul(x).sum().backward();
  assert.ok(x.grad !== null);
  x.zeroGrad();
  assert.is(x.grad, null);
  x.mul(x).sum().backward();
  expectTensor(x.grad!, [2], [2, 4], 0, 'a fresh gradient after zeroGrad');
});

test('a zero upstream gradient gives exact zeros through every op', () => {
  const x = tensor([[0.5, 1.5, 2], [1, 0.75, 3]], { requiresGrad: true });
  const w = tensor([0.5, -1, 2], { requiresGrad: true });
  const out = x
    .log()
    .mul(w)
    .div(x.sqrt())
    .sigmoid()
    .tanh()
    .exp()
    .pow(1.5)
    .softmax()
    .add(x.abs().relu().clamp(0.6, 2.5))
    .matmul(x.transpose())
    .logSoftmax(0)
    .sub(x.logsumexp(1, true))
    .mul(x.max(1, true))
    .pick([1, 0]);
  out.backward(zeros([2]));
  for (const [name, t] of [['x', x], ['w', w]] as const) {
    for (let i = 0; i < t.size; i++) assert.ok(t.grad!.data[i] === 0, `${name}.grad[${i}] = ${t.grad!.data[i]}, expected exactly 0`);
  }
});

test('backward run twice (after zeroGrad) gives the same bits', () => {
  const x = tensor([[0.3, -1.2, 2], [0.7, 0.1, -0.4]], { requiresGrad: true });
  const w = tensor([[1, -2], [0.5, 3], [-1, 0.25]], { requiresGrad: true });
  const out = x.matmul(w).tanh().logSoftmax().pick([0, 1]).mean();
  out.backward();
  const gx = x.grad!.data.slice();
  const gw = w.grad!.data.slice();
  x.zeroGrad();
  w.zeroGrad();
  out.backward();
  assert.equal([...x.grad!.data], [...gx]);
  assert.equal([...w.grad!.data], [...gw]);
});

test('backward with a gOut of the tensor\'s shape (a vector–Jacobian product)', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  x.mul(x).backward(tensor([1, 0, -2]));
  expectTensor(x.grad!, [3], [2 * 1 * 1, 0, 2 * 3 * -2], 0, 'x.grad');
});

test('backward on a one-element, non-0-D tensor needs no gOut', () => {
  const x = tensor([[2]], { requiresGrad: true });
  x.mul(x).backward();
  expectTensor(x.grad!, [1, 1], [4], 0, 'x.grad');
});

test('backward on a leaf: its .grad is the upstream gradient', () => {
  const x = tensor(3, { requiresGrad: true });
  x.backward();
  expectTensor(x.grad!, [], [1], 0, 'x.grad');
});

test('a 100,000-op chain (50,000 × (mul, add)) back-propagates without a stack overflow', () => {
  // y ← y·c + d, 50,000 times  ⇒  dΣy/dx = c^50000 for every element
  const n = 50_000;
  const c = 1 + 1e-5;
  const x = tensor([0.5, -1, 2, 0], { requiresGrad: true });
  let y: Tensor = x;
  for (let i = 0; i < n; i++) y = y.mul(c).add(0.001);
  y.sum().backward();
  const expected = Math.pow(c, n); // = e^(n·ln(1 + 1e-5)) ≈ e^0.49999
  for (let i = 0; i < 4; i++) close(x.grad!.data[i], expected, 1e-9 * expected, `x.grad[${i}]`);
  // and the forward value: c^n·x + d·(c^n − 1)/(c − 1)
  close(y.data[2], expected * 2 + (0.001 * (expected - 1)) / (c - 1), 1e-8, 'y[2]');
});

test('noGrad records nothing and restores recording afterwards, even after a throw', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = noGrad(() => x.mul(2).exp());
  assert.is(y.requiresGrad, false);
  assert.is(y.inputs.length, 0);
  assert.is(y.backwardRule, null);
  throwsMatching(() => y.sum().backward(), /^backward: this sum tensor of shape \[\] does not require grad/);
  assert.throws(() => noGrad(() => x.reshape([5])));
  const z = x.mul(2);
  assert.is(z.requiresGrad, true, 'recording is back on after noGrad threw');
  assert.is(z.inputs[0], x);
});

test('ops on tensors that do not require grad record nothing', () => {
  const a = tensor([1, 2]);
  const out = a.mul(3).exp();
  assert.is(out.requiresGrad, false);
  assert.is(out.inputs.length, 0);
});

test('a constant operand gets no .grad', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const c = tensor([3, 4]);
  x.mul(c).sum().backward();
  expectTensor(x.grad!, [2], [3, 4], 0, 'x.grad');
  assert.is(c.grad, null);
});

test('detach cuts the graph', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = x.mul(x).detach().mul(x).sum(); // y = Σ c·x with c = x² held constant
  y.backward();
  expectTensor(x.grad!, [2], [1, 4], 0, 'x.grad');
});

test('createGraph makes .grad differentiable', () => {
  const x = tensor([0.5, -2, 1.5], { requiresGrad: true });
  x.pow(3).sum().backward(undefined, { createGraph: true });
  const g = x.grad!; // 3x²
  expectTensor(g, [3], [0.75, 12, 6.75], 0, 'first derivative 3x²');
  assert.is(g.requiresGrad, true);
  x.zeroGrad();
  g.sum().backward(); // Σ 3x²  ⇒  6x
  expectTensor(x.grad!, [3], [3, -12, 9], 0, 'second derivative 6x');
});

test('createGraph through matmul: d/dA Σ (∂ Σ(A·B)² / ∂B) by hand', () => {
  // f = Σ (AB)²  ⇒  ∂f/∂B = 2·Aᵀ(AB), and h = Σ ∂f/∂B differentiated again with respect to A
  const A = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const B = tensor([[0.5, -1], [2, 1]], { requiresGrad: true });
  A.matmul(B).pow(2).sum().backward(undefined, { createGraph: true });
  const gB = B.grad!;
  // AB = [[4.5, 1], [9.5, 1]];  ∂f/∂B = 2·Aᵀ·AB = 2·[[1·4.5+3·9.5, 1·1+3·1], [2·4.5+4·9.5, 2·1+4·1]]
  expectTensor(gB, [2, 2], [2 * (1 * 4.5 + 3 * 9.5), 2 * (1 + 3), 2 * (2 * 4.5 + 4 * 9.5), 2 * (2 + 4)], 1e-12, 'B.grad');
  A.zeroGrad();
  B.zeroGrad();
  gB.sum().backward();
  // h = 2 Σ_{p,j} Σ_i A[i,p]·(AB)[i,j] = 2 Σ_i (Σ_p A[i,p])·(Σ_j (AB)[i,j]) = 2 Σ_i r_i·s_i,
  // r = A·1, s = A·B·1 = A·b with b = B·1 = [-0.5, 3]:  ∂h/∂A[i,q] = 2·(s_i + r_i·b_q)
  const r = [1 + 2, 3 + 4];
  const b = [0.5 - 1, 2 + 1];
  const s = [1 * b[0] + 2 * b[1], 3 * b[0] + 4 * b[1]];
  const expected = [0, 1].flatMap((i) => [0, 1].map((q) => 2 * (s[i] + r[i] * b[q])));
  expectTensor(A.grad!, [2, 2], expected, 1e-12, 'A.grad of Σ ∂f/∂B');
});

test('without createGraph, .grad is a plain value', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  x.pow(2).sum().backward();
  assert.is(x.grad!.requiresGrad, false);
  assert.is(x.grad!.inputs.length, 0);
});

test('grad(f) is ∂f/∂x and leaves every .grad untouched', () => {
  const x = tensor([0.5, -1], { requiresGrad: true });
  const w = tensor([2, 3], { requiresGrad: true });
  const g = grad((t: Tensor, v: Tensor) => t.mul(v).exp().sum())(x, w);
  expectTensor(g, [2], [2 * Math.exp(1), 3 * Math.exp(-3)], 1e-15, 'grad');
  assert.is(x.grad, null);
  assert.is(w.grad, null);
});

test('grad works inside noGrad (it records its own forward pass)', () => {
  const g = noGrad(() => grad((t: Tensor) => t.pow(3).sum())(tensor([2, -1])));
  expectTensor(g, [2], [12, 3], 0, 'grad inside noGrad');
});

test('grad(f)(x) with x requiring grad is itself differentiable, like create_graph', () => {
  const x = tensor([0.5, 2], { requiresGrad: true });
  const g = grad((t: Tensor) => t.pow(3).sum())(x); // 3x²
  expectTensor(g, [2], [0.75, 12], 0, 'first derivative');
  assert.is(g.requiresGrad, true);
  assert.is(x.grad, null, 'grad leaves x.grad alone');
  g.sum().backward(); // 6x
  expectTensor(x.grad!, [2], [3, 12], 0, 'second derivative through backward');
});

test('a backward that throws halfway leaves the shared graph usable', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const h = x.mul(3);
  const broken = new Tensor(h.data.slice(), h.shape, true, 'exp', [h], () => {
    throw new Error('rule failed');
  });
  assert.throws(() => broken.add(h).sum().backward(), /rule failed/);
  assert.is(x.grad, null);
  h.sum().backward();
  expectTensor(x.grad!, [2], [3, 3], 0, 'x.grad after the failed pass');
});

test('grad returns zeros where f does not depend on x', () => {
  const x = tensor([1, 2, 3]);
  const w = tensor([4, 5], { requiresGrad: true });
  expectTensor(grad((_t: Tensor) => w.mul(w).sum())(x), [3], [0, 0, 0], 0, 'f depends on another tensor');
  expectTensor(grad((_t: Tensor) => tensor(7))(x), [3], [0, 0, 0], 0, 'f is a constant');
  expectTensor(grad((t: Tensor) => t.detach().sum())(x), [3], [0, 0, 0], 0, 'f detaches x');
  // a mix: f depends on x only through one element
  expectTensor(grad((t: Tensor) => t.pick([2]).sum())(x.reshape([1, 3])), [1, 3], [0, 0, 1], 0, 'f picks one element');
});

test('grad of the identity on a one-element tensor is 1', () => {
  expectTensor(grad((t: Tensor) => t)(tensor(3)), [], [1], 0, 'grad of identity');
});

test('grad on a plain x: the result does not require grad', () => {
  const g = grad((t: Tensor) => t.pow(2).sum())(tensor([1, 2]));
  assert.is(g.requiresGrad, false);
});

test('gradients (torch.autograd.grad) with an explicit gOut, and its errors', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = x.mul(x);
  const [g] = gradients(y, [x], tensor([1, 0, 2]));
  expectTensor(g, [3], [2, 0, 12], 0, 'gradients');
  assert.is(x.grad, null);
  throwsMatching(() => gradients(y, [x]), /^gradients: gOut is required for a non-scalar output of shape \[3\]/);
  const [none] = gradients(tensor([1, 2]), [x]);
  expectTensor(none, [3], [0, 0, 0], 0, 'gradients of a constant');
  const [ones3] = gradients(x.sum(), [x], undefined, true);
  expectTensor(ones3, [3], [1, 1, 1], 0, 'gradients of a sum');
});

test('full / ones leaves with requiresGrad work as parameters', () => {
  const w = full([2], 0.5, { requiresGrad: true });
  const b = ones([2], { requiresGrad: true });
  w.mul(tensor([3, 4])).add(b).sum().backward();
  expectTensor(w.grad!, [2], [3, 4], 0, 'w.grad');
  expectTensor(b.grad!, [2], [1, 1], 0, 'b.grad');
});

test('a backward rule that returns fewer gradients than inputs skips the missing ones', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = tensor([3, 4], { requiresGrad: true });
  const out = new Tensor(x.data.slice(), x.shape, true, 'add', [x, y], (g) => [g]);
  out.backward(tensor([1, 1]));
  expectTensor(x.grad!, [2], [1, 1], 0, 'x.grad');
  assert.is(y.grad, null);
});

test('a backward rule whose gradient cannot fit its input is an Error naming the op and both shapes', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const bad = new Tensor(new Float64Array([3]), [], true, 'exp', [x], (g) => [g]);
  throwsMatching(() => bad.backward(), /^exp: backward produced a gradient of shape \[\] for an input of shape \[2\]/);
  const worse = new Tensor(new Float64Array(3), [3], true, 'exp', [x], (g) => [g]);
  throwsMatching(() => worse.backward(ones([3])), /^exp: backward produced a gradient of shape \[3\] for an input of shape \[2\]/);
});

test('each leaf gets a .grad of its own, even where a rule hands one gradient to two inputs', () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3, 4], { requiresGrad: true });
  a.add(b).sum().backward();
  assert.ok(a.grad !== b.grad && a.grad!.data !== b.grad!.data, 'a.grad and b.grad are distinct');
  a.grad!.data[0] = 100;
  assert.equal(b.grad!.toArray(), [1, 1]);
});

test('max whose line holds a NaN sends the gradient to the NaN (as PyTorch does)', () => {
  const g = grad((x: Tensor) => x.max())(tensor([1, NaN, 3]));
  assert.equal(g.toArray(), [0, 1, 0]);
});

test.run();
