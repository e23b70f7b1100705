// SGD maximize and Adam/AdamW amsgrad/maximize against torch.optim's rules written out by hand,
// and the options check: an unknown key (a PyTorch spelling, a typo) is an Error, never ignored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, tensor } from '../../engine/index.js';
import { Adam, AdamW, MLP, Linear, SGD, type Optimizer } from '../../models/index.js';
import { rng } from '../../engine/index.js';

const GRADS = [1, 0.01, 0.01, -0.5];

function run(make: (p: Tensor) => Optimizer, grads: readonly number[] = GRADS, theta0 = 1): number[] {
  const p = tensor([theta0], { requiresGrad: true });
  const opt = make(p);
  return grads.map((g) => {
    p.grad = tensor([g]);
    opt.step();
    return p.data[0];
  });
}

const closeRel = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-15 * Math.abs(b), `${what}: ${a} vs ${b}`);

// torch.optim.Adam's algorithm box (docs), textbook form, one element:
//   g ← −g (maximize); g ← g + λθ (Adam) or θ ← θ(1 − γλ) (AdamW); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
//   amsgrad: vmax ← max(vmax, v) (PyTorch keeps the max of v itself, before the bias correction), v ← vmax;
//   m̂ = m/(1 − β₁ᵗ); v̂ = v/(1 − β₂ᵗ); θ ← θ − γ m̂ / (√v̂ + ε)
function adamByHand(grads: readonly number[], o: { lr: number; amsgrad: boolean; maximize: boolean; wd: number; decoupled: boolean }): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let theta = 1;
  let m = 0;
  let v = 0;
  let vMax = 0;
  return grads.map((g0, i) => {
    const t = i + 1;
    let g = o.maximize ? -g0 : g0;
    if (o.decoupled) theta *= 1 - o.lr * o.wd;
    else g += o.wd * theta;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    vMax = Math.max(vMax, v);
    const denom = Math.sqrt((o.amsgrad ? vMax : v) / (1 - b2 ** t)) + eps;
    theta -= (o.lr * (m / (1 - b1 ** t))) / denom;
    return theta;
  });
}

test('Adam amsgrad: the figure of issue 9 (PyTorch: 0.99779326 after gradients 1, 0.01, 0.01 from θ = 1)', () => {
  const amsgrad = run((p) => new Adam([p], { amsgrad: true }), [1, 0.01, 0.01]);
  const plain = run((p) => new Adam([p]), [1, 0.01, 0.01]);
  assert.is(amsgrad[2].toFixed(8), '0.99779326');
  assert.is(plain[2].toFixed(8), '0.99779248', 'plain Adam differs in the 7th digit: the option is not ignored');
});

test('Adam / AdamW amsgrad and maximize: four steps against the rule by hand', () => {
  for (const amsgrad of [false, true]) {
    for (const maximize of [false, true]) {
      for (const decoupled of [false, true]) {
        const o = { lr: 0.1, amsgrad, maximize, wd: 0.05, decoupled };
        const make = (p: Tensor): Optimizer =>
          decoupled ? new AdamW([p], { lr: 0.1, amsgrad, maximize, weightDecay: 0.05 }) : new Adam([p], { lr: 0.1, amsgrad, maximize, weightDecay: 0.05 });
        const got = run(make);
        adamByHand(GRADS, o).forEach((e, i) => closeRel(got[i], e, `${decoupled ? 'AdamW' : 'Adam'} amsgrad=${amsgrad} maximize=${maximize} step ${i + 1}`));
      }
    }
  }
});

test('Adam amsgrad keeps the running max of v in its state', () => {
  const p = tensor([1], { requiresGrad: true });
  const opt = new Adam([p], { amsgrad: true });
  for (const g of [1, 0.01]) {
    p.grad = tensor([g]);
    opt.step();
  }
  // v after two steps: 0.999·0.001 + 0.001·1e-4 = 0.0009991; the max stays at the first step's 0.001.
  const [state] = opt.state();
  assert.ok(Math.abs(state.expAvgSq[0] - (0.999 * 0.001 + 0.001 * 1e-4)) < 1e-18);
  assert.is(state.maxExpAvgSq![0], (1 - 0.999) * 1 * 1);
  assert.is(new Adam([p]).state()[0].maxExpAvgSq, null);
});

test('SGD maximize ascends: θ + lr·g, with momentum, dampening, Nesterov and weight decay', () => {
  // plain: θ₁ = 1 + 0.1·1 = 1.1
  assert.is(run((p) => new SGD([p], { lr: 0.1, maximize: true }), [1])[0], 1 + 0.1 * 1);
  // torch.optim.SGD by hand: g ← −g; g ← g + λθ; b ← g, then μb + (1 − τ)g; g ← g + μb (Nesterov) or b; θ ← θ − γg
  const byHand = (mu: number, tau: number, nesterov: boolean, wd: number): number[] => {
    let theta = 1;
    let b = 0;
    return GRADS.map((g0, t) => {
      let g = -g0 + wd * theta;
      b = t === 0 ? g : mu * b + (1 - tau) * g;
      g = nesterov ? g + mu * b : b;
      theta -= 0.1 * g;
      return theta;
    });
  };
  for (const [mu, tau, nesterov, wd] of [
    [0.9, 0, false, 0],
    [0.9, 0.5, false, 0.01],
    [0.8, 0, true, 0.1],
  ] as const) {
    const got = run((p) => new SGD([p], { lr: 0.1, momentum: mu, dampening: tau, nesterov, weightDecay: wd, maximize: true }));
    byHand(mu, tau, nesterov, wd).forEach((e, i) => closeRel(got[i], e, `μ=${mu} τ=${tau} nesterov=${nesterov} λ=${wd} step ${i + 1}`));
  }
});

test('options: unknown keys are Errors listing the accepted keys; null means the defaults; flags must be booleans', () => {
  const p = tensor([1], { requiresGrad: true });
  const expectError = (run: () => unknown, fragment: string): void => {
    assert.throws(run, (e: Error) => e.message.includes(fragment), fragment);
  };
  expectError(() => new SGD([p], { lr: 0.1, weight_decay: 0.1 } as object as { lr: number }), 'SGD: unknown option "weight_decay" (it takes "lr", "momentum", "dampening", "nesterov", "weightDecay", "maximize")');
  expectError(() => new Adam([p], { amsGrad: true } as object), 'Adam: unknown option "amsGrad" (it takes "lr", "betas", "eps", "weightDecay", "amsgrad", "maximize")');
  expectError(() => new AdamW([p], { foreach: true } as object), 'AdamW: unknown option "foreach"');
  expectError(() => new Adam([p], { amsgrad: 1 as unknown as boolean }), 'Adam: amsgrad must be true or false, got 1');
  expectError(() => new SGD([p], { lr: 0.1, maximize: 'yes' as unknown as boolean }), 'SGD: maximize must be true or false, got "yes"');
  expectError(() => new Adam([p], 5 as unknown as object), 'Adam: options must be an object, got 5');
  expectError(() => new Linear(2, 3, { rng: rng(1), bias: true, dtype: 'f32' } as object as { rng: ReturnType<typeof rng> }), 'Linear: unknown option "dtype" (it takes "rng", "init", "bias")');
  expectError(() => new MLP([2, 3], { rng: rng(1), act: 'tanh' } as object as { rng: ReturnType<typeof rng> }), 'MLP: unknown option "act" (it takes "activation", "rng")');
  assert.is(new Adam([p], null).amsgrad, false);
  assert.is(new Adam([p], undefined).maximize, false);
});

test.run();
