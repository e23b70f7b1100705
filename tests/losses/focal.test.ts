// focalLoss against the closed forms of docs/focal-loss.md (sections 4 and 7), in plain float64 arithmetic.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, oneHot, randn, rng, tensor } from '../../engine/index.js';
import { crossEntropy, focalLoss } from '../../losses/index.js';

// Reference softmax of one row, written independently of the engine: log p = z − logsumexp(z).
function logSoftmaxRow(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
}

// docs §4: FL = −α_t (1 − p_t)^γ log p_t and ∂FL/∂z_j = α_t [γ (1 − p_t)^(γ−1) p_t log p_t − (1 − p_t)^γ] (δ_tj − p_j).
function closedForm(z: readonly number[], t: number, gamma: number, alphaT: number): { value: number; grad: number[] } {
  const logp = logSoftmaxRow(z);
  const p = logp.map(Math.exp);
  const q = -Math.expm1(logp[t]); // 1 − p_t
  const bracket = gamma === 0 ? -1 : gamma * q ** (gamma - 1) * p[t] * logp[t] - q ** gamma;
  return {
    value: -alphaT * q ** gamma * logp[t],
    grad: p.map((pj, j) => alphaT * bracket * ((j === t ? 1 : 0) - pj)),
  };
}

function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

// The largest |engine − closed form| relative to max(|closed form|, 1e-300), and absolute.
function disagreement(actual: ArrayLike<number>, expected: ArrayLike<number>): { abs: number; rel: number } {
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    abs = Math.max(abs, d);
    rel = Math.max(rel, d / Math.max(Math.abs(expected[i]), 1e-300));
  }
  return { abs, rel };
}

test('anchor case of docs §4: z = [1, 2, 0.5], t = 0, γ = 2, α = 0.25', () => {
  const z = tensor([[1, 2, 0.5]]);
  const options = { gamma: 2, alpha: 0.25 };
  const value = focalLoss(z, [0], options).item();
  const g = grad((x: Tensor) => focalLoss(x, [0], options))(z).data;
  assert.ok(Math.abs(value - 0.216366599976) < 5e-13, `FL = ${value}`);
  [-0.213648135042, 0.174673262097, 0.0389748729453].forEach((expected, j) => {
    assert.ok(Math.abs(g[j] - expected) < 5e-13, `∂FL/∂z_${j} = ${g[j]}, expected ${expected}`);
  });
});

test('anchor case with labelSmoothing = 0.1 (docs §4: smooth first, then the focal factor)', () => {
  const z = tensor([[1, 2, 0.5]]);
  const options = { gamma: 2, alpha: 0.25, labelSmoothing: 0.1 };
  assert.ok(Math.abs(focalLoss(z, [0], options).item() - 0.214576320031) < 5e-13);
  const g = grad((x: Tensor) => focalLoss(x, [0], options))(z).data;
  [-0.196384138558, 0.168282813367, 0.0281013251916].forEach((expected, j) => assert.ok(Math.abs(g[j] - expected) < 5e-13));
});

