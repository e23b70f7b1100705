// Charts as SVG strings, with no I/O and no dependencies: line plots, decision regions, heatmaps, panels side by side.
import { classCounts, type Dataset } from './data.js';
import {
  CHAR_WIDTH, CLIP_SLACK, FONT_SIZE, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_TOP,
  classColors as defaultColors,
  axes, checkSize, escapeXml, labelLength, labelText, logTicks, niceTicks, paddedDomain, plotArea, px, scale, svgDocument, titleText,
} from './svg.js';

/** One named line of a linePlotSvg. */
export interface LineSeries {
  name: string;
  values: readonly number[];
}

/** Options of linePlotSvg. */
export interface LinePlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  width?: number;
  height?: number;
  /** The x value of each series' first point (points are evenly spaced by 1). A whole number gives whole-number x ticks. */
  xStart?: number;
  /** A fixed y range, for plots that should share an axis; values outside it are clipped. Default: the data's range. */
  yDomain?: [number, number];
  /** 'log': a base-10 y axis on which non-positive values are skipped like non-finite ones. */
  yScale?: 'linear' | 'log';
}

/** Options of decisionRegionsSvg. */
export interface DecisionRegionsOptions {
  title: string;
  /** Class index for each row of an [m, 2] row-major array of points. */
  predict: (x: Float64Array) => Int32Array;
  data: Dataset;
  classColors?: readonly string[];
  /** Number of grid cells along each axis. */
  resolution?: number;
  /** Axis labels (default x₁ and x₂). */
  xLabel?: string;
  yLabel?: string;
}


/** A line plot of one or more series over evenly spaced x values, with axes, ticks and a legend. */
export function linePlotSvg(options: LinePlotOptions): string {
  const { title, xLabel, yLabel, series, width = 640, height = 400, xStart = 0, yScale = 'linear' } = options;
  const fn = 'linePlotSvg';
  checkSize(fn, 'width', width);
  checkSize(fn, 'height', height);
  if (!Number.isFinite(xStart)) throw new Error(`${fn}: xStart must be a finite number, got ${xStart}`);
  if (series.length === 0) throw new Error(`${fn}: series must hold at least one series, got none`);
  if (yScale !== 'linear' && yScale !== 'log') throw new Error(`${fn}: yScale must be 'linear' or 'log', got ${String(yScale)}`);
  const log = yScale === 'log';
  if (options.yDomain !== undefined) {
    const [lo, hi] = options.yDomain;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi) || (log && lo <= 0)) {
      throw new Error(`${fn}: yDomain must be finite with min < max${log ? ' and min > 0 on a log scale' : ''}, got [${lo}, ${hi}]`);
    }
  }

  const legendWidth = 48 + CHAR_WIDTH * Math.max(...series.map((s) => labelLength(s.name)));
  const plot = plotArea(width, height, legendWidth, fn);
  const longest = Math.max(...series.map((s) => s.values.length));
  // A single point (or none) has no extent along x; centre it in a span of 2.
  const xDomain: [number, number] = longest > 1 ? [xStart, xStart + longest - 1] : [xStart - 1, xStart + 1];
  // NOTE: on a log scale the y domain and the drawing live in log10 units; only the tick labels go back.
  const toUnits = log ? Math.log10 : (v: number): number => v;
  const drawable = (v: number): boolean => Number.isFinite(v) && (!log || v > 0);
  const yDomain: [number, number] =
    options.yDomain !== undefined
      ? [toUnits(options.yDomain[0]), toUnits(options.yDomain[1])]
      : paddedDomain(series.flatMap((s) => s.values.filter(drawable).map(toUnits)));
  const toX = scale(xDomain, [plot.left, plot.right]);
  const toYUnits = scale(yDomain, [plot.bottom, plot.top]);
  const toY = (v: number): number => toYUnits(toUnits(v));
  const xTicks = niceTicks(xDomain, Number.isInteger(xStart) ? 1 : 0);
  const yTicks = log ? logTicks(yDomain) : niceTicks(yDomain);

  const colors = defaultColors(series.length);
  const seriesMarkup = series.map((s, index) => {
    const color = colors[index];
    return `<g class="series" stroke="${color}" fill="${color}">${seriesShapes(s.values, drawable, xStart, toX, toY)}</g>`;
  });
  // NOTE: a nested <svg> clips like overflow: hidden without a clipPath id, which would clash when
  // several plots share one page. It reaches CLIP_SLACK past the frame so a line on the edge keeps its full width.
  const clip = {
    x: plot.left - CLIP_SLACK,
    y: plot.top - CLIP_SLACK,
    width: plot.right - plot.left + 2 * CLIP_SLACK,
    height: plot.bottom - plot.top + 2 * CLIP_SLACK,
  };
  const viewport =
    `<svg class="plot-area" x="${clip.x}" y="${clip.y}" width="${clip.width}" height="${clip.height}" ` +
    `viewBox="${clip.x} ${clip.y} ${clip.width} ${clip.height}" overflow="hidden">`;
  const legend = series.map((s, index) => {
    const y = plot.top + 10 + index * 20;
    const x = plot.right + 16;
    return (
      `<g class="legend-entry"><line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${colors[index]}" stroke-width="2"/>` +
      `<text x="${x + 28}" y="${y + 4}">${labelText(s.name)}</text></g>`
    );
  });

  return svgDocument(width, height, [
    titleText(title, width),
    axes(plot, xTicks, yTicks, toX, toYUnits, xLabel, yLabel),
    `${viewport}\n${seriesMarkup.join('\n')}\n</svg>`,
    `<g class="legend">${legend.join('')}</g>`,
  ]);
}

