// The bench's own arithmetic: the ceilings compute the right thing, and the ratio helper is right.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matmulAccumulate } from '../../engine/index.js';
import { FusedMlp, focalForwardBackward, matmulUnrolled, tapeChain } from '../../bench/ceiling.js';
import { ADAM, FOCAL, MLP_SIZES, blobs, initParams, randomMatrix } from '../../bench/data.js';
import { focalgradFocal, focalgradMlp, focalgradTinyChain } from '../../bench/focalgrad.js';
import { type WorkloadResult, jsSide, median, medianOfRatios, roundOrder, runWorkload } from '../../bench/harness.js';
import { evaluateTargets, formatFigureGoals, formatFigures, formatRatios } from '../../bench/report.js';
import { saveRun } from '../../bench/save.js';
import {
  type CheckedWorkload,
  NO_PEERS,
  buildWorkloads,
  checkAgreement,
  deepChain,
  focalInputs,
  memoryRun,
  mlpSetup,
  TINY,
  workloadIds,
} from '../../bench/workloads.js';
import { MLP } from '../../models/index.js';
import { imbalancedBlobs } from '../../train/index.js';
import { runScript } from './spawn.js';
import { rng } from '../../engine/index.js';

function assertClose(actual: number, expected: number, rtol: number, what: string): void {
  const err = Math.abs(actual - expected);
  assert.ok(
    err <= rtol * Math.max(Math.abs(actual), Math.abs(expected)),
    `${what}: got ${actual}, expected ${expected} (relative error ${err / Math.abs(expected)})`,
  );
}

test('matmulUnrolled: a 2×5 by 5×3 product, k = 5 exercises the unrolled loop and its remainder', () => {
  const a = Float64Array.of(1, 2, 3, 4, 5, -1, 0, 2, 1, -2);
  const b = Float64Array.of(1, 0, 2, 0, 1, 1, 2, 1, 0, -1, 3, 1, 1, 1, 1);
  const c = new Float64Array(6).fill(99); // stale contents must be overwritten
  matmulUnrolled(a, b, c, 2, 5, 3);
  // row 0: [1·1 + 2·0 + 3·2 + 4·(−1) + 5·1, 1·0 + 2·1 + 3·1 + 4·3 + 5·1, 1·2 + 2·1 + 3·0 + 4·1 + 5·1]
  // row 1: [−1·1 + 0 + 2·2 + 1·(−1) − 2·1, −1·0 + 0 + 2·1 + 1·3 − 2·1, −1·2 + 0 + 2·0 + 1·1 − 2·1]
  assert.equal(Array.from(c), [8, 22, 13, 0, 3, -3]);
});

test('matmulAccumulate (the fused step\'s products): agrees with matmulUnrolled, plain and through a transposed A, with every remainder', () => {
  // 7 rows = one block of four + 3; k = 9 = two blocks of four + 1.
  const a = randomMatrix(7, 9, 1);
  const b = randomMatrix(9, 5, 2);
  const expected = new Float64Array(35);
  matmulUnrolled(a, b, expected, 7, 9, 5);
  const c = new Float64Array(35).fill(1); // it accumulates: C += A·B
  matmulAccumulate(a, 9, 1, b, 7, 9, 5, c);
  c.forEach((v, e) => assertClose(v - 1, expected[e], 1e-12, `A·B[${e}]`));
  const aT = new Float64Array(63);
  for (let i = 0; i < 7; i++) for (let p = 0; p < 9; p++) aT[p * 7 + i] = a[i * 9 + p];
  const viaT = new Float64Array(35);
  matmulAccumulate(aT, 1, 7, b, 7, 9, 5, viaT); // A[i, p] = aT[i + 7p]
  viaT.forEach((v, e) => assertClose(v, expected[e], 1e-12, `(aTᵀ)·B[${e}]`));
});

test('median and medianOfRatios: odd and even counts, ratio taken within each round', () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  // per-round ratios 10/2 = 5, 9/3 = 3, 40/10 = 4, 8/1 = 8: median (4 + 5) / 2 = 4.5,
  // while the ratio of medians would be 9.5 / 2.5 = 3.8.
  assert.is(medianOfRatios([10, 9, 40, 8], [2, 3, 10, 1]), 4.5);
  assert.throws(() => medianOfRatios([1, 2], [1]), /medianOfRatios: 2 numerators but 1 denominators/);
  assert.throws(() => median([]), /median: no values/);
});

