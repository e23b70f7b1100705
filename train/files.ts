// The files a run or a comparison leaves (JSON, SVG plots, one HTML report) and the summaries printed on stdout, as strings.
import { safeText } from '../engine/safe-text.js';
import { sideBySideSvg } from './charts.js';
import { type CompareResult, type SelectMetric, FEW_ROWS, formatInterval, formatMeanStd } from './compare.js';
import type { Dataset } from './data.js';
import type { TrainConfig } from './config.js';
import { type EpochRecord, type RunMetrics, type TrainResult, patienceEpochs } from './loop.js';
import { confusionSvg, lossCurvesSvg, recallCurvesSvg, regionsSvg, reliabilitySvg } from './plots.js';
import { LOSSES } from './registry.js';
import { type ReportFigure, type ReportSection, classificationTable, formatTable, reportHtml } from './report.js';
import { escapeXml } from './svg.js';

/** A file a run leaves, by name relative to the output directory. */
export interface OutputFile {
  name: string;
  content: string;
}

// Panel sizes of the curves: with a confusion matrix of up to four classes they fit in one row of the
// report's 1168 px at 100% (the recall legend needs the room of its class names).
const LOSS_SIZE = { width: 340, height: 320 };
const RECALL_SIZE = { width: 420, height: 320 };

/** What metrics.json holds: the run's configuration, its final test metrics and its history. No clock in it. */
export function metricsJson(result: TrainResult): Record<string, unknown> {
  const { final } = result;
  const { train: trainSet } = result.split;
  return {
    config: configJson(result.config),
    classNames: trainSet.classNames,
    features: trainSet.featureNames ?? trainSet.x.length / trainSet.n,
    standardization: result.standardization,
    trainCounts: result.trainCounts,
    alpha: result.alpha,
    loss: final.loss,
    nll: final.nll,
    accuracy: final.accuracy,
    macroF1: final.macroF1,
    balancedAccuracy: final.balancedAccuracy,
    ece: final.ece,
    perClass: perClassByName(final, trainSet.classNames),
    confusion: final.confusion,
    stopped: result.stopped,
    refit: result.refit,
    validation: result.valMetrics === null ? null : { loss: result.valMetrics.loss, nll: result.valMetrics.nll, balancedAccuracy: result.valMetrics.balancedAccuracy, macroF1: result.valMetrics.macroF1 },
    initial: result.initial,
    history: result.history,
  };
}

/** A config as the JSON files hold it: the data by name, and n and ratios only for a built-in dataset (they mean nothing to a Dataset). */
export function configJson(config: TrainConfig): Record<string, unknown> {
  const { data, n, ratios, ...rest } = config;
  return typeof data === 'string' ? { data, n, ratios, ...rest } : { data: dataLabel(data), ...rest };
}

/** A dataset's name for captions and files: the built-in name, or the Dataset's own (default 'rows'). */
export function dataLabel(data: string | Dataset): string {
  return typeof data === 'string' ? data : (data.name ?? 'rows');
}

