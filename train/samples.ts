// A few test rows of a trained run, with the model's logits: what the playground's Graph panel steps backward through.
import { checkInteger, noGrad, tensor } from '../engine/index.js';
import type { TrainResult } from './loop.js';

/** One test row of a trained run: its index in the test split, its true class and the model's logits. */
export interface TrainedSample {
  /** The row's index in the run's test split. */
  row: number;
  /** The true class index. */
  target: number;
  /** The true class's name (from the dataset's classNames). */
  className: string;
  /** The trained model's logits for the row, one per class. */
  logits: number[];
}

/**
 * Up to `count` rows of the test split with the trained model's logits, chosen deterministically:
 * class by class in turn (the first row of each class, then the second, ...), so that the rarest
 * classes are among them however few rows they have.
 * @example
 * const [first] = trainedSamples(train({ epochs: 3 }), 6);
 * focalLoss(tensor([first.logits]), [first.target], { gamma: 2 });
 */
export function trainedSamples(result: TrainResult, count = 20): TrainedSample[] {
  checkInteger('trainedSamples', 'count', count, 1);
  const test = result.split.test;
  const byClass: number[][] = Array.from({ length: test.numClasses }, () => []);
  test.y.forEach((k, i) => byClass[k].push(i));
  const rows: number[] = [];
  for (let depth = 0; rows.length < Math.min(count, test.n); depth++) {
    for (const list of byClass) if (depth < list.length && rows.length < count) rows.push(list[depth]);
  }
  const x = new Float64Array(rows.length * test.dim);
  rows.forEach((r, i) => x.set(test.x.subarray(r * test.dim, (r + 1) * test.dim), i * test.dim));
  const logits = noGrad(() => result.model.forward(tensor(x, { shape: [rows.length, test.dim] }))).data;
  const k = test.numClasses;
  return rows.map((row, i) => ({
    row,
    target: test.y[row],
    className: test.classNames[test.y[row]],
    logits: Array.from(logits.subarray(i * k, (i + 1) * k)),
  }));
}
