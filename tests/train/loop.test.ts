// Tests for train/loop.ts and train/compare.ts: determinism, the shape of the history, the mean ± std arithmetic, the files a run leaves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tensor } from '../../engine/index.js';
import { classWeights, crossEntropy, focalLoss, focalLossStar } from '../../losses/index.js';
import { MLP } from '../../models/index.js';
import {
  type TrainConfig,
  aggregate,
  checkConfig,
  compare,
  compareFiles,
  compareSummary,
  compareJson,
  deriveSeeds,
  formatMeanStd,
  makeData,
  makeLoss,
  metricsJson,
  predictClasses,
  resolveAlpha,
  runFiles,
  runSummary,
  train,
  compareSteps,
  trainSteps,
} from '../../train/index.js';
import { throwsWith } from './helpers.js';

// Small enough that a run takes a few tens of milliseconds.
const tiny: TrainConfig = {
  data: 'blobs',
  n: 400,
  ratios: [0.85, 0.12, 0.03],
  loss: 'focal',
  gamma: 2,
  alpha: null,
  hidden: [8],
  activation: 'relu',
  optimizer: 'adam',
  lr: 0.02,
  epochs: 4,
  batch: 32,
  seed: 7,
};

test('train: the same seed gives bit-identical history, metrics and weights', () => {
  const a = train(tiny);
  const b = train(tiny);
  assert.equal(a.history, b.history);
  assert.equal(metricsJson(a), metricsJson(b));
  assert.equal(a.model.toJSON(), b.model.toJSON());
  // Object.is on every loss, so that even −0 versus 0 or NaN would be caught.
  a.history.forEach((h, i) => assert.ok(Object.is(h.testLoss, b.history[i].testLoss), `epoch ${h.epoch}`));
});

test('train: another seed gives other data, other weights and another history', () => {
  const a = train(tiny);
  const b = train({ ...tiny, seed: 8 });
  assert.not.equal(Array.from(a.split.train.x), Array.from(b.split.train.x));
  assert.not.equal(a.history, b.history);
  assert.not.equal(a.model.toJSON(), b.model.toJSON());
});

test('train: one record per epoch, numbered from 1, recall per class in [0, 1], onEpoch sees each', () => {
  const seen: number[] = [];
  const result = train({ ...tiny, epochs: 5 }, { onEpoch: (r) => seen.push(r.epoch) });
  assert.is(result.history.length, 5);
  assert.equal(seen, [1, 2, 3, 4, 5]);
  assert.equal(result.history.map((h) => h.epoch), [1, 2, 3, 4, 5]);
  for (const h of result.history) {
    assert.is(h.recall.length, 3);
    for (const r of h.recall) assert.ok(r >= 0 && r <= 1, `recall ${r} at epoch ${h.epoch}`);
    assert.ok(Number.isFinite(h.trainLoss) && Number.isFinite(h.testLoss));
  }
  // The final metrics are the last epoch's test numbers.
  const last = result.history[4];
  assert.is(result.final.loss, last.testLoss);
  assert.equal(result.final.perClass.map((m) => m.recall), last.recall);
  assert.is(result.final.perClass.reduce((s, m) => s + m.support, 0), result.split.test.n);
  assert.ok(result.final.ece >= 0 && result.final.ece <= 1);
});

test('train (demonstration): the training loss falls over the epochs on blobs', () => {
  const { history } = train({ ...tiny, loss: 'ce', n: 1000, epochs: 8 });
  const first = history[0].trainLoss;
  const last = history[history.length - 1].trainLoss;
  assert.ok(last < first, `train loss went from ${first} to ${last}`);
});

test('train: sgd, tanh, spirals and focal-star with α all run and stay finite', () => {
  const result = train({ ...tiny, data: 'spirals', activation: 'tanh', optimizer: 'sgd', lr: 0.05, loss: 'focal-star', alpha: 'inverse' });
  assert.is(result.history.length, tiny.epochs);
  assert.ok(result.history.every((h) => Number.isFinite(h.trainLoss)));
  assert.is(result.model.activation, 'tanh');
});

