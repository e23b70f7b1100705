// Tests for models/optim.ts: three steps of each optimiser on a 2-element parameter with given
// gradients, against PyTorch's update rule written out by hand with plain numbers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, tensor } from '../../engine/index.js';
import { Adam, AdamW, SGD, type Optimizer } from '../../models/index.js';
import { closeRel, sameBits, throwsWith } from './helpers.js';

const THETA0 = [1, -2];
const GRADS = [
  [0.5, -1],
  [0.25, 2],
  [-1, 0.125],
];

function param(values: readonly number[] = THETA0): Tensor {
  return tensor(values.slice(), { requiresGrad: true });
}

// Sets each gradient in turn, steps, and records the parameter after every step.
function run(make: (p: Tensor) => Optimizer, grads: readonly number[][] = GRADS): number[][] {
  const p = param();
  const opt = make(p);
  return grads.map((g) => {
    p.grad = tensor(g);
    opt.step();
    return Array.from(p.data);
  });
}

// ---- SGD ----

interface SGDRule {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

// torch.optim.SGD's algorithm box (docs), for one element:
//   g ← g + λθ;  b ← g (t = 1) or μb + (1 − τ)g;  g ← g + μb (nesterov) or b;  θ ← θ − γg
function sgdRule(theta: number, grads: readonly number[], rule: SGDRule): number[] {
  const { lr, momentum: mu = 0, dampening: tau = 0, nesterov = false, weightDecay: wd = 0 } = rule;
  let b = 0;
  return grads.map((g0, t) => {
    let g = wd === 0 ? g0 : g0 + wd * theta;
    if (mu !== 0) {
      b = t === 0 ? g : b * mu + (1 - tau) * g;
      g = nesterov ? g + mu * b : b;
    }
    theta = theta - lr * g;
    return theta;
  });
}

// The rule applied to both elements: after[step] = [θ₀, θ₁].
function sgdExpected(rule: SGDRule): number[][] {
  const columns = THETA0.map((theta, i) => sgdRule(theta, GRADS.map((g) => g[i]), rule));
  return GRADS.map((_, t) => columns.map((column) => column[t]));
}

test('SGD: plain steps are θ − lr·g, written out', () => {
  const after = run((p) => new SGD([p], { lr: 0.1 }));
  const a1 = 1 - 0.1 * 0.5, b1 = -2 - 0.1 * -1;
  const a2 = a1 - 0.1 * 0.25, b2 = b1 - 0.1 * 2;
  const a3 = a2 - 0.1 * -1, b3 = b2 - 0.1 * 0.125;
  sameBits(after.flat(), [a1, b1, a2, b2, a3, b3], 'θ');
  sameBits(after.flat(), sgdExpected({ lr: 0.1 }).flat(), 'θ (rule)');
});

test('SGD: momentum keeps b = μ·b + g, starting from b = g, written out', () => {
  const after = run((p) => new SGD([p], { lr: 0.1, momentum: 0.9 }));
  // element 0: b = 0.5, then 0.5·0.9 + 0.25, then that·0.9 − 1
  const m1 = 0.5, m2 = m1 * 0.9 + 0.25, m3 = m2 * 0.9 + -1;
  const a1 = 1 - 0.1 * m1, a2 = a1 - 0.1 * m2, a3 = a2 - 0.1 * m3;
  // element 1
  const n1 = -1, n2 = n1 * 0.9 + 2, n3 = n2 * 0.9 + 0.125;
  const b1 = -2 - 0.1 * n1, b2 = b1 - 0.1 * n2, b3 = b2 - 0.1 * n3;
  sameBits(after.flat(), [a1, b1, a2, b2, a3, b3], 'θ');
  sameBits(after.flat(), sgdExpected({ lr: 0.1, momentum: 0.9 }).flat(), 'θ (rule)');
});

test('SGD: Nesterov steps along g + μ·b, written out', () => {
  const after = run((p) => new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }));
  const m1 = 0.5, m2 = m1 * 0.9 + 0.25, m3 = m2 * 0.9 + -1;
  const a1 = 1 - 0.1 * (0.5 + 0.9 * m1);
  const a2 = a1 - 0.1 * (0.25 + 0.9 * m2);
  const a3 = a2 - 0.1 * (-1 + 0.9 * m3);
  assert.equal([after[0][0], after[1][0], after[2][0]], [a1, a2, a3]);
  sameBits(after.flat(), sgdExpected({ lr: 0.1, momentum: 0.9, nesterov: true }).flat(), 'θ (rule)');
});

