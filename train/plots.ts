// The curves of a training history as SVG strings, shared by the report files and the playground.
import type { EpochRecord } from './loop.js';
import { linePlotSvg } from './report.js';

/** The width and height of a plot in pixels. */
export interface PlotSize {
  width?: number;
  height?: number;
}

/** Train and test loss per epoch on a log axis, as an SVG document. */
// Train and test loss per epoch on a log axis: the loss falls by orders of magnitude in the first
// epoch, and a linear axis would show a cliff and then a flat line.
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

/** Test recall of each class per epoch on a fixed [0, 1] axis, as an SVG document. */
// Test recall of each class per epoch, on a fixed [0, 1] axis so that panels can be compared.
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
    yDomain: [0, 1],
    ...size,
    series: classNames.map((name, c) => ({ name, values: history.map((h) => h.recall[c]) })),
  });
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