/** One line: the data, model and optimiser of a run (for captions and the summary). */
export function describeRun(result: TrainResult, seedText = `seed ${result.config.seed}`): string {
  const c = result.config;
  const { train: trainSet, test } = result.split;
  const data =
    typeof c.data === 'string'
      ? `${c.data}, n=${c.n}, ratios ${c.ratios.join(':')}`
      : `${safeText(dataLabel(c.data), 'terminal', { maxLength: 60 })}, ${trainSet.n + (result.split.val?.n ?? 0) + test.n} rows, ${trainSet.dim} feature${trainSet.dim === 1 ? '' : 's'} (standardised), ` +
        `${trainSet.numClasses} classes`;
  const sizes = [trainSet.dim, ...c.hidden, trainSet.numClasses].join('-');
  const model = c.hidden.length === 0 ? `linear ${sizes}` : `MLP ${sizes} ${c.activation}`;
  const decay = c.weightDecay > 0 ? ` weight decay ${c.weightDecay}` : '';
  const epochs = c.epochs === 'auto' ? `epochs auto (≥ ${c.minSteps} steps)` : `${c.epochs} epochs`;
  // After a refit the training part holds the validation rows: early stopping watched them on the rest.
  const valRows = result.valMetrics?.perClass.reduce((n, m) => n + m.support, 0) ?? 0;
  const fitRows = result.refit === null ? trainSet.n : trainSet.n - valRows;
  const watched = result.split.val !== null || result.refit !== null;
  const stopping = !watched || c.patience === null ? 'no early stopping' : `early stopping patience ${patienceEpochs(c, fitRows)} epochs${c.refit ? ', then refit on train + validation' : ''}`;
  return `${data}, ${model}, ${c.optimizer} lr ${c.lr}${decay}, ${epochs}, batch ${c.batch}, ${stopping}, ${seedText}`;
}

/** A loss as the tables and titles name it, from the loss registry's label, with its α. */
export function describeLoss(c: Pick<TrainConfig, 'gamma' | 'alpha'> & { loss: string }): string {
  const name = (LOSSES[c.loss]?.label ?? (() => c.loss))(c.gamma);
  if (c.alpha === null) return name;
  const alpha = typeof c.alpha === 'string' ? c.alpha : typeof c.alpha === 'number' ? String(c.alpha) : c.alpha.join(',');
  return `${name}, α ${alpha}`;
}

/** The plots of one run, each an SVG of its own (the report shows them at full size). */
export function runFigures(result: TrainResult, title: string): Record<'loss' | 'recall' | 'regions' | 'reliability' | 'confusion', ReportFigure> {
  const { test } = result.split;
  const regions = regionsSvg(result.model, result.split, `Decision regions: ${title}`);
  return {
    loss: { svg: lossCurvesSvg(epochs(result), `Loss: ${title}`, LOSS_SIZE) },
    recall: { svg: recallCurvesSvg(epochs(result), recallNames(result), `Test recall: ${title}`, RECALL_SIZE) },
    regions: { svg: regions.svg, caption: regions.caption ?? undefined },
    reliability: { svg: reliabilitySvg(result.testProbs, test.y, test.numClasses, 'Reliability') },
    confusion: { svg: confusionSvg(result.final.confusion, test.classNames, 'Confusion (test)') },
  };
}

/** The files of a single run: metrics.json, one SVG per plot, report.html. */
export function runFiles(result: TrainResult): OutputFile[] {
  const title = describeLoss(result.config);
  const figures = runFigures(result, title);
  const sections: ReportSection[] = [
    { heading: 'Configuration', html: `<p>${escapeXml(describeRun(result))}</p>` },
    { heading: 'Test metrics', table: classificationTable(result.final, result.split.test.classNames), html: metricLine(result.final) },
    { heading: 'Plots', figures: [figures.regions, figures.reliability, figures.confusion, figures.loss, figures.recall] },
  ];
  return [
    jsonFile('metrics.json', metricsJson(result)),
    ...(['loss', 'recall', 'regions', 'reliability', 'confusion'] as const).map((name) => ({ name: `${name}.svg`, content: figures[name].svg })),
    { name: 'report.html', content: reportHtml({ title: `focalgrad: ${title}`, sections }) },
  ];
}

/**
 * The files of a comparison: compare.json, metrics.json (the first seed's focal + effective-α run,
 * the configuration the comparison is about), each kind of plot with the variants side by side, and
 * report.html with a section per loss.
 */