test('roundOrder: each side goes first in turn', () => {
  const sides = ['focalgrad', 'tfjs', 'ceiling'];
  assert.equal(roundOrder(sides, 0), ['focalgrad', 'tfjs', 'ceiling']);
  assert.equal(roundOrder(sides, 1), ['tfjs', 'ceiling', 'focalgrad']);
  assert.equal(roundOrder(sides, 5), ['ceiling', 'focalgrad', 'tfjs']);
});

test('FusedMlp: gradients match central differences of its own loss', () => {
  const s = mlpSetup(8, 3);
  const frozen = { ...ADAM, lr: 0 }; // lr = 0 leaves the parameters where they were
  const lossAt = (params: Float64Array[]): number => new FusedMlp(s.sizes, params, s.batch, frozen).step(s.x, s.y, s.batch);
  const fused = new FusedMlp(s.sizes, s.params, s.batch, frozen);
  fused.step(s.x, s.y, s.batch);
  const h = 1e-6;
  for (const [q, e] of [[0, 3], [1, 5], [2, 100], [3, 7], [4, 17], [5, 2]]) {
    const plus = s.params.map((p) => Float64Array.from(p));
    const minus = s.params.map((p) => Float64Array.from(p));
    plus[q][e] += h;
    minus[q][e] -= h;
    const numeric = (lossAt(plus) - lossAt(minus)) / (2 * h);
    const analytic = fused.grads[q][e];
    assert.ok(Math.abs(analytic - numeric) <= 1e-7 + 1e-5 * Math.abs(numeric), `param ${q}[${e}]: ${analytic} vs ${numeric}`);
  }
});

test('FusedMlp: the same loss and Adam update as focalgrad, two steps at batch 32', () => {
  const s = mlpSetup(32);
  const fused = new FusedMlp(s.sizes, s.params, s.batch, ADAM);
  const engine = focalgradMlp(s);
  for (let step = 1; step <= 2; step++) {
    const before = engine.params();
    const lossFused = fused.step(s.x, s.y, s.batch);
    const lossEngine = engine.step();
    assertClose(lossFused, lossEngine, 1e-12, `loss at step ${step}`);
    const after = engine.params();
    after.forEach((p, q) => {
      for (let e = 0; e < p.length; e++) {
        // The update itself is compared, not the parameter, so that 1e-12 is a real bound; but
        // an update is read as a difference of parameters, so one ulp of the parameter (a rounding
        // either side may take) is allowed on top: 1.4e-17 is already 3e-12 of an update of 4e-6.
        const dEngine = p[e] - before[q][e];
        const dFused = fused.params[q][e] - before[q][e];
        const ulp = Math.abs(p[e]) * Number.EPSILON;
        const err = Math.abs(dFused - dEngine);
        assert.ok(err <= 1e-12 * Math.abs(dEngine) + ulp, `step ${step}, update of param ${q}[${e}]: got ${dFused}, expected ${dEngine}`);
      }
    });
  }
  assert.equal(MLP_SIZES, [2, 64, 64, 3]);
});

test('focalForwardBackward: loss and gradient match focalgrad on the bench inputs', () => {
  const { logits, y } = focalInputs(64);
  const dz = new Float64Array(logits.length);
  const loss = focalForwardBackward(logits, y, FOCAL.alpha, FOCAL.gamma, 3, dz);
  const engine = focalgradFocal(logits, y, 3, FOCAL.alpha, FOCAL.gamma)();
  assertClose(loss, engine.loss, 1e-12, 'focal loss');
  for (let e = 0; e < dz.length; e++) {
    assert.ok(Math.abs(dz[e] - engine.grad[e]) <= 1e-12 * Math.max(1e-3, Math.abs(engine.grad[e])), `∂loss/∂z[${e}]`);
  }
});