test('value and gradient match the closed form: γ ∈ {0, 0.5, 1, 2, 3.7}, C ∈ {2, 3, 5}, per-class α, random logits', () => {
  const random = rng(7);
  let worstValue = { abs: 0, rel: 0 };
  let worstGrad = { abs: 0, rel: 0 };
  for (const classes of [2, 3, 5]) {
    for (const gamma of [0, 0.5, 1, 2, 3.7]) {
      const n = 16;
      const z = randn([n, classes], random).mul(3);
      const target = Array.from({ length: n }, () => random.int(classes));
      const alpha = Array.from({ length: classes }, () => 0.1 + random.next());
      const perSample = focalLoss(z, target, { gamma, alpha, reduction: 'none' });
      // With 'sum' each row's gradient is its own sample's gradient.
      const g = rows(grad((x: Tensor) => focalLoss(x, target, { gamma, alpha, reduction: 'sum' }))(z));
      rows(z).forEach((row, i) => {
        const expected = closedForm(row, target[i], gamma, alpha[target[i]]);
        const dv = disagreement([perSample.data[i]], [expected.value]);
        const dg = disagreement(g[i], expected.grad);
        worstValue = { abs: Math.max(worstValue.abs, dv.abs), rel: Math.max(worstValue.rel, dv.rel) };
        worstGrad = { abs: Math.max(worstGrad.abs, dg.abs), rel: Math.max(worstGrad.rel, dg.abs / Math.max(...expected.grad.map(Math.abs))) };
      });
    }
  }
  console.log(`    focalLoss vs closed form: value max abs ${worstValue.abs.toExponential(2)} rel ${worstValue.rel.toExponential(2)}; ` +
    `gradient max abs ${worstGrad.abs.toExponential(2)} (rel to the row's largest ${worstGrad.rel.toExponential(2)})`);
  // Absolute, since log p_t near 0 is only accurate to ~1e-16 absolute (in the engine and here alike).
  assert.ok(worstValue.abs < 2e-14, `value abs ${worstValue.abs}`);
  assert.ok(worstGrad.abs < 1e-14, `gradient abs ${worstGrad.abs}`);
});

test('soft labels: ∂FL/∂z_j = w_j − p_j Σ_c w_c with w_c = α_c y_c [γ (1 − p_c)^(γ−1) p_c log p_c − (1 − p_c)^γ] (docs §4)', () => {
  const random = rng(11);
  const [n, classes, gamma] = [6, 4, 1.5];
  const z = randn([n, classes], random).mul(2);
  const raw = Array.from({ length: n }, () => Array.from({ length: classes }, () => random.next()));
  const y = raw.map((r) => r.map((v) => v / r.reduce((a, b) => a + b, 0)));
  const alpha = [0.5, 1, 2, 0.25];
  const value = focalLoss(z, tensor(y), { gamma, alpha, reduction: 'none' }).data;
  const g = rows(grad((x: Tensor) => focalLoss(x, tensor(y), { gamma, alpha, reduction: 'sum' }))(z));
  rows(z).forEach((row, i) => {
    const logp = logSoftmaxRow(row);
    const p = logp.map(Math.exp);
    const q = logp.map((l) => -Math.expm1(l));
    const w = p.map((pc, c) => alpha[c] * y[i][c] * (gamma * q[c] ** (gamma - 1) * pc * logp[c] - q[c] ** gamma));
    const sumW = w.reduce((a, b) => a + b, 0);
    const expectedValue = -p.reduce((s, _, c) => s + alpha[c] * y[i][c] * q[c] ** gamma * logp[c], 0);
    assert.ok(Math.abs(value[i] - expectedValue) < 1e-14 * Math.abs(expectedValue) + 1e-15);
    w.forEach((wj, j) => assert.ok(Math.abs(g[i][j] - (wj - p[j] * sumW)) < 1e-13, `row ${i} class ${j}`));
  });
});

test('a one-hot Tensor target gives exactly what the indices give', () => {
  const z = randn([5, 3], rng(3));
  const t = [2, 0, 1, 1, 0];
  for (const gamma of [0, 0.5, 2]) {
    const a = focalLoss(z, t, { gamma, alpha: [1, 2, 3], reduction: 'none' }).data;
    const b = focalLoss(z, oneHot(t, 3), { gamma, alpha: [1, 2, 3], reduction: 'none' }).data;
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-15 * Math.abs(v), `γ = ${gamma}, row ${i}: ${v} vs ${b[i]}`));
  }
  // Int32Array and a [N] Tensor of indices are the same targets too.
  const fromArray = focalLoss(z, t).item();
  assert.is(focalLoss(z, Int32Array.from(t)).item(), fromArray);
  assert.is(focalLoss(z, tensor(t)).item(), fromArray);
});

