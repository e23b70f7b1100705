// npm run bench [-- --quick] [--no-peer | --self-only] [--only ID] [--rounds N] [--profile ID --seconds S]
// focalgrad against TensorFlow.js (cpu backend) and hand-written loops, in alternating rounds;
// prints a table and saves it, and the whole run as JSON, under bench-results/ (git-ignored).

import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type WorkloadResult, runWorkload, nowMs } from './bench/harness.js';
import { evaluateTargets, formatTable, mib, signedMib } from './bench/report.js';
import { saveRun } from './bench/save.js';
import { type Tf, ensurePeerInstalled, loadTf } from './bench/tfjs.js';
import { type PeerAgreement, buildWorkloads, deepChain, memoryRun, peerAgreement } from './bench/workloads.js';
import { ROOT } from './paths.js';

interface Flags {
  /** internal: run exactly this workload and print its result as JSON (see runIsolated) */
  child: string | null;
  quick: boolean;
  peer: boolean;
  only: string | null;
  rounds: number | null;
  profile: string | null;
  seconds: number;
}

const USAGE = `usage: npm run bench -- [--quick] [--no-peer | --self-only] [--only ID] [--rounds N]
       node --import tsx --cpu-prof scripts/bench.ts --profile ID [--seconds S]
  --quick          a short run (fewer rounds, shorter batches, 2,000 memory steps): ratios are
                   printed but not judged against their targets
  --no-peer        focalgrad and the ceilings only; TF.js is neither installed nor loaded
  --only ID        run the workloads whose id contains ID (mlp-32, matmul-512, tiny, focal, ...)
  --rounds N       rounds per workload (default 15, quick 5)
  --profile ID     loop focalgrad's side of one workload for S seconds (default 5), nothing else;
                   npx tsx scripts/bench/profile-summary.ts FILE.cpuprofile lists the functions
                   with the most self time in the profile that --cpu-prof writes`;

