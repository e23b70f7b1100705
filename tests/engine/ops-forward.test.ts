// Forward values of every op against arithmetic written out here, never against the engine itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor, tensor } from '../../engine/index.js';
import { close, expectTensor } from './helpers.js';

const E = Math.exp;
const m23 = () => tensor([[1, 2, 3], [4, 5, 6]]);

// ---- elementwise with broadcasting ----

test('add [2,1]×[1,3] by hand', () => {
  const out = tensor([[10], [20]]).add(tensor([[1, 2, 3]]));
  expectTensor(out, [2, 3], [10 + 1, 10 + 2, 10 + 3, 20 + 1, 20 + 2, 20 + 3], 0, 'add');
});

test('sub [2,3]×[3] by hand', () => {
  const out = m23().sub(tensor([1, 10, 100]));
  expectTensor(out, [2, 3], [1 - 1, 2 - 10, 3 - 100, 4 - 1, 5 - 10, 6 - 100], 0, 'sub');
});

test('mul []×[2,2] and a plain number operand', () => {
  expectTensor(tensor(3).mul(tensor([[1, 2], [3, 4]])), [2, 2], [3 * 1, 3 * 2, 3 * 3, 3 * 4], 0, 'mul scalar tensor');
  expectTensor(tensor([1.5, -2]).mul(4), [2], [1.5 * 4, -2 * 4], 0, 'mul number');
});

test('div [2,1]×[1,3] by hand', () => {
  const out = tensor([[1], [2]]).div(tensor([[2, 4, 8]]));
  expectTensor(out, [2, 3], [1 / 2, 1 / 4, 1 / 8, 2 / 2, 2 / 4, 2 / 8], 0, 'div');
});

test('add and sub [4,1,3]×[5,3] (the general broadcast path) by index arithmetic', () => {
  // a[i,0,k] = 100·i + k and b[j,k] = 10·j:  (a + b)[i,j,k] = 100·i + 10·j + k,  (a − b)[i,j,k] = 100·i − 10·j + k
  const a = tensor(Array.from({ length: 4 }, (_, i) => [[0, 1, 2].map((k) => 100 * i + k)]));
  const b = tensor(Array.from({ length: 5 }, (_, j) => [10 * j, 10 * j, 10 * j]));
  const sum: number[] = [];
  const difference: number[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 5; j++) {
      for (let k = 0; k < 3; k++) {
        sum.push(100 * i + 10 * j + k);
        difference.push(100 * i - 10 * j + k);
      }
    }
  }
  expectTensor(a.add(b), [4, 5, 3], sum, 0, 'add [4,1,3]×[5,3]');
  expectTensor(b.add(a), [4, 5, 3], sum, 0, 'add [5,3]×[4,1,3]');
  expectTensor(a.sub(b), [4, 5, 3], difference, 0, 'sub [4,1,3]×[5,3]');
});

test('mul and div on the general broadcast path [2,1,3]×[4,1]', () => {
  const a = tensor([[[1, 2, 3]], [[4, 5, 6]]]);
  const b = tensor([[1], [2], [4], [8]]);
  const mul: number[] = [];
  const div: number[] = [];
  for (const ai of [[1, 2, 3], [4, 5, 6]]) for (const bj of [1, 2, 4, 8]) for (const v of ai) {
    mul.push(v * bj);
    div.push(v / bj);
  }
  expectTensor(a.mul(b), [2, 4, 3], mul, 0, 'mul');
  expectTensor(a.div(b), [2, 4, 3], div, 0, 'div');
});

test('neg', () => {
  expectTensor(tensor([1, -2, 0.5]).neg(), [3], [-1, 2, -0.5], 0, 'neg');
});

// ---- elementwise, one input ----

test('exp, log, sqrt, abs, tanh by Math', () => {
  const x = [0.25, 1, 2.5];
  expectTensor(tensor(x).exp(), [3], [E(0.25), E(1), E(2.5)], 0, 'exp');
  expectTensor(tensor(x).log(), [3], [Math.log(0.25), 0, Math.log(2.5)], 0, 'log');
  expectTensor(tensor(x).sqrt(), [3], [0.5, 1, Math.sqrt(2.5)], 0, 'sqrt');
  expectTensor(tensor([-1.5, 0, 2]).abs(), [3], [1.5, 0, 2], 0, 'abs');
  expectTensor(tensor([-0.5, 0, 3]).tanh(), [3], [(E(-1) - 1) / (E(-1) + 1), 0, (E(6) - 1) / (E(6) + 1)], 1e-15, 'tanh');
});

