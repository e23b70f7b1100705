// The benchmark harness: paired, alternating rounds, each figure the median of per-round ratios.

export type SideName = 'focalgrad' | 'tfjs' | 'ceiling';
export type Unit = 'samples/s' | 'GFLOP/s' | 'µs/op';

/** One thing to time: each side does `work` units of work (samples, flops, ops) per call. */
export interface Workload {
  id: string;
  group: string;
  name: string;
  unit: Unit;
  work: number;
  focalgrad: () => void;
  peer?: () => void;
  ceiling?: () => void;
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
  /** Median over rounds of t(TF.js) / t(focalgrad): how many times faster focalgrad is. */
  vsPeer: number | null;
  /** Median over rounds of t(ceiling) / t(focalgrad): the fraction of plain JS focalgrad reaches. */
  vsCeiling: number | null;
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

/** Runs fn for about `ms` (at least once), and returns how many calls fill `minBatchMs`. */
function warmUpAndSize(fn: () => void, warmupMs: number, minBatchMs: number): number {
  let calls = 1;
  let spent = 0;
  let perCall = Infinity;
  for (;;) {
    const t = timeCalls(fn, calls);
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

export function runWorkload(w: Workload, options: RunOptions): WorkloadResult {
  const sides: [SideName, () => void][] = [['focalgrad', w.focalgrad]];
  if (w.peer) sides.push(['tfjs', w.peer]);
  if (w.ceiling) sides.push(['ceiling', w.ceiling]);

  const calls = new Map<SideName, number>();
  for (const [name, fn] of sides) {
    options.settle?.();
    calls.set(name, warmUpAndSize(fn, options.warmupMs, options.minBatchMs));
  }

  const times = new Map<SideName, number[]>(sides.map(([name]) => [name, []]));
  for (let r = 0; r < options.rounds; r++) {
    for (const [name, fn] of roundOrder(sides, r)) {
      const n = calls.get(name) ?? 1;
      options.settle?.();
      times.get(name)?.push(timeCalls(fn, n) / n);
    }
  }

  const result: WorkloadResult = {
    id: w.id,
    group: w.group,
    name: w.name,
    unit: w.unit,
    work: w.work,
    sides: {},
    vsPeer: null,
    vsCeiling: null,
  };
  for (const [name] of sides) {
    const perRound = times.get(name) ?? [];
    const ms = median(perRound);
    result.sides[name] = {
      msPerCall: ms,
      figure: figureOf(w.unit, w.work, ms),
      callsPerBatch: calls.get(name) ?? 1,
      msPerCallByRound: perRound,
    };
  }
  const fg = times.get('focalgrad') ?? [];
  const peer = times.get('tfjs');
  const ceiling = times.get('ceiling');
  if (peer) result.vsPeer = medianOfRatios(peer, fg);
  if (ceiling) result.vsCeiling = medianOfRatios(ceiling, fg);
  return result;
}
