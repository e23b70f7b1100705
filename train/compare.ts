// Experiments: cross-entropy against focal loss over several seeds (mean ± std), and the files a run leaves (JSON, SVG plots, an HTML report), as strings.
import type { MLP } from '../models/index.js';
import type { Split } from './data.js';
import {
  type EpochRecord,
  type RunMetrics,
  type TrainConfig,
  type TrainResult,
  metricsJson,
  predictClasses,
  runToEnd,
  trainSteps,
} from './loop.js';
import {
  type ReportSection,
  type Table,
  classificationTable,
  decisionRegionsSvg,
  escapeXml,
  formatTable,
  reportHtml,
  sideBySideSvg,
} from './report.js';
import { lossCurvesSvg, recallCurvesSvg } from './plots.js';

/** One configuration of the comparison: its label, loss and α. */
export interface Variant {
  name: string;
  loss: TrainConfig['loss'];
  alpha: TrainConfig['alpha'];
}

/** A metric over seeds: its mean, sample standard deviation and values. */
export interface Aggregate {
  mean: number;
  /** Sample standard deviation (divides by K − 1); 0 for a single value. */
  std: number;
  values: number[];
}

/** One run of the comparison: its variant, seed, final metrics and history. */
export interface CompareRun {
  variant: string;
  seed: number;
  metrics: RunMetrics;
  history: EpochRecord[];
}

/** What `compare()` returns: every run, each variant's aggregated metrics, and the first seed's results. */
export interface CompareResult {
  base: TrainConfig;
  seeds: number[];
  variants: Variant[];
  runs: CompareRun[];
  /** Per variant, per metric name (see COMPARE_METRICS), the mean and std over seeds. */
  summary: { variant: string; metrics: Record<string, Aggregate> }[];
  /** Rows are metrics, columns variants, cells "mean ± std". */
  table: Table;
  /** The full results of the first seed, one per variant (models and data for the plots). */
  firstSeed: TrainResult[];
}

/** Callbacks of `compare()` and `compareSteps()`: at the start and end of each run and after each epoch. */
export interface CompareHooks {
  /** Called as each run starts; index counts from 0 over all K × variants runs. */
  onRunStart?: (info: { index: number; total: number; variant: string; seed: number }) => void;
  onEpoch?: (record: EpochRecord, info: { index: number; total: number; variant: string; seed: number }) => void;
  onRunEnd?: (info: { index: number; total: number; variant: string; seed: number; metrics: RunMetrics }) => void;
}

/**
 * The three configurations compared: cross-entropy, focal loss, and focal loss with α from the effective number of samples (Cui et al. 2019).
 */
// The three configurations: plain cross-entropy, focal loss, and focal loss with α from the
// effective number of samples per class (Cui et al. 2019).
export function compareVariants(gamma: number): Variant[] {
  return [
    { name: 'cross-entropy', loss: 'ce', alpha: null },
    { name: `focal γ=${gamma}`, loss: 'focal', alpha: null },
    { name: `focal γ=${gamma}, α eff.`, loss: 'focal', alpha: 'effective' },
  ];
}

/** The metrics of the comparison table, in row order, with how to read each off a run. */
// The metrics of the comparison table, in row order, with how to read each off a run.
export const COMPARE_METRICS: readonly { key: string; label: string; pick: (m: RunMetrics) => number }[] = [
  { key: 'macroF1', label: 'macro-F1', pick: (m) => m.macroF1 },
  { key: 'balancedAccuracy', label: 'balanced accuracy', pick: (m) => m.balancedAccuracy },
  { key: 'recall0', label: 'recall class 0', pick: (m) => m.perClass[0].recall },
  { key: 'recall1', label: 'recall class 1', pick: (m) => m.perClass[1].recall },
  { key: 'recall2', label: 'recall class 2', pick: (m) => m.perClass[2].recall },
  { key: 'accuracy', label: 'accuracy', pick: (m) => m.accuracy },
  { key: 'ece', label: 'ECE', pick: (m) => m.ece },
  { key: 'nll', label: 'test NLL', pick: (m) => m.nll },
];

/**
 * Trains each variant over K seeds (paired: one seed, one data set and one initialisation for all variants) and aggregates the metrics.
 */
// K seeds (base.seed, base.seed + 1, ...) × the three variants; the seed is the outer loop, so the
// first seed's three runs come first. base.loss and base.alpha are replaced by each variant's.
export function compare(base: TrainConfig, seedCount: number, hooks: CompareHooks = {}): CompareResult {
  return runToEnd(compareSteps(base, seedCount, hooks));
}

