// The bench's table and targets: each figure printed beside its target with pass or miss.

import type { SideName, Unit, WorkloadResult } from './harness.js';

interface Target {
  id: string;
  against: 'tfjs' | 'ceiling';
  min: number;
}

export interface TargetResult extends Target {
  value: number | null;
  /** false in a --quick run: too few, too short rounds to call a ratio near its target either way. */
  judged: boolean;
  /** null when not judged or when the workload did not run. */
  pass: boolean | null;
}

/** The issue's targets, as ratios measured within one run. */
const TARGETS: readonly Target[] = [
  { id: 'mlp-32', against: 'tfjs', min: 5 },
  { id: 'mlp-256', against: 'tfjs', min: 3 },
  { id: 'mlp-2048', against: 'tfjs', min: 3 },
  { id: 'mlp-2048', against: 'ceiling', min: 0.8 },
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
    const value = r === undefined ? null : t.against === 'tfjs' ? r.vsPeer : r.vsCeiling;
    return { ...t, value, judged, pass: !judged || value === null ? null : value >= t.min };
  });
}

function formatFigure(unit: Unit, value: number): string {
  if (unit === 'samples/s') return value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : `${(value / 1e3).toFixed(1)}k`;
  if (unit === 'GFLOP/s') return value.toFixed(2);
  return value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function ratioCell(value: number | null, target: TargetResult | undefined): string {
  if (value === null) return '—';
  const v = `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
  if (target === undefined) return v;
  return `${v} (≥${target.min}×${target.judged ? ` ${target.pass ? 'pass' : 'MISS'}` : ': quick, not judged'})`;
}

export function formatTable(results: readonly WorkloadResult[], targets: readonly TargetResult[]): string {
  // Column titles, and whether a column is right-aligned (the figures) or left-aligned.
  const columns: [string, boolean][] = [
    ['workload', false],
    ['unit', false],
    ['focalgrad', true],
    ['TF.js', true],
    ['ceiling', true],
    ['× TF.js', false],
    ['of ceiling', false],
  ];
  const rows = results.map((r) => {
    const cell = (side: SideName): string => {
      const s = r.sides[side];
      return s === undefined ? '—' : formatFigure(r.unit, s.figure);
    };
    const tPeer = targets.find((t) => t.id === r.id && t.against === 'tfjs');
    const tCeil = targets.find((t) => t.id === r.id && t.against === 'ceiling');
    return {
      group: r.group,
      cells: [r.name, r.unit, cell('focalgrad'), cell('tfjs'), cell('ceiling'), ratioCell(r.vsPeer, tPeer), ratioCell(r.vsCeiling, tCeil)],
    };
  });
  const widths = columns.map(([title], c) => Math.max(title.length, ...rows.map((row) => row.cells[c].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((text, c) => (columns[c][1] ? text.padStart(widths[c]) : text.padEnd(widths[c])))
      // two extra spaces set the ratios off from the figures
      .map((text, c) => (c === 5 ? `  ${text}` : text))
      .join(' ')
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

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

export function signedMib(bytes: number): string {
  return `${bytes >= 0 ? '+' : '−'}${mib(Math.abs(bytes))}`;
}
