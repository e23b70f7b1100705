// The plots of a training run as SVG strings — loss and recall curves, reliability diagram, confusion heatmap, decision regions (PCA past two features) — shared by the report files and the playground.
import type { MLP } from '../models/index.js';
import { heatmapSvg, decisionRegionsSvg, linePlotSvg } from './charts.js';
import type { Dataset, Split } from './data.js';
import { type EpochRecord, predictClasses } from './loop.js';
import { binsFor } from './metrics.js';
import { type Plane, principalPlane } from './pca.js';
import { FONT_SIZE, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_TOP, axes, niceTicks, px, scale, svgDocument, titleText } from './svg.js';

/** The pixel size of a plot. */
export interface PlotSize {
  width?: number;
  height?: number;
}

/**
 * Train and test loss per epoch on a log axis: the loss falls by orders of magnitude in the first
 * epoch, and a linear axis would show a cliff and then a flat line.
 */
export function lossCurvesSvg(history: readonly EpochRecord[], title: string, size: PlotSize = {}): string {
  return linePlotSvg({
    title,
    xLabel: 'epoch',
    yLabel: 'loss (log scale)',
    xStart: firstEpoch('lossCurvesSvg', history),
    yScale: 'log',
    ...size,
    series: [
      { name: 'train', values: history.map((h) => h.trainLoss) },
      { name: 'test', values: history.map((h) => h.testLoss) },
    ],
  });
}

// The recall axis reaches this far past 0 and 1: a line at exactly 0 or 1 (common with many classes)
// drawn on the frame itself was hidden by it.
const RECALL_MARGIN = 0.04;

/** Test recall of each class per epoch, on a fixed axis (0 to 1, a little room beyond) so that panels can be compared. */
export function recallCurvesSvg(
  history: readonly EpochRecord[],
  classNames: readonly string[],
  title: string,
  size: PlotSize = {},
): string {
  const xStart = firstEpoch('recallCurvesSvg', history);
  const classes = history[0].recall.length;
  if (classNames.length !== classes) {
    throw new Error(`recallCurvesSvg: needs one class name per class (${classes}), got ${classNames.length}`);
  }
  return linePlotSvg({
    title,
    xLabel: 'epoch',
    yLabel: 'test recall',
    xStart,
    yDomain: [-RECALL_MARGIN, 1 + RECALL_MARGIN],
    ...size,
    series: classNames.map((name, c) => ({ name, values: history.map((h) => h.recall[c]) })),
  });
}

// The gap is drawn as red stripes (a thick vertical line dashed 3 on, 3 off), not a solid fill: where
// accuracy is above confidence the gap lies over the bar, and the blue between the stripes shows the bar
// reaching its accuracy. (A solid fill hid it; a translucent one turned purple, a colour the legend did not show.)
const GAP_COLOR = '#d62728';
const GAP_DASH = '3 3';

// Room for the reliability diagram's legend row under its x-axis label.
const LEGEND_ROW = 20;

/**
 * A reliability diagram (Guo et al. 2017, figure 1): per confidence bin, a bar at the bin's accuracy
 * over the diagonal of perfect calibration; red stripes mark each bar's gap to the bin's mean confidence
 * (over the bar where the bin is under-confident), and each bar is labelled with its number of samples.
 * The title carries the ECE of the same 15 bins.
 */
export function reliabilitySvg(probs: ArrayLike<number>, yTrue: ArrayLike<number>, numClasses: number, title: string, size: PlotSize = {}): string {
  const { width = 380, height = 360 } = size;
  const bins = binsFor('reliabilitySvg', probs, yTrue, numClasses, 15);
  const n = yTrue.length;
  const ece = bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.accuracy - b.confidence), 0);
  const plot = { left: MARGIN_LEFT, right: width - 20, top: MARGIN_TOP, bottom: height - MARGIN_BOTTOM - LEGEND_ROW };
  const toX = scale([0, 1], [plot.left, plot.right]);
  const toY = scale([0, 1], [plot.bottom, plot.top]);
  const filled = bins.filter((b) => b.count > 0);
  const bars = filled.map((b) => {
    const x = px(toX(b.lower));
    const w = px(toX(b.upper) - toX(b.lower));
    const middle = px(x + w / 2);
    return (
      `<rect class="bar" x="${x}" y="${px(toY(b.accuracy))}" width="${w}" height="${px(plot.bottom - toY(b.accuracy))}" fill="#1f77b4" stroke="#fff"><title>${b.count} samples, accuracy ${b.accuracy.toFixed(3)}, confidence ${b.confidence.toFixed(3)}</title></rect>` +
      `<line class="gap" x1="${middle}" y1="${px(toY(b.accuracy))}" x2="${middle}" y2="${px(toY(b.confidence))}" stroke="${GAP_COLOR}" stroke-width="${px(w - 2)}" stroke-dasharray="${GAP_DASH}"/>`
    );
  });
  // The number of samples in each bin, written up the bar from its foot (dark on a white halo: readable
  // on the bar and off it), so a bin of 1 sample does not pass for one of hundreds.
  const counts = filled.map((b) => {
    const x = px(toX((b.lower + b.upper) / 2) + FONT_SIZE / 2 - 2);
    const y = plot.bottom - 4;
    return `<text transform="translate(${x} ${y}) rotate(-90)">n=${b.count}</text>`;
  });
  const ticks = niceTicks([0, 1]);
  // The legend sits in a row under the axis label, where no bar can hide it.
  const legendY = height - 12;
  const legend =
    `<rect x="${plot.left}" y="${legendY - 10}" width="12" height="12" fill="#1f77b4"/>` +
    `<text x="${plot.left + 18}" y="${legendY}">accuracy</text>` +
    `<line x1="${plot.left + 106}" y1="${legendY + 2}" x2="${plot.left + 106}" y2="${legendY - 10}" stroke="${GAP_COLOR}" stroke-width="12" stroke-dasharray="${GAP_DASH}"/>` +
    `<text x="${plot.left + 118}" y="${legendY}">gap to mean confidence</text>`;
  return svgDocument(width, height, [
    titleText(`${title} (ECE ${ece.toFixed(3)})`, width),
    `<g class="bars">${bars.join('')}</g>`,
    `<line class="diagonal" x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.top}" stroke="#555" stroke-dasharray="4 3"/>`,
    `<g class="counts" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">${counts.join('')}</g>`,
    axes(plot, ticks, ticks, toX, toY, 'confidence (top class)', 'accuracy'),
    `<g class="legend">${legend}</g>`,
  ]);
}