test('sigmoid is 1/(1 + e^−x)', () => {
  const x = [-3, -0.5, 0, 0.5, 3];
  expectTensor(tensor(x).sigmoid(), [5], x.map((v) => 1 / (1 + E(-v))), 1e-16, 'sigmoid');
});

test('relu keeps the positive part', () => {
  expectTensor(tensor([-2, -0, 0, 0.1, 3]).relu(), [5], [0, 0, 0, 0.1, 3], 0, 'relu');
});

test('pow with several exponents', () => {
  const x = tensor([0.5, 2, 3]);
  expectTensor(x.pow(2), [3], [0.25, 4, 9], 0, 'pow 2');
  expectTensor(x.pow(3), [3], [0.125, 8, 27], 0, 'pow 3');
  expectTensor(x.pow(-1), [3], [2, 0.5, 1 / 3], 0, 'pow -1');
  expectTensor(x.pow(0.5), [3], [Math.SQRT1_2, Math.SQRT2, Math.sqrt(3)], 1e-15, 'pow 0.5');
  expectTensor(x.pow(0), [3], [1, 1, 1], 0, 'pow 0');
  expectTensor(tensor([-2, 0]).pow(2), [2], [4, 0], 0, 'pow 2 of a negative');
  expectTensor(tensor([-2]).pow(3), [1], [-8], 0, 'pow 3 of a negative');
});

test('clamp(min, max), clamp(min), clamp(undefined, max)', () => {
  const x = tensor([-2, -0.5, 0, 0.7, 3]);
  expectTensor(x.clamp(-1, 1), [5], [-1, -0.5, 0, 0.7, 1], 0, 'clamp(-1, 1)');
  expectTensor(x.clamp(0), [5], [0, 0, 0, 0.7, 3], 0, 'clamp(0)');
  expectTensor(x.clamp(undefined, 0.5), [5], [-2, -0.5, 0, 0.5, 0.5], 0, 'clamp(undefined, 0.5)');
  expectTensor(x.clamp(), [5], [-2, -0.5, 0, 0.7, 3], 0, 'clamp()');
});

// ---- along an axis ----

test('softmax([1,2,3]) is eˣ/Σeˣ', () => {
  const total = E(1) + E(2) + E(3);
  const out = tensor([1, 2, 3]).softmax();
  close(out.data[0], E(1) / total, 1e-15, 'softmax[0]');
  close(out.data[1], E(2) / total, 1e-15, 'softmax[1]');
  close(out.data[2], E(3) / total, 1e-15, 'softmax[2]');
});

test('softmax along axis 0 and -1 of a [2,3]', () => {
  const x = m23();
  const rows = [E(1) + E(2) + E(3), E(4) + E(5) + E(6)];
  expectTensor(x.softmax(-1), [2, 3], [1, 2, 3, 4, 5, 6].map((v, i) => E(v) / rows[Math.floor(i / 3)]), 1e-15, 'softmax(-1)');
  expectTensor(x.softmax(1), [2, 3], [1, 2, 3, 4, 5, 6].map((v, i) => E(v) / rows[Math.floor(i / 3)]), 1e-15, 'softmax(1)');
  const cols = [E(1) + E(4), E(2) + E(5), E(3) + E(6)];
  expectTensor(x.softmax(0), [2, 3], [1, 2, 3, 4, 5, 6].map((v, i) => E(v) / cols[i % 3]), 1e-15, 'softmax(0)');
});

test('logSoftmax([1,2,3]) is x − ln Σeˣ', () => {
  const lse = Math.log(E(1) + E(2) + E(3));
  expectTensor(tensor([1, 2, 3]).logSoftmax(), [3], [1 - lse, 2 - lse, 3 - lse], 1e-15, 'logSoftmax');
  const colLse = [Math.log(E(1) + E(4)), Math.log(E(2) + E(5)), Math.log(E(3) + E(6))];
  expectTensor(m23().logSoftmax(0), [2, 3], [1, 2, 3, 4, 5, 6].map((v, i) => v - colLse[i % 3]), 1e-14, 'logSoftmax(0)');
});

test('sum along axes, keepdims true/false, negative axis', () => {
  const x = m23();
  expectTensor(x.sum(), [], [1 + 2 + 3 + 4 + 5 + 6], 0, 'sum()');
  expectTensor(x.sum(undefined, true), [1, 1], [21], 0, 'sum(undefined, true)');
  expectTensor(x.sum(0), [3], [1 + 4, 2 + 5, 3 + 6], 0, 'sum(0)');
  expectTensor(x.sum(1), [2], [1 + 2 + 3, 4 + 5 + 6], 0, 'sum(1)');
  expectTensor(x.sum(-1, true), [2, 1], [6, 15], 0, 'sum(-1, true)');
  expectTensor(x.sum(-2, true), [1, 3], [5, 7, 9], 0, 'sum(-2, true)');
  expectTensor(tensor(4).sum(), [], [4], 0, 'sum of a scalar');
});

