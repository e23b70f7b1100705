// Classification metrics on class indices and probabilities: confusion matrix, per-class precision / recall / F1, macro-F1, balanced accuracy, ECE.
import { describeValue } from '../engine/format.js';

/** Precision, recall, F1 and support of one class. */
export interface ClassMetrics {
  /** Of the rows predicted as this class, the share that are (0 when none is predicted). */
  precision: number;
  /** Of the rows of this class, the share predicted as it. */
  recall: number;
  /** The harmonic mean of precision and recall, 2·TP / (2·TP + FP + FN). */
  f1: number;
  /** Number of samples whose true class is this one. */
  support: number;
}

/** The metrics of classificationReport. */
export interface ClassificationReport {
  /** The share of rows whose predicted class is right. */
  accuracy: number;
  /** The unweighted mean of the classes' F1 (every class counts the same, however rare). */
  macroF1: number;
  /** The mean of the recalls of the classes present (sklearn's balanced_accuracy_score). */
  balancedAccuracy: number;
  /** Precision, recall, F1 and support of each class, in class order (the JSON files key them by class name). */
  perClass: ClassMetrics[];
  /** Rows are true classes, columns predicted classes. */
  confusion: number[][];
}

/** Counts of (true class, predicted class) pairs: rows are true classes, columns predicted ones. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number[][] {
  checkLabels('confusionMatrix', yTrue, yPred, numClasses);
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) confusion[yTrue[i]][yPred[i]]++;
  return confusion;
}

/**
 * Follows scikit-learn with labels = range(numClasses) and zero_division = 0: a ratio whose
 * denominator is 0 counts as 0, and a class absent from both yTrue and yPred still enters the macro-F1
 * with F1 = 0. Balanced accuracy averages recall over the classes present in yTrue only, as sklearn's
 * balanced_accuracy_score does.
 */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): ClassificationReport {
  checkLabels('classificationReport', yTrue, yPred, numClasses);
  if (yTrue.length === 0) throw new Error('classificationReport: needs at least one sample, got 0');
  const confusion = confusionMatrix(yTrue, yPred, numClasses);

  let correct = 0;
  const perClass: ClassMetrics[] = [];
  for (let c = 0; c < numClasses; c++) {
    const truePositives = confusion[c][c];
    const support = confusion[c].reduce((s, v) => s + v, 0);
    const predicted = confusion.reduce((s, row) => s + row[c], 0);
    correct += truePositives;
    // F1 = 2·TP / (2·TP + FP + FN): the harmonic mean of precision and recall, and still defined
    // (as 0) when the class is never predicted.
    const f1Denominator = support + predicted;
    perClass.push({
      precision: safeRatio(truePositives, predicted),
      recall: safeRatio(truePositives, support),
      f1: safeRatio(2 * truePositives, f1Denominator),
      support,
    });
  }
  const present = perClass.filter((m) => m.support > 0);
  return {
    accuracy: correct / yTrue.length,
    macroF1: perClass.reduce((s, m) => s + m.f1, 0) / numClasses,
    balancedAccuracy: present.reduce((s, m) => s + m.recall, 0) / present.length,
    perClass,
    confusion,
  };
}

/** One bin of a reliability diagram: how many samples, their mean confidence and their accuracy. */
export interface ReliabilityBin {
  /** The bin's range of confidence, (lower, upper]. */
  lower: number;
  upper: number;
  count: number;
  /** Mean top-label confidence of the bin's samples (0 when empty). */
  confidence: number;
  /** Share of the bin's samples whose top label is right (0 when empty). */
  accuracy: number;
}

/**
 * Top-label expected calibration error of Guo et al. 2017: the confidence of a sample is its largest
 * probability; samples fall into `bins` equal-width bins (k/bins, (k+1)/bins]; ECE is
 * Σ_bins |B|/n · |accuracy(B) − mean confidence(B)|.
 */
export function expectedCalibrationError(
  probs: ArrayLike<number>,
  yTrue: ArrayLike<number>,
  numClasses: number,
  bins = 15,
): number {
  const binned = binsFor('expectedCalibrationError', probs, yTrue, numClasses, bins);
  const n = yTrue.length;
  return binned.reduce((ece, b) => ece + (b.count / n) * Math.abs(b.accuracy - b.confidence), 0);
}

/** The bins of a reliability diagram (confidence against accuracy), the ones ECE is computed from. */
export function reliabilityBins(probs: ArrayLike<number>, yTrue: ArrayLike<number>, numClasses: number, bins = 15): ReliabilityBin[] {
  return binsFor('reliabilityBins', probs, yTrue, numClasses, bins);
}