/** The class a model predicts over a grid covering the data, as coloured regions, with the data's points on top. */
export function decisionRegionsSvg(options: DecisionRegionsOptions): string {
  const { title, predict, data, classColors = defaultColors(data.numClasses), resolution = 120, xLabel = 'x₁', yLabel = 'x₂' } = options;
  const fn = 'decisionRegionsSvg';
  if (data.dim !== 2) throw new Error(`${fn}: data must be 2-D to draw, got dim ${data.dim}`);
  if (data.n === 0) throw new Error(`${fn}: data has no points to draw`);
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1000) {
    throw new Error(`${fn}: resolution must be an integer in [2, 1000], got ${resolution}`);
  }
  if (classColors.length < data.numClasses) {
    throw new Error(`${fn}: classColors needs one colour per class (${data.numClasses}), got ${classColors.length}`);
  }
  const colorOf = (c: number): string => escapeXml(classColors[c]);
  const counts = classCounts(data.y, data.numClasses);
  const labels = data.classNames.map((name, c) => `${name} (${counts[c]})`);

  const plotSize = 400;
  const legendWidth = 40 + CHAR_WIDTH * Math.max(...labels.map((l) => labelLength(l)));
  const width = MARGIN_LEFT + plotSize + legendWidth;
  const height = MARGIN_TOP + plotSize + MARGIN_BOTTOM;
  const plot = plotArea(width, height, legendWidth, fn);
  const xDomain = paddedDomain(everyOther(data.x, 0));
  const yDomain = paddedDomain(everyOther(data.x, 1));
  const toX = scale(xDomain, [plot.left, plot.right]);
  const toY = scale(yDomain, [plot.bottom, plot.top]);

  // Ask the model for the class at the centre of every grid cell, top row first.
  const cells = resolution * resolution;
  const grid = new Float64Array(cells * 2);
  const cellWidth = (xDomain[1] - xDomain[0]) / resolution;
  const cellHeight = (yDomain[1] - yDomain[0]) / resolution;
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      grid[2 * (row * resolution + col)] = xDomain[0] + (col + 0.5) * cellWidth;
      grid[2 * (row * resolution + col) + 1] = yDomain[1] - (row + 0.5) * cellHeight;
    }
  }
  const predicted = predict(grid);
  if (predicted.length !== cells) {
    throw new Error(`${fn}: predict must return one class per grid point (${cells}), got ${predicted.length}`);
  }
  predicted.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= data.numClasses) {
      throw new Error(`${fn}: predict returned class ${label} at grid point ${i}, expected an integer in [0, ${data.numClasses})`);
    }
  });

  // NOTE: a run of equal cells along a row becomes one rectangle, and all rectangles of a class one
  // path, so a 120 × 120 grid costs a few hundred rectangles instead of 14,400 elements.
  const regionPaths: string[] = new Array<string>(data.numClasses).fill('');
  const cellPixels = plotSize / resolution;
  for (let row = 0; row < resolution; row++) {
    let runStart = 0;
    for (let col = 1; col <= resolution; col++) {
      const label = predicted[row * resolution + runStart];
      if (col < resolution && predicted[row * resolution + col] === label) continue;
      // NOTE: absolute edges, each computed once, so neighbouring rectangles share them exactly; relative
      // sizes rounded separately leave hairline gaps that crispEdges turns into white lines.
      const x0 = px(plot.left + runStart * cellPixels);
      const x1 = px(plot.left + col * cellPixels);
      const y0 = px(plot.top + row * cellPixels);
      const y1 = px(plot.top + (row + 1) * cellPixels);
      regionPaths[label] += `M${x0} ${y0}H${x1}V${y1}H${x0}z`;
      runStart = col;
    }
  }
  const regions = regionPaths
    .map((d, c) => (d === '' ? '' : `<path fill="${colorOf(c)}" fill-opacity="0.25" d="${d}"/>`))
    .join('');
  const outlines = smallRegionOutlines(predicted, resolution, data.numClasses, (k) => px(plot.left + k * cellPixels), (k) => px(plot.top + k * cellPixels))
    .map(({ label, d }) => `<path class="small-region" fill="none" stroke="${colorOf(label)}" stroke-width="1.5" d="${d}"/>`)
    .join('');

  // Largest class first, so the rare classes are drawn on top and stay visible.
  const drawOrder = counts.map((_, c) => c).sort((a, b) => counts[b] - counts[a] || a - b);
  const points = drawOrder.map((c) => {
    const circles: string[] = [];
    for (let i = 0; i < data.n; i++) {
      if (data.y[i] === c) circles.push(`<circle cx="${px(toX(data.x[2 * i]))}" cy="${px(toY(data.x[2 * i + 1]))}" r="2.5"/>`);
    }
    return `<g class="points" fill="${colorOf(c)}" stroke="#fff" stroke-width="0.5">${circles.join('')}</g>`;
  });

  const legend = labels.map((label, c) => {
    const y = plot.top + 10 + c * 20;
    const x = plot.right + 16;
    return (
      `<g class="legend-entry"><rect x="${x}" y="${y - 7}" width="14" height="14" fill="${colorOf(c)}" fill-opacity="0.25"/>` +
      `<circle cx="${x + 7}" cy="${y}" r="3.5" fill="${colorOf(c)}"/>` +
      `<text x="${x + 22}" y="${y + 4}">${labelText(label)}</text></g>`
    );
  });

  return svgDocument(width, height, [
    titleText(title, width),
    `<g class="regions" shape-rendering="crispEdges">${regions}</g>`,
    ...points,
    outlines === '' ? '' : `<g class="small-regions">${outlines}</g>`,
    axes(plot, niceTicks(xDomain), niceTicks(yDomain), toX, toY, xLabel, yLabel),
    `<g class="legend">${legend.join('')}</g>`,
  ]);
}

