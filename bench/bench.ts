// npm run bench [-- --quick] [--self-only] [--only ID] [--rounds N] [--profile ID --seconds S]
// focalgrad against PyTorch (one thread, float32 and float64), TensorFlow.js (WebAssembly and cpu
// backends) and hand-written loops, in alternating rounds; prints the tables and the goals, and
// saves them, and the whole run as JSON, under bench-results/ (git-ignored). Method: docs/performance.md.

import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SIDES, type WorkloadResult, runWorkload, nowMs } from './harness.js';
import { evaluateTargets, formatFigureGoals, formatFigures, formatRatios, mib, signedMib } from './report.js';
import { saveRun } from './save.js';
import { ensurePeerInstalled, loadTf } from './tfjs.js';
import { TORCH_HINT, findTorchPython } from './torch.js';
import { NO_PEERS, type Peers, buildWorkloads, checkAgreement, deepChain, memoryRun, workloadIds } from './workloads.js';
import { setHelperThreadCount } from '../engine/index.js';
import { ROOT } from '../scripts/paths.js';

interface Flags {
  /** internal: run exactly this workload and print its result as JSON (see runIsolated) */
  child: string | null;
  /** internal, with child: focalgrad and PyTorch on every core (the all-cores rows) */
  allCores: boolean;
  quick: boolean;
  peer: boolean;
  only: string | null;
  rounds: number | null;
  profile: string | null;
  seconds: number;
}

const USAGE = `usage: npm run bench -- [--quick] [--self-only] [--only ID] [--rounds N]
       node --import tsx --cpu-prof bench/bench.ts --profile ID [--seconds S]
  --quick          a short run (fewer rounds, shorter batches, 2,000 memory steps): ratios are
                   printed but not judged against their goals
  --self-only      focalgrad and the ceilings only: no peer is installed, loaded or started
                   (--no-peer is the same)
  --only ID        run the workloads whose id contains ID (mlp-32, matmul-512, tiny, focal, ...)
  --rounds N       rounds per workload (default 15, quick 5)
  --profile ID     loop focalgrad's side of one workload for S seconds (default 5), nothing else;
                   npx tsx bench/profile-summary.ts FILE.cpuprofile lists the functions
                   with the most self time in the profile that --cpu-prof writes
PyTorch runs where a python3 can import torch ($FOCALGRAD_PYTHON, python3, /usr/bin/python3);
TF.js is installed on first use into bench/peer/ (its .wasm files ship in the npm package).`;

/** A bad command line: exits 2 with the usage; any other failure exits 1. */
class UsageError extends Error {}

