// The bench's table and targets: each figure printed beside its target with pass or miss.

import type { SideName, Unit, WorkloadResult } from './harness.js';

export interface Target {
  id: string;
  against: 'tfjs' | 'ceiling';
  min: number;
}

export interface TargetResult extends Target {
  value: number | null;
  pass: boolean | null;
}

/** The targets, as ratios measured within one run. */
export const TARGETS: readonly Target[] = [
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

export function evaluateTargets(results: readonly WorkloadResult[]): TargetResult[] {
  return TARGETS.map((t) => {
    const r = results.find((w) => w.id === t.id);
    const value = r === undefined ? null : t.against === 'tfjs' ? r.vsPeer : r.vsCeiling;
    return { ...t, value, pass: value === null ? null : value >= t.min };
  });
}

export function formatFigure(unit: Unit, value: number): string {
  if (unit === 'samples/s') return value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : `${(value / 1e3).toFixed(1)}k`;
  if (unit === 'GFLOP/s') return value.toFixed(2);
  return value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

function ratioCell(value: number | null, target: TargetResult | undefined): string {
  if (value === null) return '—';
  const v = `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
  if (target === undefined) return v;
  return `${v} (≥${target.min}× ${target.pass ? 'pass' : 'MISS'})`;
}

export function formatTable(results: readonly WorkloadResult[], targets: readonly TargetResult[]): string {
  const header = [
    pad('workload', 24),
    pad('unit', 10),
    lpad('focalgrad', 10),
    lpad('TF.js', 9),
    lpad('ceiling', 9),
    '  ',
    pad('× TF.js', 24),
    pad('of ceiling', 24),
  ].join(' ');
  const lines = [header, '-'.repeat(header.length)];
  let group = '';
  for (const r of results) {
    if (r.group !== group && group !== '') lines.push('');
    group = r.group;
    const cell = (side: SideName): string => {
      const s = r.sides[side];
      return s === undefined ? '—' : formatFigure(r.unit, s.figure);
    };
    const tPeer = targets.find((t) => t.id === r.id && t.against === 'tfjs');
    const tCeil = targets.find((t) => t.id === r.id && t.against === 'ceiling');
    lines.push(
      [
        pad(r.name, 24),
        pad(r.unit, 10),
        lpad(cell('focalgrad'), 10),
        lpad(cell('tfjs'), 9),
        lpad(cell('ceiling'), 9),
        '  ',
        pad(ratioCell(r.vsPeer, tPeer), 24),
        pad(ratioCell(r.vsCeiling, tCeil), 24),
      ]
        .join(' ')
        .trimEnd(),
    );
  }
  return lines.join('\n');
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

export function signedMib(bytes: number): string {
  return `${bytes >= 0 ? '+' : '−'}${mib(Math.abs(bytes))}`;
}
