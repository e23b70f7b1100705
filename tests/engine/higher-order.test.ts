// Higher order: nested grad against closed forms, and gradgradcheck for every smooth op.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Shape, Tensor, grad, tensor } from '../../engine/index.js';
import { type Fn, awayFromZero, distinct, expectGradGradOk, expectTensor, fmt, uniform } from './helpers.js';

const sumOf = (g: (x: Tensor) => Tensor) => (x: Tensor) => g(x).sum();
const xs = [0.5, -1.25, 2, 0.3];

test('grad nests to third order: x⁴ as x·x·x·x → 4x³, 12x², 24x', () => {
  const f = (x: Tensor) => x.mul(x).mul(x).mul(x).sum();
  const d1 = grad(f);
  const d2 = grad(sumOf(d1));
  const d3 = grad(sumOf(d2));
  const x = tensor(xs);
  expectTensor(d1(x), [4], xs.map((v) => 4 * v ** 3), 1e-14, 'd/dx x⁴');
  expectTensor(d2(x), [4], xs.map((v) => 12 * v ** 2), 1e-13, 'd²/dx² x⁴');
  expectTensor(d3(x), [4], xs.map((v) => 24 * v), 1e-13, 'd³/dx³ x⁴');
  expectTensor(grad(sumOf(d3))(x), [4], [24, 24, 24, 24], 1e-13, 'd⁴/dx⁴ x⁴');
});

test('grad nests to third order: pow(x, 4) → 24x, and pow(x, 2.5) → 2.5·1.5·0.5·x^−0.5', () => {
  const x = tensor([0.5, 1.25, 2]);
  const third = (f: (t: Tensor) => Tensor) => grad(sumOf(grad(sumOf(grad(f)))));
  expectTensor(third((t) => t.pow(4).sum())(x), [3], [0.5, 1.25, 2].map((v) => 24 * v), 1e-13, 'd³ x⁴');
  expectTensor(third((t) => t.pow(2.5).sum())(x), [3], [0.5, 1.25, 2].map((v) => 2.5 * 1.5 * 0.5 * v ** -0.5), 1e-13, 'd³ x^2.5');
});

test("tanh's third derivative matches −2(1 − t²)(1 − 3t²)", () => {
  // t' = 1 − t²;  t'' = −2t(1 − t²);  t''' = −2(1 − t²)² + 4t²(1 − t²) = −2(1 − t²)(1 − 3t²)
  const d1 = grad((x: Tensor) => x.tanh().sum());
  const d2 = grad(sumOf(d1));
  const d3 = grad(sumOf(d2));
  const x = tensor(xs);
  const t = xs.map(Math.tanh);
  expectTensor(d1(x), [4], t.map((v) => 1 - v * v), 1e-15, "tanh'");
  expectTensor(d2(x), [4], t.map((v) => -2 * v * (1 - v * v)), 1e-15, "tanh''");
  expectTensor(d3(x), [4], t.map((v) => -2 * (1 - v * v) * (1 - 3 * v * v)), 1e-14, "tanh'''");
});

test("sigmoid's second derivative is σ(1 − σ)(1 − 2σ)", () => {
  const d2 = grad(sumOf(grad((x: Tensor) => x.sigmoid().sum())));
  const s = xs.map((v) => 1 / (1 + Math.exp(-v)));
  expectTensor(d2(tensor(xs)), [4], s.map((v) => v * (1 - v) * (1 - 2 * v)), 1e-15, "σ''");
});

test('second derivatives of exp, log, sqrt, div in closed form', () => {
  const x = tensor([0.5, 1.25, 2]);
  const v = [0.5, 1.25, 2];
  const d2 = (f: (t: Tensor) => Tensor) => grad(sumOf(grad((t: Tensor) => f(t).sum())))(x);
  expectTensor(d2((t) => t.exp()), [3], v.map(Math.exp), 1e-14, "exp''");
  expectTensor(d2((t) => t.log()), [3], v.map((a) => -1 / (a * a)), 1e-14, "log''");
  expectTensor(d2((t) => t.sqrt()), [3], v.map((a) => -0.25 * a ** -1.5), 1e-14, "sqrt''");
  expectTensor(d2((t) => tensor(1).div(t)), [3], v.map((a) => 2 / a ** 3), 1e-14, "(1/x)''");
});

