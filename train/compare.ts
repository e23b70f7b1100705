// The experiment: a grid of configurations trained on the same repeated splits (paired), each variant's difference from the baseline with a corrected 95 % interval, and the variant chosen on validation.
import { MLP, type MlpJSON } from '../models/index.js';
import { type PreparedRun, type TrainConfig, defaultConfig, prepareRefit, prepareRun } from './config.js';
import { type StopInfo } from './earlyStopping.js';
import { type Grid, type Variant, DEFAULT_GRID, baselineIndex, expandGrid, parseGrid } from './grid.js';
import { type EpochRecord, type Refit, type RunMetrics, type TrainResult, runToEnd, trainSteps } from './loop.js';
import { LOSSES } from './registry.js';
import type { Table } from './report.js';
import { type PairedInterval, correctedInterval } from './stats.js';

/** What compare() takes: any part of TrainConfig shared by every variant, and how to vary and resplit it. */
export interface CompareOptions extends Partial<TrainConfig> {
  /** The fields to vary (or their text, `loss=ce,focal alpha=none,effective`); default DEFAULT_GRID, the 2 × 2. */
  grid?: Grid | string;
  /** Repeated random stratified splits, seeds seed, seed + 1, ... (default 5; not with folds). */
  seeds?: number;
  /** The validation metric the variant is chosen on (default 'balancedAccuracy'). */
  select?: SelectMetric;
}

/** Metrics a comparison can select on: higher is better, except nll and ece. */
export type SelectMetric = 'balancedAccuracy' | 'macroF1' | 'accuracy' | 'nll' | 'ece';

/** Mean and spread of one metric over the splits. */
export interface Aggregate {
  mean: number;
  /** Sample standard deviation (divides by K − 1); 0 for a single value. */
  std: number;
  values: number[];
}

/** One run of the comparison (one variant on one split), without its model: plain data, as a worker sends it back. */
export interface CompareRun {
  variant: string;
  /** Which split, 0 … J − 1 (the same for every variant: the runs are paired by it). */
  split: number;
  seed: number;
  /** The test fold with folds, null with seeds. */
  fold: number | null;
  metrics: RunMetrics;
  /** The same metrics on the validation part (what selection reads); null without one. */
  valMetrics: RunMetrics | null;
  stopped: StopInfo;
  history: EpochRecord[];
  /** With refit: the second fit's epochs and rows (its test metrics are `metrics`); else null. */
  refit: Refit | null;
}

/** One planned run: the full partial config a worker trains, and where its result goes. */
export interface CompareTask {
  index: number;
  variant: string;
  split: number;
  config: Partial<TrainConfig>;
}

/** What a task sends back: the run, and for the first split what the plots need (the weights and the test probabilities). */
export interface TaskResult {
  run: CompareRun;
  kept: { model: MlpJSON; initial: EpochRecord; testProbs: Float64Array } | null;
}

/** The checked plan of a comparison: its variants, its splits and its tasks in order (split-major). */
export interface ComparePlan {
  base: Partial<TrainConfig>;
  variants: Variant[];
  baseline: number;
  kind: 'seeds' | 'folds';
  /** The seed of each split. */
  seeds: number[];
  select: SelectMetric;
  tasks: CompareTask[];
}

/** What compare() returns. */
export interface CompareResult {
  /** The full configuration of the first run (its grid fields are each variant's). */
  base: TrainConfig;
  kind: 'seeds' | 'folds';
  seeds: number[];
  variants: Variant[];
  /** The variant the differences are taken from (cross-entropy without α when the grid has it). */
  baseline: string;
  runs: CompareRun[];
  /** Rows of each part of a split (the first split's; every split of a stratified scheme has the same up to one row per class). */
  sizes: { train: number; val: number; test: number };
  /** Test rows of each class per split (the least over the splits), by class name. */
  support: Record<string, number>;
  /** Per variant, per metric key (see compareMetrics), the mean and std of the test metric over the splits. */
  summary: { variant: string; metrics: Record<string, Aggregate> }[];
  /** Per variant but the baseline, per metric key, its paired difference from the baseline with a corrected 95 % interval. */
  differences: { variant: string; metrics: Record<string, PairedInterval> }[];
  /** The variant with the best mean validation metric, and its test numbers; null without a validation part. */
  selected: { metric: SelectMetric; variant: string; valMean: number; test: Aggregate; difference: PairedInterval | null } | null;
  /** Rows are metrics, columns variants, cells "mean ± std" (no ± for one split). */
  table: Table;
  /** Rows are metrics, columns the variants but the baseline, cells "Δ [lower, upper]". */
  differenceTable: Table;
  /** The full results of the first split, one per variant (models and data for the plots). */
  firstSeed: TrainResult[];
}