export function compareFiles(result: CompareResult): OutputFile[] {
  const featured = result.firstSeed[result.firstSeed.length - 1];
  const seed = result.seeds[0];
  const perLoss = result.firstSeed.map((r) => ({ result: r, title: describeLoss(r.config), figures: runFigures(r, describeLoss(r.config)) }));
  const side = (name: 'loss' | 'recall' | 'regions' | 'reliability' | 'confusion', title: string): OutputFile => ({
    name: `${name}.svg`,
    content: sideBySideSvg(perLoss.map((p) => p.figures[name].svg), { title: `${title} (seed ${seed})` }),
  });
  const k = result.seeds.length;
  const caption =
    `<p>${escapeXml(describeRun(result.firstSeed[0], `seeds ${result.seeds.join(', ')}`))}. ` +
    `Test metrics, ${k === 1 ? 'one split' : `mean ± sample standard deviation over ${k} splits`}. ${escapeXml(selectionLine(result))}</p>`;
  const sections: ReportSection[] = [
    { heading: 'Comparison', html: caption, table: result.table },
    { heading: `Difference from ${result.baseline}`, html: `<p>${escapeXml(k === 1 ? 'One split: no interval.' : INTERVAL_METHOD)}</p>`, table: result.differenceTable },
    ...perLoss.map(({ result: r, title, figures }) => ({
      heading: `${title} (seed ${seed})`,
      html: metricLine(r.final),
      figures: [figures.regions, figures.reliability, figures.confusion, figures.loss, figures.recall],
    })),
    {
      heading: `Test metrics: ${describeLoss(featured.config)}, seed ${seed}`,
      table: classificationTable(featured.final, featured.split.test.classNames),
    },
  ];
  return [
    jsonFile('compare.json', compareJson(result)),
    jsonFile('metrics.json', metricsJson(featured)),
    side('regions', 'Decision regions on the test split'),
    side('loss', 'Loss'),
    side('recall', 'Test recall per class'),
    side('reliability', 'Reliability'),
    side('confusion', 'Confusion matrices'),
    { name: 'report.html', content: reportHtml({ title: `focalgrad: ${perLoss.map((p) => p.title).join(' vs ')}`, sections }) },
  ];
}

/** compare.json: everything but the models, per-class numbers keyed by class name as in metrics.json. No timestamps, so equal seeds give equal files. */
export function compareJson(result: CompareResult): Record<string, unknown> {
  const { loss: _loss, alpha: _alpha, seed: _seed, fold: _fold, ...base } = configJson(result.base);
  const classNames = result.firstSeed[0].split.test.classNames;
  const byName = (m: RunMetrics | null): Record<string, unknown> | null => (m === null ? null : { ...m, perClass: perClassByName(m, classNames) });
  return {
    base,
    classNames,
    splits: { kind: result.kind, seeds: result.seeds, sizes: result.sizes, testSupport: result.support },
    interval: INTERVAL_METHOD,
    variants: result.variants,
    baseline: result.baseline,
    selected: result.selected,
    summary: result.summary,
    differences: result.differences,
    runs: result.runs.map((r) => ({ ...r, metrics: byName(r.metrics), valMetrics: byName(r.valMetrics) })),
  };
}

/** The interval's method, as compare.json and the printed table name it. */
export const INTERVAL_METHOD = "95 % corrected resampled t (Nadeau & Bengio 2003): var × (1/J + nTest/nTrain), t with J − 1 df, paired by split";

/** A run's per-class metrics keyed by class name: the one per-class shape of metrics.json and compare.json. */
export function perClassByName(m: RunMetrics, classNames: readonly string[]): Record<string, RunMetrics['perClass'][number]> {
  return Object.fromEntries(m.perClass.map((c, k) => [classNames[k], c]));
}

/** The summary a person reads on stdout after a single run. */
export function runSummary(result: TrainResult): string {
  const t = classificationTable(result.final, result.split.test.classNames);
  return `${describeLoss(result.config)}; ${describeRun(result)}\n${stopLine(result)}\n${formatTable(t.headers, t.rows)}\n${plainMetricLine(result.final)}`;
}