test('train: a diverging run is an Error naming the loss and the epoch, not a NaN history', () => {
  throwsWith(() => train({ ...tiny, loss: 'ce', optimizer: 'sgd', lr: 1e200 }), ['train: the ce loss diverged', 'became', 'epoch']);
});

test('deriveSeeds: deterministic, and the data, init and shuffle seeds differ', () => {
  const s = deriveSeeds(3);
  assert.equal(s, deriveSeeds(3));
  assert.not.equal(s, deriveSeeds(4));
  assert.is(new Set([s.data, s.init, s.shuffle]).size, 3);
});

test('resolveAlpha: inverse and effective come from classWeights on the training counts', () => {
  const counts = [200, 30, 8];
  assert.equal(resolveAlpha('effective', counts), classWeights(counts, { method: 'effective' }));
  assert.equal(resolveAlpha('inverse', counts), classWeights(counts, { method: 'inverse' }));
  assert.is(resolveAlpha(0.5, counts), 0.5);
  assert.equal(resolveAlpha([1, 2, 3], counts), [1, 2, 3]);
  assert.is(resolveAlpha(null, counts), null);
});

test('makeLoss: each name calls its loss; a per-class α reaches the loss', () => {
  const logits = tensor([[2, -1, 0.5], [0.1, 0.3, -2], [-1, 0, 3]]);
  const y = Int32Array.from([0, 1, 2]);
  const alpha = [0.5, 1, 2];
  const same = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-15, `${what}: ${a} vs ${b}`);
  same(makeLoss('ce', 2, null)(logits, y).item(), crossEntropy(logits, y).item(), 'ce');
  same(makeLoss('ce', 2, alpha)(logits, y).item(), crossEntropy(logits, y, { weight: alpha }).item(), 'weighted ce');
  same(makeLoss('ce', 2, 3)(logits, y).item(), 3 * crossEntropy(logits, y).item(), 'scaled ce');
  same(makeLoss('focal', 1.5, alpha)(logits, y).item(), focalLoss(logits, y, { gamma: 1.5, alpha }).item(), 'focal');
  same(makeLoss('focal-star', 2, null)(logits, y).item(), focalLossStar(logits, y, { gamma: 2, beta: 1 }).item(), 'focal-star');
  // FL* with α: each sample's loss times the α of its class, averaged over the samples.
  const perSample = focalLossStar(logits, y, { gamma: 2, beta: 1, reduction: 'none' }).data;
  const weighted = (alpha[0] * perSample[0] + alpha[1] * perSample[1] + alpha[2] * perSample[2]) / 3;
  same(makeLoss('focal-star', 2, alpha)(logits, y).item(), weighted, 'focal-star with α');
});

test('checkConfig: names the field that is out of range', () => {
  throwsWith(() => checkConfig({ ...tiny, lr: -1 }), ['lr', 'positive', '-1']);
  throwsWith(() => checkConfig({ ...tiny, gamma: -0.5 }), ['gamma', '-0.5']);
  throwsWith(() => checkConfig({ ...tiny, hidden: [] }), ['hidden']);
  throwsWith(() => checkConfig({ ...tiny, epochs: 0 }), ['epochs']);
  throwsWith(() => checkConfig({ ...tiny, alpha: [1, 2] }), ['alpha']);
  throwsWith(() => checkConfig({ ...tiny, ratios: [1, 2] }), ['ratios']);
  throwsWith(() => checkConfig({ ...tiny, batch: 1.5 }), ['batch', '1.5']);
  throwsWith(() => checkConfig({ ...tiny, seed: 0.5 }), ['seed', '0.5']);
  throwsWith(() => checkConfig({ ...tiny, n: -1 }), ['n must be', '-1']);
  throwsWith(() => checkConfig({ ...tiny, alpha: -2 }), ['alpha', '-2']);
  throwsWith(() => checkConfig({ ...tiny, loss: 'focal-star', gamma: 0 }), ['gamma', 'focal-star']);
  const loose = tiny as unknown as Record<string, unknown>;
  throwsWith(() => checkConfig({ ...loose, data: 'moons' } as unknown as TrainConfig), ['data', "'moons'"]);
  throwsWith(() => checkConfig({ ...loose, loss: 'hinge' } as unknown as TrainConfig), ['loss', "'hinge'"]);
  throwsWith(() => checkConfig({ ...loose, activation: 'gelu' } as unknown as TrainConfig), ['activation']);
  throwsWith(() => checkConfig({ ...loose, optimizer: 'lbfgs' } as unknown as TrainConfig), ['optimizer']);
  // too few samples for the rarest class to appear in both splits: caught before any training
  throwsWith(() => checkConfig({ ...tiny, n: 20 }), ['n = 20']);
  throwsWith(() => train({ ...tiny, n: 20 }), ['imbalancedBlobs: n = 20']);
});

