// Tests for train/samples.ts: which test rows trainedSamples picks, and that their logits are the trained model's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type TrainConfig, train, trainedSamples } from '../../train/index.js';
import { throwsWith } from './helpers.js';

// 3 % of 400 rows: the rarest class has only a few test rows.
const tiny: Partial<TrainConfig> = { data: 'blobs', n: 400, ratios: [0.85, 0.12, 0.03], hidden: [8], epochs: 3, seed: 5 };
const result = train(tiny);
const testSplit = result.split.test;

test('trainedSamples: classes in turn, each in row order, so the rare class is there; 20 rows by default', () => {
  const samples = trainedSamples(result);
  // The expected order, made another way: rank each row within its class, then sort by (rank, class).
  const seen = [0, 0, 0];
  const ranked = Array.from(testSplit.y, (k, row) => ({ row, k, rank: seen[k]++ }));
  const expected = ranked.sort((a, b) => a.rank - b.rank || a.k - b.k).slice(0, 20).map((r) => r.row);
  assert.equal(samples.map((s) => s.row), expected);
  assert.equal(new Set(samples.map((s) => s.target)), new Set([0, 1, 2]));
  for (const s of samples) {
    assert.is(s.target, testSplit.y[s.row]);
    assert.is(s.className, `class ${s.target}`);
  }
  assert.equal(trainedSamples(result), samples, 'the same run gives the same samples');
});

test("trainedSamples: the logits are the trained model's: their softmax is the run's test probabilities", () => {
  const k = testSplit.numClasses;
  for (const s of trainedSamples(result, 6)) {
    assert.is(s.logits.length, k);
    const top = Math.max(...s.logits);
    const e = s.logits.map((z) => Math.exp(z - top));
    const total = e.reduce((a, b) => a + b, 0);
    e.forEach((v, j) => {
      const p = result.testProbs[s.row * k + j];
      assert.ok(Math.abs(v / total - p) <= 1e-12, `row ${s.row}, class ${j}: softmax ${v / total}, testProbs ${p}`);
    });
  }
});

test('trainedSamples: count caps the rows, a count past the test split gives every row, a bad count throws', () => {
  assert.is(trainedSamples(result, 2).length, 2);
  assert.is(trainedSamples(result, testSplit.n + 5).length, testSplit.n);
  throwsWith(() => trainedSamples(result, 0), ['trainedSamples: count must be a positive integer, got 0']);
  throwsWith(() => trainedSamples(result, 1.5), ['trainedSamples: count must be a positive integer, got 1.5']);
});

test.run();