/** A bad command line: exits 2 with the usage; any other failure exits 1. */
class UsageError extends Error {}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { child: null, quick: false, peer: true, only: null, rounds: null, profile: null, seconds: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const positive = (integer: boolean): number => {
      const text = value();
      const n = Number(text);
      if (!(Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n)))) {
        throw new UsageError(`${a} must be a positive ${integer ? 'integer' : 'number'}, got ${text}`);
      }
      return n;
    };
    if (a === '--quick') flags.quick = true;
    else if (a === '--no-peer' || a === '--self-only') flags.peer = false;
    else if (a === '--only') flags.only = value();
    else if (a === '--child') flags.child = value();
    else if (a === '--rounds') flags.rounds = positive(true);
    else if (a === '--profile') flags.profile = value();
    else if (a === '--seconds') flags.seconds = positive(false);
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown flag ${a}`);
  }
  return flags;
}

type Gc = (options?: { type?: 'major' | 'minor' }) => void;

/** V8's gc(): global.gc under --expose-gc, else the same function switched on at run time. */
function findGc(): { gc: Gc; how: string } {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (typeof exposed === 'function') return { gc: exposed, how: 'node --expose-gc' };
  // NOTE: setting the flag late and reading `gc` from a fresh context is V8's documented way to get
  // the same full collection without re-spawning node.
  setFlagsFromString('--expose-gc');
  return { gc: runInNewContext('gc') as Gc, how: 'v8.setFlagsFromString("--expose-gc")' };
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function profile(flags: Flags): void {
  const id = flags.profile ?? '';
  const [w] = buildWorkloads(null, (x) => x === id);
  if (w === undefined) throw new UsageError(`--profile: no workload ${id} (try mlp-32, mlp-2048, tiny-2000, matmul-256, focal-4096)`);
  const t0 = nowMs();
  let calls = 0;
  while (nowMs() - t0 < flags.seconds * 1000) {
    w.focalgrad();
    calls++;
  }
  const ms = (nowMs() - t0) / calls;
  log(`profiled ${w.id}: ${calls} calls, ${ms.toFixed(3)} ms per call`);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.profile !== null) return profile(flags);
  // What the parent runs, checked before TF.js is installed or loaded; a child runs its --child.
  const only = flags.only;
  const ids = flags.child === null ? buildWorkloads(null, (id) => only === null || id.includes(only)).map((w) => w.id) : [];
  if (flags.child === null && ids.length === 0) throw new UsageError(`--only: no workload id contains ${only}`);

  const { gc, how: gcHow } = findGc();
  const rounds = flags.rounds ?? (flags.quick ? 5 : 15);
  // NOTE: a young-generation GC between sides keeps one side's garbage off the other's clock; a full
  // GC would not do: it costs TF.js its compiled code, and its next calls run several times slower.
  const settle = (): void => gc({ type: 'minor' });
  const runOptions = { rounds, minBatchMs: flags.quick ? 10 : 40, warmupMs: flags.quick ? 30 : 200, settle };

  let tf: Tf | null = null;
  let agreement: PeerAgreement | null = null;
  if (flags.peer) {
    ensurePeerInstalled(log);
    tf = await loadTf();
    if (flags.child === null) agreement = peerAgreement(tf);
  }

  if (flags.child !== null) {
    const [w] = buildWorkloads(tf, (id) => id === flags.child);
    if (w === undefined) throw new Error(`bench: no workload ${flags.child}`);
    const result = runWorkload(w, runOptions);
    if (tf && w.peer) {
      // One more call must leave no tensor behind: the TF.js side disposes what it makes.
      const before = tf.memory().numTensors;
      w.peer();
      const leaked = tf.memory().numTensors - before;
      if (leaked !== 0) log(`  warning: the TF.js side of ${w.id} leaves ${leaked} tensors per call`);
    }
    process.stdout.write(`${CHILD_RESULT}${JSON.stringify(result)}\n`);
    return;
  }

  const started = nowMs();
  const results: WorkloadResult[] = [];
  for (const id of ids) {
    log(`  ${id} ...`);
    results.push(runIsolated(id, flags, rounds));
  }

  // The 100,000-op graph and the memory run belong to a whole run, not to --only.
  const runExtras = flags.only === null;
  if (runExtras) log('  deep chain ...');
  const deep = runExtras ? deepChain() : null;
  const memSteps = flags.quick ? 2000 : 10000;
  if (runExtras) log('  memory ...');
  const memory = runExtras ? memoryRun(memSteps, memSteps / 10, () => gc()) : [];
  // NOTE: a quick run's few short rounds put ratios near their target on either side from run to run.
  const targets = evaluateTargets(results, !flags.quick);

  const cpu = cpus();
  const lines: string[] = [
    '',
    `focalgrad bench${flags.quick ? ' (quick)' : ''} — Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}`,
    `focalgrad computes in float64; ${tf ? `TF.js ${tf.version.tfjs} (cpu backend, prod mode) computes in float32` : 'TF.js not run (--no-peer)'};` +
      ' the ceiling is hand-written Float64Array loops in this script (MLP: one fused step, products 4×4-blocked;' +
      ' matmul: i-k-j with k unrolled by four; tiny ops: a minimal closure tape; focal: fused forward + backward).',
    `Each workload runs in a fresh process; each figure is the median over ${rounds} rounds; sides alternate order each round, with a young-generation GC (untimed) before each side's batch; "× TF.js" and` +
      ' "of ceiling" are medians of per-round time ratios (higher is better for focalgrad).',
    youngGenerationNote(),
  ];
  if (agreement) {
    const e = (x: number): string => x.toExponential(1);
    lines.push(
      `TF.js agrees with focalgrad before timing (largest difference / largest value, float32 vs float64): ` +
        `MLP losses over 5 steps ${e(agreement.mlpLosses)}, tiny-chain gradient ${e(agreement.tinyGradient)}, ` +
        `focal gradient ${e(agreement.focalGradient)}.`,
    );
  }
  lines.push('', formatTable(results, targets));
  if (deep) {
    lines.push(
      '',
      `100,000-op graph (chain of y·c + d, backward twice): ${deep.ok ? 'ok' : 'FAILED'}` +
        (deep.error ? ` — ${deep.error}` : `, ${deep.ms.map((m) => `${m.toFixed(0)} ms`).join(' and ')}` +
          `, gradient max rel. error ${deep.maxRelError?.toExponential(1)}`),
    );
  }
  let memorySummary: { from: number; to: number; heapGrowth: number; rssGrowth: number; pass: boolean } | null = null;
  if (memory.length >= 2) {
    const first = memory[0];
    const last = memory[memory.length - 1];
    const heapGrowth = last.heapUsed - first.heapUsed;
    const rssGrowth = last.rss - first.rss;
    // NOTE: "noise" is what a GC'd heap and the allocator's RSS drift by when nothing leaks:
    // 1 MiB + 2% of heap, 8 MiB + 5% of RSS.
    const pass = heapGrowth <= 1048576 + 0.02 * first.heapUsed && rssGrowth <= 8 * 1048576 + 0.05 * first.rss;
    memorySummary = { from: first.step, to: last.step, heapGrowth, rssGrowth, pass };
    lines.push(
      `memory, focalgrad MLP steps at batch 32 (GC: ${gcHow}): ` +
        `after step ${first.step} heap ${mib(first.heapUsed)}, RSS ${mib(first.rss)}; ` +
        `after step ${last.step} heap ${mib(last.heapUsed)}, RSS ${mib(last.rss)}; ` +
        `growth heap ${signedMib(heapGrowth)}, RSS ${signedMib(rssGrowth)} (no growth beyond noise: ${pass ? 'pass' : 'MISS'})`,
    );
  }
  const took = `took ${((nowMs() - started) / 1000).toFixed(1)} s`;
  if (flags.quick) {
    lines.push('', `targets not judged: a --quick run is too short; the verdicts need a full run (npm run bench); ${took}`);
  } else {
    const passed = targets.filter((t) => t.pass === true).length;
    const judged = targets.filter((t) => t.pass !== null).length;
    lines.push('', `targets met: ${passed} of ${judged}; ${took}`);
  }
  const text = lines.join('\n');
  console.log(text);

  const date = new Date().toISOString();
  const json = {
    date,
    node: process.version,
    cpus: cpu.map((c) => c.model),
    quick: flags.quick,
    rounds,
    runOptions: { ...runOptions, settle: 'young-generation GC before each timed batch' },
    precision: { focalgrad: 'float64', tfjs: 'float32', ceiling: 'float64' },
    tfjs: tf ? { version: tf.version.tfjs, backend: tf.getBackend(), prodMode: true } : null,
    gc: gcHow,
    peerAgreement: agreement,
    results,
    targets,
    deepChain: deep,
    memory: { points: memory, summary: memorySummary },
  };
  const base = `bench-${date.replace(/[:.]/g, '-')}${flags.quick ? '-quick' : ''}`;
  const written = saveRun(join(ROOT, 'bench-results'), base, json, text.trimStart());
  log(`wrote ${written.join(' and ')} (and latest.json, latest.txt)`);
}

