// The bench's tables and goals: each figure per engine, each ratio beside its goal with pass or MISS.

import { SIDES, type SideName, type Unit, type WorkloadResult } from './harness.js';

/** A goal: focalgrad at least `min` times as fast as a side, or (figure) focalgrad's own figure at most `max`. */
type Target =
  | { id: string; against: Exclude<SideName, 'focalgrad'>; min: number }
  | { id: string; against: 'figure'; max: number }
  | { id: string; against: 'figure'; min: number };

export type TargetResult = Target & {
  value: number | null;
  /** false in a --quick run: too few, too short rounds to call a ratio near its target either way. */
  judged: boolean;
  /** null when not judged or when the workload (or the peer) did not run. */
  pass: boolean | null;
};

/** Issue 20's goals first (PyTorch pinned to one thread, float64 the like-for-like peer; focalgrad under node's
 *  default flags; matmul 256 on one thread; focal loss against PyTorch float32; tiny ops), then the earlier ones. */
const TARGETS: readonly Target[] = [
  { id: 'mlp-32', against: 'torch64', min: 2 },
  { id: 'mlp-256', against: 'torch64', min: 1 },
  { id: 'mlp-2048', against: 'torch64', min: 0.6 },
  { id: 'matmul-256', against: 'figure', min: 15 },
  { id: 'focal-4096', against: 'torch32', min: 1 },
  { id: 'tiny-2000', against: 'figure', max: 0.5 },
  { id: 'tiny-10000', against: 'figure', max: 0.5 },
  { id: 'mlp-32', against: 'ceiling', min: 0.9 },
  { id: 'mlp-256', against: 'ceiling', min: 0.9 },
  { id: 'mlp-2048', against: 'ceiling', min: 0.9 },
  { id: 'mlp-32', against: 'tfjsWasm', min: 3 },
  { id: 'mlp-2048', against: 'tfjsWasm', min: 1.5 },
  { id: 'mlp-32', against: 'tfjs', min: 5 },
  { id: 'mlp-256', against: 'tfjs', min: 3 },
  { id: 'mlp-2048', against: 'tfjs', min: 3 },
  { id: 'matmul-128', against: 'tfjs', min: 2 },
  { id: 'matmul-256', against: 'tfjs', min: 2 },
  { id: 'matmul-512', against: 'tfjs', min: 2 },
  { id: 'matmul-64', against: 'ceiling', min: 0.8 },
  { id: 'matmul-128', against: 'ceiling', min: 0.8 },
  { id: 'matmul-256', against: 'ceiling', min: 0.8 },
  { id: 'matmul-512', against: 'ceiling', min: 0.8 },
  { id: 'tiny-2000', against: 'tfjs', min: 50 },
  { id: 'tiny-10000', against: 'tfjs', min: 50 },
  { id: 'focal-4096', against: 'tfjs', min: 3 },
];

export function evaluateTargets(results: readonly WorkloadResult[], judged: boolean): TargetResult[] {
  return TARGETS.map((t) => {
    const r = results.find((w) => w.id === t.id);
    const value = r === undefined ? null : t.against === 'figure' ? (r.sides.focalgrad?.figure ?? null) : (r.ratios[t.against] ?? null);
    const met = value === null ? null : 'max' in t ? value <= t.max : value >= t.min;
    return { ...t, value, judged, pass: judged ? met : null };
  });
}

function formatFigure(unit: Unit, value: number): string {
  if (unit === 'samples/s') return value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : `${(value / 1e3).toFixed(1)}k`;
  if (unit === 'GFLOP/s') return value.toFixed(2);
  return value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function verdict(target: TargetResult): string {
  const goal = 'max' in target ? `≤${target.max}` : target.against === 'figure' ? `≥${target.min}` : `≥${target.min}×`;
  return `(${goal}${target.judged ? ` ${target.pass === null ? 'not run' : target.pass ? 'pass' : 'MISS'}` : ''})`;
}

function ratioCell(value: number | undefined, target: TargetResult | undefined): string {
  if (value === undefined) return '—';
  const v = `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
  return target === undefined ? v : `${v} ${verdict(target)}`;
}

/** Columns of text, each right- or left-aligned, groups of rows set apart by a blank line. */
function layout(columns: readonly [string, boolean][], rows: readonly { group: string; cells: string[] }[]): string {
  const widths = columns.map(([title], c) => Math.max(title.length, ...rows.map((row) => row.cells[c].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((text, c) => (columns[c][1] ? text.padStart(widths[c]) : text.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const body: string[] = [];
  rows.forEach((row, i) => {
    if (i > 0 && row.group !== rows[i - 1].group) body.push('');
    body.push(line(row.cells));
  });
  const header = line(columns.map(([title]) => title));
  const rule = '-'.repeat(Math.max(header.length, ...body.map((l) => l.length)));
  return [header, rule, ...body].join('\n');
}

/** The sides that ran in any result, in SIDES order. */
function present(results: readonly WorkloadResult[]): typeof SIDES {
  return SIDES.filter(({ name }) => results.some((r) => r.sides[name] !== undefined));
}

/** Each side's figure, in the workload's unit (higher is better, but for µs/op). */
export function formatFigures(results: readonly WorkloadResult[]): string {
  const sides = present(results);
  const columns: [string, boolean][] = [['workload', false], ['unit', false], ...sides.map(({ label }): [string, boolean] => [label, true])];
  const rows = results.map((r) => ({
    group: r.group,
    cells: [r.name, r.unit, ...sides.map(({ name }) => {
      const s = r.sides[name];
      return s === undefined ? '—' : formatFigure(r.unit, s.figure);
    })],
  }));
  return layout(columns, rows);
}

/** How many times faster focalgrad is than each side (median of per-round ratios), with the goals. */
export function formatRatios(results: readonly WorkloadResult[], targets: readonly TargetResult[]): string {
  const sides = present(results).filter(({ name }) => name !== 'focalgrad');
  const columns: [string, boolean][] = [
    ['workload', false],
    ...sides.map(({ name, label }): [string, boolean] => [name === 'ceiling' ? 'of ceiling' : `× ${label}`, false]),
  ];
  const rows = results.map((r) => ({
    group: r.group,
    cells: [r.name, ...sides.map(({ name }) => ratioCell(r.ratios[name], targets.find((t) => t.id === r.id && t.against === name)))],
  }));
  return layout(columns, rows);
}

/** The goals on figures (not ratios), one line each. */
export function formatFigureGoals(results: readonly WorkloadResult[], targets: readonly TargetResult[]): string[] {
  return targets.flatMap((t) => {
    if (t.against !== 'figure') return [];
    const r = results.find((w) => w.id === t.id);
    if (r === undefined) return [];
    return [`${r.name}: focalgrad ${t.value === null ? '—' : formatFigure(r.unit, t.value)} ${r.unit} ${verdict(t)}`];
  });
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

export function signedMib(bytes: number): string {
  return `${bytes >= 0 ? '+' : '−'}${mib(Math.abs(bytes))}`;
}
