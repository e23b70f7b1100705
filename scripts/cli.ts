// Flags of `npm run train`: a hand-written parser that turns argv into a run plan or a one-line error (no I/O).
// The flags' choices, help and defaults come from train/'s registries and defaultConfig; the parser checks syntax only,
// train/ (prepareRun) checks what the values mean.
import { didYouMean } from './did-you-mean.js';
import {
  type AlphaSpec,
  type CompareOptions,
  DATASETS,
  DEFAULT_GRID,
  DEFAULT_SEEDS,
  type Dataset,
  type GridKey,
  LOSSES,
  OPTIMIZERS,
  type SelectMetric,
  type TrainConfig,
  defaultConfig,
  parseGrid,
  readCsv,
} from '../train/index.js';

export { DEFAULT_SEEDS };
/**
 * NOTE: beyond these a run takes hours or runs out of memory; they stop a typo (an extra zero or
 * three), not a deliberate experiment, which can call train/ directly.
 */
export const MAX_N = 1_000_000;
export const MAX_HIDDEN = 4096;
export const MAX_EPOCHS = 10_000;
/** The default --max-bytes: a CSV of a million rows of a dozen numbers fits; /dev/zero or a disk image does not. */
export const DEFAULT_MAX_BYTES = 256 * 2 ** 20;

/** Where the data of a run comes from: a built-in name, or a CSV file to read. */
export type DataSource = { csv: string; label: string | number; header: boolean; maxBytes: number };

/** How a comparison varies and resplits its runs, and how many threads train them (null: the defaults). */
export interface CompareFlags {
  grid: string | null;
  seeds: number | null;
  select: SelectMetric | null;
  jobs: number | null;
}

/** What a command line asks for: the help, one run, or the comparison (whose config may hold `folds`). */
export type Plan =
  | { mode: 'help' }
  | { mode: 'single'; config: Partial<TrainConfig>; csv: DataSource | null; out: string | null; overwrite: boolean; save: string | null }
  | { mode: 'compare'; config: Partial<TrainConfig>; csv: DataSource | null; compare: CompareFlags; out: string | null; overwrite: boolean };

/** A plan, or the one-line error of a bad command line. */
export type ParseResult = Plan | { error: string };

type Parser = (text: string, flag: string) => unknown;

const names = (registry: Readonly<Record<string, unknown>>): string => Object.keys(registry).join('|');
// Two spaces at least between a flag and its text, whatever the registries' names add to the flag.
const pad = (left: string): string => `  ${`${left}  `.padEnd(31)}`;

