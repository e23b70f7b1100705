// Tests for train/split.ts: the stratified three-way split, stratified K-fold, standardisation fitted on train, the Errors of classes too small.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { carveValidation, deriveSeeds, fromRows, imbalancedBlobs, splitDataset, splitRows, splitStandardized, train } from '../../train/index.js';
import { throwsWith } from './helpers.js';

// 50 rows of class 0, 12 of class 1, 8 of class 2 (wine's cut-down class_2 has 8 rows too).
const Y = Int32Array.from([...Array(50).fill(0), ...Array(12).fill(1), ...Array(8).fill(2)]);
const count = (rows: Int32Array, c: number): number => Array.from(rows).filter((i) => Y[i] === c).length;

test('splitRows: each class split round(count · fraction) to test and validation, the rest to train, every row once', () => {
  const rows = splitRows(Y, 3, { valFraction: 0.2, testFraction: 0.2, seed: 4 });
  // class 0: 50 → 10 test, 10 val, 30 train; class 1: 12 → round(2.4) = 2, 2, 8; class 2: 8 → round(1.6) = 2, 2, 4.
  assert.equal([0, 1, 2].map((c) => [count(rows.train, c), count(rows.val, c), count(rows.test, c)]), [[30, 10, 10], [8, 2, 2], [4, 2, 2]]);
  const all = [...rows.train, ...rows.val, ...rows.test].sort((a, b) => a - b);
  assert.equal(all, Array.from({ length: Y.length }, (_, i) => i));
  // Shuffled, not grouped by class.
  assert.not.equal(Array.from(rows.train).map((i) => Y[i]), Array.from(rows.train).map((i) => Y[i]).sort());
  // Another seed, other rows; the same seed, the same rows.
  assert.not.equal(splitRows(Y, 3, { valFraction: 0.2, testFraction: 0.2, seed: 5 }).test, rows.test);
  assert.equal(splitRows(Y, 3, { valFraction: 0.2, testFraction: 0.2, seed: 4 }), rows);
});

test('splitRows: every part keeps at least one row of each class; too few rows is an Error naming the class', () => {
  // 3 rows of class 1: one to each part, whatever the fractions round to.
  const y = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  const rows = splitRows(y, 2, { valFraction: 0.1, testFraction: 0.1, seed: 0 });
  for (const part of [rows.train, rows.val, rows.test]) assert.is(Array.from(part).filter((i) => y[i] === 1).length, 1);
  throwsWith(
    () => splitRows(Int32Array.from([0, 0, 0, 1, 1]), 2, { valFraction: 0.2, testFraction: 0.2, seed: 0 }, ['ok', 'rare']),
    ['splitRows', 'class "rare" has 2 rows', 'at least 3 of each class', 'valFraction to 0'],
  );
  throwsWith(() => splitRows(Y, 3, { valFraction: 0.5, testFraction: 0.5, seed: 0 }), ['testFraction', '1 − valFraction']);
  throwsWith(() => splitRows(Y, 3, { valFraction: -0.1, testFraction: 0.2, seed: 0 }), ['valFraction', '[0, 1)']);
});

test('splitRows with valFraction 0 is splitDataset, row for row', () => {
  const data = fromRows(Array.from(Y, (_, i) => [i]), Array.from(Y, (c) => `c${c}`));
  const mine = splitRows(data.y, 3, { valFraction: 0, testFraction: 0.3, seed: 9 });
  const theirs = splitDataset(data, { testFraction: 0.3, seed: 9 });
  assert.equal(Array.from(mine.train), Array.from(theirs.train.x));
  assert.equal(Array.from(mine.test), Array.from(theirs.test.x));
  assert.is(mine.val.length, 0);
});

