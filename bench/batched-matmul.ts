// Batched matmul against the one flat product of the same flops: prints GFLOP/s and their ratio.
// Run: npx tsx bench/batched-matmul.ts [--rounds 15]
// Each round times both sides back to back (alternating which goes first); the figure is the median.
import { Tensor } from '../engine/index.js';
import { randomMatrix } from './data.js';
import { scriptFlags } from './flags.js';
import { median, medianOfRatios, timeFor } from './harness.js';

interface Pair {
  label: string;
  flops: number;
  batched: () => void;
  flat: () => void;
}

function leaf(data: Float64Array, shape: number[]): Tensor {
  return new Tensor(data, shape);
}

function pairs(): Pair[] {
  const list: Pair[] = [];
  for (const [b, n, k, m] of [
    [16, 64, 64, 64],
    [64, 32, 32, 32],
    [4, 256, 128, 128],
  ] as const) {
    const a = randomMatrix(b * n, k, 1);
    const w = randomMatrix(k, m, 2);
    const ws = randomMatrix(b * k, m, 3);
    const aBatch = leaf(a, [b, n, k]);
    const aFlat = leaf(a, [b * n, k]);
    const wT = leaf(w, [k, m]);
    const wBatch = leaf(ws, [b, k, m]);
    const wOne = leaf(ws.subarray(0, k * m).slice(), [k, m]);
    const aOne = leaf(a.subarray(0, n * k).slice(), [n, k]);
    const flops = 2 * b * n * k * m;
    list.push({ label: `[${b},${n},${k}]·[${k},${m}] vs [${b * n},${k}]·[${k},${m}]`, flops, batched: () => void aBatch.matmul(wT), flat: () => void aFlat.matmul(wT) });
    // A batch of distinct matrices against B separate 2-D products of the same sizes.
    list.push({
      label: `[${b},${n},${k}]·[${b},${k},${m}] vs ${b} × [${n},${k}]·[${k},${m}]`,
      flops,
      batched: () => void aBatch.matmul(wBatch),
      flat: () => {
        for (let s = 0; s < b; s++) aOne.matmul(wOne);
      },
    });
  }
  return list;
}

const rounds = scriptFlags('batched-matmul').positiveInteger('--rounds', 15);
for (const p of pairs()) {
  for (let i = 0; i < 20; i++) {
    p.batched();
    p.flat();
  }
  const tb: number[] = [];
  const tf: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      tb.push(timeFor(p.batched, 40).wall);
      tf.push(timeFor(p.flat, 40).wall);
    } else {
      tf.push(timeFor(p.flat, 40).wall);
      tb.push(timeFor(p.batched, 40).wall);
    }
  }
  const gflops = (ms: number): string => (p.flops / (ms * 1e6)).toFixed(2);
  const ratio = medianOfRatios(tf, tb);
  console.log(`${p.label}: batched ${gflops(median(tb))} GFLOP/s, flat ${gflops(median(tf))} GFLOP/s, per-flop speed ratio batched/flat ${ratio.toFixed(3)}`);
}