/** The confusion matrix as a heatmap: each row shaded by its share of the true class (so a rare class's row reads as clearly as a common one's). */
export function confusionSvg(confusion: readonly (readonly number[])[], classNames: readonly string[], title: string): string {
  const shades = confusion.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
  const cell = Math.max(36, Math.min(64, Math.floor(240 / confusion.length)));
  return heatmapSvg({ title, values: confusion, shades, rowLabels: classNames, columnLabels: classNames, xLabel: 'predicted', yLabel: 'true class', cell });
}

/**
 * The decision regions of `model` over the test points. Two features are drawn as they are; one is
 * drawn along x; more are drawn in the plane of the first two principal components of the training
 * inputs (through their mean), and `caption` says so. A class the model predicts for test points but
 * nowhere on the drawn grid (its region lies off the plane, or is smaller than a grid cell) is named in
 * the caption, so that the plot never silently disagrees with the confusion matrix.
 */
export function regionsSvg(model: MLP, split: Split, title: string): { svg: string; caption: string | null } {
  // The classes the grid shows, as the plot asks the model for them.
  const drawn = new Set<number>();
  const { svg, caption } = regionsOnAPlane(
    (x) => {
      const classes = predictClasses(model, x);
      classes.forEach((c) => drawn.add(c));
      return classes;
    },
    split,
    title,
  );
  const { test } = split;
  const { dim } = split.train;
  const offGrid = [...new Set(predictClasses(model, test.x))].filter((c) => !drawn.has(c)).sort((a, b) => a - b);
  if (offGrid.length === 0) return { svg, caption };
  const [region, lies, is] = offGrid.length > 1 ? ['their regions', 'lie', 'are'] : ['its region', 'lies', 'is'];
  const why = dim > 2 ? `${region} ${lies} off this plane, or ${is} smaller than a grid cell` : `${region} ${is} smaller than a grid cell`;
  const note = `Predicted for some test points but with no region drawn here (${why}): ${offGrid.map((c) => test.classNames[c]).join(', ')}.`;
  return { svg, caption: caption === null ? note : `${caption} ${note}` };
}

// The regions of `predict` (a class per row of inputs): two features as they are, one along x, more in the
// plane of the first two principal components of the training inputs (through their mean), said in the caption.
function regionsOnAPlane(predict: (x: Float64Array) => Int32Array, split: Split, title: string): { svg: string; caption: string | null } {
  const { train: trainSet, test } = split;
  const names = trainSet.featureNames ?? Array.from({ length: trainSet.dim }, (_, j) => `x${j + 1}`);
  if (trainSet.dim === 2) {
    const svg = decisionRegionsSvg({ title, data: test, predict, xLabel: names[0], yLabel: names[1] });
    return { svg, caption: null };
  }
  const plane: Plane = trainSet.dim === 1 ? { mean: [0], axes: [[1], [0]] } : principalPlane(trainSet.x, trainSet.n, trainSet.dim);
  const projected = project(test, plane);
  // A grid point (a, b) of the plane is the input mean + a·u₁ + b·u₂.
  const lift = (grid: Float64Array): Float64Array => {
    const m = grid.length / 2;
    const out = new Float64Array(m * trainSet.dim);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < trainSet.dim; j++) {
        out[i * trainSet.dim + j] = plane.mean[j] + grid[2 * i] * plane.axes[0][j] + grid[2 * i + 1] * (plane.axes[1][j] ?? 0);
      }
    }
    return out;
  };
  const one = trainSet.dim === 1;
  const svg = decisionRegionsSvg({
    title,
    data: projected,
    predict: (grid) => predict(lift(grid)),
    xLabel: one ? names[0] : 'PC1',
    yLabel: one ? '(one feature)' : 'PC2',
  });
  const caption = one
    ? `One feature: the regions are bands along ${names[0]}.`
    : `${trainSet.dim} features: the plot shows the plane of the first two principal components of the standardised ` +
      `training inputs, through their mean; the model is asked about points of that plane.`;
  return { svg, caption };
}

function project(data: Dataset, plane: Plane): Dataset {
  const x = new Float64Array(data.n * 2);
  for (let i = 0; i < data.n; i++) {
    for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let j = 0; j < data.dim; j++) s += (data.x[i * data.dim + j] - plane.mean[j]) * (plane.axes[k][j] ?? 0);
      x[2 * i + k] = s;
    }
  }
  return { ...data, x, dim: 2 };
}

// The x of the first point; the plot spaces points by one, so the epochs must follow each other.
function firstEpoch(fn: string, history: readonly EpochRecord[]): number {
  if (history.length === 0) throw new Error(`${fn}: history must hold at least one epoch, got none`);
  const first = history[0].epoch;
  history.forEach((h, i) => {
    if (h.epoch !== first + i) throw new Error(`${fn}: epochs must be consecutive, got ${h.epoch} after ${history[i - 1].epoch}`);
  });
  return first;
}
