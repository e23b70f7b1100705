// The matrix-product kernels side by side: the JS kernel, the wasm kernel on one thread and on two, in
// GFLOP/s; then the helper thread's break-even, the kernel alone and in whole training steps (the steps set
// THREADS_MIN_WORK in engine/wasm/backend.ts).
// Run: npx tsx bench/matmul-kernels.ts [--rounds 9] [--only products|threads|steps]
// Each round times every side back to back, the order alternating from round to round; figures are
// medians over the rounds (wall time; CPU time beside the one-thread sides), ratios the medians of
// per-round ratios (wall time).
import { rng, tensor } from '../engine/index.js';
import * as kernels from '../engine/kernels/matmul.js';
import { setBackend, setHelperThreadCount, setThreadsMinWork } from '../engine/wasm/backend.js';
import { matmulOperands, sharedInstance } from '../engine/wasm/kernels.js';
import { type KernelInstance, kernelModule } from '../engine/wasm/instance.js';
import { helperReady, matmulTwoThreads, startHelper } from '../engine/wasm/threads.js';
import { crossEntropy } from '../losses/index.js';
import { Adam, MLP } from '../models/index.js';
import { randomMatrix } from './data.js';
import { scriptFlags } from './flags.js';
import { median, medianOfRatios, roundOrder, timeFor } from './harness.js';

const flags = scriptFlags('matmul-kernels');
const rounds = flags.positiveInteger('--rounds', 9);
const only = flags.value('--only');
if (only !== undefined && !['products', 'threads', 'steps'].includes(only)) flags.usageError(`--only takes products, threads or steps, got ${only}`);