/** The text of --help, derived from the registries and defaultConfig; `command` is how the user ran it (`focalgrad train`, `npm run train --`). */
export const usage = (command: string): string => [
  `usage: ${command} [flags]`,
  '',
  'With no --loss, compares a grid of configurations (default: cross-entropy and focal, each without and',
  'with effective-number α) on the same stratified train/validation/test splits, with paired intervals.',
  'With --loss (and no comparison flag), trains that one configuration.',
  '',
  `${pad(`--loss ${names(LOSSES)}`)}train one configuration with this loss:`,
  ...Object.values(LOSSES).map((l) => `${pad('')}  ${l.name}: ${l.description}`),
  `${pad('--gamma G|flsd53')}focusing parameter γ of the focal losses (default ${defaultConfig.gamma})`,
  `${pad('--alpha A')}class weights: a number, one per class (0.25,1,4), inverse or effective`,
  '',
  'The comparison (any of these flags asks for it; --loss, --gamma, --alpha then set what the grid does not vary):',
  `${pad('--compare')}the comparison (the default when --loss is absent)`,
  `${pad('--grid "KEY=V1,V2 ..."')}the product to run, hydra's multirun syntax (default "${gridText(DEFAULT_GRID)}");`,
  `${pad('')}  keys: loss gamma alpha hidden activation optimizer lr weightDecay epochs minSteps patience batch;`,
  `${pad('')}  none for no α / no early stopping / no hidden layer, α per class as 1:2:8, layers as 32-32`,
  `${pad('--seeds K')}repeated stratified splits, seeds S … S+K−1 (default ${DEFAULT_SEEDS})`,
  `${pad('--folds K')}stratified K-fold instead of --seeds`,
  `${pad('--select METRIC')}the validation metric that picks a variant: balancedAccuracy (default), macroF1, accuracy, nll, ece`,
  `${pad('--jobs N')}threads that train the runs (default: the cores); the output is the same for any N`,
  '',
  'Data and split:',
  `${pad(`--data ${names(DATASETS)}|FILE.csv`)}a built-in dataset (default ${String(defaultConfig.data)}) or a CSV file:`,
  ...Object.values(DATASETS).map((d) => {
    const own = d.defaults === undefined ? '' : ` (default --n ${d.defaults.n} --ratios ${d.defaults.ratios.join(',')})`;
    return `${pad('')}  ${d.name}: ${d.description}${own}`;
  }),
  `${pad('')}  FILE.csv: a header row, numeric features, the label column given by --label`,
  `${pad('--label COLUMN')}the label column of --data FILE.csv (its name; its 0-based index with --no-header)`,
  `${pad('--no-header')}the CSV's first row is data, not column names`,
  `${pad('--max-bytes N')}read a --data file of up to N bytes (default ${DEFAULT_MAX_BYTES}, 256 MiB)`,
  `${pad('--n N')}samples of a built-in dataset, ${defaultConfig.testFraction * 100}% test (default ${defaultConfig.n}, at most ${MAX_N})`,
  `${pad('--ratios R0,R1,...')}relative class sizes of a built-in dataset, one per class (default ${defaultConfig.ratios.join(',')})`,
  `${pad('--val-fraction F')}share of each class for validation: early stopping and selection (default ${defaultConfig.valFraction}; 0: none)`,
  `${pad('--test-fraction F')}share of each class for test, used for nothing but the report (default ${defaultConfig.testFraction})`,
  '',
  'Model and training:',
  `${pad('--hidden H1,H2,...|none')}hidden layer sizes, each at most ${MAX_HIDDEN} (default ${defaultConfig.hidden.join(',')}); none: a linear model`,
  `${pad('--activation relu|tanh')}(default ${defaultConfig.activation})`,
  `${pad(`--optimizer ${names(OPTIMIZERS)}`)}(default ${defaultConfig.optimizer})`,
  ...Object.values(OPTIMIZERS).map((o) => `${pad('')}  ${o.name}: ${o.description}, default lr ${o.defaultLr}`),
  `${pad('--lr LR')}learning rate (default: the optimizer's)`,
  `${pad('--weight-decay W')}weight decay (default ${defaultConfig.weightDecay}; adam: decoupled, as AdamW)`,
  `${pad('--epochs E|auto')}the epoch budget (default auto: at least 30 epochs and --min-steps steps; at most ${MAX_EPOCHS})`,
  `${pad('--min-steps S')}optimizer steps of --epochs auto (default ${defaultConfig.minSteps})`,
  `${pad('--patience P|auto|none')}epochs without a better validation loss before stopping, best weights kept`,
  `${pad('')}  (default auto: at least 10 epochs and 300 steps; none: train the whole budget)`,
  `${pad('--refit')}then train again on train + validation for the epochs early stopping kept, from the same`,
  `${pad('')}  initial weights (scikit-learn's refit): the test scores are the refit's, selection stays on validation`,
  `${pad('--batch B')}mini-batch size (default ${defaultConfig.batch})`,
  `${pad('--seed S')}integer seed of data split, initial weights and batch order (default ${defaultConfig.seed})`,
  '',
  'Output:',
  `${pad('--out DIR')}where the files go (default runs/<timestamp>); must be new or empty`,
  `${pad('--overwrite')}replace an --out that a focalgrad run made (only that run's files are removed)`,
  `${pad('--save FILE')}also write the trained model (with --loss): FILE.safetensors for PyTorch, any other name as JSON`,
  `${pad('--help')}this text`,
].join('\n');

// The default grid as --grid spells it.
function gridText(grid: Readonly<Record<string, readonly unknown[] | undefined>>): string {
  return Object.entries(grid)
    .map(([key, values]) => `${key}=${(values ?? []).map((v) => (v === null ? 'none' : String(v))).join(',')}`)
    .join(' ');
}