// A region covering less than this share of the grid is outlined in its full colour as well, on top of
// the points: a rare class's few cells, at a quarter opacity and under its own points, did not show.
const SMALL_REGION_SHARE = 0.01;

// The outline of each small region: the cell edges where a cell of the class meets another class or the
// grid's border, as one path per class (xEdge(k) and yEdge(k) are the pixel positions of column and row edge k).
function smallRegionOutlines(
  predicted: Int32Array,
  resolution: number,
  numClasses: number,
  xEdge: (k: number) => number,
  yEdge: (k: number) => number,
): { label: number; d: string }[] {
  const cellCounts = classCounts(predicted, numClasses);
  const small = (label: number): boolean => cellCounts[label] < SMALL_REGION_SHARE * predicted.length;
  const paths = new Array<string>(numClasses).fill('');
  const at = (row: number, col: number): number =>
    row < 0 || col < 0 || row >= resolution || col >= resolution ? -1 : predicted[row * resolution + col];
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const label = at(row, col);
      if (!small(label)) continue;
      const [x0, x1, y0, y1] = [xEdge(col), xEdge(col + 1), yEdge(row), yEdge(row + 1)];
      if (at(row - 1, col) !== label) paths[label] += `M${x0} ${y0}H${x1}`;
      if (at(row + 1, col) !== label) paths[label] += `M${x0} ${y1}H${x1}`;
      if (at(row, col - 1) !== label) paths[label] += `M${x0} ${y0}V${y1}`;
      if (at(row, col + 1) !== label) paths[label] += `M${x1} ${y0}V${y1}`;
    }
  }
  return paths.flatMap((d, label) => (d === '' ? [] : [{ label, d }]));
}

