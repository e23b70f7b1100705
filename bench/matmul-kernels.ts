// The matrix-product kernels side by side: the JS kernel, the wasm kernel on one thread and on two, in
// GFLOP/s; then the helper thread's break-even, which sets THREADS_MIN_WORK in engine/wasm/backend.ts.
// Run: npx tsx bench/matmul-kernels.ts [--rounds 9] [--only products|threads]
// Each round times every side back to back, the order alternating from round to round; figures are
// medians over the rounds (wall time; CPU time beside the one-thread sides), ratios the medians of
// per-round ratios (wall time).
import * as kernels from '../engine/kernels/matmul.js';
import { setBackend, setHelperThreadCount } from '../engine/wasm/backend.js';
import { matmulOperands, sharedInstance } from '../engine/wasm/kernels.js';
import { type KernelInstance, kernelModule } from '../engine/wasm/instance.js';
import { helperReady, matmulTwoThreads, startHelper } from '../engine/wasm/threads.js';
import { randomMatrix } from './data.js';
import { median, medianOfRatios, roundOrder, timeFor } from './harness.js';

const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const rounds = Number(flag('--rounds') ?? 9);
const only = flag('--only');
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('matmul-kernels: --rounds must be a positive integer');

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

if (only !== 'threads') products();
if (only !== 'products') await threads();