test('SGD: weight decay adds λ·θ to the gradient, written out', () => {
  const after = run((p) => new SGD([p], { lr: 0.1, weightDecay: 0.01 }));
  const a1 = 1 - 0.1 * (0.5 + 0.01 * 1);
  const a2 = a1 - 0.1 * (0.25 + 0.01 * a1);
  const a3 = a2 - 0.1 * (-1 + 0.01 * a2);
  assert.equal([after[0][0], after[1][0], after[2][0]], [a1, a2, a3]);
  sameBits(after.flat(), sgdExpected({ lr: 0.1, weightDecay: 0.01 }).flat(), 'θ (rule)');
});

test('SGD: dampening, weight decay with momentum, and Nesterov with weight decay follow the rule', () => {
  const rules: SGDRule[] = [
    { lr: 0.1, momentum: 0.9, dampening: 0.5 },
    { lr: 0.05, momentum: 0.8, weightDecay: 0.1 },
    { lr: 0.05, momentum: 0.8, dampening: 0.2, weightDecay: 0.1 },
    { lr: 0.3, momentum: 0.5, nesterov: true, weightDecay: 0.02 },
  ];
  for (const rule of rules) {
    sameBits(run((p) => new SGD([p], rule)).flat(), sgdExpected(rule).flat(), JSON.stringify(rule));
  }
});

// ---- Adam and AdamW ----

interface AdamRule {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
}

// torch.optim.Adam / AdamW (torch/optim/adam.py, the single-tensor path), for one element, in its
// order of operations: grad.add(param, alpha=λ) or param.mul_(1 − lr·λ); exp_avg.lerp_(g, 1 − β₁);
// exp_avg_sq.mul_(β₂).addcmul_(g, g, value=1 − β₂); denom = √v / √(1 − β₂ᵗ) + ε;
// param.addcdiv_(m, denom, value=−lr / (1 − β₁ᵗ)).
function adamRule(theta: number, grads: readonly number[], r: AdamRule): number[] {
  let m = 0;
  let v = 0;
  return grads.map((g0, index) => {
    const t = index + 1;
    let g = g0;
    if (r.decoupled) theta = theta * (1 - r.lr * r.weightDecay);
    else g = g + r.weightDecay * theta;
    const w = 1 - r.beta1;
    m = w < 0.5 ? m + w * (g - m) : g - (g - m) * (1 - w); // torch.lerp's two branches
    v = v * r.beta2 + (1 - r.beta2) * g * g;
    const stepSize = r.lr / (1 - r.beta1 ** t);
    const denom = Math.sqrt(v) / Math.sqrt(1 - r.beta2 ** t) + r.eps;
    theta = theta + (-stepSize * m) / denom;
    return theta;
  });
}

// The textbook form (Kingma & Ba, Algorithm 1, with PyTorch's ε placement): m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
function adamTextbook(theta: number, grads: readonly number[], r: AdamRule): number[] {
  let m = 0;
  let v = 0;
  return grads.map((g0, index) => {
    const t = index + 1;
    if (r.decoupled) theta -= r.lr * r.weightDecay * theta;
    const g = r.decoupled ? g0 : g0 + r.weightDecay * theta;
    m = r.beta1 * m + (1 - r.beta1) * g;
    v = r.beta2 * v + (1 - r.beta2) * g * g;
    const mHat = m / (1 - r.beta1 ** t);
    const vHat = v / (1 - r.beta2 ** t);
    theta -= (r.lr * mHat) / (Math.sqrt(vHat) + r.eps);
    return theta;
  });
}

