// The engine's memory internals: addmm (the fused linear op), in-place gradient accumulation, and
// the reuse of large gradient buffers once backward has consumed them. Each must give the same
// bits as the plain path, and no buffer a caller can still reach may ever be handed out again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor, addmm, noGrad, tensor } from '../../engine/index.js';
import { gradients } from '../../engine/autograd.js';
import { GradientStore, MIN_POOLED, allocate, bufferStats } from '../../engine/buffers.js';
import { expectGradGradOk, expectGradOk, fmt, throwsMatching, uniform } from './helpers.js';

function sameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.unreachable(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

// ---- addmm ----

test('addmm: a hand-worked 2×2·2×3 product plus a bias [3]', () => {
  const x = tensor([
    [1, 2],
    [-1, 0.5],
  ]);
  const w = tensor([
    [1, 0, -1],
    [2, 3, 0.5],
  ]);
  const out = addmm(tensor([0.25, -1, 4]), x, w);
  assert.equal(out.shape, [2, 3]);
  assert.is(out.op, 'addmm');
  // row 0: [1·1 + 2·2, 1·0 + 2·3, 1·(−1) + 2·0.5] + bias; row 1: [−1·1 + 0.5·2, −1·0 + 0.5·3, −1·(−1) + 0.5·0.5] + bias
  sameBits(out.data, Float64Array.of(5 + 0.25, 6 - 1, 0 + 4, 0 + 0.25, 1.5 - 1, 1.25 + 4), 'addmm');
});

for (const biasShape of [[5], [1, 5], [4, 5], [4, 1], []]) {
  test(`addmm: the same bits as matmul then add, and gradcheck, with input ${fmt(biasShape)}`, () => {
    const bias = uniform(biasShape, 1);
    const a = uniform([4, 6], 2);
    const b = uniform([6, 5], 3);
    sameBits(addmm(bias, a, b).data, a.matmul(b).add(bias).data, 'forward');
    const leaves = [bias, a, b].map((t) => new Tensor(t.data.slice(), t.shape, true));
    const gOut = uniform([4, 5], 4);
    addmm(leaves[0], leaves[1], leaves[2]).backward(gOut);
    const plain = [bias, a, b].map((t) => new Tensor(t.data.slice(), t.shape, true));
    plain[1].matmul(plain[2]).add(plain[0]).backward(gOut);
    leaves.forEach((t, i) => sameBits(t.grad!.data, plain[i].grad!.data, `gradient of input ${i}`));
    expectGradOk('addmm', (c, p, q) => addmm(c, p, q), [bias, a, b]);
  });
}

test('addmm: second order, and a number as input', () => {
  expectGradGradOk('addmm', (c, p, q) => addmm(c, p, q), [uniform([3], 5), uniform([2, 4], 6), uniform([4, 3], 7)]);
  const a = uniform([2, 2], 8);
  const b = uniform([2, 2], 9);
  sameBits(addmm(1.5, a, b).data, a.matmul(b).add(1.5).data, 'addmm(1.5, a, b)');
});

test('addmm: skips the gradient of a constant operand and records nothing under noGrad', () => {
  const w = new Tensor(uniform([3, 2], 10).data, [3, 2], true);
  const out = addmm(tensor([0, 0]), uniform([4, 3], 11), w);
  assert.is(out.requiresGrad, true);
  out.sum().backward();
  assert.equal(w.grad!.shape, [3, 2]);
  const quiet = noGrad(() => addmm(tensor([0, 0]), uniform([4, 3], 11), w));
  assert.is(quiet.requiresGrad, false);
  assert.is(quiet.inputs.length, 0);
});

test('addmm: shape errors name addmm, the shapes and what was expected', () => {
  const a = uniform([2, 3], 1);
  throwsMatching(() => addmm(tensor([0]), a, uniform([2, 3], 2)), /^addmm: expected mat1 \[n, k\] and mat2 \[k, m\], got \[2,3\] and \[2,3\]/);
  throwsMatching(() => addmm(tensor([0]), uniform([3], 1), uniform([3, 2], 2)), /^addmm: expected mat1 \[n, k\] and mat2 \[k, m\], got \[3\] and \[3,2\]/);
  throwsMatching(() => addmm(uniform([3, 1, 2], 3), a, uniform([3, 2], 2)), /^addmm: input of shape \[3,1,2\] does not broadcast to the product's shape \[2,2\]/);
  throwsMatching(() => addmm(uniform([3], 3), a, uniform([3, 2], 2)), /^addmm: cannot broadcast shapes \[3\] and \[2,2\]/);
  throwsMatching(() => addmm(tensor([0]), a, 'w' as unknown as Tensor), /^addmm: expected a Tensor or a number as operand, got "w"/);
});

// ---- gradient buffers ----

// Big enough for the free list: a [rows, 8] tensor with rows · 8 ≥ MIN_POOLED.
const ROWS = MIN_POOLED / 8;

test('buffers: a buffer let go by its last holder is the next one handed out, zero-filled (the mechanism the tests below guard)', () => {
  const store = new GradientStore(true);
  const [a, b] = [tensor([1], { requiresGrad: true }), tensor([2], { requiresGrad: true })];
  store.during(() => {
    const first = allocate('test', MIN_POOLED + 1);
    first.fill(7);
    const g = new Tensor(first, [MIN_POOLED + 1]);
    store.add(a, g);
    store.add(b, g);
    assert.is(store.next(), b, 'the node made last comes first');
    store.take(b);
    assert.is(store.next(), a); // b's share is let go here
    assert.ok(allocate('test', MIN_POOLED + 1) !== first, 'still held by a: not reused');
    store.take(a);
    assert.is(store.next(), null, 'nothing left'); // a's share is let go here
    const again = allocate('test', MIN_POOLED + 1);
    assert.ok(again === first, 'let go by both holders: reused');
    assert.is(again.every((v) => v === 0), true, 'and zero-filled');
  });
  // Outside a backward sweep nothing is reused: every buffer is fresh.
  const outside = allocate('test', MIN_POOLED + 1);
  assert.ok(outside.every((v) => v === 0));
});

// x, w [64, 64]: ∂/∂w = 2 + 5 = 7 and ∂/∂x = 3 + 5 = 8 everywhere. x.add(w)'s rule hands one gradient
// buffer to both x and w, so an in-place add into it for x would change w's gradient too.
function sharedBufferGrads(): { w: Tensor; x: Tensor } {
  const w = new Tensor(uniform([64, 64], 60).data, [64, 64], true);
  const x = new Tensor(uniform([64, 64], 61).data, [64, 64], true);
  w.mul(2).sum().add(x.mul(3).sum()).add(x.add(w).mul(5).sum()).backward();
  return { w, x };
}

function everywhere(t: Tensor, value: number): boolean {
  return t.data.every((v) => v === value);
}

test('buffers: a buffer two inputs share is never added to in place (w.grad = 7, x.grad = 8 everywhere)', () => {
  assert.ok(64 * 64 >= MIN_POOLED, 'the gradients are large enough for the store to reuse and add in place');
  const { w, x } = sharedBufferGrads();
  assert.ok(everywhere(w.grad!, 7), `w.grad: expected 7 everywhere, got ${w.grad!.data[0]} at [0, 0]`);
  assert.ok(everywhere(x.grad!, 8), `x.grad: expected 8 everywhere, got ${x.grad!.data[0]} at [0, 0]`);
});

test('buffers: negative control: a store that thinks a shared buffer is its own alone gets w.grad wrong', () => {
  // The store's sole-holder test, forced to answer true: the in-place add for x then writes into the
  // buffer w's pending gradient shares, and the test above would fail.
  const proto = GradientStore.prototype as unknown as { soleHolder: (data: Float64Array) => boolean };
  const honest = proto.soleHolder;
  proto.soleHolder = (data) => data.length >= MIN_POOLED;
  try {
    const { w } = sharedBufferGrads();
    assert.not.ok(everywhere(w.grad!, 7), 'with the sole-holder test broken, w.grad is no longer 7 everywhere');
  } finally {
    proto.soleHolder = honest;
  }
  assert.ok(everywhere(sharedBufferGrads().w.grad!, 7), 'and right again once it is restored');
});

test('buffers: fan-out gradients accumulate in place with the same bits as the graph-recording path', () => {
  // y = Σ (x·c1 + x·c2 + relu(x)·c3): x receives three gradients that are summed.
  const x0 = uniform([ROWS, 8], 20);
  const c = [uniform([ROWS, 8], 21), uniform([ROWS, 8], 22), uniform([8], 23)];
  const f = (x: Tensor): Tensor => x.mul(c[0]).add(x.mul(c[1])).add(x.relu().mul(c[2])).sum();
  const plain = new Tensor(x0.data.slice(), x0.shape, true);
  f(plain).backward();
  const recorded = new Tensor(x0.data.slice(), x0.shape, true);
  f(recorded).backward(undefined, { createGraph: true });
  sameBits(plain.grad!.data, recorded.grad!.data, 'x.grad');
  // The closed form: ∂y/∂x = c1 + c2 + [x > 0]·c3 (the sum taken in the order backward adds them).
  const expected = x0.data.map((v, i) => c[2].data[i % 8] * +(v > 0) + c[1].data[i] + c[0].data[i]);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(plain.grad!.data[i] - expected[i]) <= 1e-15 * 4, `x.grad[${i}]`);
  }
});