// reliabilityBins for a caller whose name the Errors carry (ECE, the reliability plot).
export function binsFor(fn: string, probs: ArrayLike<number>, yTrue: ArrayLike<number>, numClasses: number, bins: number): ReliabilityBin[] {
  checkNumClasses(fn, numClasses);
  if (!Number.isInteger(bins) || bins <= 0 || bins > MAX_BINS) throw new Error(`${fn}: bins must be an integer in [1, ${MAX_BINS}], got ${describeValue(bins)}`);
  checkArray(fn, 'probs', probs);
  checkArray(fn, 'yTrue', yTrue);
  const n = yTrue.length;
  if (n === 0) throw new Error(`${fn}: needs at least one sample, got 0`);
  if (probs.length !== n * numClasses) {
    throw new Error(`${fn}: probs must have n * numClasses = ${n} * ${numClasses} = ${n * numClasses} values, got ${probs.length}`);
  }
  checkLabelRange(fn, 'yTrue', yTrue, numClasses);
  checkProbabilityRows(fn, probs, n, numClasses);

  const predictions = argmaxRows(probs, n, numClasses);
  const binCount = new Float64Array(bins);
  const binCorrect = new Float64Array(bins);
  const binConfidence = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const confidence = Math.min(1, probs[i * numClasses + predictions[i]]);
    const k = binIndex(confidence, bins);
    binCount[k]++;
    binConfidence[k] += confidence;
    if (predictions[i] === yTrue[i]) binCorrect[k]++;
  }
  return Array.from({ length: bins }, (_, k) => ({
    lower: k / bins,
    upper: (k + 1) / bins,
    count: binCount[k],
    confidence: binCount[k] > 0 ? binConfidence[k] / binCount[k] : 0,
    accuracy: binCount[k] > 0 ? binCorrect[k] / binCount[k] : 0,
  }));
}

/** Index of the first largest value in each row of an [n, C] array (ties go to the lower class, as numpy.argmax does). */
export function argmaxRows(values: ArrayLike<number>, n: number, numClasses: number): Int32Array {
  checkNumClasses('argmaxRows', numClasses);
  checkArray('argmaxRows', 'values', values);
  if (!Number.isInteger(n) || n < 0) throw new Error(`argmaxRows: n must be a non-negative integer, got ${describeValue(n)}`);
  if (values.length !== n * numClasses) {
    throw new Error(`argmaxRows: expected n * C = ${n} * ${numClasses} = ${n * numClasses} values, got ${values.length}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < numClasses; c++) {
      const v = values[i * numClasses + c];
      if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`argmaxRows: row ${i} has ${describeValue(v)} at column ${c} (expected a number)`);
      if (v > values[i * numClasses + best]) best = c;
    }
    out[i] = best;
  }
  return out;
}

// The bin k with k/bins < confidence ≤ (k+1)/bins. The estimate ceil(confidence·bins) − 1 can be off
// by one when confidence sits on a boundary and the product rounds, so it is corrected against the
// boundaries themselves.
function binIndex(confidence: number, bins: number): number {
  let k = Math.max(0, Math.ceil(confidence * bins) - 1);
  while (k > 0 && confidence <= k / bins) k--;
  while (k < bins - 1 && confidence > (k + 1) / bins) k++;
  return k;
}

function safeRatio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

// More classes than this is a mistake (a count passed for numClasses): a confusion matrix of 2¹⁴ × 2¹⁴
// is already 2²⁸ cells, the engine's allocation cap. Likewise for the bins of a reliability diagram.
const MAX_CLASSES = 2 ** 14;
const MAX_BINS = 10_000;

function checkNumClasses(fn: string, numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses <= 0 || numClasses > MAX_CLASSES) {
    throw new Error(`${fn}: numClasses must be an integer in [1, ${MAX_CLASSES}], got ${describeValue(numClasses)}`);
  }
}

// Labels and probabilities come as an array or a typed array of numbers; anything else (null, a string,
// an object with a length) is an Error naming the argument, not a TypeError from inside.
function checkArray(fn: string, name: string, value: unknown): void {
  const isArray = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!isArray) throw new Error(`${fn}: ${name} must be an array or a typed array of numbers, got ${describeValue(value)}`);
}

function checkLabels(fn: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): void {
  checkNumClasses(fn, numClasses);
  checkArray(fn, 'yTrue', yTrue);
  checkArray(fn, 'yPred', yPred);
  if (yTrue.length !== yPred.length) {
    throw new Error(`${fn}: yTrue and yPred must have the same length, got ${yTrue.length} and ${yPred.length}`);
  }
  checkLabelRange(fn, 'yTrue', yTrue, numClasses);
  checkLabelRange(fn, 'yPred', yPred, numClasses);
}

function checkLabelRange(fn: string, name: string, labels: ArrayLike<number>, numClasses: number): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new Error(`${fn}: ${name}[${i}] must be an integer class index in [0, ${numClasses}), got ${describeValue(label)}`);
    }
  }
}

// A row of probabilities lies in [0, 1] and sums to 1; logits passed by mistake fail here instead
// of producing a meaningless ECE.
function checkProbabilityRows(fn: string, probs: ArrayLike<number>, n: number, numClasses: number): void {
  const tolerance = 1e-6;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probs[i * numClasses + c];
      if (!(p >= -tolerance && p <= 1 + tolerance)) {
        throw new Error(`${fn}: probs[${i}, ${c}] must be a probability in [0, 1], got ${describeValue(p)}`);
      }
      rowSum += p;
    }
    if (Math.abs(rowSum - 1) > tolerance) {
      throw new Error(`${fn}: row ${i} of probs must sum to 1, got ${rowSum}`);
    }
  }
}
