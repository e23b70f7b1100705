// Whether this machine's cores slow each other down: a throughput-bound arithmetic loop (twelve independent
// multiply-add chains, no memory traffic) timed alone, then as two copies at once on two worker threads,
// in alternating rounds. On a machine whose cores are independent both copies keep the rate of one alone;
// then `--jobs 2` can approach 2× `--jobs 1`. Where they do not, no scheduling recovers the difference.
// Run: npx tsx bench/cores.ts [--rounds 3] [--seconds 2]
import { Worker } from 'node:worker_threads';
import { median } from './harness.js';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!(value > 0)) throw new Error(`cores: ${name} must be a positive number, got ${process.argv[at + 1]}`);
  return value;
};
const rounds = flag('--rounds', 3);
const seconds = flag('--seconds', 2);

// The loop, as the source of a worker: millions of multiply-adds per second over `ms` milliseconds.
const LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
// In a function: top-level variables of an eval'd worker are script globals, which V8 does not keep in registers.
function run(ms) {
  let a0 = 1, a1 = 1, a2 = 1, a3 = 1, a4 = 1, a5 = 1, a6 = 1, a7 = 1, a8 = 1, a9 = 1, a10 = 1, a11 = 1;
  const m = 0.99999999, c = 1e-8;
  const start = performance.now();
  let blocks = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1e6; i++) {
      a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c; a4 = a4 * m + c; a5 = a5 * m + c;
      a6 = a6 * m + c; a7 = a7 * m + c; a8 = a8 * m + c; a9 = a9 * m + c; a10 = a10 * m + c; a11 = a11 * m + c;
    }
    blocks++;
  }
  const sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
  return { rate: (blocks * 12) / ((performance.now() - start) / 1000), finite: Number.isFinite(sum) };
}
parentPort.postMessage(run(workerData.ms));
`;

function loop(): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOOP, { eval: true, workerData: { ms: seconds * 1000 } });
    worker.once('message', (message: { rate: number; finite: boolean }) => {
      if (!message.finite) reject(new Error('cores: the loop overflowed'));
      else resolve(message.rate);
    });
    worker.once('error', reject);
  });
}

const alone: number[] = [];
const together: number[] = [];
for (let round = 0; round < rounds; round++) {
  const sides = [async () => alone.push(await loop()), async () => together.push(...(await Promise.all([loop(), loop()])))];
  for (const side of round % 2 === 0 ? sides : sides.reverse()) await side();
}
const perCopy = median(together) / median(alone);
process.stdout.write(
  `alone: ${median(alone).toFixed(0)} M multiply-adds/s (${alone.map((r) => r.toFixed(0)).join(' / ')})\n` +
    `two at once, each: ${median(together).toFixed(0)} M/s (${together.map((r) => r.toFixed(0)).join(' / ')})\n` +
    `each copy keeps ${(100 * perCopy).toFixed(0)} % of the rate alone: two cores do ${(2 * perCopy).toFixed(2)}× the work of one\n`,
);