test('grad with a rest argument: ∂/∂x Σ x·w = w, and w gets no .grad', () => {
  const w = tensor([2, -3], { requiresGrad: true });
  const g = grad((x: Tensor, v: Tensor) => x.mul(v).sum())(tensor([1, 1]), w);
  expectTensor(g, [2], [2, -3], 0, '∂f/∂x');
  assert.is(w.grad, null);
});

test('a mixed second derivative through a rest argument: ∂/∂w Σ ∂(Σ x·w²)/∂x = 2w', () => {
  // inner = ∂f/∂x = w² (x a plain tensor); outer differentiates Σ w² with respect to w: 2w.
  // JAX gives 2w here (grad(lambda w: grad(f)(x, w).sum())(w)); the inner grad must record because w is being differentiated.
  const inner = grad((x: Tensor, v: Tensor) => x.mul(v.mul(v)).sum());
  const outer = grad((v: Tensor) => inner(tensor([1, 1]), v).sum());
  expectTensor(outer(tensor([2, -3])), [2], [2 * 2, 2 * -3], 0, '∂²f/∂w∂x summed');
});

test('a mixed second derivative when x itself requires grad: 2w', () => {
  const inner = grad((x: Tensor, v: Tensor) => x.mul(v.mul(v)).sum());
  const outer = grad((v: Tensor) => inner(tensor([1, 1], { requiresGrad: true }), v).sum());
  expectTensor(outer(tensor([2, -3])), [2], [2 * 2, 2 * -3], 0, '∂²f/∂w∂x summed');
});

// ---- gradgradcheck: the backward pass itself differentiated, with respect to the inputs and gOut ----

const positive = (shape: Shape, s: number) => uniform(shape, s, 0.5, 2);
const anywhere = (shape: Shape, s: number) => uniform(shape, s, -1.5, 1.5);

const SMOOTH_UNARY: [string, (x: Tensor) => Tensor, (shape: Shape, s: number) => Tensor][] = [
  ['neg', (x) => x.neg(), anywhere],
  ['exp', (x) => x.exp(), anywhere],
  ['log', (x) => x.log(), positive],
  ['sqrt', (x) => x.sqrt(), positive],
  ['sigmoid', (x) => x.sigmoid(), anywhere],
  ['tanh', (x) => x.tanh(), anywhere],
  ['pow 2', (x) => x.pow(2), anywhere],
  ['pow 3', (x) => x.pow(3), anywhere],
  ['pow 0.5', (x) => x.pow(0.5), positive],
  ['pow -1.5', (x) => x.pow(-1.5), positive],
  ['pow 1', (x) => x.pow(1), anywhere],
  ['pow 0', (x) => x.pow(0), anywhere],
  ['softmax', (x) => x.softmax(), anywhere],
  ['softmax(0)', (x) => x.softmax(0), anywhere],
  ['logSoftmax', (x) => x.logSoftmax(), anywhere],
  ['logSoftmax(0)', (x) => x.logSoftmax(0), anywhere],
  ['sum', (x) => x.sum(), anywhere],
  ['sum(0, true)', (x) => x.sum(0, true), anywhere],
  ['mean(-1)', (x) => x.mean(-1), anywhere],
  ['logsumexp', (x) => x.logsumexp(), anywhere],
  ['logsumexp(1)', (x) => x.logsumexp(1), anywhere],
  ['logsumexp(0, true)', (x) => x.logsumexp(0, true), anywhere],
  ['reshape', (x) => x.reshape([-1]), anywhere],
  ['transpose', (x) => x.transpose(), anywhere],
  ['expand', (x) => x.reshape([2, 1, 3]).expand([2, 4, 3]), anywhere],
  ['pick', (x) => x.pick([2, 0]), anywhere],
  // piecewise linear: the second derivative is 0 away from the kinks, and the backward is linear in gOut
  ['abs', (x) => x.abs(), (shape, s) => awayFromZero(shape, s)],
  ['relu', (x) => x.relu(), (shape, s) => awayFromZero(shape, s)],
  ['clamp(-0.1, 0.2)', (x) => x.clamp(-0.1, 0.2), (shape, s) => awayFromZero(shape, s)],
  ['max', (x) => x.max(), distinct],
  ['max(1)', (x) => x.max(1), distinct],
];

