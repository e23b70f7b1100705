// Reports as strings, with no I/O and no dependencies: SVG line plots and decision regions, text tables, one self-contained HTML page.
import { classCounts, type Dataset } from './data.js';
import type { ClassificationReport, ClassMetrics } from './metrics.js';

/** The Tableau 10 palette (matplotlib's default colour cycle), one colour per class. */
// The Tableau 10 palette (matplotlib's default colour cycle): distinct and readable on white.
export const PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** One line of `linePlotSvg`: its label and values. */
export interface LineSeries {
  name: string;
  values: readonly number[];
}

/** Options of `linePlotSvg`: the series, title, axis labels, size and y scale. */
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

/** Options of `decisionRegionsSvg`: the classifier, the points, the class names and the grid resolution. */
export interface DecisionRegionsOptions {
  title: string;
  /** Class index for each row of an [m, 2] row-major array of points. */
  predict: (x: Float64Array) => Int32Array;
  data: Dataset;
  classColors?: readonly string[];
  /** Number of grid cells along each axis. */
  resolution?: number;
}

/** A text table: headers and rows of cells. */
export interface Table {
  headers: string[];
  rows: string[][];
}

/** One section of `reportHtml`: a heading, then its HTML, SVG figure and/or table. */
export interface ReportSection {
  heading: string;
  /** Trusted HTML, inserted as is. */
  html?: string;
  /** Trusted SVG markup, inserted as is (for example from linePlotSvg). */
  svg?: string;
  table?: Table;
}

// Pixel sizes shared by both kinds of plot.
const MARGIN_TOP = 40;
const MARGIN_LEFT = 64;
const MARGIN_BOTTOM = 52;
const TICK_LENGTH = 5;
const CLIP_SLACK = 3;
const FONT_SIZE = 12;
// A rough width of one character at FONT_SIZE in a sans-serif font, to size legends without measuring text.
const CHAR_WIDTH = 7;

/** The text with &, <, >, " and ' escaped for XML and HTML. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A line chart as a standalone SVG document (linear or log y axis), with a legend. */
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

  const legendWidth = 48 + CHAR_WIDTH * Math.max(...series.map((s) => s.name.length));
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

  const seriesMarkup = series.map((s, index) => {
    const color = PALETTE[index % PALETTE.length];
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
      `<g class="legend-entry"><line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${PALETTE[index % PALETTE.length]}" stroke-width="2"/>` +
      `<text x="${x + 28}" y="${y + 4}">${escapeXml(s.name)}</text></g>`
    );
  });

  return svgDocument(width, height, [
    titleText(title, width),
    axes(plot, xTicks, yTicks, toX, toYUnits, xLabel, yLabel),
    `${viewport}\n${seriesMarkup.join('\n')}\n</svg>`,
    `<g class="legend">${legend.join('')}</g>`,
  ]);
}

/** A 2-D classifier's decision regions, with the data points on top, as an SVG document. */
export function decisionRegionsSvg(options: DecisionRegionsOptions): string {
  const { title, predict, data, classColors = PALETTE, resolution = 120 } = options;
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
  const legendWidth = 40 + CHAR_WIDTH * Math.max(...labels.map((l) => l.length));
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
      const x = plot.left + runStart * cellPixels;
      const y = plot.top + row * cellPixels;
      regionPaths[label] += `M${px(x)} ${px(y)}h${px((col - runStart) * cellPixels)}v${px(cellPixels)}H${px(x)}z`;
      runStart = col;
    }
  }
  const regions = regionPaths
    .map((d, c) => (d === '' ? '' : `<path fill="${colorOf(c)}" fill-opacity="0.25" d="${d}"/>`))
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
      `<text x="${x + 22}" y="${y + 4}">${escapeXml(label)}</text></g>`
    );
  });

  return svgDocument(width, height, [
    titleText(title, width),
    `<g class="regions" shape-rendering="crispEdges">${regions}</g>`,
    ...points,
    axes(plot, niceTicks(xDomain), niceTicks(yDomain), toX, toY, 'x₁', 'x₂'),
    `<g class="legend">${legend.join('')}</g>`,
  ]);
}

/** Several SVG documents placed in one row, for example the decision regions of three losses. */
// Places several SVG documents in one row, for example the decision regions of three losses.
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

