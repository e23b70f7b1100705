// Flags of `npm run train`: a hand-written parser that turns argv into a run plan or a one-line error (no I/O).
import type { AlphaSpec, TrainConfig } from '../train/index.js';

export const USAGE = `usage: npm run train -- [flags]

With no --loss, compares cross-entropy, focal and focal with effective-number α over several seeds.
With --loss, trains that one configuration.

  --loss ce|focal|focal-star   train one configuration with this loss
  --compare                    the comparison (the default when --loss is absent)
  --seeds K                    seeds per configuration in the comparison (default 5)
  --gamma G                    focusing parameter γ >= 0 of the focal losses (default 2)
  --alpha A                    class weights: a number, one per class (0.25,1,4), inverse or effective
  --data blobs|spirals         the dataset (default blobs)
  --n N                        samples over train and test, 30% test (default 5000, at most 1000000)
  --ratios R0,R1,R2            relative class sizes (default 0.85,0.12,0.03)
  --hidden H1,H2,...           hidden layer sizes, each at most 4096 (default 32,32)
  --activation relu|tanh       (default relu)
  --optimizer adam|sgd         (default adam; sgd uses momentum 0.9)
  --lr LR                      learning rate (default 0.005 for adam, 0.1 for sgd)
  --epochs E                   (default 30, at most 10000)
  --batch B                    mini-batch size (default 128)
  --seed S                     integer seed of data, initial weights and batch order (default 0)
  --out DIR                    where the files go (default runs/<timestamp>); must be new or empty
  --overwrite                  replace a non-empty --out as a whole (its old files are removed)
  --save FILE                  also write the trained model as JSON (with --loss)
  --help                       this text`;

export const DEFAULTS: TrainConfig = {
  data: 'blobs',
  n: 5000,
  ratios: [0.85, 0.12, 0.03],
  loss: 'focal',
  gamma: 2,
  alpha: null,
  hidden: [32, 32],
  activation: 'relu',
  optimizer: 'adam',
  lr: 0.005,
  epochs: 30,
  batch: 128,
  seed: 0,
};
export const DEFAULT_SEEDS = 5;
export const DEFAULT_SGD_LR = 0.1;
// NOTE: beyond these a run takes hours or runs out of memory; they stop a typo (an extra zero or
// three), not a deliberate experiment, which can call train/ directly.
export const MAX_N = 1_000_000;
export const MAX_HIDDEN = 4096;
export const MAX_EPOCHS = 10_000;

export type Plan =
  | { mode: 'help' }
  | { mode: 'single'; config: TrainConfig; out: string | null; overwrite: boolean; save: string | null }
  | { mode: 'compare'; config: TrainConfig; seeds: number; out: string | null; overwrite: boolean };

export type ParseResult = Plan | { error: string };

type Parser = (text: string, flag: string) => unknown;

const VALUE_FLAGS: Record<string, Parser> = {
  '--loss': oneOf(['ce', 'focal', 'focal-star']),
  '--seeds': positiveInteger,
  '--gamma': (text, flag) => {
    const v = number(text);
    if (v === null || v < 0) throw new Error(`${flag} must be a number >= 0, got ${text}`);
    return v;
  },
  '--alpha': parseAlpha,
  '--data': oneOf(['blobs', 'spirals']),
  '--n': atMost(MAX_N),
  '--ratios': (text, flag) => {
    const parts = text.split(',').map(number);
    if (parts.length !== 3 || !parts.every((v) => v !== null && v > 0)) {
      throw new Error(`${flag} must be three positive numbers separated by commas (e.g. 0.85,0.12,0.03), got ${text}`);
    }
    return parts;
  },
  '--hidden': (text, flag) => {
    const parts = text.split(',').map(number);
    if (!parts.every((v) => v !== null && Number.isSafeInteger(v) && v > 0)) {
      throw new Error(`${flag} must be positive integers separated by commas (e.g. 32,32), got ${text}`);
    }
    if (parts.some((v) => (v as number) > MAX_HIDDEN)) {
      throw new Error(`${flag} sizes must be at most ${MAX_HIDDEN} each, got ${text}`);
    }
    return parts;
  },
  '--activation': oneOf(['relu', 'tanh']),
  '--optimizer': oneOf(['adam', 'sgd']),
  '--lr': (text, flag) => {
    const v = number(text);
    if (v === null || v <= 0) throw new Error(`${flag} must be a positive number, got ${text}`);
    return v;
  },
  '--epochs': atMost(MAX_EPOCHS),
  '--batch': positiveInteger,
  '--seed': (text, flag) => {
    const v = number(text);
    if (v === null || !Number.isSafeInteger(v)) throw new Error(`${flag} must be an integer, got ${text}`);
    return v;
  },
  '--out': path,
  '--save': path,
};
const BOOLEAN_FLAGS = new Set(['--compare', '--help', '--overwrite']);