test('buffers: a second backward reuses the first one\'s buffers and gives the same bits', () => {
  const w = new Tensor(uniform([8, 8], 30).data, [8, 8], true);
  const x = uniform([ROWS, 8], 31);
  const step = (): Float64Array => {
    w.zeroGrad();
    x.matmul(w).relu().matmul(w).tanh().sum().backward();
    return w.grad!.data;
  };
  const first = step().slice();
  const reusedBefore = bufferStats().reused;
  const second = step();
  assert.ok(bufferStats().reused > reusedBefore, 'the second pass took buffers from the free list');
  sameBits(second, first, 'w.grad, second pass');
});

test('buffers: what backward hands out is never reused: an old .grad and gradients() results keep their values', () => {
  const x = new Tensor(uniform([ROWS, 8], 40).data, [ROWS, 8], true);
  const c = uniform([ROWS, 8], 41);
  // A large leaf gradient (handed over without a copy) and a returned gradient, kept by the caller.
  x.mul(c).tanh().sum().backward();
  const oldGrad = x.grad!;
  const kept = oldGrad.data.slice();
  const [returned] = gradients(x.mul(c).exp().sum(), [x]);
  const keptReturned = returned.data.slice();
  // Passes that allocate many buffers of the same size.
  for (let k = 0; k < 3; k++) {
    x.zeroGrad();
    x.mul(c).sigmoid().mul(c).tanh().sum().backward();
    gradients(x.mul(c).relu().mul(c).sum(), [x]);
  }
  sameBits(oldGrad.data, kept, 'the first .grad');
  sameBits(returned.data, keptReturned, 'the gradients() result');
});

test('buffers: a leaf that receives one gradient twice (add(x, x)) gets its own correct sum', () => {
  const x = new Tensor(uniform([ROWS, 8], 50).data, [ROWS, 8], true);
  const c = uniform([ROWS, 8], 51);
  const y = x.mul(c);
  y.add(y).sum().backward();
  // ∂Σ(2·x·c)/∂x = c + c
  for (let i = 0; i < c.size; i++) assert.is(x.grad!.data[i], c.data[i] + c.data[i], `x.grad[${i}]`);
});

test.run();