test('checkConfig: returns the data the run trains on, so that train() need not build it again', () => {
  const split = checkConfig(tiny);
  const { data } = deriveSeeds(tiny.seed);
  assert.equal(split, makeData(tiny, data));
  assert.equal(train({ ...tiny, epochs: 1 }).split, split);
});

test('trainSteps: yields once per epoch, after onEpoch, and returns what train() returns', () => {
  const events: string[] = [];
  const steps = trainSteps(tiny, { onEpoch: (r) => events.push(`epoch ${r.epoch}`) });
  let next = steps.next();
  for (; !next.done; next = steps.next()) events.push('yield');
  assert.equal(events, ['epoch 1', 'yield', 'epoch 2', 'yield', 'epoch 3', 'yield', 'epoch 4', 'yield']);
  assert.equal(metricsJson(next.value), metricsJson(train(tiny)));
});

test('predictClasses: one class per row, the argmax of the logits', () => {
  const { model } = train({ ...tiny, epochs: 1 });
  const x = Float64Array.of(0, 1.6, -1.4, -0.8, 1.4, -0.8, 0, 0);
  const predicted = predictClasses(model, x);
  assert.is(predicted.length, 4);
  const logits = model.forward(tensor(x, { shape: [4, 2] })).toArray() as number[][];
  logits.forEach((row, i) => assert.is(predicted[i], row.indexOf(Math.max(...row))));
  assert.ok(model instanceof MLP);
});