function adamExpected(rule: AdamRule, form = adamRule): number[][] {
  const columns = THETA0.map((theta, i) => form(theta, GRADS.map((g) => g[i]), rule));
  return GRADS.map((_, t) => columns.map((column) => column[t]));
}

const adamCases: { name: string; rule: AdamRule; make: (p: Tensor) => Optimizer }[] = [
  {
    name: 'Adam, defaults but lr',
    rule: { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
    make: (p) => new Adam([p], { lr: 0.1 }),
  },
  {
    name: 'Adam, L2 weight decay',
    rule: { lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, decoupled: false },
    make: (p) => new Adam([p], { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 }),
  },
  {
    name: 'Adam, β₁ below 0.5 (lerp weight ≥ 0.5)',
    rule: { lr: 0.01, beta1: 0.3, beta2: 0.9, eps: 1e-3, weightDecay: 0, decoupled: false },
    make: (p) => new Adam([p], { lr: 0.01, betas: [0.3, 0.9], eps: 1e-3 }),
  },
  {
    name: 'AdamW, default weight decay 1e-2',
    rule: { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2, decoupled: true },
    make: (p) => new AdamW([p], { lr: 0.1 }),
  },
  {
    name: 'AdamW, weight decay 0.5',
    rule: { lr: 0.2, beta1: 0.95, beta2: 0.98, eps: 1e-8, weightDecay: 0.5, decoupled: true },
    make: (p) => new AdamW([p], { lr: 0.2, betas: [0.95, 0.98], weightDecay: 0.5 }),
  },
];

test('Adam / AdamW: three steps equal PyTorch’s rule bit for bit', () => {
  for (const c of adamCases) sameBits(run(c.make).flat(), adamExpected(c.rule).flat(), c.name);
});

test('Adam / AdamW: three steps agree with the textbook form within 1e-15 relative', () => {
  for (const c of adamCases) {
    const after = run(c.make).flat();
    adamExpected(c.rule, adamTextbook)
      .flat()
      .forEach((expected, i) => closeRel(after[i], expected, 1e-15, `${c.name} [${i}]`));
  }
});

test('Adam: the first step moves each element by about lr against the sign of its gradient', () => {
  const [first] = run((p) => new Adam([p], { lr: 0.1 }));
  // m̂ = g and v̂ = g² at t = 1 (bias correction), so the step is lr·g/(|g| + ε)
  closeRel(first[0], 1 - (0.1 * 0.5) / (0.5 + 1e-8), 1e-15, 'θ₀');
  closeRel(first[1], -2 - (0.1 * -1) / (1 + 1e-8), 1e-15, 'θ₁');
});

test('Adam / AdamW: the PyTorch defaults', () => {
  const adam = new Adam([param()]);
  assert.equal([adam.lr, adam.beta1, adam.beta2, adam.eps, adam.weightDecay], [1e-3, 0.9, 0.999, 1e-8, 0]);
  const adamw = new AdamW([param()]);
  assert.equal([adamw.lr, adamw.beta1, adamw.beta2, adamw.eps, adamw.weightDecay], [1e-3, 0.9, 0.999, 1e-8, 1e-2]);
  assert.ok(adamw instanceof Adam);
  const sgd = new SGD([param()], { lr: 0.1 });
  assert.equal([sgd.momentum, sgd.dampening, sgd.nesterov, sgd.weightDecay], [0, 0, false, 0]);
});

// ---- state, zeroGrad, skipping ----

test('state lives in the optimiser: two optimisers over the same parameter keep their own', () => {
  const p = param();
  const keys = Object.keys(p).sort();
  const a = new SGD([p], { lr: 0.1, momentum: 0.9 });
  const b = new SGD([p], { lr: 0.1, momentum: 0.9 });
  assert.equal(a.state(), [{ momentumBuffer: null }]);
  p.grad = tensor([0.5, -1]);
  a.step();
  a.step();
  b.step();
  sameBits(a.state()[0].momentumBuffer!, [0.5 * 0.9 + 0.5, -1 * 0.9 + -1], 'a: b');
  sameBits(b.state()[0].momentumBuffer!, [0.5, -1], 'b: b');

  const c = new Adam([p], { lr: 0.1 });
  const d = new Adam([p], { lr: 0.1 });
  c.step();
  c.step();
  d.step();
  assert.equal([c.state()[0].step, d.state()[0].step], [2, 1]);
  sameBits(d.state()[0].expAvg, [0 + (1 - 0.9) * (0.5 - 0), 0 + (1 - 0.9) * (-1 - 0)], 'd: m');
  sameBits(d.state()[0].expAvgSq, [0 * 0.999 + (1 - 0.999) * 0.5 * 0.5, 0 * 0.999 + (1 - 0.999) * -1 * -1], 'd: v');
  assert.ok(c.state()[0].expAvg[0] !== d.state()[0].expAvg[0]);
  // nothing was stored on the tensor itself
  assert.equal(Object.keys(p).sort(), keys);
  // state() hands out copies
  c.state()[0].expAvg[0] = 99;
  assert.is.not(c.state()[0].expAvg[0], 99);
});

test('zeroGrad sets every parameter’s grad to null, and only theirs', () => {
  const p = param();
  const q = param([3]);
  const other = param();
  for (const t of [p, q, other]) t.grad = tensor(Array.from(t.data));
  for (const opt of [new SGD([p, q], { lr: 0.1 }), new Adam([p, q]), new AdamW([p, q])]) {
    p.grad = tensor([1, 1]);
    q.grad = tensor([1]);
    opt.zeroGrad();
    assert.is(p.grad, null);
    assert.is(q.grad, null);
  }
  assert.ok(other.grad !== null);
});

test('parameters without a grad are skipped, and their step count does not advance', () => {
  for (const make of [
    (ps: Tensor[]) => new Adam(ps, { lr: 0.1 }),
    (ps: Tensor[]) => new AdamW(ps, { lr: 0.1 }),
    (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 }),
  ]) {
    const p = param();
    const q = param();
    const opt = make([p, q]);
    p.grad = tensor(GRADS[0]);
    opt.step();
    opt.step();
    sameBits(q.data, THETA0, `${opt.constructor.name}: q untouched`);
    // q's first gradient arrives at the optimiser's third step: for q it is step 1
    p.grad = null;
    q.grad = tensor(GRADS[0]);
    const pBefore = Array.from(p.data);
    opt.step();
    sameBits(p.data, pBefore, `${opt.constructor.name}: p untouched`);
    const reference = param();
    const fresh = make([reference]);
    reference.grad = tensor(GRADS[0]);
    fresh.step();
    sameBits(q.data, reference.data, `${opt.constructor.name}: q's first step`);
  }
});