// Times each named side in alternating rounds; returns the ms per call of each, round by round.
function alternate(sides: [string, () => void][]): Map<string, { wall: number[]; cpu: number[] }> {
  for (const [, fn] of sides) timeFor(fn, 100);
  const times = new Map(sides.map(([name]) => [name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of roundOrder(sides, r)) {
      const t = timeFor(fn, 60);
      times.get(name)?.wall.push(t.wall);
      times.get(name)?.cpu.push(t.cpu);
    }
  }
  return times;
}

type Shape = { label: string; m: number; k: number; n: number; transA: boolean; transB: boolean };
const square = (n: number): Shape => ({ label: `${n}×${n}`, m: n, k: n, n, transA: false, transB: false });

// The whole product as the engine runs it (allocation, copies in and out, the kernel; the engine's own
// helper thread for products from THREADS_MIN_WORK on).
function products(): void {
  const shapes: Shape[] = [
    ...[64, 128, 256, 512].map(square),
    { label: 'MLP batch 2048: x·W [2048,64]·[64,64]', m: 2048, k: 64, n: 64, transA: false, transB: false },
    { label: 'MLP batch 2048: gOut·Wᵀ', m: 2048, k: 64, n: 64, transA: false, transB: true },
    { label: 'MLP batch 2048: xᵀ·gOut', m: 64, k: 2048, n: 64, transA: true, transB: false },
  ];
  for (const s of shapes) {
    const a = randomMatrix(s.m, s.k, 1);
    const b = randomMatrix(s.k, s.n, 2);
    const run = (): void => void kernels.matmul(a, b, s.m, s.k, s.n, s.transA, s.transB);
    const on = (backend: 'js' | 'wasm', helpers: 0 | 1) => (): void => {
      setBackend(backend);
      setHelperThreadCount(helpers);
      run();
    };
    const times = alternate([['js', on('js', 0)], ['wasm, 1 thread', on('wasm', 0)], ['wasm, 2 threads', on('wasm', 1)]]);
    const flops = 2 * s.m * s.k * s.n;
    const rate = (ms: number[]): string => (flops / (median(ms) * 1e6)).toFixed(2);
    const cells = [...times].map(([name, t]) => (name.endsWith('2 threads') ? `${name} ${rate(t.wall)}` : `${name} ${rate(t.wall)} (CPU time ${rate(t.cpu)})`));
    const speedup = medianOfRatios(times.get('wasm, 1 thread')?.wall ?? [], times.get('wasm, 2 threads')?.wall ?? []);
    console.log(`${s.label}: ${cells.join(', ')} GFLOP/s; 2 threads / 1: ${speedup.toFixed(2)}×`);
  }
}

// The kernel alone on one thread and split over two (the copies in and out, the same either way, left
// out): the work from which the split pays is the threshold.
async function threads(): Promise<void> {
  const wasm = sharedInstance();
  if (wasm === null) throw new Error('matmul-kernels: no shared wasm memory on this host');
  const helper = startHelperForBench(wasm);
  const h = await helper.ready;
  for (const [m, k, n] of [
    [16, 16, 16], [32, 32, 32], [64, 64, 64], [96, 96, 96], [128, 128, 128], [160, 160, 160], [192, 192, 192],
    [256, 64, 64], [512, 64, 64], [1024, 64, 64], [2048, 64, 64], [256, 256, 256],
  ]) {
    const layout = matmulOperands(wasm, randomMatrix(m, k, 3), randomMatrix(k, n, 4), m, k, n, false, false);
    const times = alternate([
      ['one', () => wasm.exports.matmul(...layout.args, 0, layout.m4)],
      ['two', () => matmulTwoThreads(wasm, h, layout.args, layout.m4)],
    ]);
    const one = median(times.get('one')?.wall ?? []);
    const two = median(times.get('two')?.wall ?? []);
    const speedup = medianOfRatios(times.get('one')?.wall ?? [], times.get('two')?.wall ?? []);
    console.log(`[${m},${k}]·[${k},${n}] (m·k·n = ${m * k * n}): one thread ${(one * 1000).toFixed(1)} µs, two ${(two * 1000).toFixed(1)} µs, speed-up ${speedup.toFixed(2)}×`);
  }
  helper.stop();
}

function startHelperForBench(wasm: KernelInstance) {
  const h = startHelper(wasm, kernelModule(true));
  if (h === null) throw new Error('matmul-kernels: no helper thread on this host');
  const ready = (async () => {
    while (!helperReady(h)) await new Promise((resolve) => setTimeout(resolve, 5));
    return h;
  })();
  return { ready, stop: () => h.stop() };
}

// Whole Adam steps of a 2-64-64-3 MLP (forward, cross-entropy, backward, update) on one thread (twice), and
// with the helper splitting products from 2²⁰ and from 2²² multiply-adds on: what a split gains once the
// copies into the shared memory and the rest of the step are counted, which the kernel alone leaves out.
// The batch sets the products' size: [batch, 64]·[64, 64] is batch · 4096 multiply-adds.
function steps(): void {
  for (const batch of [256, 512, 1024, 2048]) {
    const model = new MLP([2, 64, 64, 3], { activation: 'relu', rng: rng(0) });
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const x = tensor(randomMatrix(batch, 2, 5), { shape: [batch, 2] });
    const y = Int32Array.from({ length: batch }, (_, i) => i % 3);
    const step = (helpers: 0 | 1, from: number | null) => (): void => {
      setHelperThreadCount(helpers);
      setThreadsMinWork(from);
      optimizer.zeroGrad();
      crossEntropy(model.forward(x), y).backward();
      optimizer.step();
    };
    // 'one thread again' is the same side twice: how far apart two identical sides land is the noise.
    const times = alternate([
      ['one thread', step(0, null)],
      ['one thread again', step(0, null)],
      ['split from 2^20', step(1, 1 << 20)],
      ['split from 2^22', step(1, 1 << 22)],
    ]);
    setThreadsMinWork(null);
    const one = times.get('one thread')?.wall ?? [];
    const cells = [...times].map(([name, t]) => `${name} ${median(t.wall).toFixed(3)} ms`);
    const gains = [...times.keys()].slice(1).map((name) => `${name} ${medianOfRatios(one, times.get(name)?.wall ?? []).toFixed(2)}×`);
    console.log(`MLP step, batch ${batch} (products of ${batch * 4096} multiply-adds): ${cells.join(', ')}; one thread ÷ ${gains.join(', ')}`);
  }
}

if (only === undefined || only === 'products') products();
if (only === undefined || only === 'threads') await threads();
if (only === undefined || only === 'steps') steps();
