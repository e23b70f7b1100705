// The most float64 arithmetic WebAssembly SIMD can do on this machine: a loop of independent f64x2
// multiply + add chains kept in registers (no memory traffic), the roof under the wasm matmul kernel.
// WebAssembly SIMD is 128 bits wide and has no fused multiply-add, so each chain step is a mul and an add:
// with enough chains in flight to cover their latency, the loop runs at the FP units' throughput.
// Run: npx tsx bench/roofline.ts [--chains 12] [--rounds 7]
import wabt from 'wabt';
import { scriptFlags } from './flags.js';

const flags = scriptFlags('roofline');
// x64 has 16 SIMD registers and two hold the constants: 12 chains stay in registers (14 spill, measured).
const chains = flags.positiveInteger('--chains', 12, 14);
const rounds = flags.positiveInteger('--rounds', 7);

// a_i ← a_i · m + c for every chain i, n times; the sum of the chains is returned so that nothing is dead code.
function loopWat(k: number): string {
  const chain = Array.from({ length: k }, (_, i) => i);
  const sum = chain.slice(1).reduce((s, i) => `(f64x2.add ${s} (local.get $a${i}))`, '(local.get $a0)');
  return `(module
  (func (export "run") (param $n i32) (result f64)
    ${chain.map((i) => `(local $a${i} v128)`).join(' ')} (local $m v128) (local $c v128)
    (local.set $m (f64x2.splat (f64.const 0.9999999)))
    (local.set $c (f64x2.splat (f64.const 0.0000001)))
    ${chain.map((i) => `(local.set $a${i} (f64x2.splat (f64.const ${1 + i / 10})))`).join('\n    ')}
    (loop $steps
      ${chain.map((i) => `(local.set $a${i} (f64x2.add (f64x2.mul (local.get $a${i}) (local.get $m)) (local.get $c)))`).join('\n      ')}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $steps (local.get $n)))
    (f64x2.extract_lane 0 ${sum})))`;
}

const module = (await wabt()).parseWat('roofline.wat', loopWat(chains), { simd: true });
const { buffer } = module.toBinary({ log: false });
module.destroy();
const instance = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(buffer)));
const run = instance.exports.run as (n: number) => number;

const STEPS = 20_000_000;
// Each step: `chains` f64x2 multiplies and adds, 2 lanes each.
const flops = STEPS * chains * 2 * 2;
// The first calls run on V8's baseline wasm compiler (a third of the speed) until the optimised code is ready.
run(STEPS);
run(STEPS);
const rates: number[] = [];
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  run(STEPS);
  rates.push(flops / ((performance.now() - t0) * 1e6));
}
rates.sort((a, b) => a - b);
console.log(
  `f64x2 multiply + add, ${chains} chains in registers: ${rates[rates.length >> 1].toFixed(1)} GFLOP/s median ` +
    `(${rates.map((x) => x.toFixed(1)).join(' / ')} over ${rounds} rounds)`,
);
