// Tests for config.refit (train/config.ts prepareRefit, train/loop.ts, train/compare.ts): after early stopping, a second fit on train + validation for the kept epochs, whose test scores are reported while selection stays on validation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type TrainConfig, compare, deriveSeeds, fromRows, splitRows, train } from '../../train/index.js';
import { argmaxRows, classificationReport } from '../../train/metrics.js';
import { throwsWith } from './helpers.js';

const tiny: Partial<TrainConfig> = { n: 400, hidden: [8], lr: 0.02, epochs: 12, patience: 3, batch: 32, seed: 5 };

// A user's table of 3 features and 3 classes (an offset per class), whose raw values the test can average itself.
function table() {
  const features: number[][] = [];
  const labels: string[] = [];
  for (let i = 0; i < 150; i++) {
    const c = i % 5 === 0 ? 2 : i % 3 === 0 ? 1 : 0;
    features.push([Math.sin(i) * 3 + c * 2, Math.cos(i * 1.7) * 10 + 50, (i % 7) - c]);
    labels.push(['a', 'b', 'c'][c]);
  }
  return fromRows(features, labels);
}

test('refit: the second fit runs the kept epochs on train + validation; history, stop and validation metrics stay the early-stopped run\'s', () => {
  const plain = train(tiny);
  const refit = train({ ...tiny, refit: true });
  assert.is(plain.refit, null);
  assert.ok(refit.refit !== null);
  const trainRows = plain.split.train.n;
  const valRows = plain.split.val?.n ?? 0;
  assert.equal(refit.refit, { epochs: Math.max(1, plain.stopped.bestEpoch), rows: trainRows + valRows });
  assert.is(refit.split.train.n, trainRows + valRows);
  assert.is(refit.split.val, null);
  // The same test rows.
  assert.equal(Array.from(refit.split.test.y), Array.from(plain.split.test.y));
  // What selection reads is untouched by the refit.
  assert.equal(refit.valMetrics, plain.valMetrics);
  assert.equal(refit.history, plain.history);
  assert.equal(refit.stopped, plain.stopped);
  // The model is another one (trained on more rows), and the test metrics are its own: recomputed from its predictions.
  assert.not.equal(Array.from(refit.model.parameters()[0].data), Array.from(plain.model.parameters()[0].data));
  const k = refit.split.test.numClasses;
  const predicted = argmaxRows(refit.testProbs, refit.split.test.n, k);
  assert.equal(classificationReport(refit.split.test.y, predicted, k).confusion, refit.final.confusion);
});

test('refit: a user\'s table is standardised again with the mean of its train + validation rows (StandardScaler refitted)', () => {
  const data = table();
  const config: Partial<TrainConfig> = { data, hidden: [], epochs: 5, patience: 2, batch: 16, seed: 3, refit: true };
  const result = train(config);
  const rows = splitRows(data.y, data.numClasses, { valFraction: 0.2, testFraction: 0.2, seed: deriveSeeds(3).data });
  const fit = [...rows.train, ...rows.val];
  for (let j = 0; j < data.dim; j++) {
    const mean = fit.reduce((s, r) => s + data.x[r * data.dim + j], 0) / fit.length;
    assert.ok(Math.abs((result.standardization?.mean[j] ?? NaN) - mean) < 1e-12 * Math.max(1, Math.abs(mean)), `feature ${j}: mean ${result.standardization?.mean[j]} vs ${mean}`);
  }
  // Negative control: the training part's mean alone is another number, so the check above can fail.
  const trainMean = Array.from(rows.train).reduce((s, r) => s + data.x[r * data.dim + 1], 0) / rows.train.length;
  assert.ok(Math.abs(trainMean - (result.standardization?.mean[1] ?? NaN)) > 1e-6);
});

test('refit: compare selects on the same validation numbers with and without it, and reports the refits\' test scores', () => {
  const options = { ...tiny, seeds: 2, grid: 'loss=ce alpha=none,effective' };
  const plain = compare(options);
  const refit = compare({ ...options, refit: true });
  assert.equal(refit.selected?.variant, plain.selected?.variant);
  assert.is(refit.selected?.valMean, plain.selected?.valMean);
  assert.equal(refit.sizes, plain.sizes);
  assert.ok(refit.runs.every((r) => r.refit !== null && r.refit.epochs === Math.max(1, r.stopped.bestEpoch)));
  // Each run's test metrics are its refit's: the same as train() with refit on that split.
  const alone = train({ ...tiny, alpha: 'effective', loss: 'ce', seed: tiny.seed, refit: true });
  const run = refit.runs.find((r) => r.split === 0 && r.variant.includes('α'));
  assert.equal(run?.metrics, alone.final);
  assert.not.equal(run?.metrics, plain.runs.find((r) => r.split === 0 && r.variant.includes('α'))?.metrics);
});

test('refit: without a validation part or without early stopping there are no kept epochs to refit for', () => {
  throwsWith(() => train({ ...tiny, patience: null, refit: true }), ['train: refit', 'needs a validation part', 'patience']);
  throwsWith(() => train({ ...tiny, patience: undefined, valFraction: 0, refit: true }), ['train: refit', 'valFraction > 0']);
  throwsWith(() => train({ ...tiny, refit: 'yes' as unknown as boolean }), ['train: refit must be true or false, got "yes"']);
});

test.run();
