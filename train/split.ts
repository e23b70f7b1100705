// The stratified train / validation / test split and stratified K-fold, as row indices and as Datasets.
import { type Rng, rng as makeRng } from '../engine/index.js';
import { describeValue } from '../engine/format.js';
import { classCounts, standardize, type Dataset, type Split, type Standardization } from './data.js';

/** A split with a validation part: the rows early stopping and model selection look at (null when valFraction is 0). */
export interface TrainSplit extends Split {
  val: Dataset | null;
}

/** Row indices of each part of a split, into the Dataset they were drawn from. */
export interface SplitRows {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

/** Options of splitRows. */
export interface SplitRowsOptions {
  /** The share of each class that goes to validation, in [0, 1). */
  valFraction: number;
  /** The share of each class that goes to test, in (0, 1); ignored with folds. */
  testFraction: number;
  seed: number;
  /** Stratified K-fold: the test part is fold `fold` of `folds` (null: a random test part of testFraction). */
  folds?: number | null;
  fold?: number;
}

/**
 * The stratified three-way split of labels `y`, as scikit-learn's train_test_split(stratify=y) does it
 * twice: each class's rows are shuffled, round(count · testFraction) go to test, round(count · valFraction)
 * to validation, the rest to train, and every part of every class keeps at least one row. With `folds`,
 * a class's shuffled rows are dealt to the K folds in turn (StratifiedKFold) and fold `fold` is the test part.
 * The rows of each part are then shuffled, so no part is grouped by class. With valFraction 0 the rows and
 * the random stream are exactly splitDataset's. A class too small for the parts is an Error that names it.
 * @example const { train, val, test } = splitRows(data.y, data.numClasses, { valFraction: 0.2, testFraction: 0.2, seed: 0 });
 */
export function splitRows(y: Int32Array, numClasses: number, options: SplitRowsOptions, classNames?: readonly string[]): SplitRows {
  const fn = 'splitRows';
  const { valFraction, testFraction, seed, folds = null, fold = 0 } = options;
  if (!Number.isFinite(valFraction) || valFraction < 0 || valFraction >= 1) {
    throw new Error(`${fn}: valFraction must be a number in [0, 1), got ${describeValue(valFraction)}`);
  }
  if (folds === null && (!Number.isFinite(testFraction) || testFraction <= 0 || testFraction + valFraction >= 1)) {
    throw new Error(`${fn}: testFraction must be a number in (0, 1 − valFraction), got ${describeValue(testFraction)} with valFraction ${valFraction}`);
  }
  if (folds !== null && (!Number.isSafeInteger(folds) || folds < 2 || !Number.isSafeInteger(fold) || fold < 0 || fold >= folds)) {
    throw new Error(`${fn}: folds must be an integer ≥ 2 and fold one of 0 … folds − 1, got folds ${describeValue(folds)}, fold ${describeValue(fold)}`);
  }
  const counts = classCounts(y, numClasses);
  const name = (c: number): string => JSON.stringify(classNames?.[c] ?? `class ${c}`);
  const parts = valFraction > 0 ? 3 : 2;
  counts.forEach((count, c) => {
    if (folds !== null && count < folds) {
      throw new Error(`${fn}: class ${name(c)} has ${count} row${count === 1 ? '' : 's'}, fewer than the ${folds} folds (each fold needs one); use fewer folds or --seeds`);
    }
    if (count < parts) {
      throw new Error(
        `${fn}: class ${name(c)} has ${count} row${count === 1 ? '' : 's'}; a stratified ${parts === 3 ? 'train/validation/test' : 'train/test'} ` +
          `split needs at least ${parts} of each class (one per part)${parts === 3 ? '; set valFraction to 0 to go without validation' : ''}`,
      );
    }
  });

  const random = makeRng(seed);
  const byClass: number[][] = counts.map(() => []);
  for (let i = 0; i < y.length; i++) byClass[y[i]].push(i);
  const train: number[] = [];
  const val: number[] = [];
  const test: number[] = [];
  byClass.forEach((rows, c) => {
    const shuffled = random.shuffle(Int32Array.from(rows));
    const count = counts[c];
    if (folds !== null) {
      const rest: number[] = [];
      shuffled.forEach((row, k) => (k % folds === fold ? test : rest).push(row));
      // The validation rows come from the other folds, valFraction of the class as a whole.
      const valCount = valFraction > 0 ? clamp(Math.round(count * valFraction), 1, rest.length - 1) : 0;
      if (valFraction > 0 && valCount < 1) {
        throw new Error(`${fn}: class ${name(c)} has ${count} rows: with ${folds} folds, too few for both a training and a validation row outside the test fold`);
      }
      rest.forEach((row, k) => (k < valCount ? val : train).push(row));
      return;
    }
    const testCount = clamp(Math.round(count * testFraction), 1, count - parts + 1);
    const valCount = valFraction > 0 ? clamp(Math.round(count * valFraction), 1, count - testCount - 1) : 0;
    shuffled.forEach((row, k) => (k < testCount ? test : k < testCount + valCount ? val : train).push(row));
  });
  // The same order of draws as splitDataset: train's rows shuffled first, then test's.
  return { train: shuffled(train, random), test: shuffled(test, random), val: shuffled(val, random) };
}

/**
 * A Dataset split three ways by splitRows and standardised with the training part's per-feature mean and
 * std (StandardScaler fitted on train, applied to validation and test). With `mergeValidation` (a refit) the
 * validation rows join the training part, after its own rows, and the statistics are those of both.
 * @example const { split, stats } = splitStandardized(readCsv(text, { label: 'kind' }), { valFraction: 0.2, testFraction: 0.2, seed: 0 });
 */
export function splitStandardized(data: Dataset, options: SplitRowsOptions, mergeValidation = false): { split: TrainSplit; stats: Standardization } {
  const rows = splitRows(data.y, data.numClasses, options, data.classNames);
  if (mergeValidation) {
    const fit = Int32Array.from([...rows.train, ...rows.val]);
    const { split, stats } = standardize({ train: selectRows(data, fit), test: selectRows(data, rows.test) });
    return { split: { ...split, val: null }, stats };
  }
  const { split, stats } = standardize({ train: selectRows(data, rows.train), test: selectRows(data, rows.test) });
  const val = rows.val.length > 0 ? standardize({ train: selectRows(data, rows.train), test: selectRows(data, rows.val) }).split.test : null;
  return { split: { ...split, val }, stats };
}

/**
 * Carves a validation part out of a built-in dataset's training split: valFraction of the whole, so
 * valFraction / (1 − testFraction) of each class's training rows (at least one, leaving at least one).
 */
export function carveValidation(split: Split, valFraction: number, testFraction: number, seed: number): TrainSplit {
  if (valFraction === 0) return { ...split, val: null };
  const share = valFraction / (1 - testFraction);
  const rows = splitRows(split.train.y, split.train.numClasses, { valFraction: 0, testFraction: share, seed }, split.train.classNames);
  return { train: selectRows(split.train, rows.train), val: selectRows(split.train, rows.test), test: split.test };
}

/** The rows `rows` of `data`, in that order, as a Dataset of their own. */
export function selectRows(data: Dataset, rows: ArrayLike<number>): Dataset {
  const { dim } = data;
  const x = new Float64Array(rows.length * dim);
  const y = new Int32Array(rows.length);
  for (let to = 0; to < rows.length; to++) {
    const from = rows[to];
    x.set(data.x.subarray(from * dim, from * dim + dim), to * dim);
    y[to] = data.y[from];
  }
  return { ...data, x, y, n: rows.length };
}

/** Two Datasets of the same columns and classes, one after the other (a built-in dataset's parts made whole again for K-fold). */
export function concatRows(a: Dataset, b: Dataset): Dataset {
  const x = new Float64Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Int32Array(a.n + b.n);
  y.set(a.y);
  y.set(b.y, a.n);
  return { ...a, x, y, n: a.n + b.n };
}

function shuffled(rows: number[], random: Rng): Int32Array {
  return random.shuffle(Int32Array.from(rows));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