/** What ended a run and which weights it kept, in one line. */
export function stopLine(result: TrainResult): string {
  const s = result.stopped;
  const why = s.reason === 'patience' ? `early stopping at epoch ${s.epoch} of ${s.budget}` : `the budget of ${s.budget} epochs ran out`;
  const kept = s.bestValLoss === null ? `kept the last weights (epoch ${s.bestEpoch})` : `kept epoch ${s.bestEpoch} (validation loss ${s.bestValLoss.toFixed(4)})`;
  const refit = result.refit === null ? '' : `; refit on train + validation (${result.refit.rows} rows) for ${result.refit.epochs} epoch${result.refit.epochs === 1 ? '' : 's'}`;
  return `stopped: ${why}; ${kept}${refit}`;
}

/** The comparison as printed on stdout: the test metrics per variant, the paired differences from the baseline, the selection. */
export function compareSummary(result: CompareResult): string {
  const j = result.seeds.length;
  const splits = result.kind === 'folds' ? `${j} stratified folds` : `${j} stratified split${j === 1 ? '' : 's'} (seed${j === 1 ? '' : 's'} ${result.seeds.join(', ')})`;
  const { train: nTrain, val: nVal, test: nTest } = result.sizes;
  const lines = [
    describeRun(result.firstSeed[0], `seed ${result.seeds[0]}`),
    `${splits}; ${nTrain} train / ${nVal} validation / ${nTest} test rows; test rows per class: ` +
      Object.entries(result.support).map(([name, n]) => `${name} ${n}`).join(', '),
    '',
    `test metrics, ${j === 1 ? 'one split (no spread)' : `mean ± std over ${j} splits`}:`,
    formatTable(result.table.headers, result.table.rows),
  ];
  if (result.table.rows.some((r) => r[0].endsWith('*'))) lines.push(`* rests on fewer than ${FEW_ROWS} test rows per split: a single row moves it by more than 0.1`);
  if (result.differences.length > 0) {
    lines.push('', j === 1 ? `difference from ${result.baseline} (one split: no interval):` : `difference from ${result.baseline}, paired by split, ${INTERVAL_METHOD.replace(', paired by split', '')}:`);
    lines.push(formatTable(result.differenceTable.headers, result.differenceTable.rows));
  }
  const stops = result.runs.filter((r) => r.stopped.reason === 'patience').length;
  lines.push('', `early stopping ended ${stops} of ${result.runs.length} runs; kept epochs (median) ${median(result.runs.map((r) => r.stopped.bestEpoch))}`);
  if (result.base.refit) lines.push('each run refit on train + validation for its kept epochs (at least 1): the test metrics are the refits\'; selection read the early-stopped runs\' validation metrics');
  lines.push(selectionLine(result));
  return lines.join('\n');
}

/** One line: the variant chosen on validation and its test score with its difference from the baseline. */
export function selectionLine(result: CompareResult): string {
  const s = result.selected;
  if (s === null) return 'nothing selected: no validation part (valFraction 0)';
  const label = SELECT_LABELS[s.metric];
  const versus = s.difference === null ? ' (the baseline itself)' : `, ${formatInterval(s.difference)} against ${result.baseline}`;
  return `selected on validation ${label}: ${s.variant} (validation ${s.valMean.toFixed(3)}); its test ${label} ${formatMeanStd(s.test)}${versus}`;
}

const SELECT_LABELS: Record<SelectMetric, string> = { balancedAccuracy: 'balanced accuracy', macroF1: 'macro-F1', accuracy: 'accuracy', nll: 'NLL', ece: 'ECE' };

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// A class's name and its number of training samples, for the recall legend.
function recallNames(result: TrainResult): string[] {
  return result.split.test.classNames.map((name, c) => `${name} (${result.trainCounts[c]} train)`);
}

// Epoch 0 (the untrained model) and then every epoch.
function epochs(result: TrainResult): EpochRecord[] {
  return [result.initial, ...result.history];
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