test('lr can be changed between steps, and is validated', () => {
  const p = param();
  const opt = new SGD([p], { lr: 0.1 });
  opt.lr = 0.5;
  assert.is(opt.lr, 0.5);
  p.grad = tensor([1, 2]);
  opt.step();
  sameBits(p.data, [1 - 0.5 * 1, -2 - 0.5 * 2], 'θ');
  throwsWith(() => (opt.lr = -1), ['SGD: lr must be a non-negative finite number, got -1']);
  assert.is(opt.lr, 0.5);
  const adam = new Adam([p]);
  throwsWith(() => (adam.lr = NaN), ['Adam: lr must be a non-negative finite number, got NaN']);
  adam.lr = 0; // torch.optim takes lr = 0 (0.0 <= lr)
  assert.is(adam.lr, 0);
});

test('a gradient of the wrong size is an Error naming the parameter', () => {
  const p = param();
  const opt = new Adam([param([1]), p]);
  p.grad = tensor([1, 2, 3]);
  throwsWith(() => opt.step(), ['Adam: params[1] has 2 values but its grad has 3']);
});

// ---- bad options ----

test('SGD: bad options throw, naming the optimiser and the value', () => {
  const ps = [param()];
  throwsWith(() => new SGD(ps, {} as never), ['SGD: lr must be a non-negative finite number, got undefined']);
  throwsWith(() => new SGD(ps, undefined as never), ['SGD: lr must be a non-negative finite number, got undefined']);
  throwsWith(() => new SGD(ps, { lr: -1 }), ['SGD: lr must be a non-negative finite number, got -1']);
  throwsWith(() => new SGD(ps, { lr: -1e-300 }), ['got -1e-300']);
  throwsWith(() => new SGD(ps, { lr: NaN }), ['got NaN']);
  throwsWith(() => new SGD(ps, { lr: Infinity }), ['got Infinity']);
  throwsWith(() => new SGD(ps, { lr: '0.1' as never }), ['got "0.1"']);
  throwsWith(() => new SGD(ps, { lr: 0.1, momentum: -0.5 }), ['SGD: momentum must be a non-negative finite number, got -0.5']);
  throwsWith(() => new SGD(ps, { lr: 0.1, dampening: NaN }), ['SGD: dampening must be a finite number, got NaN']);
  throwsWith(() => new SGD(ps, { lr: 0.1, weightDecay: -1 }), ['SGD: weightDecay must be a non-negative finite number, got -1']);
  throwsWith(() => new SGD(ps, { lr: 0.1, nesterov: true }), [
    'SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0, dampening 0',
  ]);
  throwsWith(() => new SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), ['dampening 0.1']);
  throwsWith(() => new SGD(ps, { lr: 0.1, nesterov: 'yes' as never }), ['SGD: nesterov must be a boolean, got "yes"']);
});