function positive(flag: string, text: string | undefined, integer: boolean): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!(Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n)))) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got ${text}`);
  }
  return n;
}

function parseFlags(argv: readonly string[]): Flags {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean' },
        'self-only': { type: 'boolean' },
        'no-peer': { type: 'boolean' },
        only: { type: 'string' },
        rounds: { type: 'string' },
        profile: { type: 'string' },
        seconds: { type: 'string' },
        child: { type: 'string' },
        'all-cores': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    // parseArgs' own wording, made to name the flag the way the usage does.
    const message = err instanceof Error ? err.message : String(err);
    const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
    if (/argument missing/.test(message)) throw new UsageError(`${flag.split(' ')[0]} needs a value`);
    if (/Unknown option/.test(message)) throw new UsageError(`unknown flag ${flag}`);
    if (/Unexpected argument/.test(message)) throw new UsageError(`unexpected argument ${flag} (flags start with --)`);
    throw new UsageError(message);
  }
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    child: values.child ?? null,
    allCores: values['all-cores'] === true,
    quick: values.quick === true,
    peer: values['self-only'] !== true && values['no-peer'] !== true,
    only: values.only ?? null,
    rounds: positive('--rounds', values.rounds, true),
    profile: values.profile ?? null,
    seconds: positive('--seconds', values.seconds, false) ?? 5,
  };
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

async function profile(flags: Flags): Promise<void> {
  const id = flags.profile ?? '';
  // as the timed rows run it: one thread unless all cores are asked for (see child below)
  if (!flags.allCores) setHelperThreadCount(0);
  const [w] = await buildWorkloads(NO_PEERS, (x) => x === id);
  if (w === undefined) throw new UsageError(`--profile: no workload ${id} (try mlp-32, mlp-2048, tiny-2000, matmul-256, focal-4096)`);
  const t0 = nowMs();
  let calls = 0;
  while (nowMs() - t0 < flags.seconds * 1000) {
    await w.sides.focalgrad.time(1);
    calls++;
  }
  const ms = (nowMs() - t0) / calls;
  log(`profiled ${w.id}: ${calls} calls, ${ms.toFixed(3)} ms per call`);
}

/** The peers this run uses: none with --self-only; PyTorch only where a python3 imports torch. */
async function loadPeers(flags: Flags, hint: (line: string) => void): Promise<{ peers: Peers; torchVersion: string | null }> {
  if (!flags.peer) return { peers: NO_PEERS, torchVersion: null };
  ensurePeerInstalled(log);
  const tf = await loadTf();
  const torch = findTorchPython();
  if (torch === null) hint(TORCH_HINT);
  const torchThreads = flags.allCores ? cpus().length : 1;
  return { peers: { tf, python: torch?.python ?? null, torchThreads }, torchVersion: torch?.version ?? null };
}

/** A child process: one workload, all its sides, checked against each other, then timed. */
async function child(id: string, flags: Flags, runOptions: Parameters<typeof runWorkload>[1]): Promise<void> {
  // NOTE: one thread unless the row is an all-cores one: focalgrad's large products otherwise take the
  // second core (engine/wasm/threads.ts), which PyTorch on one thread does not.
  if (!flags.allCores) setHelperThreadCount(0);
  const { peers } = await loadPeers(flags, () => undefined);
  const [w] = await buildWorkloads(peers, (x) => x === id);
  if (w === undefined) throw new Error(`bench: no workload ${id}`);
  try {
    const agreement = await checkAgreement(w);
    const result = await runWorkload(w, runOptions);
    result.agreement = agreement;
    process.stdout.write(`${CHILD_RESULT}${JSON.stringify(result)}\n`);
  } finally {
    w.close();
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.profile !== null) return profile(flags);
  // What the parent runs, checked before any peer is installed or loaded; a child runs its --child.
  const only = flags.only;
  const ids = flags.child === null ? workloadIds((id) => only === null || id.includes(only)) : [];
  if (flags.child === null && ids.length === 0) throw new UsageError(`--only: no workload id contains ${only}`);

  const { gc, how: gcHow } = findGc();
  const rounds = flags.rounds ?? (flags.quick ? 5 : 15);
  // NOTE: a young-generation GC between sides keeps one side's garbage off the other's clock; a full
  // GC would not do: it costs TF.js its compiled code, and its next calls run several times slower.
  const settle = (): void => gc({ type: 'minor' });
  const runOptions = { rounds, minBatchMs: flags.quick ? 10 : 40, warmupMs: flags.quick ? 30 : 200, settle };
  if (flags.child !== null) return child(flags.child, flags, runOptions);

  const notes: string[] = [];
  const { peers, torchVersion } = await loadPeers(flags, (line) => notes.push(line));
  const tf = peers.tf;
  const started = nowMs();
  const results: WorkloadResult[] = [];
  for (const id of ids) {
    // NOTE: the headline rows run under node's default flags, as a user's own script does; the MLP
    // steps and the tiny ops again with the young generation fixed at 16 MB (the "tuned heap" rows),
    // and the largest products again on every core, for focalgrad and PyTorch alike.
    log(`  ${id} ...`);
    results.push(runIsolated(id, flags, rounds, { heap: 'default', allCores: false }));
    if (id.startsWith('tiny-') || id.startsWith('mlp-')) {
      log(`  ${id}, tuned heap ...`);
      results.push(runIsolated(id, flags, rounds, { heap: 'tuned', allCores: false }));
    }
    if (ALL_CORES_IDS.includes(id)) {
      log(`  ${id}, all cores ...`);
      results.push(runIsolated(id, flags, rounds, { heap: 'default', allCores: true }));
    }
  }

  // The 100,000-op graph and the memory run belong to a whole run, not to --only.
  const runExtras = flags.only === null;
  if (runExtras) log('  deep chain ...');
  const deep = runExtras ? deepChain() : null;
  const memSteps = flags.quick ? 2000 : 10000;
  if (runExtras) log('  memory ...');
  const memory = runExtras ? memoryRun(memSteps, memSteps / 10, () => gc()) : [];
  if (runExtras) log('  batched matmul ...');
  const batched = runExtras ? batchedMatmulLines(flags.quick ? 3 : rounds) : [];
  // NOTE: a quick run's few short rounds put ratios near their target on either side from run to run.
  const targets = evaluateTargets(results, !flags.quick);

  const cpu = cpus();
  const peerLine = [
    torchVersion === null ? null : `PyTorch ${torchVersion} (CPU, 1 thread through OPENBLAS/OMP/MKL_NUM_THREADS=1 and set_num_threads(1), all cores in the all-cores rows; float32 and float64)`,
    tf === null ? null : `TF.js ${tf.version.tfjs} (wasm backend: XNNPACK, float32 SIMD, 1 thread; cpu backend: plain JS, float32; prod mode)`,
  ].filter((x) => x !== null);
  const lines: string[] = [
    '',
    `focalgrad bench${flags.quick ? ' (quick)' : ''} — Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}`,
    `focalgrad computes in float64. Peers: ${peerLine.length > 0 ? peerLine.join('; ') : 'none (--self-only)'}.`,
    ...notes,
    'The ceiling is hand-written Float64Array loops (MLP: one fused step with preallocated buffers and the engine\'s own' +
      ' matmul kernel; matmul: i-k-j with k unrolled by four; tiny ops: a minimal closure tape; focal: fused forward + backward).',
    `Each workload runs in a fresh process, every side on the same data and initial weights, their answers checked` +
      ` equal before timing; each figure is the median over ${rounds} rounds; sides alternate order each round, with a` +
      ' young-generation GC (untimed) before each batch; ratios are medians of per-round time ratios (higher: focalgrad faster).',
    youngGenerationNote(),
    '',
    formatFigures(results),
    '',
    formatRatios(results, targets),
  ];
  const figureGoals = formatFigureGoals(results, targets);
  if (figureGoals.length > 0) lines.push('', ...figureGoals);
  const worst = new Map<string, number>();
  for (const r of results) for (const [side, d] of Object.entries(r.agreement)) worst.set(side, Math.max(worst.get(side) ?? 0, d ?? 0));
  if (worst.size > 0) {
    const list = [...worst].map(([side, d]) => `${SIDES.find((x) => x.name === side)?.label ?? side} ${d.toExponential(0)}`);
    lines.push('', `answers checked against focalgrad's before timing, largest difference / largest value over all workloads: ${list.join(', ')}`);
  }
  if (deep) {
    lines.push(
      '',
      `100,000-op graph (chain of y·c + d, backward twice): ${deep.ok ? 'ok' : 'FAILED'}` +
        (deep.error ? ` — ${deep.error}` : `, ${deep.ms.map((m) => `${m.toFixed(0)} ms`).join(' and ')}` +
          `, gradient max rel. error ${deep.maxRelError?.toExponential(1)}`),
    );
  }
  if (batched.length > 0) {
    lines.push('', 'batched matmul through the blocked kernel against the flat product of the same flops (run through tsx, unbundled:' +
        ' read the ratio, not the GFLOP/s beside the rows above):', ...batched);
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
        `growth heap ${signedMib(heapGrowth)}, RSS ${signedMib(rssGrowth)} (flat: ${flags.quick ? 'quick, not judged' : pass ? 'pass' : 'MISS'})`,
    );
  }
  const took = `took ${((nowMs() - started) / 1000).toFixed(1)} s`;
  if (flags.quick) {
    lines.push('', `goals not judged: a --quick run is too short; the verdicts need a full run (npm run bench); ${took}`);
  } else {
    const judged = targets.filter((t) => t.pass !== null);
    const passed = judged.filter((t) => t.pass === true).length + (memorySummary?.pass ? 1 : 0);
    lines.push('', `goals met: ${passed} of ${judged.length + (memorySummary ? 1 : 0)}; ${took}`);
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
    precision: { focalgrad: 'float64', tfjs: 'float32', tfjsWasm: 'float32', torch32: 'float32', torch64: 'float64', ceiling: 'float64' },
    peers: { tfjs: tf ? { version: tf.version.tfjs, backends: ['wasm', 'cpu'], prodMode: true } : null, torch: torchVersion },
    gc: gcHow,
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
// would set the other's GC cost (tiny ops measured 2–3× slower after TF.js's rounds, on both sides).
// The headline rows run under node's defaults, what a user's script gets; the "tuned heap" rows fix it
// at V8's default maximum, 16 MB, for every side alike.
function youngGenerationNote(): string {
  const flag = process.execArgv.find((a) => a.startsWith('--min-semi-space-size'));
  return flag === undefined
    ? 'V8 young generation: node\'s defaults in every row (run through npm run bench for the tuned-heap rows).'
    : `V8 young generation: node's defaults, except in the rows marked "tuned heap" (${flag}, for every side).`;
}

const CHILD_RESULT = 'bench-result: ';

// bench/batched-matmul.ts in a fresh process, like every workload; its lines, or one that says it failed.
function batchedMatmulLines(rounds: number): string[] {
  const script = join(ROOT, 'bench/batched-matmul.ts');
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--rounds', String(rounds)], { cwd: ROOT, encoding: 'utf8' });
  if (child.status !== 0) return [`batched matmul: FAILED (exit ${child.status}) ${child.stderr.trim().split('\n')[0] ?? ''}`];
  return child.stdout.trim().split('\n');
}

// Each workload runs in a process of its own (all sides in it, alternating rounds, as always):
// V8 adapts its heap to what ran before — it starts allocating a kind of object straight into the
// old generation once many of them survived — so in one long process the tiny ops measured 2–3×
// slower after the MLP workloads than on their own.
// The workloads that run a second time on every core (focalgrad's helper thread, PyTorch's thread pool).
const ALL_CORES_IDS = ['mlp-256', 'mlp-2048', 'matmul-256', 'matmul-512'];

function runIsolated(id: string, flags: Flags, rounds: number, how: { heap: 'default' | 'tuned'; allCores: boolean }): WorkloadResult {
  const execArgv = how.heap === 'default' ? process.execArgv.filter((a) => !a.startsWith('--min-semi-space-size')) : process.execArgv;
  const args = [...execArgv, process.argv[1], '--child', id, '--rounds', String(rounds)];
  if (flags.quick) args.push('--quick');
  if (how.allCores) args.push('--all-cores');
  // the tuned-heap rows: focalgrad and the ceiling only (the peers were timed in the headline row)
  if (!flags.peer || how.heap === 'tuned') args.push('--self-only');
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = child.stdout.split('\n').find((l) => l.startsWith(CHILD_RESULT));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`bench: workload ${id} failed (exit ${child.status}): ${child.stdout.trim().slice(-500)}`);
  }
  const result = JSON.parse(line.slice(CHILD_RESULT.length)) as WorkloadResult;
  if (how.allCores) return { ...result, id: `${id}-allcores`, name: `${result.name}, all ${cpus().length} cores` };
  if (how.heap === 'tuned') return { ...result, id: `${id}-tuned`, name: `${result.name}, tuned heap` };
  return result;
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