// NOTE: V8 sizes its young generation from what ran before, so in one process one side's garbage
// would set the other's GC cost (tiny ops measured 2–3× slower after TF.js's rounds, on both
// sides). npm run bench fixes it at V8's default maximum, 16 MB, for every side alike.
function youngGenerationNote(): string {
  const flag = process.execArgv.find((a) => a.startsWith('--min-semi-space-size'));
  return flag === undefined
    ? 'V8 young generation: adaptive (run through npm run bench to fix it at 16 MB for all sides).'
    : `V8 young generation fixed for all sides (${flag}).`;
}

const CHILD_RESULT = 'bench-result: ';

// Each workload runs in a process of its own (both sides in it, alternating rounds, as always):
// V8 adapts its heap to what ran before — it starts allocating a kind of object straight into the
// old generation once many of them survived — so in one long process the tiny ops measured 2–3×
// slower after the MLP workloads than on their own.
function runIsolated(id: string, flags: Flags, rounds: number): WorkloadResult {
  const args = [...process.execArgv, process.argv[1], '--child', id, '--rounds', String(rounds)];
  if (flags.quick) args.push('--quick');
  if (!flags.peer) args.push('--no-peer');
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = child.stdout.split('\n').find((l) => l.startsWith(CHILD_RESULT));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`bench: workload ${id} failed (exit ${child.status}): ${child.stdout.trim().slice(-500)}`);
  }
  return JSON.parse(line.slice(CHILD_RESULT.length)) as WorkloadResult;
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