test('tapeChain and focalgrad: ∂Σy/∂x = c^L for the tiny-op chain', () => {
  const iterations = 300;
  const gx = new Float64Array(4);
  tapeChain(TINY.x, TINY.c, TINY.d, iterations, gx);
  const fg = focalgradTinyChain(TINY.x, TINY.c, TINY.d, iterations)();
  TINY.c.forEach((c, e) => {
    assertClose(gx[e], c ** iterations, 1e-12, `tape ∂Σy/∂x[${e}]`);
    assertClose(fg[e], c ** iterations, 1e-12, `focalgrad ∂Σy/∂x[${e}]`);
  });
});

test('every workload runs on focalgrad and the ceiling without the peers (what CI keeps alive)', async () => {
  const workloads = await buildWorkloads(NO_PEERS);
  const ids = ['mlp-32', 'mlp-256', 'mlp-2048', 'matmul-64', 'matmul-128', 'matmul-256', 'matmul-512', 'tiny-2000', 'tiny-10000', 'focal-4096'];
  assert.equal(workloads.map((w) => w.id), ids);
  assert.equal(workloadIds(), ids);
  for (const w of workloads) {
    assert.equal(Object.keys(w.sides), ['focalgrad', 'ceiling'], w.id);
    await w.sides.focalgrad.time(1);
    await w.sides.ceiling?.time(1);
    assert.equal(await checkAgreement(w), {}, `${w.id}: no peer, nothing to compare`);
    w.close();
  }
  const deep = deepChain(2000);
  assert.ok(deep.ok, `deep chain: ${deep.error ?? deep.maxRelError}`);
  const points = memoryRun(4, 2, () => undefined);
  assert.equal(points.map((p) => p.step), [2, 4]);
});

// A result as runWorkload makes one, with only what the tables and the goals read.
function result(id: string, group: string, ratios: WorkloadResult['ratios'], figure = 1234.5): WorkloadResult {
  const side = { msPerCall: 1, figure, callsPerBatch: 1, msPerCallByRound: [1] };
  const sides = Object.fromEntries(['focalgrad', ...Object.keys(ratios)].map((name) => [name, side]));
  return { id, group, name: id, unit: 'samples/s', work: 1, sides, ratios, agreement: {} };
}

test('evaluateTargets and the tables: a full run judges each goal, a quick run prints the ratios unjudged', () => {
  const results = [result('mlp-2048', 'mlp', { torch64: 1.2, ceiling: 0.89 }), result('tiny-2000', 'tiny', { ceiling: 2 })];
  const judged = evaluateTargets(results, true);
  const mlpCeiling = judged.find((t) => t.id === 'mlp-2048' && t.against === 'ceiling');
  assert.equal(mlpCeiling, { id: 'mlp-2048', against: 'ceiling', min: 0.9, value: 0.89, judged: true, pass: false });
  assert.is(judged.find((t) => t.id === 'mlp-2048' && t.against === 'torch64')?.pass, true); // 1.2 ≥ 0.6
  assert.is(judged.find((t) => t.id === 'tiny-2000' && t.against === 'tfjs')?.pass, null, 'no TF.js ratio: nothing to judge');
  const full = formatRatios(results, judged);
  assert.match(full, /1\.20× \(≥0\.6× pass\)\s+0\.89× \(≥0\.9× MISS\)/);

  const quick = evaluateTargets(results, false);
  for (const t of quick) {
    assert.is(t.judged, false, `${t.id} against ${t.against}`);
    assert.is(t.pass, null, `${t.id} against ${t.against}`);
  }
  const table = formatRatios(results, quick);
  assert.match(table, /1\.20× \(≥0\.6×\)\s+0\.89× \(≥0\.9×\)/);
  assert.not.match(table, /pass|MISS/);
  const [header, rule, ...rows] = table.split('\n');
  assert.ok(rule.length >= Math.max(header.length, ...rows.map((r) => r.length)), 'the rule spans the widest row');
  assert.is(header.indexOf('of ceiling'), rows[0].indexOf('0.89×'), 'the columns line up');
  const figures = formatFigures(results);
  assert.match(figures, /^workload\s+unit\s+focalgrad\s+PyTorch f64\s+ceiling\n/, 'only the sides that ran get a column');
  assert.match(figures, /mlp-2048\s+samples\/s\s+1\.2k\s+1\.2k\s+1\.2k\n\ntiny-2000\s+samples\/s\s+1\.2k\s+—\s+1\.2k/);
});