test('sum along the middle axis of a [2,3,2]', () => {
  // x[i,j,k] = 6i + 2j + k: Σ_j = 3·(6i + k) + 2·(0+1+2)
  const x = tensor(Array.from({ length: 12 }, (_, n) => n), { shape: [2, 3, 2] });
  expectTensor(x.sum(1), [2, 2], [0 + 2 + 4, 1 + 3 + 5, 6 + 8 + 10, 7 + 9 + 11], 0, 'sum(1)');
  expectTensor(x.sum(0), [3, 2], [0 + 6, 1 + 7, 2 + 8, 3 + 9, 4 + 10, 5 + 11], 0, 'sum(0)');
});

test('mean along axes', () => {
  const x = m23();
  expectTensor(x.mean(), [], [21 / 6], 0, 'mean()');
  expectTensor(x.mean(0), [3], [5 / 2, 7 / 2, 9 / 2], 0, 'mean(0)');
  expectTensor(x.mean(-1, true), [2, 1], [6 / 3, 15 / 3], 0, 'mean(-1, true)');
});

test('max along axes', () => {
  const x = tensor([[1, 7, 3], [9, 5, 6]]);
  expectTensor(x.max(), [], [9], 0, 'max()');
  expectTensor(x.max(0), [3], [9, 7, 6], 0, 'max(0)');
  expectTensor(x.max(1), [2], [7, 9], 0, 'max(1)');
  expectTensor(x.max(-1, true), [2, 1], [7, 9], 0, 'max(-1, true)');
  expectTensor(tensor([-3, -1, -2]).max(), [], [-1], 0, 'max of negatives');
});

test('max: a NaN in a line makes its max NaN', () => {
  const out = tensor([[1, NaN, 3], [4, 5, 6]]).max(1);
  assert.ok(Number.isNaN(out.data[0]), `max of [1, NaN, 3] is ${out.data[0]}`);
  assert.is(out.data[1], 6);
});

test('logsumexp along axes', () => {
  const x = m23();
  expectTensor(x.logsumexp(), [], [Math.log(E(1) + E(2) + E(3) + E(4) + E(5) + E(6))], 1e-15, 'logsumexp()');
  expectTensor(x.logsumexp(1), [2], [Math.log(E(1) + E(2) + E(3)), Math.log(E(4) + E(5) + E(6))], 1e-15, 'logsumexp(1)');
  expectTensor(
    x.logsumexp(0, true),
    [1, 3],
    [Math.log(E(1) + E(4)), Math.log(E(2) + E(5)), Math.log(E(3) + E(6))],
    1e-15,
    'logsumexp(0, true)',
  );
});

// ---- linear algebra and shape ----

test('matmul 2×3 · 3×2 by hand', () => {
  const a = m23();
  const b = tensor([[7, 8], [9, 10], [11, 12]]);
  expectTensor(
    a.matmul(b),
    [2, 2],
    [1 * 7 + 2 * 9 + 3 * 11, 1 * 8 + 2 * 10 + 3 * 12, 4 * 7 + 5 * 9 + 6 * 11, 4 * 8 + 5 * 10 + 6 * 12],
    0,
    'matmul',
  );
});

// Σ_p a[i,p]·b[p,j] by the definition, for every inner size the unrolled loop treats differently.
function naiveMatmul(a: number[][], b: number[][]): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b[0].length; j++) {
      let s = 0;
      for (let p = 0; p < b.length; p++) s += a[i][p] * b[p][j];
      out.push(s);
    }
  }
  return out;
}

for (const k of [1, 2, 3, 4, 5, 8, 9]) {
  test(`matmul [3,${k}]·[${k},2] with small integers`, () => {
    const a = Array.from({ length: 3 }, (_, i) => Array.from({ length: k }, (_, p) => i - p + 1));
    const b = Array.from({ length: k }, (_, p) => [p + 1, 2 - p]);
    expectTensor(tensor(a).matmul(tensor(b)), [3, 2], naiveMatmul(a, b), 0, `matmul k=${k}`);
  });
}

test('matmul of two 1-D tensors is their dot product', () => {
  expectTensor(tensor([1, 2, 3]).matmul(tensor([4, -5, 6])), [], [1 * 4 - 2 * 5 + 3 * 6], 0, 'dot');
});