/** `compare()` as a generator that pauses after each epoch of each run. */
// compare() as a generator that pauses after each epoch of each run (see trainSteps).
export function* compareSteps(base: TrainConfig, seedCount: number, hooks: CompareHooks = {}): Generator<void, CompareResult, void> {
  if (!Number.isSafeInteger(seedCount) || seedCount <= 0) {
    throw new Error(`compare: the number of seeds must be a positive integer, got ${seedCount}`);
  }
  const variants = compareVariants(base.gamma);
  const seeds = Array.from({ length: seedCount }, (_, k) => base.seed + k);
  const total = seeds.length * variants.length;
  const runs: CompareRun[] = [];
  const firstSeed: TrainResult[] = [];
  for (const [k, seed] of seeds.entries()) {
    for (const [v, variant] of variants.entries()) {
      const info = { index: k * variants.length + v, total, variant: variant.name, seed };
      hooks.onRunStart?.(info);
      const config: TrainConfig = { ...base, loss: variant.loss, alpha: variant.alpha, seed };
      const result = yield* trainSteps(config, { onEpoch: (record) => hooks.onEpoch?.(record, info) });
      runs.push({ variant: variant.name, seed, metrics: result.final, history: result.history });
      if (k === 0) firstSeed.push(result);
      hooks.onRunEnd?.({ ...info, metrics: result.final });
    }
  }

  const summary = variants.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant.name);
    const metrics: Record<string, Aggregate> = {};
    for (const { key, pick } of COMPARE_METRICS) metrics[key] = aggregate(mine.map((r) => pick(r.metrics)));
    return { variant: variant.name, metrics };
  });
  const table: Table = {
    headers: ['metric', ...variants.map((v) => v.name)],
    rows: COMPARE_METRICS.map(({ key, label }) => [label, ...summary.map((s) => formatMeanStd(s.metrics[key]))]),
  };
  return { base, seeds, variants, runs, summary, table, firstSeed };
}

/** The mean and sample standard deviation (K − 1 in the denominator; 0 when K = 1) of a metric over seeds. */
// Mean and sample standard deviation (K − 1 in the denominator; 0 when K = 1).
export function aggregate(values: readonly number[]): Aggregate {
  if (values.length === 0) throw new Error('aggregate: needs at least one value, got none');
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  const std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
  return { mean, std, values: values.slice() };
}

/** An aggregate as "mean ± std" with `digits` decimals. */
export function formatMeanStd(a: Aggregate, digits = 3): string {
  return `${a.mean.toFixed(digits)} ± ${a.std.toFixed(digits)}`;
}

/** compare.json: everything but the models; no timestamps, so equal seeds give equal files. */
// compare.json: everything but the models. No timestamps, so equal seeds give equal files.
export function compareJson(result: CompareResult): Record<string, unknown> {
  const { loss: _loss, alpha: _alpha, ...base } = result.base;
  return {
    base,
    seeds: result.seeds,
    variants: result.variants,
    summary: result.summary,
    runs: result.runs,
  };
}

/** A file a run writes: its name and content. */
export interface OutputFile {
  /** A file name, relative to the output directory. */
  name: string;
  content: string;
}

/** One line naming the data, model and optimizer of a configuration. */
// One line: the data, model and optimiser of a configuration (for captions and the report).
export function describeConfig(c: TrainConfig): string {
  return (
    `${c.data}, n=${c.n}, ratios ${c.ratios.join(':')}, MLP 2-${c.hidden.join('-')}-3 ${c.activation}, ` +
    `${c.optimizer} lr ${c.lr}, ${c.epochs} epochs, batch ${c.batch}, seed ${c.seed}`
  );
}

/** The loss of a configuration in words, with γ and α. */
export function describeLoss(c: Pick<TrainConfig, 'loss' | 'gamma' | 'alpha'>): string {
  const name = c.loss === 'ce' ? 'cross-entropy' : c.loss === 'focal' ? `focal γ=${c.gamma}` : `focal* γ=${c.gamma}`;
  if (c.alpha === null) return name;
  const alpha = typeof c.alpha === 'string' ? c.alpha : typeof c.alpha === 'number' ? String(c.alpha) : c.alpha.join(',');
  return `${name}, α ${alpha}`;
}

/** The files of a single run: metrics.json, loss.svg, recall.svg, regions.svg and report.html. */
// The files of a single run: metrics.json, loss.svg, recall.svg, regions.svg, report.html.
export function runFiles(result: TrainResult): OutputFile[] {
  const title = describeLoss(result.config);
  const loss = lossCurvesSvg(epochs(result), `Loss: ${title}`);
  const recall = recallCurvesSvg(epochs(result), recallNames(result), `Test recall per class: ${title}`);
  const regions = regionsPlot(result.model, result.split, `Decision regions: ${title}`);
  const sections: ReportSection[] = [
    { heading: 'Configuration', html: `<p>${escapeXml(describeConfig(result.config))}</p>` },
    { heading: 'Test metrics', table: classificationTable(result.final, result.split.test.classNames), html: metricLine(result.final) },
    { heading: 'Decision regions (test points)', svg: regions },
    { heading: 'Loss', svg: loss },
    { heading: 'Recall per class', svg: recall },
  ];
  return [
    jsonFile('metrics.json', metricsJson(result)),
    { name: 'loss.svg', content: loss },
    { name: 'recall.svg', content: recall },
    { name: 'regions.svg', content: regions },
    { name: 'report.html', content: reportHtml({ title: `focalgrad: ${title}`, sections }) },
  ];
}