test('Adam / AdamW: bad options throw, naming the optimiser and the value', () => {
  const ps = [param()];
  throwsWith(() => new Adam(ps, { lr: -1 }), ['Adam: lr must be a non-negative finite number, got -1']);
  throwsWith(() => new AdamW(ps, { lr: -1 }), ['AdamW: lr must be a non-negative finite number, got -1']);
  throwsWith(() => new Adam(ps, { betas: [1, 0.999] }), ['Adam: betas[0] must be a number in [0, 1), got 1']);
  throwsWith(() => new Adam(ps, { betas: [0.9, -0.1] }), ['Adam: betas[1] must be a number in [0, 1), got -0.1']);
  throwsWith(() => new Adam(ps, { betas: [0.9, NaN] }), ['betas[1]', 'got NaN']);
  throwsWith(() => new Adam(ps, { betas: [0.9] as never }), ['Adam: betas must be a pair [β₁, β₂], got [0.9]']);
  throwsWith(() => new Adam(ps, { betas: 0.9 as never }), ['Adam: betas must be a pair', 'got 0.9']);
  throwsWith(() => new Adam(ps, { eps: -1e-8 }), ['Adam: eps must be a non-negative finite number, got -1e-8']);
  throwsWith(() => new AdamW(ps, { eps: Infinity }), ['AdamW: eps must be a non-negative finite number, got Infinity']);
  throwsWith(() => new AdamW(ps, { weightDecay: NaN }), ['AdamW: weightDecay must be a non-negative finite number, got NaN']);
});