/** Callbacks of compare() and compareSteps(); index counts from 0 over all splits × variants runs. */
export interface CompareHooks {
  onRunStart?: (info: RunInfo) => void;
  onEpoch?: (record: EpochRecord, info: RunInfo) => void;
  onRunEnd?: (info: RunInfo & { metrics: RunMetrics }) => void;
}

/** Which run a hook is about. */
export interface RunInfo {
  index: number;
  total: number;
  variant: string;
  seed: number;
}

/** One row of the comparison table: a key in the summary, the row's label, how to read it off a run, and which class it rests on (null: all test rows). */
export interface CompareMetric {
  key: string;
  label: string;
  pick: (m: RunMetrics) => number;
  /** The class whose test rows the metric rests on; 'all' when it averages over the classes, null when it rests on every test row alike. */
  restsOn: number | 'all' | null;
}

/** Below this many test rows a metric is flagged in the table (its value moves by 0.1 per row). */
export const FEW_ROWS = 10;
/** The seeds of a comparison when neither seeds nor folds is given. */
export const DEFAULT_SEEDS = 5;
const SELECT: Record<SelectMetric, 1 | -1> = { balancedAccuracy: 1, macroF1: 1, accuracy: 1, nll: -1, ece: -1 };

/** The rows of the comparison table, in order: a recall row per class, by name. */
export function compareMetrics(classNames: readonly string[]): CompareMetric[] {
  return [
    { key: 'macroF1', label: 'macro-F1', pick: (m) => m.macroF1, restsOn: 'all' },
    { key: 'balancedAccuracy', label: 'balanced accuracy', pick: (m) => m.balancedAccuracy, restsOn: 'all' },
    ...classNames.map((name, c) => ({ key: `recall[${name}]`, label: `recall ${name}`, pick: (m: RunMetrics) => m.perClass[c].recall, restsOn: c })),
    { key: 'accuracy', label: 'accuracy', pick: (m) => m.accuracy, restsOn: null },
    { key: 'ece', label: 'ECE', pick: (m) => m.ece, restsOn: null },
    { key: 'nll', label: 'test NLL', pick: (m) => m.nll, restsOn: null },
  ];
}

/**
 * The variants of a grid (default the 2 × 2) over the base config.
 * @example compareVariants('loss=ce,focal gamma=1,2').map((v) => v.name) // ['cross-entropy', 'focal γ=1', 'focal γ=2']
 */
export function compareVariants(grid: Grid | string = DEFAULT_GRID, base: Partial<TrainConfig> = {}): Variant[] {
  return expandGrid(typeof grid === 'string' ? parseGrid(grid) : grid, base);
}

/**
 * Checks the options and lays out the runs: J splits (seeds seed … seed + J − 1, or the K folds of one
 * shuffle) × the variants, split-major. Each task's config is complete, so that a worker thread can train it alone.
 */
export function planComparison(options: CompareOptions = {}): ComparePlan {
  const { grid = DEFAULT_GRID, seeds: seedCount, select = 'balancedAccuracy', ...base } = options;
  if (seedCount !== undefined && base.folds !== undefined && base.folds !== null) throw new Error('compare: give seeds or folds, not both');
  if (base.fold !== undefined) throw new Error('compare: fold is chosen by the comparison (it runs every fold); leave it out');
  if (!Object.hasOwn(SELECT, select)) throw new Error(`compare: select must be one of ${Object.keys(SELECT).join(', ')}, got ${String(select)}`);
  const kind = base.folds !== undefined && base.folds !== null ? 'folds' : 'seeds';
  const count = kind === 'folds' ? (base.folds as number) : (seedCount ?? DEFAULT_SEEDS);
  if (!Number.isSafeInteger(count) || count <= 0 || (kind === 'folds' && count < 2)) {
    throw new Error(`compare: the number of ${kind} must be a ${kind === 'folds' ? 'whole number ≥ 2' : 'positive integer'}, got ${count}`);
  }
  const variants = compareVariants(grid, base);
  const first = base.seed ?? defaultConfig.seed;
  const seeds = Array.from({ length: count }, (_, j) => (kind === 'folds' ? first : first + j));
  const tasks: CompareTask[] = [];
  for (let j = 0; j < count; j++) {
    for (const variant of variants) {
      const config: Partial<TrainConfig> = { ...base, ...variant.config, seed: seeds[j] };
      // A base γ (or α) means nothing to a variant whose loss does not read it (cross-entropy's γ), and the trainer refuses it.
      const loss = LOSSES[config.loss ?? defaultConfig.loss];
      for (const option of ['gamma', 'alpha'] as const) if (loss !== undefined && !loss.options.includes(option)) delete config[option];
      if (kind === 'folds') config.fold = j;
      tasks.push({ index: tasks.length, variant: variant.name, split: j, config });
    }
  }
  // Every variant is checked before any training (a bad γ fails now, not after an hour).
  for (const task of tasks.slice(0, variants.length)) prepareRun(task.config);
  return { base, variants, baseline: baselineIndex(variants, base), kind, seeds, select, tasks };
}