test('evaluateTargets: a tiny op (headline row: node\'s default heap flags) is judged on its own figure, at most 0.5 µs', () => {
  const tiny = (figure: number): WorkloadResult => ({ ...result('tiny-2000', 'tiny', {}, figure), unit: 'µs/op' });
  const at = (figure: number) => evaluateTargets([tiny(figure)], true).find((t) => t.id === 'tiny-2000' && t.against === 'figure');
  assert.is(at(0.5)?.pass, true);
  assert.is(at(0.51)?.pass, false);
  assert.ok(formatFigureGoals([tiny(0.51)], evaluateTargets([tiny(0.51)], true)).includes('tiny-2000: focalgrad 0.510 µs/op (≤0.5 MISS)'));
});

test('evaluateTargets: matmul 256 is judged on its own figure, at least 15 GFLOP/s', () => {
  const product = (figure: number): WorkloadResult => ({ ...result('matmul-256', 'matmul', {}, figure), unit: 'GFLOP/s' });
  const at = (figure: number) => evaluateTargets([product(figure)], true).find((t) => t.id === 'matmul-256' && t.against === 'figure');
  assert.is(at(15)?.pass, true);
  assert.is(at(14.9)?.pass, false);
  assert.ok(formatFigureGoals([product(14.9)], evaluateTargets([product(14.9)], true)).includes('matmul-256: focalgrad 14.90 GFLOP/s (≥15 MISS)'));
});

test('checkAgreement: a peer within its tolerance is reported; one beyond it is an Error naming both (a negative control)', async () => {
  const workload = (torch64: number[], torch32: number[]): CheckedWorkload => ({
    id: 'fake',
    group: 'fake',
    name: 'fake',
    unit: 'samples/s',
    work: 1,
    sides: { focalgrad: jsSide(() => undefined) },
    answers: { focalgrad: () => [1, -2, 4], torch64: () => torch64, torch32: async () => torch32 },
    close: () => undefined,
  });
  // largest difference / largest value: 4e-10 / 4 = 1e-10 and 2e-3 / 4 = 5e-4
  const found = await checkAgreement(workload([1, -2, 4 + 4e-10], [1 + 2e-3, -2, 4]));
  assert.ok(Math.abs((found.torch64 ?? 0) - 1e-10) < 1e-15, `torch64: ${found.torch64}`);
  assert.ok(Math.abs((found.torch32 ?? 0) - 5e-4) < 1e-12, `torch32: ${found.torch32}`);
  await checkAgreement(workload([1, -2, 4 + 4e-8], [1, -2, 4])).then(
    () => assert.unreachable('a float64 peer 1e-8 off must be caught'),
    (err: Error) => assert.match(err.message, /^bench: fake: torch64 disagrees with focalgrad by 1\.00e-8 \(tolerance 1e-9\)/),
  );
  await checkAgreement(workload([1, -2, 4], [1, -2])).then(
    () => assert.unreachable('a short answer must be caught'),
    (err: Error) => assert.match(err.message, /torch32 answers 2 values, focalgrad 3/),
  );
});

test('runWorkload: every side timed each round, ratios t(side) / t(focalgrad) from the same rounds', async () => {
  let fgCalls = 0;
  const slow = { time: (calls: number) => calls * 3 }; // an external side: 3 ms per call by its own clock
  const r = await runWorkload(
    { id: 'x', group: 'x', name: 'x', unit: 'µs/op', work: 1000, sides: { focalgrad: jsSide(() => void fgCalls++), torch32: slow } },
    { rounds: 3, minBatchMs: 1, warmupMs: 1 },
  );
  assert.ok(fgCalls > 0);
  assert.equal(r.sides.torch32?.msPerCallByRound, [3, 3, 3]);
  assert.is(r.sides.torch32?.figure, 3, '3 ms per call of 1000 ops = 3 µs/op');
  const fg = r.sides.focalgrad!.msPerCallByRound;
  assert.is(r.ratios.torch32, median(fg.map((t) => 3 / t)));
});