// argv without the node and script paths. `--flag value` and `--flag=value`; a repeated flag's last value wins.
export function parseArgs(argv: readonly string[]): ParseResult {
  try {
    return plan(readFlags(argv));
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function readFlags(argv: readonly string[]): Map<string, unknown> {
  const flags = new Map<string, unknown>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      flags.set('--help', true);
      continue;
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg} (flags start with --)`);
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (BOOLEAN_FLAGS.has(flag)) {
      if (eq !== -1) throw new Error(`${flag} takes no value, got ${arg}`);
      flags.set(flag, true);
      continue;
    }
    const parse = VALUE_FLAGS[flag];
    if (parse === undefined) throw new Error(`unknown flag ${flag}`);
    let text: string;
    if (eq !== -1) text = arg.slice(eq + 1);
    else if (i + 1 < argv.length) text = argv[++i];
    else throw new Error(`${flag} needs a value`);
    flags.set(flag, parse(text, flag));
  }
  return flags;
}

function plan(flags: Map<string, unknown>): Plan {
  if (flags.has('--help')) return { mode: 'help' };
  const has = (flag: string): boolean => flags.has(flag);
  const get = <T>(flag: string, fallback: T): T => (flags.has(flag) ? (flags.get(flag) as T) : fallback);
  const optimizer = get<TrainConfig['optimizer']>('--optimizer', DEFAULTS.optimizer);
  const config: TrainConfig = {
    data: get('--data', DEFAULTS.data),
    n: get('--n', DEFAULTS.n),
    ratios: get('--ratios', DEFAULTS.ratios),
    loss: get('--loss', DEFAULTS.loss),
    gamma: get('--gamma', DEFAULTS.gamma),
    alpha: get<AlphaSpec | null>('--alpha', DEFAULTS.alpha),
    hidden: get('--hidden', DEFAULTS.hidden),
    activation: get('--activation', DEFAULTS.activation),
    optimizer,
    lr: get('--lr', optimizer === 'sgd' ? DEFAULT_SGD_LR : DEFAULTS.lr),
    epochs: get('--epochs', DEFAULTS.epochs),
    batch: get('--batch', DEFAULTS.batch),
    seed: get('--seed', DEFAULTS.seed),
  };
  const out = get<string | null>('--out', null);
  const overwrite = has('--overwrite');
  if (overwrite && out === null) throw new Error('--overwrite needs --out (the default runs/<timestamp> is always new)');
  if (has('--loss')) {
    if (config.loss === 'focal-star' && config.gamma === 0) {
      throw new Error('--gamma must be > 0 with --loss focal-star (FL* divides by γ), got 0');
    }
    if (has('--compare')) throw new Error('--compare trains its own three losses; drop --loss (or --compare)');
    if (has('--seeds')) throw new Error('--seeds applies to the comparison only; drop it or drop --loss');
    if (config.loss === 'ce' && has('--gamma')) {
      throw new Error('--gamma applies to the focal losses only; drop it or use --loss focal instead of --loss ce');
    }
    return { mode: 'single', config, out, overwrite, save: get<string | null>('--save', null) };
  }
  if (has('--alpha')) throw new Error('--alpha needs --loss (the comparison sets α itself: none, then effective)');
  if (has('--save')) throw new Error('--save needs --loss (the comparison trains several models)');
  return { mode: 'compare', config, seeds: get('--seeds', DEFAULT_SEEDS), out, overwrite };
}

function parseAlpha(text: string, flag: string): AlphaSpec {
  if (text === 'inverse' || text === 'effective') return text;
  const parts = text.split(',').map(number);
  if (!parts.every((v) => v !== null && v > 0) || (parts.length !== 1 && parts.length !== 3)) {
    throw new Error(`${flag} must be a positive number, three positive numbers (one per class), inverse or effective, got ${text}`);
  }
  return parts.length === 1 ? (parts[0] as number) : (parts as number[]);
}

function oneOf(choices: readonly string[]): Parser {
  return (text, flag) => {
    if (!choices.includes(text)) throw new Error(`${flag} must be one of ${choices.join(', ')}, got ${text}`);
    return text;
  };
}

function positiveInteger(text: string, flag: string): number {
  const v = number(text);
  if (v === null || !Number.isSafeInteger(v) || v <= 0) throw new Error(`${flag} must be a positive integer, got ${text}`);
  return v;
}

function atMost(max: number): Parser {
  return (text, flag) => {
    const v = positiveInteger(text, flag);
    if (v > max) throw new Error(`${flag} must be at most ${max}, got ${text}`);
    return v;
  };
}

function path(text: string, flag: string): string {
  if (text.trim() === '') throw new Error(`${flag} must be a non-empty path`);
  return text;
}

// A finite number written in full ("1e-3", "-2", "0.5"); null for "", "abc", "1x", "Infinity", "0x10".
function number(text: string): number | null {
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}
