// The files a run or a comparison leaves (JSON, SVG plots, one HTML report) and the summaries printed on stdout, as strings.
import { sideBySideSvg } from './charts.js';
import { type CompareResult } from './compare.js';
import type { Dataset } from './data.js';
import type { TrainConfig } from './config.js';
import type { EpochRecord, RunMetrics, TrainResult } from './loop.js';
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
    perClass: Object.fromEntries(final.perClass.map((m, c) => [trainSet.classNames[c], m])),
    confusion: final.confusion,
    stopped: result.stopped,
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
      : `${dataLabel(c.data)}, ${trainSet.n + test.n} rows, ${trainSet.dim} feature${trainSet.dim === 1 ? '' : 's'} (standardised), ` +
        `${trainSet.numClasses} classes`;
  const sizes = [trainSet.dim, ...c.hidden, trainSet.numClasses].join('-');
  return `${data}, MLP ${sizes} ${c.activation}, ${c.optimizer} lr ${c.lr}, ${c.epochs} epochs, batch ${c.batch}, ${seedText}`;
}

/** A loss as the tables and titles name it, from the loss registry's label, with its α. */
export function describeLoss(c: Pick<TrainConfig, 'loss' | 'gamma' | 'alpha'>): string {
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
    `Mean ± sample standard deviation over ${k} seed${k === 1 ? '' : 's'}, on the test split.</p>`;
  const sections: ReportSection[] = [
    { heading: 'Comparison', html: caption, table: result.table },
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

/** compare.json: everything but the models. No timestamps, so equal seeds give equal files. */
export function compareJson(result: CompareResult): Record<string, unknown> {
  const { loss: _loss, alpha: _alpha, ...base } = configJson(result.base);
  return {
    base,
    classNames: result.firstSeed[0].split.test.classNames,
    seeds: result.seeds,
    variants: result.variants,
    summary: result.summary,
    runs: result.runs,
  };
}

/** The summary a person reads on stdout after a single run. */
export function runSummary(result: TrainResult): string {
  const t = classificationTable(result.final, result.split.test.classNames);
  return `${describeLoss(result.config)}; ${describeRun(result)}\n${formatTable(t.headers, t.rows)}\n${plainMetricLine(result.final)}`;
}

/** The comparison table as printed on stdout. */
export function compareSummary(result: CompareResult): string {
  const k = result.seeds.length;
  return (
    `${describeRun(result.firstSeed[0], `seed ${result.seeds[0]}`)}\n` +
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