test('aggregate: mean and sample standard deviation (K − 1), worked by hand', () => {
  // [1, 2, 3]: mean 2, squares (1 + 0 + 1) / (3 − 1) = 1
  const a = aggregate([1, 2, 3]);
  assert.is(a.mean, 2);
  assert.is(a.std, 1);
  assert.equal(a.values, [1, 2, 3]);
  // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, squares 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, 32 / 7
  const b = aggregate([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.is(b.mean, 5);
  assert.ok(Math.abs(b.std - Math.sqrt(32 / 7)) < 1e-15);
  assert.equal(aggregate([0.25]), { mean: 0.25, std: 0, values: [0.25] });
  throwsWith(() => aggregate([]), ['aggregate']);
  assert.is(formatMeanStd(a), '2.000 ± 1.000');
});

test('compare: three variants × K seeds, paired data, summary = mean ± std of the runs', () => {
  const result = compare({ ...tiny, epochs: 2 }, 2);
  assert.equal(result.seeds, [7, 8]);
  assert.is(result.runs.length, 6);
  assert.equal(result.variants.map((v) => [v.loss, v.alpha]), [['ce', null], ['focal', null], ['focal', 'effective']]);
  // The seed is the outer loop; the first seed's three results are kept whole.
  assert.equal(result.runs.map((r) => r.seed), [7, 7, 7, 8, 8, 8]);
  assert.is(result.firstSeed.length, 3);
  for (const r of result.firstSeed) assert.equal(Array.from(r.split.test.x), Array.from(result.firstSeed[0].split.test.x));
  // A run in the comparison is exactly the single run of its configuration.
  const single = train({ ...tiny, epochs: 2, loss: 'focal', alpha: 'effective', seed: 8 });
  assert.equal(result.runs[5].history, single.history);

  result.summary.forEach((s, v) => {
    const mine = result.runs.filter((r) => r.variant === s.variant);
    const values = mine.map((r) => r.metrics.macroF1);
    assert.equal(s.metrics.macroF1, aggregate(values), `variant ${v}`);
    assert.equal(s.metrics.recall2.values, mine.map((r) => r.metrics.perClass[2].recall));
  });
  assert.equal(result.table.headers.length, 4);
  assert.equal(result.table.rows.map((r) => r[0]).slice(0, 5), [
    'macro-F1',
    'balanced accuracy',
    'recall class 0',
    'recall class 1',
    'recall class 2',
  ]);
  assert.ok(result.table.rows.map((r) => r[0]).includes('ECE'));
  assert.is(result.table.rows[0][1], formatMeanStd(result.summary[0].metrics.macroF1));
  throwsWith(() => compare(tiny, 0), ['seeds', '0']);
});

test('compareSteps: yields once per epoch of each run and returns what compare() returns', () => {
  const steps = compareSteps({ ...tiny, epochs: 2 }, 2);
  let yields = 0;
  let next = steps.next();
  for (; !next.done; next = steps.next()) yields++;
  assert.is(yields, 2 * 3 * 2); // seeds × variants × epochs
  assert.equal(compareJson(next.value), compareJson(compare({ ...tiny, epochs: 2 }, 2)));
});

test('runFiles and compareFiles: the documented files, metrics.json keys, no timestamps, same seed same text', () => {
  const result = train(tiny);
  const files = runFiles(result);
  assert.equal(files.map((f) => f.name), ['metrics.json', 'loss.svg', 'recall.svg', 'regions.svg', 'report.html']);
  const metrics = JSON.parse(files[0].content) as Record<string, unknown>;
  for (const key of ['loss', 'macroF1', 'balancedAccuracy', 'accuracy', 'ece', 'perClass', 'confusion', 'history']) {
    assert.ok(key in metrics, `metrics.json lacks ${key}`);
  }
  assert.equal(Object.keys((metrics.perClass as object[])[0]).sort(), ['f1', 'precision', 'recall', 'support']);
  for (const f of files) {
    if (f.name.endsWith('.svg')) assert.ok(f.content.startsWith('<svg'), f.name);
    assert.not.match(f.content, /\d{4}-\d{2}-\d{2}T\d{2}/, `${f.name} holds a timestamp`);
  }
  assert.equal(runFiles(train(tiny)), files);
  const summary = runSummary(result);
  assert.match(summary, /^focal γ=2; blobs, n=400/);
  assert.match(summary, /macro avg/);
  assert.match(summary, /^balanced accuracy\s+\d\.\d{3}$/m);
  assert.is(summary.split('balanced accuracy').length - 1, 1, 'balanced accuracy is printed once');
  assert.match(summary, /^macro-F1 \d\.\d{3}, ECE \d\.\d{3}, test loss/m);

  const compared = compare({ ...tiny, epochs: 1 }, 1);
  const names = compareFiles(compared).map((f) => f.name);
  assert.equal(names.sort(), ['compare.json', 'loss.svg', 'metrics.json', 'recall.svg', 'regions.svg', 'report.html']);
  const json = compareJson(compared) as { runs: unknown[]; summary: unknown[]; base: Record<string, unknown> };
  assert.is(json.runs.length, 3);
  assert.is(json.summary.length, 3);
  assert.not.ok('loss' in json.base);
  const table = compareSummary(compared).split('\n');
  assert.match(table[1], /mean ± std over 1 seed \(7\)/);
  assert.match(table[2], /^metric\s+cross-entropy\s+focal γ=2\s+focal γ=2, α eff\.$/);
  assert.match(table[4], /^macro-F1\s+\d\.\d{3} ± 0\.000/);
  const regions = compareFiles(compared).find((f) => f.name === 'regions.svg');
  // Three decision-region panels side by side, each an <svg> of its own.
  assert.is((regions?.content.match(/<svg/g) ?? []).length, 4);
});

test.run();
