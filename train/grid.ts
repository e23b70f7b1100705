// A comparison's grid: which config fields vary and over which values, written as hydra's multirun sweeps are (`loss=ce,focal alpha=none,effective`), expanded into named variants.
import { describeValue } from '../engine/format.js';
import type { AlphaSpec, TrainConfig } from './config.js';
import { LOSSES } from './registry.js';

/** The config fields a grid may vary: everything but the data and its split, which every variant shares (that is what pairs them). */
export type GridKey = 'loss' | 'gamma' | 'alpha' | 'hidden' | 'activation' | 'optimizer' | 'lr' | 'weightDecay' | 'epochs' | 'minSteps' | 'patience' | 'batch';

/** Values to try for each varied field; the variants are their product, in the order the keys are given. */
export type Grid = { [K in GridKey]?: readonly TrainConfig[K][] };

/** One configuration of a comparison: its name and the fields it sets over the shared base config. */
export interface Variant {
  name: string;
  /** The grid's values for this variant (a field a variant's loss does not read is left out). */
  config: Partial<Pick<TrainConfig, GridKey>>;
}

/** The 2 × 2 that separates the two ideas: {cross-entropy, focal} × {no α, effective-number α} (γ from the base config, 2 by default). */
export const DEFAULT_GRID: Readonly<Grid> = Object.freeze({ loss: ['ce', 'focal'], alpha: [null, 'effective'] });

const GRID_KEYS: readonly GridKey[] = ['loss', 'gamma', 'alpha', 'hidden', 'activation', 'optimizer', 'lr', 'weightDecay', 'epochs', 'minSteps', 'patience', 'batch'];

/**
 * A grid from its text, hydra's multirun syntax: space-separated `key=v1,v2,...`. Values: numbers; `none`
 * for no α (or no early stopping: patience=none); α `inverse`, `effective`, a number or one weight per
 * class joined by `:` (`1:2:8`); hidden layers joined by `-` (`32-32`), `none` for a linear model.
 * @example parseGrid('loss=ce,focal gamma=0.5,1,2 alpha=none,effective')
 */
export function parseGrid(text: string): Grid {
  const grid: Record<string, unknown[]> = {};
  for (const part of text.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    if (eq <= 0 || !(GRID_KEYS as readonly string[]).includes(key)) {
      throw new Error(`grid: expected key=v1,v2,... with a key among ${GRID_KEYS.join(', ')}, got '${part}'`);
    }
    if (key in grid) throw new Error(`grid: ${key} is given twice`);
    const values = part.slice(eq + 1).split(',');
    if (values.some((v) => v === '')) throw new Error(`grid: ${key} has an empty value in '${part}'`);
    grid[key] = values.map((v) => parseValue(key as GridKey, v));
  }
  return grid as Grid;
}

/**
 * The variants of a grid: the product of its values (the first key varies slowest), with the fields a
 * variant's loss does not read dropped (γ means nothing to cross-entropy) and duplicates removed.
 * @example expandGrid({ loss: ['ce', 'focal'], gamma: [1, 2] }).map((v) => v.name) // ['cross-entropy', 'focal γ=1', 'focal γ=2']
 */
export function expandGrid(grid: Grid, base: Partial<TrainConfig> = {}): Variant[] {
  if (typeof grid !== 'object' || grid === null) throw new Error(`compare: grid must be an object of value lists or its text, got ${describeValue(grid)}`);
  const keys = Object.keys(grid) as GridKey[];
  for (const key of keys) {
    const values: unknown = grid[key];
    if (!GRID_KEYS.includes(key)) throw new Error(`compare: grid key '${key}' cannot vary (the keys are ${GRID_KEYS.join(', ')})`);
    if (!Array.isArray(values) || values.length === 0) throw new Error(`compare: grid.${key} must be a non-empty list of values, got ${describeValue(values)}`);
  }
  let configs: Partial<Pick<TrainConfig, GridKey>>[] = [{}];
  for (const key of keys) configs = configs.flatMap((c) => (grid[key] as unknown[]).map((v) => ({ ...c, [key]: v })));
  const seen = new Set<string>();
  const variants: Variant[] = [];
  for (const config of configs) {
    const loss = LOSSES[String(config.loss ?? base.loss ?? 'focal')];
    for (const option of ['gamma', 'alpha'] as const) if (loss !== undefined && !loss.options.includes(option)) delete config[option];
    const id = JSON.stringify(config);
    if (seen.has(id)) continue;
    seen.add(id);
    variants.push({ name: variantName(config, base), config });
  }
  return variants;
}

/** The index of the baseline every variant is compared with: the first cross-entropy without α, else the first variant. */
export function baselineIndex(variants: readonly Variant[], base: Partial<TrainConfig> = {}): number {
  const k = variants.findIndex((v) => (v.config.loss ?? base.loss) === 'ce' && (v.config.alpha ?? base.alpha ?? null) === null);
  return k === -1 ? 0 : k;
}

// A variant's name: the loss's label (from the registry) with its α, then any other varied field.
function variantName(config: Partial<Pick<TrainConfig, GridKey>>, base: Partial<TrainConfig>): string {
  const lossName = String(config.loss ?? base.loss ?? 'focal');
  const gamma = config.gamma ?? base.gamma ?? 2;
  const parts = [LOSSES[lossName]?.label(gamma) ?? lossName];
  const alpha = 'alpha' in config ? config.alpha : (base.alpha ?? null);
  if (alpha !== undefined && alpha !== null) parts.push(`α ${alphaText(alpha)}`);
  for (const key of Object.keys(config) as GridKey[]) {
    if (key === 'loss' || key === 'gamma' || key === 'alpha') continue;
    const v = config[key];
    parts.push(`${key} ${Array.isArray(v) ? (v.length === 0 ? 'none' : v.join('-')) : v === null ? 'none' : String(v)}`);
  }
  return parts.join(', ');
}

function alphaText(alpha: AlphaSpec): string {
  return typeof alpha === 'string' ? alpha : typeof alpha === 'number' ? String(alpha) : alpha.join(':');
}

function parseValue(key: GridKey, text: string): unknown {
  const num = (t: string): number => {
    const v = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : NaN;
    if (!Number.isFinite(v)) throw new Error(`grid: ${key} expects numbers, got '${t}'`);
    return v;
  };
  switch (key) {
    case 'loss':
    case 'activation':
    case 'optimizer':
      return text;
    case 'gamma':
      return text === 'flsd53' ? text : num(text);
    case 'alpha':
      if (text === 'none') return null;
      if (text === 'inverse' || text === 'effective') return text;
      return text.includes(':') ? text.split(':').map(num) : num(text);
    case 'hidden':
      return text === 'none' ? [] : text.split('-').map(num);
    case 'patience':
      return text === 'none' ? null : num(text);
    default:
      return num(text);
  }
}