test('γ = 0 with no α is crossEntropy exactly (===), value and gradient, for every target form and reduction', () => {
  const z = randn([7, 4], rng(5)).mul(4);
  const t = [0, 3, 1, 2, 2, -100, 1];
  const soft = tensor(Array.from({ length: 7 }, (_, i) => [0.1, 0.2, 0.3, 0.4].map((v, c) => (c === i % 4 ? v + 0.6 : v) / 1.6)));
  const cases: [string, object, Tensor | number[]][] = [
    ['indices, ignoreIndex', { ignoreIndex: -100 }, t],
    ['indices, smoothing', { ignoreIndex: -100, labelSmoothing: 0.2 }, t],
    ['soft rows', {}, soft],
  ];
  for (const [what, options, target] of cases) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const fl = focalLoss(z, target, { ...options, gamma: 0, reduction });
      const ce = crossEntropy(z, target, { ...options, reduction });
      assert.equal(Array.from(fl.data), Array.from(ce.data), `${what}, ${reduction}: values`);
      const gFl = grad((x: Tensor) => focalLoss(x, target, { ...options, gamma: 0, reduction }).sum())(z).data;
      const gCe = grad((x: Tensor) => crossEntropy(x, target, { ...options, reduction }).sum())(z).data;
      gFl.forEach((v, i) => assert.ok(v === gCe[i], `${what}, ${reduction}: gradient element ${i}: ${v} vs ${gCe[i]}`));
    }
  }
});

test('a scalar α scales the loss and the gradient and changes nothing else; a per-class α changes the direction', () => {
  const z = randn([8, 3], rng(9)).mul(2);
  const t = [0, 1, 2, 0, 0, 1, 2, 0];
  const plain = focalLoss(z, t).item();
  const scaled = focalLoss(z, t, { alpha: 0.25 }).item();
  assert.ok(Math.abs(scaled - 0.25 * plain) <= 1e-16 * plain);
  const g = grad((x: Tensor) => focalLoss(x, t))(z).data;
  const gScaled = grad((x: Tensor) => focalLoss(x, t, { alpha: 0.25 }))(z).data;
  g.forEach((v, i) => assert.ok(Math.abs(gScaled[i] - 0.25 * v) <= 1e-16 * Math.abs(v), `element ${i}`));
  // Per class: the cosine between the two gradients is clearly below 1.
  const gClass = grad((x: Tensor) => focalLoss(x, t, { alpha: [0.1, 1, 5] }))(z).data;
  const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i], 0);
  const cosine = dot(g, gClass) / Math.sqrt(dot(g, g) * dot(gClass, gClass));
  assert.ok(cosine < 0.9, `cosine ${cosine}`);
});

test("gamma: 'flsd53' uses γ = 5 where p_t < 0.2 and γ = 3 elsewhere, value and gradient (γ held constant)", () => {
  // p_t well below and well above 0.2: row 0 has p_0 ≈ 0.02, row 1 has p_1 ≈ 0.84.
  const z = tensor([[-2, 1, 2], [0, 2, 0.1]]);
  const t = [0, 1];
  const value = focalLoss(z, t, { gamma: 'flsd53', reduction: 'none' }).data;
  const g = rows(grad((x: Tensor) => focalLoss(x, t, { gamma: 'flsd53', reduction: 'sum' }))(z));
  rows(z).forEach((row, i) => {
    const pt = Math.exp(logSoftmaxRow(row)[t[i]]);
    const gamma = pt < 0.2 ? 5 : 3;
    assert.is(gamma, i === 0 ? 5 : 3);
    const expected = closedForm(row, t[i], gamma, 1);
    // two float64 evaluations of the same formula: a few ulps apart (relative 2e-15)
    assert.ok(Math.abs(value[i] - expected.value) < 2e-15 * Math.abs(expected.value), `row ${i}: ${value[i]} vs ${expected.value}`);
    expected.grad.forEach((e, j) => assert.ok(Math.abs(g[i][j] - e) < 1e-15, `row ${i}, class ${j}`));
  });
  // docs §7: the jump at p_t = 0.2.
  const atFifth = tensor([[Math.log(0.2), Math.log(0.8)]]);
  const below = focalLoss(atFifth.sub(tensor([[1e-9, 0]])), [0], { gamma: 'flsd53' }).item();
  const above = focalLoss(atFifth.add(tensor([[1e-9, 0]])), [0], { gamma: 'flsd53' }).item();
  assert.ok(Math.abs(below - 0.527381) < 1e-6 && Math.abs(above - 0.824032) < 1e-6, `${below} ${above}`);
});

