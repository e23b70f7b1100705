// The benchmark harness: paired, alternating rounds, each figure the median of per-round ratios.

export type SideName = 'focalgrad' | 'tfjs' | 'tfjsWasm' | 'torch32' | 'torch64' | 'ceiling';
export type Unit = 'samples/s' | 'GFLOP/s' | 'µs/op';

/** The order sides are listed in, and their labels. */
export const SIDES: readonly { name: SideName; label: string }[] = [
  { name: 'focalgrad', label: 'focalgrad' },
  { name: 'torch32', label: 'PyTorch f32' },
  { name: 'torch64', label: 'PyTorch f64' },
  { name: 'tfjsWasm', label: 'TF.js wasm' },
  { name: 'tfjs', label: 'TF.js cpu' },
  { name: 'ceiling', label: 'ceiling' },
];

/** One engine doing a workload's job. */
export interface Side {
  /** Untimed, before each batch of calls (switching TF.js's backend). */
  prepare?: () => Promise<void>;
  /** Runs the job `calls` times and returns the elapsed ms: timed here for JavaScript, by Python's clock for PyTorch. */
  time(calls: number): number | Promise<number>;
}

/** A side that is a JavaScript function, timed in this process. */
export function jsSide(fn: () => void, prepare?: () => Promise<void>): Side {
  return { prepare, time: (calls) => timeCalls(fn, calls) };
}

/** One thing to time: each side does `work` units of work (samples, flops, ops) per call. */
export interface Workload {
  id: string;
  group: string;
  name: string;
  unit: Unit;
  work: number;
  sides: { focalgrad: Side } & Partial<Record<SideName, Side>>;
}

interface RunOptions {
  rounds: number;
  /** Each side's batch of calls is sized to take at least this long. */
  minBatchMs: number;
  warmupMs: number;
  /** Run, untimed, before each side's batch (a GC), so that no side pays for another's garbage. */
  settle?: () => void;
}

interface SideResult {
  /** Median over rounds of the mean time of one call, in ms. */
  msPerCall: number;
  /** The same as a figure in the workload's unit. */
  figure: number;
  callsPerBatch: number;
  msPerCallByRound: number[];
}

export interface WorkloadResult {
  id: string;
  group: string;
  name: string;
  unit: Unit;
  work: number;
  sides: Partial<Record<SideName, SideResult>>;
  /** For each other side, the median over rounds of t(side) / t(focalgrad): how many times faster focalgrad is. */
  ratios: Partial<Record<SideName, number>>;
  /** For each peer, the largest difference of its answer from focalgrad's, relative to the largest value. */
  agreement: Partial<Record<SideName, number>>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** median_r(num[r] / den[r]): the ratio is taken within each round, where both sides saw the same machine. */
export function medianOfRatios(num: readonly number[], den: readonly number[]): number {
  if (num.length !== den.length) {
    throw new Error(`medianOfRatios: ${num.length} numerators but ${den.length} denominators`);
  }
  return median(num.map((n, r) => n / den[r]));
}

/** A figure in the workload's unit from the time of one call. */
function figureOf(unit: Unit, work: number, msPerCall: number): number {
  switch (unit) {
    case 'samples/s':
      return work / (msPerCall / 1e3);
    case 'GFLOP/s':
      return work / (msPerCall / 1e3) / 1e9;
    case 'µs/op':
      return (msPerCall * 1e3) / work;
  }
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function timeCalls(fn: () => void, calls: number): number {
  const t0 = nowMs();
  for (let i = 0; i < calls; i++) fn();
  return nowMs() - t0;
}

/**
 * ms per call of fn, over calls that fill at least minMs: wall time, and the process's CPU time per call
 * (all its threads: for code on one thread, the time it ran, whatever else the machine did meanwhile).
 * For the stand-alone scripts (batched-matmul.ts, matmul-kernels.ts).
 */
export function timeFor(fn: () => void, minMs: number): { wall: number; cpu: number } {
  let calls = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    calls++;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: elapsed / calls, cpu: (cpu.user + cpu.system) / 1000 / calls };
}

/** Runs a side for about `warmupMs` (at least once), and returns how many calls fill `minBatchMs`. */
async function warmUpAndSize(side: Side, warmupMs: number, minBatchMs: number): Promise<number> {
  let calls = 1;
  let spent = 0;
  let perCall = Infinity;
  for (;;) {
    const t = await side.time(calls);
    spent += t;
    perCall = t / calls;
    if (spent >= warmupMs) break;
    calls *= 2;
  }
  return Math.max(1, Math.ceil(minBatchMs / Math.max(perCall, 1e-6)));
}

/** Which side goes when in round r: the order rotates so that no side always runs first. */
export function roundOrder<T>(sides: readonly T[], round: number): T[] {
  const k = round % sides.length;
  return [...sides.slice(k), ...sides.slice(0, k)];
}

export async function runWorkload(w: Workload, options: RunOptions): Promise<WorkloadResult> {
  const sides = SIDES.flatMap(({ name }) => {
    const side = w.sides[name];
    return side === undefined ? [] : [[name, side] as const];
  });

  const calls = new Map<SideName, number>();
  for (const [name, side] of sides) {
    await side.prepare?.();
    options.settle?.();
    calls.set(name, await warmUpAndSize(side, options.warmupMs, options.minBatchMs));
  }

  const times = new Map<SideName, number[]>(sides.map(([name]) => [name, []]));
  for (let r = 0; r < options.rounds; r++) {
    for (const [name, side] of roundOrder(sides, r)) {
      const n = calls.get(name) ?? 1;
      await side.prepare?.();
      options.settle?.();
      times.get(name)?.push((await side.time(n)) / n);
    }
  }

  const result: WorkloadResult = { id: w.id, group: w.group, name: w.name, unit: w.unit, work: w.work, sides: {}, ratios: {}, agreement: {} };
  const fg = times.get('focalgrad') ?? [];
  for (const [name] of sides) {
    const perRound = times.get(name) ?? [];
    const ms = median(perRound);
    result.sides[name] = {
      msPerCall: ms,
      figure: figureOf(w.unit, w.work, ms),
      callsPerBatch: calls.get(name) ?? 1,
      msPerCallByRound: perRound,
    };
    if (name !== 'focalgrad') result.ratios[name] = medianOfRatios(perRound, fg);
  }
  return result;
}