/** A monospace text table; columns of numbers are right-aligned so that digits line up. */
// Monospace text table. A column whose cells are all numbers (empty cells aside) is right-aligned,
// so that digits line up; other columns are left-aligned.
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  checkTable('formatTable', headers, rows);
  const numeric = numericColumns(headers, rows);
  const widths = headers.map((h, col) => Math.max(textLength(h), ...rows.map((row) => textLength(row[col]))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, col) => {
        const padding = ' '.repeat(widths[col] - textLength(cell));
        return numeric[col] ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Per-class precision / recall / F1 / support in the layout of sklearn's classification_report. */
// Per-class precision / recall / F1 / support in the layout of sklearn's classification_report.
export function classificationTable(report: ClassificationReport, classNames: readonly string[]): Table {
  if (classNames.length !== report.perClass.length) {
    throw new Error(`classificationTable: needs one class name per class (${report.perClass.length}), got ${classNames.length}`);
  }
  const fixed = (v: number): string => v.toFixed(3);
  const totalSupport = report.perClass.reduce((s, m) => s + m.support, 0);
  const mean = (pick: (m: ClassMetrics) => number): number =>
    report.perClass.reduce((s, m) => s + pick(m), 0) / report.perClass.length;
  return {
    headers: ['class', 'precision', 'recall', 'f1', 'support'],
    rows: [
      ...report.perClass.map((m, c) => [classNames[c], fixed(m.precision), fixed(m.recall), fixed(m.f1), String(m.support)]),
      ['accuracy', '', '', fixed(report.accuracy), String(totalSupport)],
      ['macro avg', fixed(mean((m) => m.precision)), fixed(mean((m) => m.recall)), fixed(report.macroF1), String(totalSupport)],
      ['balanced accuracy', '', fixed(report.balancedAccuracy), '', ''],
    ],
  };
}

/** A self-contained HTML report of titled sections (text, tables, inline SVG). */
export function reportHtml(options: { title: string; sections: readonly ReportSection[] }): string {
  const { title, sections } = options;
  const body = sections.map((section) => {
    const parts = [`<h2>${escapeXml(section.heading)}</h2>`];
    if (section.html !== undefined) parts.push(section.html);
    if (section.svg !== undefined) parts.push(`<figure>${section.svg}</figure>`);
    if (section.table !== undefined) parts.push(htmlTable(section.table));
    return `<section>\n${parts.join('\n')}\n</section>`;
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeXml(title)}</title>`,
    '<style>',
    'body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }',
    'figure { margin: 1em 0; overflow-x: auto; }',
    'svg { max-width: 100%; height: auto; }',
    'table { border-collapse: collapse; font-variant-numeric: tabular-nums; }',
    'th, td { padding: 0.25em 0.75em; border-bottom: 1px solid #ddd; text-align: left; }',
    'th { border-bottom: 2px solid #888; }',
    '.num { text-align: right; }',
    '</style>',
    '</head>',
    '<body>',
    `<h1>${escapeXml(title)}</h1>`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function htmlTable(table: Table): string {
  checkTable('reportHtml', table.headers, table.rows);
  const numeric = numericColumns(table.headers, table.rows);
  const cell = (tag: 'th' | 'td', text: string, col: number): string =>
    `<${tag}${numeric[col] ? ' class="num"' : ''}>${escapeXml(text)}</${tag}>`;
  const head = `<tr>${table.headers.map((h, col) => cell('th', h, col)).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map((text, col) => cell('td', text, col)).join('')}</tr>`);
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

function checkTable(fn: string, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  rows.forEach((row, i) => {
    if (row.length !== headers.length) {
      throw new Error(`${fn}: row ${i} has ${row.length} cells, expected ${headers.length} (one per header)`);
    }
  });
}

function numericColumns(headers: readonly string[], rows: readonly (readonly string[])[]): boolean[] {
  const isNumber = (text: string): boolean => /^([-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?%?|NaN|[-+]?Infinity)$/i.test(text.trim());
  return headers.map((_, col) => {
    const cells = rows.map((row) => row[col]).filter((text) => text.trim() !== '');
    return cells.length > 0 && cells.every(isNumber);
  });
}

// Length in code points, so that "x₁" or "γ" count as one column.
function textLength(text: string): number {
  return [...text].length;
}

interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function plotArea(width: number, height: number, legendWidth: number, fn: string): PlotArea {
  const area = { left: MARGIN_LEFT, right: width - legendWidth, top: MARGIN_TOP, bottom: height - MARGIN_BOTTOM };
  if (area.right - area.left < 50 || area.bottom - area.top < 50) {
    throw new Error(`${fn}: a ${width} × ${height} plot leaves no room to draw once margins and legend are taken`);
  }
  return area;
}

function checkSize(fn: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${fn}: ${name} must be a finite number > 0, got ${value}`);
}

// The range of the finite values, widened by 5% on each side so that no point sits on the frame.
// A single distinct value gets a range around it; no values at all get [0, 1].
function paddedDomain(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  if (min > max) return [0, 1];
  if (min === max) {
    const half = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - half, max + half];
  }
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}

function everyOther(values: Float64Array, start: number): Float64Array {
  const out = new Float64Array(Math.floor(values.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = values[2 * i + start];
  return out;
}

function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

// Where the ticks of an axis go (in the axis' drawing units) and what each one reads.
interface Ticks {
  values: number[];
  label: (v: number) => string;
}

// About `target` round-numbered ticks (steps of 1, 2 or 5 times a power of ten, and at least
// minStep) inside the domain. minStep = 1 keeps whole-number axes (epochs) on whole numbers.
function niceTicks(domain: [number, number], minStep = 0, target = 5): Ticks {
  const [lo, hi] = domain;
  const rawStep = (hi - lo) / target;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const normalized = rawStep / magnitude;
  const step = Math.max(minStep, (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude);
  const values: number[] = [];
  // The small slack keeps a tick that lands on the domain's edge up to rounding.
  const slack = step * 1e-9;
  for (let k = Math.ceil((lo - slack) / step); k * step <= hi + slack; k++) values.push(k * step);
  return { values, label: (v) => formatTick(v, step) };
}

// Ticks for a domain in log10 units: 1, 2 and 5 × 10^k over up to two decades, powers of ten
// over more (every other, third, … power past ten decades). Too narrow a domain for two such
// ticks falls back to round linear values, which still read true on a log axis.
function logTicks(domain: [number, number]): Ticks {
  const [lo, hi] = domain;
  const decades = hi - lo;
  const mantissas = decades <= 2 ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil(decades / 10));
  const slack = 1e-9;
  const values: number[] = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
    if (k % every !== 0) continue;
    for (const m of mantissas) {
      // Parsing "5e-2" gives the double nearest 0.05, which 5 * 10 ** -2 may miss by an ulp.
      const units = Math.log10(Number(`${m}e${k}`));
      if (units >= lo - slack && units <= hi + slack) values.push(units);
    }
  }
  if (values.length >= 2) return { values, label: logLabel };
  const linear = niceTicks([10 ** lo, 10 ** hi]);
  return { values: linear.values.filter((v) => v > 0).map(Math.log10), label: (units) => linear.label(10 ** units) };
}

// "0.05", "2", "1000"; past four zeros "5e-6" and "1e+9" are shorter.
function logLabel(units: number): string {
  const k = Math.floor(units + 1e-9);
  const m = Math.round(10 ** (units - k));
  return k >= -4 && k <= 4 ? String(Number(`${m}e${k}`)) : `${m}e${k < 0 ? '' : '+'}${k}`;
}

function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  if (decimals > 6 || Math.abs(value) >= 1e6) return value.toPrecision(3);
  // Adding 0 turns −0 into 0.
  return (Number(value.toFixed(decimals)) + 0).toFixed(decimals);
}

// toX and toY take the ticks' values, in the units the ticks are in.
function axes(
  plot: PlotArea,
  xTicks: Ticks,
  yTicks: Ticks,
  toX: (v: number) => number,
  toY: (v: number) => number,
  xLabel: string,
  yLabel: string,
): string {
  const xMarks = xTicks.values.map((v) => {
    const x = px(toX(v));
    return (
      `<line x1="${x}" y1="${plot.bottom}" x2="${x}" y2="${plot.bottom + TICK_LENGTH}"/>` +
      `<text x="${x}" y="${plot.bottom + TICK_LENGTH + FONT_SIZE + 2}" text-anchor="middle" stroke="none">${xTicks.label(v)}</text>`
    );
  });
  const yMarks = yTicks.values.map((v) => {
    const y = px(toY(v));
    return (
      `<line x1="${plot.left - TICK_LENGTH}" y1="${y}" x2="${plot.left}" y2="${y}"/>` +
      `<text x="${plot.left - TICK_LENGTH - 3}" y="${y + 4}" text-anchor="end" stroke="none">${yTicks.label(v)}</text>`
    );
  });
  const xLabelY = plot.bottom + TICK_LENGTH + 2 * FONT_SIZE + 12;
  const yLabelX = 16;
  const yMiddle = (plot.top + plot.bottom) / 2;
  return (
    `<g class="axes" stroke="#333" fill="#333">` +
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none"/>` +
    xMarks.join('') +
    yMarks.join('') +
    `<text x="${(plot.left + plot.right) / 2}" y="${xLabelY}" text-anchor="middle" stroke="none">${escapeXml(xLabel)}</text>` +
    `<text x="${yLabelX}" y="${yMiddle}" text-anchor="middle" stroke="none" transform="rotate(-90 ${yLabelX} ${yMiddle})">${escapeXml(yLabel)}</text>` +
    `</g>`
  );
}

// A polyline through each run of consecutive drawable values (any other value breaks the line),
// and a dot for a run of one point, which a stroke alone would not show.
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

function titleText(title: string, width: number): string {
  return `<text class="title" x="${width / 2}" y="24" text-anchor="middle" font-size="${FONT_SIZE + 3}" font-weight="bold">${escapeXml(title)}</text>`;
}

function svgDocument(width: number, height: number, children: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="sans-serif" font-size="${FONT_SIZE}">\n` +
    `<rect width="${width}" height="${height}" fill="#fff"/>\n` +
    children.filter((child) => child !== '').join('\n') +
    '\n</svg>'
  );
}

// Two decimals are finer than a pixel and keep the markup short.
function px(value: number): number {
  return Math.round(value * 100) / 100;
}