/** The files of a comparison: compare.json, the headline run's metrics.json, and the variants' plots side by side. */
// The files of a comparison: compare.json, metrics.json (the first seed's focal + effective-α run,
// the configuration the comparison is about), and the three variants' plots side by side.
export function compareFiles(result: CompareResult): OutputFile[] {
  const featured = result.firstSeed[result.firstSeed.length - 1];
  const seed = result.seeds[0];
  const panels = (make: (r: TrainResult) => string): string[] => result.firstSeed.map(make);
  const regions = sideBySideSvg(
    panels((r) => regionsPlot(r.model, r.split, describeLoss(r.config))),
    { title: `Decision regions on the test split (seed ${seed})` },
  );
  const panelSize = { width: 420, height: 300 };
  const loss = sideBySideSvg(panels((r) => lossCurvesSvg(epochs(r), describeLoss(r.config), panelSize)), {
    title: `Loss (seed ${seed})`,
  });
  const recall = sideBySideSvg(panels((r) => recallCurvesSvg(epochs(r), recallNames(r), describeLoss(r.config), panelSize)), {
    title: `Test recall per class (seed ${seed})`,
  });
  const k = result.seeds.length;
  const caption =
    `<p>${escapeXml(describeConfig({ ...result.base, seed }))}; seeds ${result.seeds.join(', ')}. ` +
    `Mean ± sample standard deviation over ${k} seed${k === 1 ? '' : 's'}, on the test split.</p>`;
  const sections: ReportSection[] = [
    { heading: 'Comparison', html: caption, table: result.table },
    { heading: 'Decision regions', svg: regions },
    { heading: 'Loss', svg: loss },
    { heading: 'Recall per class', svg: recall },
    {
      heading: `Test metrics: ${describeLoss(featured.config)}, seed ${seed}`,
      table: classificationTable(featured.final, featured.split.test.classNames),
      html: metricLine(featured.final),
    },
  ];
  return [
    jsonFile('compare.json', compareJson(result)),
    jsonFile('metrics.json', metricsJson(featured)),
    { name: 'regions.svg', content: regions },
    { name: 'loss.svg', content: loss },
    { name: 'recall.svg', content: recall },
    { name: 'report.html', content: reportHtml({ title: 'focalgrad: cross-entropy vs focal loss', sections }) },
  ];
}

/** The summary of a single run printed on stdout. */
// The summary a person reads on stdout after a single run.
export function runSummary(result: TrainResult): string {
  const t = classificationTable(result.final, result.split.test.classNames);
  return `${describeLoss(result.config)}; ${describeConfig(result.config)}\n${formatTable(t.headers, t.rows)}\n${plainMetricLine(result.final)}`;
}

/** The summary of a comparison printed on stdout: the table of means ± standard deviations. */
export function compareSummary(result: CompareResult): string {
  const k = result.seeds.length;
  return (
    `${describeConfig({ ...result.base, seed: result.seeds[0] })}\n` +
    `test split, mean ± std over ${k} seed${k === 1 ? '' : 's'} (${result.seeds.join(', ')})\n` +
    formatTable(result.table.headers, result.table.rows)
  );
}

// A class's name and its number of training samples, for the recall legend.
function recallNames(result: TrainResult): string[] {
  return result.split.test.classNames.map((name, c) => `${name} (${result.trainCounts[c]} train)`);
}

// Epoch 0 (the untrained model) and then every epoch.
function epochs(result: TrainResult): EpochRecord[] {
  return [result.initial, ...result.history];
}

function regionsPlot(model: MLP, split: Split, title: string): string {
  return decisionRegionsSvg({ title, data: split.test, predict: (x) => predictClasses(model, x) });
}

function metricLine(m: RunMetrics): string {
  return `<p>${escapeXml(plainMetricLine(m))}</p>`;
}

// NOTE: balanced accuracy is left out: the classification table this line goes under has a row for it.
function plainMetricLine(m: RunMetrics): string {
  return `macro-F1 ${m.macroF1.toFixed(3)}, ECE ${m.ece.toFixed(3)}, test loss ${m.loss.toFixed(4)}, test NLL ${m.nll.toFixed(4)}`;
}

function jsonFile(name: string, value: unknown): OutputFile {
  return { name, content: `${JSON.stringify(value, null, 2)}\n` };
}
