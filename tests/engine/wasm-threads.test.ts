// Two threads over one shared wasm memory: a product split between them is the same bits as on one thread
// and as the JS kernel, whatever the shape (bands are cut at multiples of four rows).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matmulJs } from '../../engine/kernels/matmul.js';
import { rng } from '../../engine/rng.js';
import { THREADS_MIN_WORK, setHelperThreadCount, setThreadsMinWork, splitOverThreads } from '../../engine/wasm/backend.js';
import { kernelModule } from '../../engine/wasm/instance.js';
import * as wasm from '../../engine/wasm/kernels.js';
import { helperReady, matmulTwoThreads, startHelper } from '../../engine/wasm/threads.js';

function jsMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  matmulJs(a, b, m, k, n, false, transB, out);
  return out;
}
function wasmMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  wasm.matmulInto(a, b, m, k, n, false, transB, out);
  return out;
}

function sameBits(x: Float64Array, y: Float64Array): boolean {
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}

test('a product computed by two threads in chunks of rows gives the one-thread bits, whatever the chunks and across cache blocks', async () => {
  const instance = wasm.sharedInstance();
  assert.ok(instance !== null && instance.shared, 'Node shares wasm memory');
  const helper = startHelper(instance, kernelModule(true));
  assert.ok(helper !== null);
  for (let tries = 0; !helperReady(helper); tries++) {
    assert.ok(tries < 500, 'the helper thread started within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  let helped = 0;
  try {
    const r = rng(7);
    for (const [m, k, n] of [[1, 3, 2], [4, 4, 4], [5, 17, 3], [7, 9, 8], [8, 5, 1], [13, 33, 17], [64, 64, 64], [67, 5, 31], [37, 300, 70], [9, 513, 66]]) {
      const a = Float64Array.from({ length: m * k }, () => r.normal());
      const b = Float64Array.from({ length: k * n }, () => r.normal());
      const one = wasmMatmul(a, b, m, k, n, false);
      // laid out as wasm.matmulInto lays it out; out's memory first poisoned with NaN; cut into 1 to 16 chunks
      const layout = wasm.matmulOperands(instance, a, b, m, k, n, false, false);
      for (const chunks of [1, 2, 3, 16]) {
        instance.f64.fill(NaN, layout.outAt, layout.outAt + layout.m4 * layout.n4);
        helped += matmulTwoThreads(instance, helper, layout.args, layout.m4, chunks);
        const two = new Float64Array(m * n);
        wasm.matmulResult(instance.f64, layout, m, n, two);
        assert.ok(sameBits(one, two), `[${m},${k}]·[${k},${n}] on two threads, ${chunks} chunks`);
        assert.ok(sameBits(jsMatmul(a, b, m, k, n, false), two), `[${m},${k}]·[${k},${n}] against the JS kernel`);
      }
    }
    // a helper that is slow to wake may have left every chunk above to this thread: a larger product
    // until it has computed some, so that bits of its computing are among those compared
    const [m, k, n] = [1024, 64, 64];
    const a = Float64Array.from({ length: m * k }, () => r.normal());
    const b = Float64Array.from({ length: k * n }, () => r.normal());
    const one = wasmMatmul(a, b, m, k, n, false);
    for (let tries = 0; helped === 0 && tries < 200; tries++) {
      const layout = wasm.matmulOperands(instance, a, b, m, k, n, false, false);
      instance.f64.fill(NaN, layout.outAt, layout.outAt + layout.m4 * layout.n4);
      helped += matmulTwoThreads(instance, helper, layout.args, layout.m4);
      const two = new Float64Array(m * n);
      wasm.matmulResult(instance.f64, layout, m, n, two);
      assert.ok(sameBits(one, two), `[${m},${k}]·[${k},${n}] on two threads`);
    }
    assert.ok(helped > 0, 'the helper computed some of the chunks');
  } finally {
    helper.stop();
  }
});

test('wasm.matmul above the threads threshold: the same bits with the helper allowed and forbidden', async () => {
  const side = Math.ceil(Math.cbrt(THREADS_MIN_WORK)) + 3;
  const r = rng(8);
  const a = Float64Array.from({ length: side * side }, () => r.normal());
  const b = Float64Array.from({ length: side * side }, () => r.normal());
  setHelperThreadCount(0);
  const one = wasmMatmul(a, b, side, side, side, true);
  setHelperThreadCount(1);
  // the first large product starts the helper; later ones use it once it is ready
  wasmMatmul(a, b, side, side, side, true);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const two = wasmMatmul(a, b, side, side, side, true);
  assert.ok(sameBits(one, two));
  assert.ok(sameBits(jsMatmul(a, b, side, side, side, true), two));
});

test('splitOverThreads: from THREADS_MIN_WORK multiply-adds on, never without a helper; setThreadsMinWork moves it and null restores it', () => {
  assert.is(THREADS_MIN_WORK, 1 << 22);
  setHelperThreadCount(1);
  assert.is(splitOverThreads(THREADS_MIN_WORK), true);
  assert.is(splitOverThreads(THREADS_MIN_WORK - 1), false);
  setThreadsMinWork(1 << 20);
  assert.is(splitOverThreads(1 << 20), true);
  assert.is(splitOverThreads((1 << 20) - 1), false);
  setHelperThreadCount(0);
  assert.is(splitOverThreads(1 << 30), false);
  setHelperThreadCount(1);
  setThreadsMinWork(null);
  assert.is(splitOverThreads(1 << 20), false);
  assert.is(splitOverThreads(THREADS_MIN_WORK), true);
});

test.run();