test('ignoreIndex: ignored rows give 0 in "none", add nothing to "sum", and leave the mean\'s count', () => {
  const z = randn([4, 3], rng(13));
  const t = [1, -1, 2, -1];
  const none = focalLoss(z, t, { ignoreIndex: -1, reduction: 'none' }).data;
  assert.is(none[1], 0);
  assert.is(none[3], 0);
  const kept = focalLoss(tensor([rows(z)[0], rows(z)[2]]), [1, 2], { reduction: 'none' }).data;
  assert.ok(Math.abs(none[0] - kept[0]) < 1e-16 && Math.abs(none[2] - kept[1]) < 1e-16);
  const mean = focalLoss(z, t, { ignoreIndex: -1 }).item();
  assert.ok(Math.abs(mean - (kept[0] + kept[1]) / 2) < 1e-16);
  const g = rows(grad((x: Tensor) => focalLoss(x, t, { ignoreIndex: -1, alpha: [1, 2, 3] }))(z));
  assert.equal([g[1], g[3]].flat().map(Math.abs), [0, 0, 0, 0, 0, 0]);
  // An ignoreIndex inside [0, C) is allowed (PyTorch too): that class's rows are skipped.
  assert.is(focalLoss(z, [1, 0, 2, 0], { ignoreIndex: 0, reduction: 'none' }).data[1], 0);
  // Everything ignored: 'mean' is 0 (not NaN), with a zero gradient.
  assert.is(focalLoss(z, [-1, -1, -1, -1], { ignoreIndex: -1 }).item(), 0);
  const gAllIgnored = grad((x: Tensor) => focalLoss(x, [-1, -1, -1, -1], { ignoreIndex: -1 }))(z);
  assert.ok(gAllIgnored.data.every((v) => v === 0), 'all-ignored gradient is exactly zero');
});

test('reductions: mean = sum / N, none has shape [N]; near p_t = 1 the value has log p_t\'s absolute accuracy', () => {
  const z = randn([5, 3], rng(17));
  const t = [0, 1, 2, 1, 0];
  const none = focalLoss(z, t, { reduction: 'none' });
  assert.equal(none.shape, [5]);
  const sum = focalLoss(z, t, { reduction: 'sum' }).item();
  assert.ok(Math.abs(sum - none.data.reduce((a, b) => a + b, 0)) < 1e-15);
  assert.ok(Math.abs(focalLoss(z, t).item() - sum / 5) < 1e-16);
  // p_t = 1/(1 + d), d = 3e-12: FL = (1 − p_t)^2 · (−log p_t) ≈ d³. logSoftmax computes log p_t as
  // −log(1 + d) (no log1p), good to ~2e-16 absolute; that error enters log p_t and 1 − p_t alike,
  // so FL is good to about (γ + 1) · 2e-16 · (1 − p_t)^γ.
  const d = 3e-12;
  const other = Math.log(d / 2);
  const easy = tensor([[0, other, other]]);
  const logpt = -Math.log1p(2 * Math.exp(other));
  const q = -Math.expm1(logpt);
  const expected = -(q ** 2) * logpt;
  const got = focalLoss(easy, [0]).item();
  assert.ok(Math.abs(got - expected) < 3 * 2e-16 * q ** 2, `${got} vs ${expected}`);
});

test.run();
