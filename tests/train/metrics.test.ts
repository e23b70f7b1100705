// Tests for train/metrics.ts on hand-worked examples, with the arithmetic written out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { confusionMatrix, classificationReport, expectedCalibrationError, argmaxRows, reliabilityBins } from '../../train/metrics.js';
import { throwsWith } from './helpers.js';

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: got ${actual}, expected ${expected}`);
}

// F1 as the harmonic mean of precision and recall, the textbook form (the code uses 2TP / (2TP + FP + FN)).
const harmonic = (p: number, r: number): number => (2 * p * r) / (p + r);

// true 0 → predicted 0, 0, 0, 1;  true 1 → 1, 1, 0;  true 2 → 2, 1, 0
const yTrue = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
const yPred = Int32Array.from([0, 0, 0, 1, 1, 1, 0, 2, 1, 0]);

test('confusionMatrix: rows are true classes, columns predicted classes', () => {
  assert.equal(confusionMatrix(yTrue, yPred, 3), [
    [3, 1, 0],
    [1, 2, 0],
    [1, 1, 1],
  ]);
  assert.equal(confusionMatrix([], [], 2), [
    [0, 0],
    [0, 0],
  ]);
});

test('classificationReport on a hand-worked example', () => {
  const report = classificationReport(yTrue, yPred, 3);
  // Column sums (times predicted): class 0 → 3 + 1 + 1 = 5, class 1 → 1 + 2 + 1 = 4, class 2 → 1.
  const expected = [
    { precision: 3 / 5, recall: 3 / 4, support: 4 },
    { precision: 2 / 4, recall: 2 / 3, support: 3 },
    { precision: 1 / 1, recall: 1 / 3, support: 3 },
  ];
  expected.forEach((e, c) => {
    close(report.perClass[c].precision, e.precision, `precision ${c}`);
    close(report.perClass[c].recall, e.recall, `recall ${c}`);
    close(report.perClass[c].f1, harmonic(e.precision, e.recall), `f1 ${c}`);
    assert.is(report.perClass[c].support, e.support);
  });
  close(report.accuracy, (3 + 2 + 1) / 10, 'accuracy');
  close(report.macroF1, (harmonic(3 / 5, 3 / 4) + harmonic(2 / 4, 2 / 3) + harmonic(1, 1 / 3)) / 3, 'macroF1');
  close(report.balancedAccuracy, (3 / 4 + 2 / 3 + 1 / 3) / 3, 'balancedAccuracy');
  assert.equal(report.confusion, confusionMatrix(yTrue, yPred, 3));
});

test('a class that is never predicted has precision 0 and F1 0 (sklearn zero_division=0)', () => {
  // sklearn: f1_score([0, 0, 1, 1, 2], [0, 0, 0, 1, 0], average='macro', zero_division=0) = 4/9
  const report = classificationReport([0, 0, 1, 1, 2], [0, 0, 0, 1, 0], 3);
  assert.equal(report.perClass[2], { precision: 0, recall: 0, f1: 0, support: 1 });
  close(report.perClass[0].f1, harmonic(2 / 4, 2 / 2), 'f1 0');
  close(report.perClass[1].f1, harmonic(1 / 1, 1 / 2), 'f1 1');
  close(report.macroF1, (2 / 3 + 2 / 3 + 0) / 3, 'macroF1');
  close(report.macroF1, 4 / 9, 'macroF1 against sklearn');
  close(report.balancedAccuracy, (2 / 2 + 1 / 2 + 0 / 1) / 3, 'balancedAccuracy');
});

test('a class absent from yTrue counts in macro-F1 (as 0) but not in balanced accuracy', () => {
  // Class 2 is predicted once but never true: precision 0 / 1, recall undefined → 0, F1 0.
  // sklearn: balanced_accuracy_score([0, 0, 1], [0, 2, 1]) = mean(1/2, 1/1) = 0.75
  const report = classificationReport([0, 0, 1], [0, 2, 1], 3);
  assert.equal(report.perClass[2], { precision: 0, recall: 0, f1: 0, support: 0 });
  close(report.balancedAccuracy, (1 / 2 + 1 / 1) / 2, 'balancedAccuracy');
  close(report.macroF1, (harmonic(1, 1 / 2) + harmonic(1, 1) + 0) / 3, 'macroF1');
  close(report.accuracy, 2 / 3, 'accuracy');
});

test('perfect predictions score 1 everywhere', () => {
  const report = classificationReport([2, 0, 1, 1], [2, 0, 1, 1], 3);
  assert.is(report.accuracy, 1);
  assert.is(report.macroF1, 1);
  assert.is(report.balancedAccuracy, 1);
});

test('ECE on a hand-worked example with 15 bins, one sample on a bin boundary', () => {
  const probs = Float64Array.from([
    0.9, 0.05, 0.05, // label 0: confidence 0.90, correct, bin 13 = (13/15, 14/15]
    0.88, 0.07, 0.05, // label 1: confidence 0.88, wrong,   bin 13
    0.2, 0.5, 0.3, // label 1: confidence 0.50, correct, bin 7 = (7/15, 8/15]
    0.4, 0.35, 0.25, // label 2: confidence 0.40 = 6/15, wrong, bin 5 = (5/15, 6/15], the upper edge
    0.41, 0.3, 0.29, // label 0: confidence 0.41, correct, bin 6 = (6/15, 7/15]
  ]);
  const labels = Int32Array.from([0, 1, 1, 2, 0]);
  const expected =
    (2 / 5) * Math.abs(1 / 2 - (0.9 + 0.88) / 2) +
    (1 / 5) * Math.abs(1 - 0.5) +
    (1 / 5) * Math.abs(0 - 0.4) +
    (1 / 5) * Math.abs(1 - 0.41);
  close(expectedCalibrationError(probs, labels, 3), expected, 'ECE');
  // NOTE: a half-open bin the other way, [6/15, 7/15), would put 0.40 with 0.41 and give a smaller ECE.
  // One bin is the gap between accuracy and mean confidence over everything.
  close(expectedCalibrationError(probs, labels, 3, 1), Math.abs(3 / 5 - (0.9 + 0.88 + 0.5 + 0.4 + 0.41) / 5), 'ECE, 1 bin');
});

test('ECE bins are exact at their edges even where confidence · bins rounds the wrong way', () => {
  // 0.28 is exactly 7/25, yet 0.28 · 25 = 7.000000000000001 in float64: it belongs to (6/25, 7/25],
  // not with 0.29 in (7/25, 8/25].
  const atEdge = expectedCalibrationError([0.28, 0.24, 0.24, 0.24, 0.29, 0.24, 0.24, 0.23], [1, 0], 4, 25);
  close(atEdge, (1 / 2) * Math.abs(0 - 0.28) + (1 / 2) * Math.abs(1 - 0.29), 'ECE, 25 bins');
  // 0.7333333333333334 is the double just above 11/15, yet times 15 it rounds down to 11: it belongs
  // to (11/15, 12/15], not with 0.72 in (10/15, 11/15].
  const justAbove = 0.7333333333333334;
  assert.ok(justAbove > 11 / 15 && justAbove * 15 === 11, 'the premise of this test');
  const ece = expectedCalibrationError([justAbove, 1 - justAbove, 0.72, 0.28], [0, 1], 2);
  close(ece, (1 / 2) * Math.abs(1 - justAbove) + (1 / 2) * Math.abs(0 - 0.72), 'ECE, 15 bins');
});

test('ECE is 0 for confident correct predictions and 1 for confident wrong ones', () => {
  assert.is(expectedCalibrationError([1, 0, 0, 1], [0, 1], 2), 0);
  assert.is(expectedCalibrationError([1, 0, 0, 1], [1, 0], 2), 1);
});

test('argmaxRows picks the largest value per row, the first one on a tie', () => {
  assert.equal(Array.from(argmaxRows([0.1, 0.7, 0.2, 5, -1, 5, -3, -2, -1], 3, 3)), [1, 0, 2]);
  assert.equal(Array.from(argmaxRows(new Float64Array(0), 0, 4)), []);
});

test('errors: length mismatches, labels out of range, bad probabilities', () => {
  throwsWith(() => confusionMatrix([0, 1], [0], 2), ['confusionMatrix', 'same length', '2 and 1']);
  throwsWith(() => confusionMatrix([0, 3], [0, 1], 3), ['confusionMatrix', 'yTrue[1]', '[0, 3)', 'got 3']);
  throwsWith(() => confusionMatrix([0, 1], [0, -1], 3), ['confusionMatrix', 'yPred[1]', 'got -1']);
  throwsWith(() => confusionMatrix([0.5], [0], 3), ['confusionMatrix', 'yTrue[0]', 'got 0.5']);
  throwsWith(() => confusionMatrix([0], [0], 0), ['confusionMatrix', 'numClasses', 'got 0']);
  throwsWith(() => classificationReport([], [], 3), ['classificationReport', 'at least one sample']);
  throwsWith(() => classificationReport([0, 1], [1, 2], 2), ['classificationReport', 'yPred[1]', 'got 2']);
  throwsWith(() => expectedCalibrationError([0.5, 0.5], [0, 1], 2), ['expectedCalibrationError', '4 values, got 2']);
  throwsWith(() => expectedCalibrationError([0.5, 0.5], [2], 2), ['expectedCalibrationError', 'yTrue[0]', 'got 2']);
  throwsWith(() => expectedCalibrationError([2.5, -1.5], [0], 2), ['expectedCalibrationError', 'probs[0, 0]', 'got 2.5']);
  throwsWith(() => expectedCalibrationError([0.5, 0.4], [0], 2), ['expectedCalibrationError', 'row 0', 'sum to 1']);
  throwsWith(() => expectedCalibrationError([1, 0], [0], 2, 0), ['expectedCalibrationError', 'bins', 'got 0']);
  throwsWith(() => expectedCalibrationError([], [], 2), ['expectedCalibrationError', 'at least one sample']);
  throwsWith(() => argmaxRows([1, 2, 3], 2, 2), ['argmaxRows', '4 values, got 3']);
  throwsWith(() => argmaxRows([1, NaN], 1, 2), ['argmaxRows', 'row 0 has NaN at column 1']);
});

test('a confidence a rounding error above 1 still falls in the last bin (every sample counted)', () => {
  // 1 + 1e-9 is within the tolerance of a probability row; without the clamp to 1 it fell past the last bin.
  const probs = [1 + 1e-9, -1e-9, 0.6, 0.4];
  const bins = reliabilityBins(probs, [0, 1], 2);
  assert.is(bins.reduce((s, b) => s + b.count, 0), 2, 'both samples are in a bin');
  assert.equal([bins[14].count, bins[14].confidence, bins[14].accuracy], [1, 1, 1]);
  // ECE from the same bins: |1 − 1|/2 for the first sample, |0 − 0.6|/2 for the second.
  close(expectedCalibrationError(probs, [0, 1], 2), 0.3, 'ECE');
});

test('null, strings and objects in place of labels or probabilities are Errors naming the function and the argument', () => {
  for (const bad of [null, undefined, 'ab', { length: 2 }, 5] as unknown[]) {
    throwsWith(() => confusionMatrix(bad as number[], [0], 2), ['confusionMatrix: yTrue must be an array or a typed array of numbers']);
    throwsWith(() => confusionMatrix([0], bad as number[], 2), ['confusionMatrix: yPred must be an array or a typed array']);
    throwsWith(() => classificationReport(bad as number[], [0], 2), ['classificationReport: yTrue must be an array']);
    throwsWith(() => expectedCalibrationError(bad as number[], [0], 2), ['expectedCalibrationError: probs must be an array']);
    throwsWith(() => expectedCalibrationError([1, 0], bad as number[], 2), ['expectedCalibrationError: yTrue must be an array']);
    throwsWith(() => reliabilityBins(bad as number[], [0], 2), ['reliabilityBins: probs must be an array']);
    throwsWith(() => argmaxRows(bad as number[], 1, 2), ['argmaxRows: values must be an array']);
  }
  throwsWith(() => argmaxRows(['a', 'b'] as unknown as number[], 1, 2), ['argmaxRows: row 0 has "a" at column 0 (expected a number)']);
  // Sizes that would allocate gigabytes are refused before any allocation.
  throwsWith(() => confusionMatrix([], [], 1e6), ['confusionMatrix: numClasses must be an integer in [1, 16384], got 1000000']);
  throwsWith(() => expectedCalibrationError([1, 0], [0], 2, 1e9), ['expectedCalibrationError: bins must be an integer in [1, 10000], got 1000000000']);
});

test.run();