// torch/optim/sgd.py and adam.py / adamw.py (1.13 and 2.x alike): SGD refuses lr < 0, momentum < 0,
// weight_decay < 0 and Nesterov without momentum or with dampening; Adam and AdamW need 0.0 <= lr,
// 0.0 <= eps, 0.0 <= betas[i] < 1.0 and 0.0 <= weight_decay. Every value on those edges is taken here
// too; beyond them, values that no comparison refuses in Python (NaN, ±∞) are refused here.
test("each option's edge is PyTorch's: the values torch.optim takes are taken", () => {
  const ps = [param()];
  const taken: [string, () => unknown][] = [
    ['SGD lr 0', () => new SGD(ps, { lr: 0 })],
    ['SGD momentum 0, weightDecay 0', () => new SGD(ps, { lr: 0.1, momentum: 0, weightDecay: 0 })],
    ['SGD dampening < 0 (PyTorch does not check it)', () => new SGD(ps, { lr: 0.1, momentum: 0.9, dampening: -0.5 })],
    ['SGD Nesterov at momentum > 0, dampening 0', () => new SGD(ps, { lr: 0.1, momentum: 1e-12, nesterov: true })],
    ['Adam lr 0', () => new Adam(ps, { lr: 0 })],
    ['Adam eps 0', () => new Adam(ps, { eps: 0 })],
    ['AdamW eps 0', () => new AdamW(ps, { eps: 0 })],
    ['Adam eps −0', () => new Adam(ps, { eps: -0 })],
    ['Adam betas [0, 0]', () => new Adam(ps, { betas: [0, 0] })],
    ['AdamW weightDecay 0', () => new AdamW(ps, { weightDecay: 0 })],
  ];
  for (const [what, make] of taken) {
    try {
      make();
    } catch (error) {
      assert.unreachable(`${what}: PyTorch takes it, but it threw ${(error as Error).message}`);
    }
  }
  // Just past each edge: refused, as PyTorch refuses it.
  throwsWith(() => new Adam(ps, { eps: -Number.MIN_VALUE }), ['Adam: eps must be a non-negative finite number']);
  throwsWith(() => new Adam(ps, { lr: -Number.MIN_VALUE }), ['Adam: lr must be a non-negative finite number']);
  throwsWith(() => new Adam(ps, { betas: [0.9, 1] }), ['Adam: betas[1] must be a number in [0, 1), got 1']);
  throwsWith(() => new SGD(ps, { lr: 0.1, momentum: -Number.MIN_VALUE }), ['SGD: momentum must be a non-negative finite number']);
});

test('Adam with eps = 0 is the plain rule, as in PyTorch: θ − lr·m̂/√v̂, and 0/0 = NaN where the gradient is 0', () => {
  // First step: m = (1 − β₁)·g, v = (1 − β₂)·g², m̂/√v̂ = g/|g|: each parameter moves by lr against its sign.
  const p = tensor([1, 1, 1], { requiresGrad: true });
  const adam = new Adam([p], { lr: 0.1, eps: 0 });
  p.grad = tensor([2, -3, 0]);
  adam.step();
  assert.ok(Math.abs(p.data[0] - 0.9) <= 1e-15 && Math.abs(p.data[1] - 1.1) <= 1e-15, `θ ${Array.from(p.data)}`);
  // torch.optim.Adam(eps=0) gives NaN here too: (0 / (1 − β₁)) / (√0 / √(1 − β₂) + 0).
  assert.ok(Number.isNaN(p.data[2]), `θ[2] ${p.data[2]}`);
  // Negative control: the default eps keeps the zero-gradient parameter where it was.
  const q = tensor([1], { requiresGrad: true });
  const plain = new Adam([q], { lr: 0.1 });
  q.grad = tensor([0]);
  plain.step();
  assert.is(q.data[0], 1);
});

test('bad params throw: empty, not a Tensor, not a leaf, no grad, repeated', () => {
  const p = param();
  throwsWith(() => new Adam([]), ['Adam: params must be a non-empty array of Tensors', 'got []']);
  throwsWith(() => new SGD(p as never, { lr: 0.1 }), ['SGD: params must be a non-empty array', 'got a Tensor']);
  throwsWith(() => new Adam([p, [1, 2]] as never), ['Adam: params[1] must be a Tensor, got [1, 2]']);
  throwsWith(() => new Adam([p.mul(2)]), ['Adam: params[0] must be a leaf Tensor with requiresGrad: true, got a mul tensor']);
  throwsWith(() => new AdamW([tensor([1, 2])]), ['AdamW: params[0] must be a leaf Tensor', 'got a leaf tensor with requiresGrad: false']);
  throwsWith(() => new SGD([p, p], { lr: 0.1 }), ['SGD: params[1] appears more than once']);
});

test.run();