test('bench data: the trainer\'s blobs and the library\'s initial weights', () => {
  const { x, y } = blobs(256, 5);
  assert.is(x.length, 512);
  assert.is(y.length, 256);
  // The same rows as imbalancedBlobs' train split with the same options (n = ⌈256 / 0.7⌉ + 100 = 466).
  const { train } = imbalancedBlobs({ n: 466, testFraction: 0.3, seed: 5 });
  assert.equal(Array.from(y), Array.from(train.y.slice(0, 256)));
  assert.ok(new Set(y).size === 3, 'all three classes appear');
  const params = initParams([2, 4, 3], 9);
  const expected = new MLP([2, 4, 3], { activation: 'relu', rng: rng(9) }).parameters();
  assert.equal(params.map((p) => Array.from(p)), expected.map((p) => Array.from(p.data)));
});

test('saveRun: stamped and latest .json and .txt, each ending in a newline, no temporary file left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-bench-'));
  try {
    const out = join(dir, 'bench-results');
    const written = saveRun(out, 'bench-1', { quick: true, targets: [] }, 'the table');
    assert.equal(written, [join(out, 'bench-1.json'), join(out, 'bench-1.txt')]);
    assert.equal(readdirSync(out).sort(), ['bench-1.json', 'bench-1.txt', 'latest.json', 'latest.txt']);
    const json = readFileSync(join(out, 'bench-1.json'), 'utf8');
    assert.is(json, '{\n  "quick": true,\n  "targets": []\n}\n');
    assert.is(readFileSync(join(out, 'latest.json'), 'utf8'), json);
    assert.is(readFileSync(join(out, 'bench-1.txt'), 'utf8'), 'the table\n');
    // A second run replaces latest.* whole.
    saveRun(out, 'bench-2', { quick: false }, 'another table\n');
    assert.is(readFileSync(join(out, 'latest.txt'), 'utf8'), 'another table\n');
    assert.is(readFileSync(join(out, 'latest.json'), 'utf8'), '{\n  "quick": false\n}\n');
    assert.is(readdirSync(out).length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spawned bench: a bad flag exits 2 with a one-line error and the usage on stderr, nothing on stdout', () => {
  const cases: [string[], string][] = [
    [['--bogus'], 'unknown flag --bogus'],
    [['--rounds', 'abc'], '--rounds must be a positive integer, got abc'],
    [['--only'], '--only needs a value'],
    [['--only', 'nothing', '--self-only'], '--only: no workload id contains nothing'],
  ];
  for (const [args, message] of cases) {
    const { status, stdout, stderr } = runScript('bench/bench.ts', args);
    assert.is(status, 2, `${args.join(' ')}: ${stderr}`);
    assert.is(stdout, '', args.join(' '));
    const [first, second] = stderr.split('\n');
    assert.is(first, `error: ${message}`);
    assert.is(second, '');
    assert.ok(stderr.includes('usage: npm run bench'), `${args.join(' ')}: the usage follows the error`);
  }
});

test('spawned profile-summary: self time per function, with and without --top; no file exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-profile-'));
  try {
    // Three samples in hot (6 ms), one in cold (2 ms): shares 6/8 = 75% and 2/8 = 25%.
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: 'hot', url: '', lineNumber: 0 } },
        { id: 2, callFrame: { functionName: 'cold', url: '', lineNumber: 0 } },
      ],
      samples: [1, 2, 1, 1],
      timeDeltas: [2000, 2000, 2000, 2000],
    };
    const file = join(dir, 'a.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    const all = runScript('bench/profile-summary.ts', [file]);
    assert.is(all.status, 0, all.stderr);
    assert.equal(all.stdout.split('\n').slice(1, 3), [' 75.0%       6 ms  hot', ' 25.0%       2 ms  cold']);
    const top = runScript('bench/profile-summary.ts', ['--top', '1', file]);
    assert.is(top.status, 0, top.stderr);
    assert.equal(top.stdout.trimEnd().split('\n'), [`${file}: 8 ms sampled`, ' 75.0%       6 ms  hot']);
    const none = runScript('bench/profile-summary.ts', []);
    assert.is(none.status, 2);
    assert.match(none.stderr, /^error: no \.cpuprofile given\n\nusage: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
