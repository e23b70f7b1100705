// Figure 1 of Lin et al. 2017, live: the focal loss against p_t for several γ, and its gradient with
// respect to the true logit, with the current sample's p_t marked and the current γ drawn boldest.
import { PALETTE, escapeXml } from '../../train/index.js';
import { focalTrueLogitGradient, focalValue } from './closedForm.js';
import { formatNumber } from './model.js';

/** The γ of the paper's Figure 1. */
export const FIGURE_GAMMAS = [0, 0.5, 1, 2, 5] as const;

const WIDTH = 340;
const HEIGHT = 250;
const MARGIN = { left: 46, right: 12, top: 28, bottom: 40 };
const SAMPLES = 200;

interface Panel {
  title: string;
  yLabel: string;
  yRange: [number, number];
  yTicks: number[];
  f: (pt: number, gamma: number) => number;
}

const PANELS: Panel[] = [
  { title: 'loss: −(1 − p_t)^γ log p_t', yLabel: 'loss', yRange: [0, 5], yTicks: [0, 1, 2, 3, 4, 5], f: focalValue },
  {
    title: 'gradient wrt the true logit z_t',
    yLabel: '∂FL/∂z_t',
    yRange: [-1, 0],
    yTicks: [-1, -0.75, -0.5, -0.25, 0],
    f: focalTrueLogitGradient,
  },
];

// Points of one curve, clipped to the plot's y range (the loss runs to ∞ at p_t = 0).
function curve(panel: Panel, gamma: number, x: (v: number) => number, y: (v: number) => number): string {
  const [lo, hi] = panel.yRange;
  const points: string[] = [];
  for (let i = 1; i <= SAMPLES; i++) {
    const pt = i / SAMPLES;
    const v = panel.f(pt, gamma);
    if (v >= lo && v <= hi) points.push(`${x(pt).toFixed(1)},${y(v).toFixed(1)}`);
  }
  return points.length === 0 ? '' : `M${points.join('L')}`;
}

function panelSvg(panel: Panel, gamma: number, pt: number, offsetX: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const [lo, hi] = panel.yRange;
  const x = (v: number): number => offsetX + MARGIN.left + v * plotW;
  const y = (v: number): number => MARGIN.top + ((hi - v) / (hi - lo)) * plotH;
  const parts: string[] = [];
  parts.push(`<text class="fig-title" x="${x(0.5)}" y="16" text-anchor="middle">${escapeXml(panel.title)}</text>`);
  for (const t of panel.yTicks) {
    parts.push(`<line class="grid" x1="${x(0)}" x2="${x(1)}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="tick" x="${x(0) - 5}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    parts.push(`<text class="tick" x="${x(t)}" y="${y(lo) + 15}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<text class="axis-label" x="${x(0.5)}" y="${HEIGHT - 6}" text-anchor="middle">p_t, probability of the true class</text>`);
  parts.push(`<rect class="frame" x="${x(0)}" y="${y(hi)}" width="${plotW}" height="${plotH}"/>`);
  // The current γ is drawn on top, thickest; dashed when it is not one of the paper's five.
  const gammas: number[] = [...FIGURE_GAMMAS];
  const extra = !gammas.includes(gamma);
  FIGURE_GAMMAS.forEach((g, i) => {
    const current = g === gamma;
    parts.push(
      `<path class="curve${current ? ' current' : ''}" data-gamma="${g}" d="${curve(panel, g, x, y)}" stroke="${PALETTE[i % PALETTE.length]}"/>`,
    );
  });
  if (extra) parts.push(`<path class="curve current extra" data-gamma="${gamma}" d="${curve(panel, gamma, x, y)}"/>`);
  // The sample's p_t: a vertical line, and a dot on the current γ's curve.
  if (pt > 0 && pt <= 1) {
    const v = panel.f(pt, gamma);
    parts.push(`<line class="pt-line" x1="${x(pt)}" x2="${x(pt)}" y1="${y(hi)}" y2="${y(lo)}"/>`);
    if (v >= lo && v <= hi) parts.push(`<circle class="pt-dot" cx="${x(pt)}" cy="${y(v)}" r="4.5"><title>p_t = ${formatNumber(pt)}, ${escapeXml(panel.yLabel)} = ${formatNumber(v)}</title></circle>`);
  }
  return parts.join('');
}

/**
 * The two plots side by side as one SVG, for γ (the slider's) and the sample's p_t. Each curve is
 * the closed form of docs/focal-loss.md, sections 1 and 4: −(1 − p)^γ log p and (1 − p)^γ (γ p log p + p − 1).
 */
export function figure1Svg(gamma: number, pt: number): string {
  const legend = [...FIGURE_GAMMAS.map((g, i) => ({ g, colour: PALETTE[i % PALETTE.length] as string }))];
  const legendItems = legend
    .map(({ g, colour }, i) => {
      const lx = 60 + i * 92;
      return `<g class="legend-item${g === gamma ? ' current' : ''}"><line x1="${lx}" x2="${lx + 22}" y1="${HEIGHT + 14}" y2="${HEIGHT + 14}" stroke="${colour}"/><text x="${lx + 27}" y="${HEIGHT + 18}">γ = ${g}</text></g>`;
    })
    .join('');
  const extra = FIGURE_GAMMAS.includes(gamma as (typeof FIGURE_GAMMAS)[number])
    ? ''
    : `<g class="legend-item current extra"><line x1="${60 + 5 * 92}" x2="${60 + 5 * 92 + 22}" y1="${HEIGHT + 14}" y2="${HEIGHT + 14}"/><text x="${60 + 5 * 92 + 27}" y="${HEIGHT + 18}">γ = ${formatNumber(gamma)}</text></g>`;
  const width = 2 * WIDTH;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="figure1" viewBox="0 0 ${width} ${HEIGHT + 28}" width="${width}" height="${HEIGHT + 28}" role="img" ` +
    `aria-label="Figure 1 of Lin et al. 2017: focal loss and its gradient against p_t for γ = 0, 0.5, 1, 2, 5; current γ ${formatNumber(gamma)}, p_t ${formatNumber(pt)}">` +
    panelSvg(PANELS[0], gamma, pt, 0) +
    panelSvg(PANELS[1], gamma, pt, WIDTH) +
    legendItems +
    extra +
    '</svg>'
  );
}