/**
 * Trains one task and returns plain data (what a worker posts back; the first split also keeps its weights).
 * @example const results = plan.tasks.map((task) => runTask(task));
 */
export function runTask(task: CompareTask, onEpoch?: (record: EpochRecord) => void): TaskResult {
  return runToEnd(taskSteps(task, onEpoch));
}

function* taskSteps(task: CompareTask, onEpoch?: (record: EpochRecord) => void): Generator<void, TaskResult, void> {
  const result = yield* trainSteps(task.config, { onEpoch });
  const c = result.config;
  const run: CompareRun = {
    variant: task.variant,
    split: task.split,
    seed: c.seed,
    fold: c.folds === null ? null : c.fold,
    metrics: result.final,
    valMetrics: result.valMetrics,
    stopped: result.stopped,
    history: result.history,
    refit: result.refit,
  };
  const kept = task.split === 0 ? { model: result.model.toJSON(), initial: result.initial, testProbs: result.testProbs } : null;
  return { run, kept };
}

/**
 * Runs a grid over repeated splits, every variant on the same splits, in this thread (the CLI's --jobs
 * spreads the same tasks over worker threads, with the same result to the bit).
 * @example const result = compare({ data: readCsv(text, { label: 'kind' }), grid: 'loss=ce,focal alpha=none,effective', seeds: 5 });
 */
export function compare(options: CompareOptions = {}, hooks: CompareHooks = {}): CompareResult {
  return runToEnd(compareSteps(options, hooks));
}

/** compare() as a generator that pauses after each epoch of each run (see trainSteps); the options are checked at the call. */
export function compareSteps(options: CompareOptions = {}, hooks: CompareHooks = {}): Generator<void, CompareResult, void> {
  const plan = planComparison(options);
  return comparing(plan, hooks);
}

function* comparing(plan: ComparePlan, hooks: CompareHooks): Generator<void, CompareResult, void> {
  const results: TaskResult[] = [];
  const total = plan.tasks.length;
  for (const task of plan.tasks) {
    const info = { index: task.index, total, variant: task.variant, seed: task.config.seed as number };
    hooks.onRunStart?.(info);
    const result = yield* taskSteps(task, (record) => hooks.onEpoch?.(record, info));
    results.push(result);
    hooks.onRunEnd?.({ ...info, metrics: result.run.metrics });
  }
  return summarizeComparison(plan, results);
}

/**
 * The comparison from its tasks' results (in task order, however they were run): per-variant summaries,
 * paired differences from the baseline with Nadeau & Bengio's corrected interval, the selection on validation.
 */