test('splitRows with folds: each row is tested in exactly one of K folds; fold sizes per class differ by at most one', () => {
  const k = 4;
  const tested = new Array<number>(Y.length).fill(0);
  for (let fold = 0; fold < k; fold++) {
    const rows = splitRows(Y, 3, { valFraction: 0.2, testFraction: 0.2, seed: 1, folds: k, fold });
    for (const i of rows.test) tested[i]++;
    // 50 / 4 → 12 or 13; 12 / 4 → 3; 8 / 4 → 2.
    assert.ok([12, 13].includes(count(rows.test, 0)), `fold ${fold}: ${count(rows.test, 0)} of class 0`);
    assert.equal([count(rows.test, 1), count(rows.test, 2)], [3, 2]);
    // Validation: valFraction of the class as a whole, from the other folds.
    assert.equal([count(rows.val, 0), count(rows.val, 1), count(rows.val, 2)], [10, 2, 2]);
    assert.is(rows.train.length + rows.val.length + rows.test.length, Y.length);
  }
  assert.ok(tested.every((t) => t === 1));
  throwsWith(() => splitRows(Y, 3, { valFraction: 0, testFraction: 0.2, seed: 1, folds: 10, fold: 0 }, ['a', 'b', 'c']), [
    'class "c" has 8 rows',
    'fewer than the 10 folds',
  ]);
  throwsWith(() => splitRows(Y, 3, { valFraction: 0, testFraction: 0.2, seed: 1, folds: 3, fold: 3 }), ['fold one of 0 … folds − 1']);
  // 3 rows of a class in 3 folds: the other folds hold 2, one for training and one for validation; in 2 folds,
  // fold 0 takes rows 0 and 2 of the class and leaves 1.
  assert.is(splitRows(Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1]), 2, { valFraction: 0.2, testFraction: 0.2, seed: 1, folds: 3, fold: 0 }).val.length, 2);
  throwsWith(() => splitRows(Int32Array.from([0, 0, 0, 0, 1, 1, 1]), 2, { valFraction: 0.2, testFraction: 0.2, seed: 1, folds: 2, fold: 0 }), [
    'class "class 1" has 3 rows: with 2 folds, too few for both a training and a validation row',
  ]);
});

test('splitStandardized: validation and test are scaled with the training part’s mean and std', () => {
  const rows = Array.from(Y, (c, i) => [10 + c * 5 + (i % 7), -3 + (i % 5) * 0.5]);
  const data = fromRows(rows, Array.from(Y, (c) => `c${c}`));
  const { split, stats } = splitStandardized(data, { valFraction: 0.2, testFraction: 0.2, seed: 2 });
  const val = split.val;
  assert.ok(val !== null);
  const parts = splitRows(data.y, 3, { valFraction: 0.2, testFraction: 0.2, seed: 2 });
  parts.val.forEach((from, to) => {
    for (let j = 0; j < 2; j++) {
      const expected = (data.x[from * 2 + j] - stats.mean[j]) / stats.std[j];
      assert.ok(Math.abs(val.x[to * 2 + j] - expected) < 1e-12, `val row ${to}, column ${j}`);
    }
  });
  // The mean is the training part's: the training columns average to 0, the validation ones need not.
  const trainMean = split.train.x.filter((_, k) => k % 2 === 0).reduce((s, v) => s + v, 0) / split.train.n;
  assert.ok(Math.abs(trainMean) < 1e-12);
});

test('carveValidation: a built-in split loses valFraction of the whole from its training part, stratified', () => {
  const generated = imbalancedBlobs({ n: 1000, ratios: [0.85, 0.12, 0.03], testFraction: 0.2, seed: 3 });
  const split = carveValidation(generated, 0.2, 0.2, 3);
  assert.ok(split.val !== null);
  assert.is(split.test, generated.test);
  // 850 / 120 / 30 rows: 170 / 24 / 6 of each to test, then a quarter of each class's 680 / 96 / 24 to validation.
  const counts = (y: Int32Array): number[] => [0, 1, 2].map((c) => y.filter((v) => v === c).length);
  assert.equal(counts(split.val.y), [170, 24, 6]);
  assert.equal(counts(split.train.y), [510, 72, 18]);
  assert.is(carveValidation(generated, 0, 0.2, 3).val, null);
});

test('train with folds on a built-in dataset: the generated points made whole, fold k of K is the test part', () => {
  const parts = [0, 1, 2].map((fold) => train({ n: 300, folds: 3, fold, epochs: 1, hidden: [4] }).split);
  for (const split of parts) assert.is(split.test.n, 100);
  // The three test folds together are every generated point once.
  const key = (x: Float64Array, i: number): string => `${x[2 * i]},${x[2 * i + 1]}`;
  const tested = parts.flatMap((p) => Array.from({ length: p.test.n }, (_, i) => key(p.test.x, i)));
  assert.is(new Set(tested).size, 300);
  const whole = imbalancedBlobs({ n: 300, seed: deriveSeeds(0).data, testFraction: 0.2 });
  const all = [whole.train, whole.test].flatMap((d) => Array.from({ length: d.n }, (_, i) => key(d.x, i)));
  assert.equal(tested.slice().sort(), all.sort());
});

test.run();