let seed = 500;
for (const [name, op, input] of SMOOTH_UNARY) {
  const s = seed++;
  test(`gradgradcheck ${name} [2,3]`, () => {
    expectGradGradOk(name, op, [input([2, 3], s)]);
  });
}

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ['add', (a, b) => a.add(b)],
  ['sub', (a, b) => a.sub(b)],
  ['mul', (a, b) => a.mul(b)],
  ['div', (a, b) => a.div(b)],
];

const PAIRS: [Shape, Shape][] = [
  [[], []],
  [[2, 3], [2, 3]],
  [[4, 1, 3], [5, 3]],
  [[2, 1], [1, 3]],
  [[], [2, 2]],
];

for (const [name, op] of BINARY) {
  for (const [sa, sb] of PAIRS) {
    const s = seed++;
    test(`gradgradcheck ${name} ${fmt(sa)}×${fmt(sb)}`, () => {
      const b = name === 'div' ? positive(sb, s + 1) : anywhere(sb, s + 1);
      expectGradGradOk(name, op, [anywhere(sa, s), b]);
    });
  }
}

test('gradgradcheck unary ops on a broadcast: op(x + w) for [4,1,3]+[5,3]', () => {
  const x = positive([4, 1, 3], 1);
  const w = uniform([5, 3], 2, 0, 0.5);
  const cases: [string, Fn][] = [
    ['exp', (a, b) => a.add(b).exp()],
    ['log', (a, b) => a.add(b).log()],
    ['sqrt', (a, b) => a.add(b).sqrt()],
    ['pow -0.5', (a, b) => a.add(b).pow(-0.5)],
    ['sigmoid', (a, b) => a.add(b).sigmoid()],
    ['tanh', (a, b) => a.add(b).tanh()],
    ['softmax(1)', (a, b) => a.add(b).softmax(1)],
    ['logSoftmax(1)', (a, b) => a.add(b).logSoftmax(1)],
    ['logsumexp(1)', (a, b) => a.add(b).logsumexp(1)],
    ['mean(0)', (a, b) => a.add(b).mean(0)],
  ];
  for (const [name, f] of cases) expectGradGradOk(`${name} [4,1,3]+[5,3]`, f, [x, w]);
});

test('gradgradcheck matmul [2,3]·[3,4], [3,5]·[5,2] and the dot product [4]·[4]', () => {
  const mm: Fn = (a, b) => a.matmul(b);
  expectGradGradOk('matmul [2,3]·[3,4]', mm, [anywhere([2, 3], 1), anywhere([3, 4], 2)]);
  expectGradGradOk('matmul [3,5]·[5,2]', mm, [anywhere([3, 5], 3), anywhere([5, 2], 4)]);
  expectGradGradOk('matmul [4]·[4]', mm, [anywhere([4], 5), anywhere([4], 6)]);
});

test('gradgradcheck of a composite: logSoftmax(tanh(x·W) + b) picked and averaged', () => {
  const f: Fn = (x, w, b) => x.matmul(w).tanh().add(b).logSoftmax().pick([1, 0, 2]).mean();
  expectGradGradOk('composite', f, [anywhere([3, 2], 1), anywhere([2, 3], 2), anywhere([3], 3)]);
});

test.run();