test('reshape keeps row-major order; -1 is inferred', () => {
  const x = m23();
  const r = x.reshape([3, 2]);
  expectTensor(r, [3, 2], [1, 2, 3, 4, 5, 6], 0, 'reshape');
  assert.equal(r.toArray(), [[1, 2], [3, 4], [5, 6]]);
  expectTensor(x.reshape([-1]), [6], [1, 2, 3, 4, 5, 6], 0, 'reshape [-1]');
  expectTensor(x.reshape([1, -1, 2]), [1, 3, 2], [1, 2, 3, 4, 5, 6], 0, 'reshape [1,-1,2]');
  expectTensor(tensor([5]).reshape([]), [], [5], 0, 'reshape [1] to []');
  expectTensor(tensor(5).reshape([1, 1]), [1, 1], [5], 0, 'reshape [] to [1,1]');
  expectTensor(tensor([]).reshape([2, 0]), [2, 0], [], 0, 'reshape [0] to [2,0]');
  expectTensor(tensor([]).reshape([2, 0]).reshape([-1]), [0], [], 0, 'reshape [2,0] to [-1]');
});

test('transpose swaps the last two axes', () => {
  expectTensor(m23().transpose(), [3, 2], [1, 4, 2, 5, 3, 6], 0, 'transpose [2,3]');
  // batched: x[b,i,j] = 100b + 10i + j, out[b,j,i]
  const x = tensor([[[0, 1, 2], [10, 11, 12]], [[100, 101, 102], [110, 111, 112]]]);
  expectTensor(x.transpose(), [2, 3, 2], [0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112], 0, 'transpose [2,2,3]');
});

test('transpose of tensors with a zero size', () => {
  expectTensor(tensor([], { shape: [0, 3] }).transpose(), [3, 0], [], 0, 'transpose [0,3]');
  expectTensor(tensor([], { shape: [2, 0, 3] }).transpose(), [2, 3, 0], [], 0, 'transpose [2,0,3]');
});

test('expand repeats size-1 and missing leading axes', () => {
  expectTensor(tensor([[1], [2]]).expand([2, 3]), [2, 3], [1, 1, 1, 2, 2, 2], 0, 'expand [2,1] → [2,3]');
  expectTensor(tensor([1, 2, 3]).expand([2, 3]), [2, 3], [1, 2, 3, 1, 2, 3], 0, 'expand [3] → [2,3]');
  expectTensor(tensor(7).expand([2, 2]), [2, 2], [7, 7, 7, 7], 0, 'expand [] → [2,2]');
  expectTensor(tensor([[1, 2]]).expand([1, 2]), [1, 2], [1, 2], 0, 'expand to its own shape');
  expectTensor(
    tensor([[[1, 2, 3]], [[4, 5, 6]]]).expand([2, 2, 3]),
    [2, 2, 3],
    [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6],
    0,
    'expand [2,1,3] → [2,2,3]',
  );
});

test('pick takes x[i, indices[i]] from every row', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  expectTensor(x.pick([2, 0, 1]), [3], [3, 4, 8], 0, 'pick number[]');
  expectTensor(x.pick(Int32Array.from([1, 1, 2])), [3], [2, 5, 9], 0, 'pick Int32Array');
  expectTensor(x.pick(tensor([0, 2, 0])), [3], [1, 6, 7], 0, 'pick Tensor');
});

// ---- small accessors ----

test('item, size, ndim, toArray, toString, detach', () => {
  const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  assert.is(x.size, 4);
  assert.is(x.ndim, 2);
  assert.equal(x.toArray(), [[1, 2], [3, 4]]);
  assert.is(tensor(2.5).item(), 2.5);
  assert.is(tensor([[2.5]]).item(), 2.5);
  assert.is(tensor(2.5).toArray(), 2.5);
  assert.is(x.toString(), 'Tensor([[1, 2], [3, 4]], shape=[2,2], op=leaf)');
  assert.is(tensor([NaN, -Infinity]).toString(), 'Tensor([NaN, -Infinity], shape=[2], op=leaf)');
  assert.match(x.mul(2).toString(), /op=mul/);
  const d = x.mul(2).detach();
  assert.is(d.requiresGrad, false);
  assert.is(d.op, 'leaf');
  assert.is(d.inputs.length, 0);
  expectTensor(d, [2, 2], [2, 4, 6, 8], 0, 'detach keeps the values');
  assert.ok(x instanceof Tensor);
});

test.run();