// Each flag and the config field it sets (null: a flag of the plan, not of the config).
const VALUE_FLAGS: Record<string, { field: keyof TrainConfig | null; parse: Parser }> = {
  '--loss': { field: 'loss', parse: word },
  '--seeds': { field: null, parse: integer },
  '--folds': { field: 'folds', parse: integer },
  '--grid': { field: null, parse: (text, flag) => (parseGrid(word(text, flag)), text) },
  '--select': { field: null, parse: word },
  '--jobs': { field: null, parse: integer },
  '--val-fraction': { field: 'valFraction', parse: (text, flag) => numberOrThrow(text, flag, 'a number') },
  '--test-fraction': { field: 'testFraction', parse: (text, flag) => numberOrThrow(text, flag, 'a number') },
  '--weight-decay': { field: 'weightDecay', parse: (text, flag) => numberOrThrow(text, flag, 'a number') },
  '--min-steps': { field: 'minSteps', parse: integer },
  '--patience': { field: 'patience', parse: (text, flag) => (text === 'none' ? null : text === 'auto' ? text : integer(text, flag)) },
  '--gamma': { field: 'gamma', parse: (text, flag) => (text === 'flsd53' ? text : numberOrThrow(text, flag, "a number or 'flsd53'")) },
  '--alpha': { field: 'alpha', parse: parseAlpha },
  '--data': { field: 'data', parse: word },
  '--label': { field: null, parse: word },
  '--n': { field: 'n', parse: atMost(MAX_N) },
  '--ratios': { field: 'ratios', parse: (text, flag) => numberList(text, flag, 'numbers separated by commas, one per class (e.g. 0.85,0.12,0.03)') },
  '--hidden': {
    field: 'hidden',
    parse: (text, flag) => {
      if (text === 'none') return [];
      const parts = numberList(text, flag, 'integers separated by commas (e.g. 32,32), or none for a linear model');
      if (!parts.every(Number.isSafeInteger)) throw new Error(`${flag} must be integers separated by commas (e.g. 32,32), or none, got ${text}`);
      if (parts.some((v) => v > MAX_HIDDEN)) throw new Error(`${flag} sizes must be at most ${MAX_HIDDEN} each, got ${text}`);
      return parts;
    },
  },
  '--activation': { field: 'activation', parse: word },
  '--optimizer': { field: 'optimizer', parse: word },
  '--lr': { field: 'lr', parse: (text, flag) => numberOrThrow(text, flag, 'a number') },
  '--epochs': { field: 'epochs', parse: (text, flag) => (text === 'auto' ? text : atMost(MAX_EPOCHS)(text, flag)) },
  '--batch': { field: 'batch', parse: integer },
  '--seed': { field: 'seed', parse: integer },
  '--out': { field: null, parse: path },
  '--save': { field: null, parse: path },
  '--max-bytes': { field: null, parse: atMost(Number.MAX_SAFE_INTEGER) },
};
const BOOLEAN_FLAGS = new Set(['--compare', '--help', '--no-header', '--overwrite', '--refit']);

const suggestion = (flag: string): string => didYouMean(flag, [...Object.keys(VALUE_FLAGS), ...BOOLEAN_FLAGS]);

/** argv without the node and script paths. `--flag value` and `--flag=value`; a repeated flag's last value wins. */
export function parseArgs(argv: readonly string[]): ParseResult {
  try {
    return plan(readFlags(argv));
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The options of compare() that a comparison's command line asks for (its flags left out fall to compare()'s defaults). */
export function compareOptions(config: Partial<TrainConfig>, flags: CompareFlags): CompareOptions {
  const options: CompareOptions = { ...config };
  if (flags.grid !== null) options.grid = flags.grid;
  if (flags.seeds !== null) options.seeds = flags.seeds;
  if (flags.select !== null) options.select = flags.select;
  return options;
}

/**
 * The run's config with its data in place: a CSV source read with `read` (its bytes, at most
 * maxBytes of them) and parsed by readCsv (whose Errors name the row, the column and the value, or the
 * byte that is not UTF-8); anything unreadable is an Error naming --data.
 */
export function resolveData(
  planned: Extract<Plan, { config: unknown }>,
  read: (path: string, maxBytes: number) => string | Uint8Array,
): Partial<TrainConfig> {
  if (planned.csv === null) return planned.config;
  const { csv, label, header, maxBytes } = planned.csv;
  let text: string | Uint8Array;
  try {
    text = read(csv, maxBytes);
  } catch (error) {
    const message = (error as Error).message;
    // readDataFile's refusals (a device, too large) name --data already.
    if (message.startsWith('--data ')) throw error;
    throw new Error(`--data ${csv} cannot be read (${message}); the built-in datasets are ${Object.keys(DATASETS).join(', ')}`);
  }
  const data: Dataset = readCsv(text, { label, header, name: csv.split(/[\\/]/).pop() ?? csv });
  return { ...planned.config, data };
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
    const spec = VALUE_FLAGS[flag];
    if (spec === undefined) throw new Error(`unknown flag ${flag}${suggestion(flag)}`);
    let text: string;
    if (eq !== -1) text = arg.slice(eq + 1);
    else if (i + 1 < argv.length) text = argv[++i];
    else throw new Error(`${flag} needs a value`);
    flags.set(flag, spec.parse(text, flag));
  }
  return flags;
}

