// SVG drawing primitives shared by every chart: palette, escaping, scales, nice ticks, axes, the document frame.
import { safeText } from '../engine/safe-text.js';

/** The Tableau 10 palette (matplotlib's default colour cycle): distinct and readable on white. */
export const PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** One colour per class: PALETTE for up to 10 classes, evenly spaced hues beyond. */
export function classColors(numClasses: number): string[] {
  if (numClasses <= PALETTE.length) return PALETTE.slice(0, numClasses);
  return Array.from({ length: numClasses }, (_, c) => `hsl(${Math.round((360 * c) / numClasses)}, 65%, 45%)`);
}

// Pixel sizes shared by every plot. NOTE: no text is drawn smaller than FONT_SIZE, and plots are sized
// so that the report shows them at 100%: that is what keeps the text at 11 px or more on the page.
export const MARGIN_TOP = 40;
export const MARGIN_LEFT = 64;
export const MARGIN_BOTTOM = 52;
export const TICK_LENGTH = 5;
export const CLIP_SLACK = 3;
export const FONT_SIZE = 12;
// A rough width of one character at FONT_SIZE in a sans-serif font, to size legends without measuring text.
export const CHAR_WIDTH = 7;

/**
 * Text made safe for XML, SVG and HTML (safeText's 'xml'): the characters XML 1.0 forbids (and every
 * other control character) written visibly as escapes (`\x01`), then the five characters XML gives a
 * meaning to (& < > " ') as entities.
 */
export function escapeXml(text: string): string {
  return safeText(text, 'xml');
}

// Names longer than this are cut with an ellipsis in legends and matrix labels.
export const MAX_LABEL_CHARS = 24;

/**
 * The content of a `<text>` element that shows a user's name: the name cut to maxChars with an
 * ellipsis and, when cut, the full name in a `<title>` tooltip; both XML-safe.
 */
export function labelText(text: string, maxChars = MAX_LABEL_CHARS): string {
  const shown = safeText(text, 'xml', { maxLength: maxChars });
  const full = safeText(text, 'xml');
  return shown === full ? shown : `<title>${full}</title>${shown}`;
}

/** How many characters labelText shows of `text` (for sizing a legend). */
export function labelLength(text: string, maxChars = MAX_LABEL_CHARS): number {
  return Array.from(safeText(text, 'terminal', { maxLength: maxChars })).length;
}

/** The frame of a plot, in pixels. */
export interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The frame left once the margins and a legend of legendWidth px are taken; an Error if too small to draw in. */
export function plotArea(width: number, height: number, legendWidth: number, fn: string): PlotArea {
  const area = { left: MARGIN_LEFT, right: width - legendWidth, top: MARGIN_TOP, bottom: height - MARGIN_BOTTOM };
  if (area.right - area.left < 50 || area.bottom - area.top < 50) {
    throw new Error(`${fn}: a ${width} × ${height} plot leaves no room to draw once margins and legend are taken`);
  }
  return area;
}

/** A plot dimension: a finite number > 0, or an Error naming the function. */
export function checkSize(fn: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${fn}: ${name} must be a finite number > 0, got ${value}`);
}

/**
 * The range of the finite values, widened by 5% on each side so that no point sits on the frame. A
 * single distinct value gets a range around it; no values at all get [0, 1].
 */
export function paddedDomain(values: ArrayLike<number>): [number, number] {
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

/** The linear map from a domain to a pixel range. */
export function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Where the ticks of an axis go (in the axis' drawing units) and what each one reads. */
export interface Ticks {
  values: number[];
  label: (v: number) => string;
}

/**
 * About `target` round-numbered ticks (steps of 1, 2 or 5 times a power of ten, and at least minStep)
 * inside the domain. minStep = 1 keeps whole-number axes (epochs) on whole numbers.
 */
export function niceTicks(domain: [number, number], minStep = 0, target = 5): Ticks {
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

/**
 * Ticks for a domain in log10 units: 1, 2 and 5 × 10^k over up to two decades, powers of ten over more
 * (every other, third, … power past ten decades). Too narrow a domain for two such ticks falls back to
 * round linear values, which still read true on a log axis.
 */
export function logTicks(domain: [number, number]): Ticks {
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

/**
 * The frame, tick marks, tick labels and axis labels of a plot; toX and toY take the ticks' values, in
 * the units the ticks are in.
 */
export function axes(
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
  // Axis labels may be a user's column names: cut to the length of their axis.
  const xChars = Math.max(4, Math.floor((plot.right - plot.left) / CHAR_WIDTH));
  const yChars = Math.max(4, Math.floor((plot.bottom - plot.top) / CHAR_WIDTH));
  const yLabelX = 16;
  const yMiddle = (plot.top + plot.bottom) / 2;
  return (
    `<g class="axes" stroke="#333" fill="#333">` +
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none"/>` +
    xMarks.join('') +
    yMarks.join('') +
    `<text x="${(plot.left + plot.right) / 2}" y="${xLabelY}" text-anchor="middle" stroke="none">${labelText(xLabel, xChars)}</text>` +
    `<text x="${yLabelX}" y="${yMiddle}" text-anchor="middle" stroke="none" transform="rotate(-90 ${yLabelX} ${yMiddle})">${labelText(yLabel, yChars)}</text>` +
    `</g>`
  );
}

/** A plot's title, centred above it. */
export function titleText(title: string, width: number): string {
  return `<text class="title" x="${width / 2}" y="24" text-anchor="middle" font-size="${FONT_SIZE + 3}" font-weight="bold">${escapeXml(title)}</text>`;
}

/** A standalone SVG document of the given size, white background, with the children inside. */
export function svgDocument(width: number, height: number, children: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="sans-serif" font-size="${FONT_SIZE}">\n` +
    `<rect width="${width}" height="${height}" fill="#fff"/>\n` +
    children.filter((child) => child !== '').join('\n') +
    '\n</svg>'
  );
}

/** A pixel coordinate rounded to two decimals: finer than a pixel, and it keeps the markup short. */
export function px(value: number): number {
  return Math.round(value * 100) / 100;
}
