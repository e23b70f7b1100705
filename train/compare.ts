// The experiment: plain cross-entropy against focal loss, without and with effective-number α, over several seeds (mean ± std).
import type { Gamma } from '../losses/index.js';
import { type EpochRecord, type RunMetrics, type TrainConfig, type TrainResult, defaultConfig, runToEnd, trainSteps } from './loop.js';
import { LOSSES } from './registry.js';
import type { Table } from './report.js';

/** One configuration of the comparison. */
export interface Variant {
  name: string;
  loss: string;
  alpha: TrainConfig['alpha'];
}

/** Mean and spread of one metric over seeds. */
export interface Aggregate {
  mean: number;
  /** Sample standard deviation (divides by K − 1); 0 for a single value. */
  std: number;
  values: number[];
}

/** One run of the comparison, without its model. */
export interface CompareRun {
  variant: string;
  seed: number;
  metrics: RunMetrics;
  history: EpochRecord[];
}

/** What compare() returns. */
export interface CompareResult {
  /** The full configuration of the first seed's first run (its loss and α are each variant's). */
  base: TrainConfig;
  seeds: number[];
  variants: Variant[];
  runs: CompareRun[];
  /** Per variant, per metric key (see compareMetrics), the mean and std over seeds. */
  summary: { variant: string; metrics: Record<string, Aggregate> }[];
  /** Rows are metrics, columns variants, cells "mean ± std". */
  table: Table;
  /** The full results of the first seed, one per variant (models and data for the plots). */
  firstSeed: TrainResult[];
}

/** Callbacks of compare() and compareSteps(); index counts from 0 over all seeds × variants runs. */
export interface CompareHooks {
  onRunStart?: (info: { index: number; total: number; variant: string; seed: number }) => void;
  onEpoch?: (record: EpochRecord, info: { index: number; total: number; variant: string; seed: number }) => void;
  onRunEnd?: (info: { index: number; total: number; variant: string; seed: number; metrics: RunMetrics }) => void;
}

/** One row of the comparison table: a key in the summary, the row's label, how to read it off a run. */
export interface CompareMetric {
  key: string;
  label: string;
  pick: (m: RunMetrics) => number;
}

/**
 * The three configurations: plain cross-entropy, focal loss, and focal loss with α from the effective
 * number of samples per class (Cui et al. 2019). Their names come from the loss registry's labels.
 */
export function compareVariants(gamma: Gamma): Variant[] {
  return [
    { name: LOSSES.ce.label(gamma), loss: 'ce', alpha: null },
    { name: LOSSES.focal.label(gamma), loss: 'focal', alpha: null },
    { name: `${LOSSES.focal.label(gamma)}, α eff.`, loss: 'focal', alpha: 'effective' },
  ];
}

/** The rows of the comparison table, in order: a recall row per class, by name. */
export function compareMetrics(classNames: readonly string[]): CompareMetric[] {
  return [
    { key: 'macroF1', label: 'macro-F1', pick: (m) => m.macroF1 },
    { key: 'balancedAccuracy', label: 'balanced accuracy', pick: (m) => m.balancedAccuracy },
    ...classNames.map((name, c) => ({ key: `recall[${name}]`, label: `recall ${name}`, pick: (m: RunMetrics) => m.perClass[c].recall })),
    { key: 'accuracy', label: 'accuracy', pick: (m) => m.accuracy },
    { key: 'ece', label: 'ECE', pick: (m) => m.ece },
    { key: 'nll', label: 'test NLL', pick: (m) => m.nll },
  ];
}

/**
 * seedCount seeds (base.seed, base.seed + 1, ...) × the three variants; the seed is the outer loop,
 * so the first seed's runs come first. `base` is a partial config over defaultConfig; its loss and
 * α are each variant's.
 * @example const result = compare({ data: readCsv(text, { label: 'kind' }), epochs: 20 }, 3);
 */
export function compare(base: Partial<TrainConfig> = {}, seedCount = 5, hooks: CompareHooks = {}): CompareResult {
  return runToEnd(compareSteps(base, seedCount, hooks));
}

/** compare() as a generator that pauses after each epoch of each run (see trainSteps); the seed count is checked at the call. */
export function compareSteps(base: Partial<TrainConfig> = {}, seedCount = 5, hooks: CompareHooks = {}): Generator<void, CompareResult, void> {
  if (!Number.isSafeInteger(seedCount) || seedCount <= 0) {
    throw new Error(`compare: the number of seeds must be a positive integer, got ${seedCount}`);
  }
  return comparing(base, seedCount, hooks);
}

function* comparing(base: Partial<TrainConfig>, seedCount: number, hooks: CompareHooks): Generator<void, CompareResult, void> {
  const { loss: _loss, alpha: _alpha, ...shared } = base;
  const variants = compareVariants(base.gamma ?? defaultConfig.gamma);
  const first = base.seed ?? 0;
  const seeds = Array.from({ length: seedCount }, (_, k) => first + k);
  const total = seeds.length * variants.length;
  const runs: CompareRun[] = [];
  const firstSeed: TrainResult[] = [];
  for (const [k, seed] of seeds.entries()) {
    for (const [v, variant] of variants.entries()) {
      const info = { index: k * variants.length + v, total, variant: variant.name, seed };
      hooks.onRunStart?.(info);
      const config: Partial<TrainConfig> = { ...shared, loss: variant.loss, seed };
      // γ means nothing to cross-entropy, and the registry refuses what a loss does not read.
      if (!LOSSES[variant.loss].options.includes('gamma')) delete config.gamma;
      if (variant.alpha !== null) config.alpha = variant.alpha;
      const result = yield* trainSteps(config, { onEpoch: (record) => hooks.onEpoch?.(record, info) });
      runs.push({ variant: variant.name, seed, metrics: result.final, history: result.history });
      if (k === 0) firstSeed.push(result);
      hooks.onRunEnd?.({ ...info, metrics: result.final });
    }
  }

  const rows = compareMetrics(firstSeed[0].split.test.classNames);
  const summary = variants.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant.name);
    const metrics: Record<string, Aggregate> = {};
    for (const { key, pick } of rows) metrics[key] = aggregate(mine.map((r) => pick(r.metrics)));
    return { variant: variant.name, metrics };
  });
  const table: Table = {
    headers: ['metric', ...variants.map((v) => v.name)],
    rows: rows.map(({ key, label }) => [label, ...summary.map((s) => formatMeanStd(s.metrics[key]))]),
  };
  return { base: firstSeed[0].config, seeds, variants, runs, summary, table, firstSeed };
}

/** Mean and sample standard deviation (K − 1 in the denominator; 0 when K = 1). */
export function aggregate(values: readonly number[]): Aggregate {
  if (values.length === 0) throw new Error('aggregate: needs at least one value, got none');
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  const std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
  return { mean, std, values: values.slice() };
}

/** "mean ± std" with `digits` decimals. */
export function formatMeanStd(a: Aggregate, digits = 3): string {
  return `${a.mean.toFixed(digits)} ± ${a.std.toFixed(digits)}`;
}
