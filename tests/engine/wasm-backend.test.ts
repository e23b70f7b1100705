// setBackend: the switch between the JS kernels and their wasm twins, and the engine's results under each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getBackend, randn, rng, setBackend } from '../../engine/index.js';
import { WASM_MIN_WORK } from '../../engine/wasm/backend.js';

test('the default backend is wasm where WebAssembly SIMD runs (Node 20 does)', () => {
  assert.is(getBackend(), 'wasm');
});

test('setBackend takes js or wasm and names anything else it is given', () => {
  setBackend('js');
  assert.is(getBackend(), 'js');
  setBackend('wasm');
  assert.is(getBackend(), 'wasm');
  assert.throws(() => setBackend('gpu' as never), /setBackend: expected 'js' or 'wasm', got "gpu"/);
  assert.throws(() => setBackend(undefined as never), /got undefined/);
  assert.is(getBackend(), 'wasm', 'a refused name leaves the backend as it was');
});

// `run` on the js backend, then on wasm: each of its results the same bits on both (Object.is: −0 ≠ 0, NaN = NaN).
function assertSameBitsOnBoth(run: () => Float64Array[]): void {
  setBackend('js');
  let js: Float64Array[];
  try {
    js = run();
  } finally {
    setBackend('wasm');
  }
  const wasm = run();
  for (let t = 0; t < js.length; t++) {
    assert.is(js[t].length, wasm[t].length);
    js[t].forEach((v, i) => assert.ok(Object.is(v, wasm[t][i]), `result ${t}, element ${i}: ${wasm[t][i]} on wasm, ${v} on js`));
  }
}

// A two-layer network's loss and gradients, with products above the wasm threshold, forward and backward
// (x·W, gOut·Wᵀ and xᵀ·gOut: the NN, NT and TN forms).
function run(): Float64Array[] {
  const r = rng(3);
  const x = randn([70, 33], r);
  const w1 = randn([33, 45], r, { requiresGrad: true });
  const w2 = randn([45, 9], r, { requiresGrad: true });
  const loss = x.matmul(w1).relu().matmul(w2).logSoftmax(-1).pick([...Array(70).keys()].map((i) => i % 9)).mean();
  loss.backward();
  return [loss.data, w1.grad!.data, w2.grad!.data];
}

test('an MLP\'s loss and gradients: the same bits on both backends', () => {
  assert.ok(70 * 33 * 45 >= WASM_MIN_WORK, 'the products are large enough to run on wasm');
  assertSameBitsOnBoth(run);
});

// A batch of distinct matrices ([3, 40, 30]·[3, 30, 20]) and its gradients: every slice's product,
// forward and backward, runs the 2-D kernel of the backend.
function runBatched(): Float64Array[] {
  const r = rng(4);
  const a = randn([3, 40, 30], r, { requiresGrad: true });
  const b = randn([3, 30, 20], r, { requiresGrad: true });
  const out = a.matmul(b);
  out.mul(randn([3, 40, 20], r)).sum().backward();
  return [out.data, a.grad!.data, b.grad!.data];
}

test('a batched product of distinct matrices and its gradients: the same bits on both backends', () => {
  assert.ok(40 * 30 * 20 >= WASM_MIN_WORK, 'each slice is large enough to run on wasm');
  assertSameBitsOnBoth(runBatched);
});

test.run();