export function summarizeComparison(plan: ComparePlan, results: readonly TaskResult[]): CompareResult {
  if (results.length !== plan.tasks.length) throw new Error(`compare: expected ${plan.tasks.length} results, got ${results.length}`);
  const runs = results.map((r) => r.run);
  // The first split's runs as drawn, once: rebuilt from them, and the parts' sizes read from them (a refit's
  // training part holds the validation rows too).
  const drawn = plan.tasks.slice(0, plan.variants.length).map((task) => prepareRun(task.config));
  const firstSeed = drawn.map((first, v) => rebuild(plan.tasks[v], results[v], first));
  const { split } = drawn[0];
  const classNames = split.test.classNames;
  const sizes = { train: split.train.n, val: split.val?.n ?? 0, test: split.test.n };
  const support = Object.fromEntries(
    classNames.map((name, c) => [name, Math.min(...runs.map((r) => r.metrics.perClass[c].support))]),
  );
  const minSupport = Math.min(...Object.values(support));
  // The share of test rows to rows learnt from (train and validation): 1/(K − 1) with K folds.
  const testTrainRatio = sizes.test / (sizes.train + sizes.val);
  const rows = compareMetrics(classNames);
  const byVariant = plan.variants.map((v) => runs.filter((r) => r.variant === v.name));
  const summary = plan.variants.map((v, k) => ({
    variant: v.name,
    metrics: Object.fromEntries(rows.map(({ key, pick }) => [key, aggregate(byVariant[k].map((r) => pick(r.metrics)))])),
  }));
  const baseline = plan.variants[plan.baseline].name;
  const paired = (k: number, pick: (m: RunMetrics) => number): PairedInterval =>
    correctedInterval(byVariant[k].map((r, j) => pick(r.metrics) - pick(byVariant[plan.baseline][j].metrics)), testTrainRatio);
  const others = plan.variants.map((_, k) => k).filter((k) => k !== plan.baseline);
  const differences = others.map((k) => ({
    variant: plan.variants[k].name,
    metrics: Object.fromEntries(rows.map(({ key, pick }) => [key, paired(k, pick)])),
  }));

  let selected: CompareResult['selected'] = null;
  if (runs.every((r) => r.valMetrics !== null)) {
    const sign = SELECT[plan.select];
    const valMeans = byVariant.map((mine) => aggregate(mine.map((r) => (r.valMetrics as RunMetrics)[plan.select])).mean);
    // The first best in grid order wins a tie; the test split is read only after the choice.
    const best = valMeans.reduce((b, m, k) => (sign * m > sign * valMeans[b] ? k : b), 0);
    const pick = (m: RunMetrics): number => m[plan.select];
    selected = {
      metric: plan.select,
      variant: plan.variants[best].name,
      valMean: valMeans[best],
      test: aggregate(byVariant[best].map((r) => pick(r.metrics))),
      difference: best === plan.baseline ? null : paired(best, pick),
    };
  }

  const flag = (restsOn: CompareMetric['restsOn']): string => {
    const rowsUnder = restsOn === null ? sizes.test : restsOn === 'all' ? minSupport : support[classNames[restsOn]];
    return rowsUnder < FEW_ROWS ? ` (${restsOn === null ? '' : restsOn === 'all' ? 'a class on ' : ''}${rowsUnder} test rows)*` : '';
  };
  const label = (m: CompareMetric): string => `${m.label}${flag(m.restsOn)}`;
  const table: Table = {
    headers: ['metric', ...plan.variants.map((v) => v.name)],
    rows: rows.map((m) => [label(m), ...summary.map((s) => formatMeanStd(s.metrics[m.key]))]),
  };
  const differenceTable: Table = {
    headers: ['metric', ...differences.map((d) => `${d.variant} − ${baseline}`)],
    rows: rows.map((m) => [label(m), ...differences.map((d) => formatInterval(d.metrics[m.key]))]),
  };
  const { seeds, kind } = plan;
  return { base: firstSeed[0].config, kind, seeds, variants: plan.variants, baseline, runs, sizes, support, summary, differences, selected, table, differenceTable, firstSeed };
}

// A first-split run as train() returned it: the split rebuilt from the config (`first`, prepareRun's; prepareRefit
// after a refit draws it the same way), the weights from the worker's copy.
function rebuild(task: CompareTask, result: TaskResult, first: PreparedRun): TrainResult {
  const kept = result.kept;
  if (kept === null) throw new Error(`compare: the first split's run of ${task.variant} came back without its model`);
  const { run } = result;
  const prepared = run.refit === null ? first : prepareRefit(first, run.refit.epochs);
  const { split, standardization, trainCounts, alpha } = prepared;
  return {
    config: first.config,
    model: MLP.fromJSON(kept.model),
    split,
    standardization,
    trainCounts,
    alpha,
    initial: kept.initial,
    history: run.history,
    stopped: run.stopped,
    final: run.metrics,
    valMetrics: run.valMetrics,
    testProbs: kept.testProbs,
    refit: run.refit,
  };
}

/** Mean and sample standard deviation (K − 1 in the denominator; 0 when K = 1). */
export function aggregate(values: readonly number[]): Aggregate {
  if (values.length === 0) throw new Error('aggregate: needs at least one value, got none');
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  const std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
  return { mean, std, values: values.slice() };
}

/** "mean ± std" with `digits` decimals; the mean alone for a single value (one split has no spread to show). */
export function formatMeanStd(a: Aggregate, digits = 3): string {
  return a.values.length > 1 ? `${a.mean.toFixed(digits)} ± ${a.std.toFixed(digits)}` : a.mean.toFixed(digits);
}

/** "+0.012 [−0.004, +0.028]": a paired difference and its interval; the difference alone for one split. */
export function formatInterval(d: PairedInterval, digits = 3): string {
  const signed = (v: number): string => {
    const text = Math.abs(v).toFixed(digits);
    // A value that rounds to zero is +0.000 whatever its sign.
    return `${v >= 0 || Number(text) === 0 ? '+' : '−'}${text}`;
  };
  return d.lower === null || d.upper === null ? signed(d.mean) : `${signed(d.mean)} [${signed(d.lower)}, ${signed(d.upper)}]`;
}