/** Places several SVG documents in one row, for example the decision regions of three losses. */
export function sideBySideSvg(panels: readonly string[], options: { title?: string; gap?: number } = {}): string {
  const { title, gap = 16 } = options;
  const fn = 'sideBySideSvg';
  if (panels.length === 0) throw new Error(`${fn}: needs at least one panel, got none`);
  if (!Number.isFinite(gap) || gap < 0) throw new Error(`${fn}: gap must be a finite number >= 0, got ${gap}`);
  const sizes = panels.map((panel, i) => {
    const rootTag = panel.trimStart().match(/^<svg\b[^>]*>/)?.[0];
    const width = Number(rootTag?.match(/\swidth="([\d.]+)"/)?.[1]);
    const height = Number(rootTag?.match(/\sheight="([\d.]+)"/)?.[1]);
    if (!(width > 0 && height > 0)) {
      throw new Error(`${fn}: panel ${i} must be an <svg> with numeric width and height attributes`);
    }
    return { width, height };
  });
  const titleHeight = title === undefined ? 0 : 32;
  const width = sizes.reduce((s, size) => s + size.width, 0) + gap * (panels.length - 1);
  const height = titleHeight + Math.max(...sizes.map((size) => size.height));
  let x = 0;
  const placed = panels.map((panel, i) => {
    const markup = `<g transform="translate(${x} ${titleHeight})">${panel.trim()}</g>`;
    x += sizes[i].width + gap;
    return markup;
  });
  return svgDocument(width, height, [title === undefined ? '' : titleText(title, width), ...placed]);
}