function plan(flags: Map<string, unknown>): Plan {
  if (flags.has('--help')) return { mode: 'help' };
  const has = (flag: string): boolean => flags.has(flag);
  // Only the fields given on the command line: train/ fills the rest from defaultConfig.
  const config: Partial<TrainConfig> = {};
  for (const [flag, { field }] of Object.entries(VALUE_FLAGS)) {
    if (field !== null && has(flag)) Object.assign(config, { [field]: flags.get(flag) });
  }
  if (has('--refit')) config.refit = true;
  const csv = dataSource(flags, config);
  const out = has('--out') ? (flags.get('--out') as string) : null;
  const overwrite = has('--overwrite');
  if (overwrite && out === null) throw new Error('--overwrite needs --out (the default runs/<timestamp> is always new)');
  const compareFlags = ['--compare', '--grid', '--seeds', '--folds', '--select', '--jobs'].filter(has);
  if (has('--loss') && compareFlags.length === 0) {
    return { mode: 'single', config, csv, out, overwrite, save: has('--save') ? (flags.get('--save') as string) : null };
  }
  if (has('--save')) throw new Error('--save needs --loss without comparison flags (the comparison trains several models)');
  if (has('--seeds') && has('--folds')) throw new Error('--seeds and --folds are two ways to resplit: give one');
  // The grid's fields are the variants'; a flag can only set one the grid does not vary.
  const grid = has('--grid') ? (flags.get('--grid') as string) : null;
  const varied = Object.keys(grid === null ? DEFAULT_GRID : parseGrid(grid)) as GridKey[];
  for (const flag of ['--loss', '--gamma', '--alpha', '--hidden', '--lr', '--weight-decay', '--epochs', '--patience', '--batch']) {
    const key = VALUE_FLAGS[flag].field as GridKey;
    if (has(flag) && varied.includes(key)) {
      throw new Error(`${flag} sets ${key}, which the comparison's grid varies (${grid ?? `default: ${gridText(DEFAULT_GRID)}`}); drop ${flag} or give a --grid without ${key}=`);
    }
  }
  const compare: CompareFlags = {
    grid,
    seeds: has('--seeds') ? (flags.get('--seeds') as number) : null,
    select: has('--select') ? (flags.get('--select') as SelectMetric) : null,
    jobs: has('--jobs') ? (flags.get('--jobs') as number) : null,
  };
  if (compare.jobs !== null && compare.jobs < 1) throw new Error(`--jobs must be at least 1, got ${compare.jobs}`);
  return { mode: 'compare', config, csv, compare, out, overwrite };
}

// --data NAME stays a name (train/ checks it against DATASETS); anything else is a CSV file, and needs --label.
function dataSource(flags: Map<string, unknown>, config: Partial<TrainConfig>): DataSource | null {
  const data = flags.get('--data');
  const header = !flags.has('--no-header');
  const builtIn = typeof data !== 'string' || Object.hasOwn(DATASETS, data);
  if (builtIn) {
    for (const flag of ['--label', '--no-header', '--max-bytes']) {
      if (flags.has(flag)) throw new Error(`${flag} goes with --data FILE.csv, not with a built-in dataset`);
    }
    return null;
  }
  delete config.data;
  for (const flag of ['--n', '--ratios']) {
    if (flags.has(flag)) throw new Error(`${flag} applies to the built-in datasets only, not to --data ${data}`);
  }
  if (!flags.has('--label')) throw new Error(`--data ${data} needs --label COLUMN (the column that holds the classes)`);
  const text = flags.get('--label') as string;
  const maxBytes = flags.has('--max-bytes') ? (flags.get('--max-bytes') as number) : DEFAULT_MAX_BYTES;
  if (maxBytes < 1) throw new Error(`--max-bytes must be a positive integer, got ${maxBytes}`);
  if (header) return { csv: data, label: text, header, maxBytes };
  if (!/^\d+$/.test(text)) throw new Error(`--label must be a 0-based column index with --no-header, got ${text}`);
  return { csv: data, label: Number(text), header, maxBytes };
}

function parseAlpha(text: string, flag: string): AlphaSpec {
  if (text === 'inverse' || text === 'effective') return text;
  const parts = numberList(text, flag, 'a number, numbers separated by commas (one per class), inverse or effective');
  return parts.length === 1 ? parts[0] : parts;
}

function word(text: string, flag: string): string {
  if (text.trim() === '') throw new Error(`${flag} needs a value, got an empty one`);
  return text;
}

function numberList(text: string, flag: string, expected: string): number[] {
  const parts = text.split(',').map(number);
  if (!parts.every((v) => v !== null)) throw new Error(`${flag} must be ${expected}, got ${text}`);
  return parts as number[];
}

function numberOrThrow(text: string, flag: string, expected: string): number {
  const v = number(text);
  if (v === null) throw new Error(`${flag} must be ${expected}, got ${text}`);
  return v;
}

// Syntax only: whether the integer makes sense (epochs > 0, ...) is train/'s to say.
function integer(text: string, flag: string): number {
  const v = number(text);
  if (v === null || !Number.isSafeInteger(v)) throw new Error(`${flag} must be an integer, got ${text}`);
  return v;
}

function atMost(max: number): Parser {
  return (text, flag) => {
    const v = integer(text, flag);
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