// Monospace text table. A column whose cells are all numbers (empty cells aside) is right-aligned,
// so that digits line up; other columns are left-aligned.
function everyOther(values: Float64Array, start: number): Float64Array {
  const out = new Float64Array(Math.floor(values.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = values[2 * i + start];
  return out;
}

function seriesShapes(
  values: readonly number[],
  drawable: (v: number) => boolean,
  xStart: number,
  toX: (v: number) => number,
  toY: (v: number) => number,
): string {
  const shapes: string[] = [];
  let path = '';
  let run: [number, number][] = [];
  const flush = (): void => {
    if (run.length === 1) shapes.push(`<circle cx="${px(run[0][0])}" cy="${px(run[0][1])}" r="3" stroke="none"/>`);
    else if (run.length > 1) path += run.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x)} ${px(y)}`).join('');
    run = [];
  };
  values.forEach((v, i) => {
    if (drawable(v)) run.push([toX(xStart + i), toY(v)]);
    else flush();
  });
  flush();
  if (path !== '') shapes.unshift(`<path d="${path}" fill="none" stroke-width="2" stroke-linejoin="round"/>`);
  return shapes.join('');
}


/** Options of heatmapSvg. */
export interface HeatmapOptions {
  title: string;
  /** The numbers shown in the cells, rows × columns. */
  values: readonly (readonly number[])[];
  /** How dark each cell is, in [0, 1] (default: value / the largest value). */
  shades?: readonly (readonly number[])[];
  rowLabels: readonly string[];
  columnLabels: readonly string[];
  xLabel: string;
  yLabel: string;
  /** The side of a cell in pixels (default 56). */
  cell?: number;
}

// Labels longer than this are cut with an ellipsis (the full text stays in a <title> tooltip).
const MATRIX_LABEL_CHARS = 14;

/** A matrix as a grid of shaded cells with its numbers written in them (for example a confusion matrix). */
export function heatmapSvg(options: HeatmapOptions): string {
  const { title, values, rowLabels, columnLabels, xLabel, yLabel, cell = 56 } = options;
  const fn = 'heatmapSvg';
  const rows = values.length;
  const cols = rows === 0 ? 0 : values[0].length;
  if (rows === 0 || cols === 0 || values.some((row) => row.length !== cols)) {
    throw new Error(`${fn}: values must be a non-empty rectangular matrix, got ${rows} rows of lengths ${values.map((r) => r.length).join(', ')}`);
  }
  if (rowLabels.length !== rows || columnLabels.length !== cols) {
    throw new Error(`${fn}: needs ${rows} row labels and ${cols} column labels, got ${rowLabels.length} and ${columnLabels.length}`);
  }
  checkSize(fn, 'cell', cell);
  const largest = Math.max(...values.flat().filter(Number.isFinite), 0);
  const shades = options.shades ?? values.map((row) => row.map((v) => (largest > 0 ? v / largest : 0)));
  const rowLabelWidth = CHAR_WIDTH * Math.max(...rowLabels.map((l) => labelLength(l, MATRIX_LABEL_CHARS))) + 12;
  const left = 28 + rowLabelWidth;
  const top = MARGIN_TOP + FONT_SIZE + 8;
  const width = Math.max(left + cols * cell + 16, CHAR_WIDTH * title.length + 24);
  const height = top + rows * cell + MARGIN_BOTTOM;
  const cells: string[] = [];
  values.forEach((row, r) =>
    row.forEach((v, c) => {
      const shade = Math.min(1, Math.max(0, shades[r][c]));
      const x = left + c * cell;
      const y = top + r * cell;
      // Dark cells get white text so that the number stays readable.
      const ink = shade > 0.55 ? '#fff' : '#222';
      cells.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="#1f77b4" fill-opacity="${px(0.05 + 0.9 * shade)}" stroke="#fff"/>` +
          `<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" fill="${ink}">${escapeXml(String(v))}</text>`,
      );
    }),
  );
  const rowText = rowLabels.map(
    (l, r) => `<text x="${left - 6}" y="${top + r * cell + cell / 2 + 4}" text-anchor="end">${labelText(l, MATRIX_LABEL_CHARS)}</text>`,
  );
  const colText = columnLabels.map(
    (l, c) => `<text x="${left + c * cell + cell / 2}" y="${top - 6}" text-anchor="middle">${labelText(l, MATRIX_LABEL_CHARS)}</text>`,
  );
  const yMiddle = top + (rows * cell) / 2;
  return svgDocument(width, height, [
    titleText(title, width),
    `<g class="cells">${cells.join('')}</g>`,
    `<g class="labels" fill="#333">${rowText.join('')}${colText.join('')}` +
      `<text x="${left + (cols * cell) / 2}" y="${top + rows * cell + 24}" text-anchor="middle">${escapeXml(xLabel)}</text>` +
      `<text x="14" y="${yMiddle}" text-anchor="middle" transform="rotate(-90 14 ${yMiddle})">${escapeXml(yLabel)}</text></g>`,
  ]);
}
