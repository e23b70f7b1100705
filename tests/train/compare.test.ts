// Tests for train/compare.ts and train/files.ts: the comparison's pairing and arithmetic, the files a run leaves, K classes by name.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type TrainConfig,
  aggregate,
  compare,
  compareFiles,
  compareJson,
  compareSteps,
  compareSummary,
  formatMeanStd,
  readCsv,
  runFiles,
  runSummary,
  train,
} from '../../train/index.js';
import { throwsWith } from './helpers.js';

const tiny: Partial<TrainConfig> = { n: 400, hidden: [8], lr: 0.02, epochs: 4, batch: 32, seed: 7 };

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
    assert.equal(s.metrics['recall[class 2]'].values, mine.map((r) => r.metrics.perClass[2].recall));
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
  assert.equal(files.map((f) => f.name), ['metrics.json', 'loss.svg', 'recall.svg', 'regions.svg', 'reliability.svg', 'confusion.svg', 'report.html']);
  const metrics = JSON.parse(files[0].content) as Record<string, unknown>;
  for (const key of ['loss', 'macroF1', 'balancedAccuracy', 'accuracy', 'ece', 'perClass', 'confusion', 'history']) {
    assert.ok(key in metrics, `metrics.json lacks ${key}`);
  }
  assert.equal(Object.keys(metrics.perClass as object), ['class 0', 'class 1', 'class 2']);
  assert.equal(Object.keys((metrics.perClass as Record<string, object>)['class 0']).sort(), ['f1', 'precision', 'recall', 'support']);
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
  assert.equal(names.sort(), ['compare.json', 'confusion.svg', 'loss.svg', 'metrics.json', 'recall.svg', 'regions.svg', 'reliability.svg', 'report.html']);
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

test('a four-class CSV with string labels: a recall row per class by name, and every file names all four', () => {
  const text = readFileSync(new URL('../../docs/examples/machines.csv', import.meta.url), 'utf8');
  const data = readCsv(text, { label: 'state', name: 'machines.csv' });
  const classes = ['failing', 'misaligned', 'normal', 'worn'];
  assert.equal(data.classNames, classes);
  const result = compare({ data, epochs: 1, hidden: [8] }, 1);
  assert.equal(
    result.table.rows.map((r) => r[0]).filter((label) => label.startsWith('recall')),
    classes.map((name) => `recall ${name}`),
  );
  assert.match(compareSummary(result), /^machines\.csv, 600 rows, 4 features \(standardised\), 4 classes, MLP 4-8-4 relu/);
  for (const file of compareFiles(result)) {
    if (file.name === 'loss.svg' || file.name === 'reliability.svg') continue;
    for (const name of classes) assert.ok(file.content.includes(name), `${file.name} does not name ${name}`);
  }
  const single = runFiles(train({ data, epochs: 1, hidden: [8], loss: 'ce' }));
  for (const file of single.filter((f) => f.name !== 'loss.svg' && f.name !== 'reliability.svg')) {
    for (const name of classes) assert.ok(file.content.includes(name), `${file.name} does not name ${name}`);
  }
  // More than two features: the regions are drawn in the plane of the first two principal components, and the report says so.
  const report = single.find((f) => f.name === 'report.html')?.content ?? '';
  assert.match(report, /<figcaption>4 features: the plot shows the plane of the first two principal components/);
  assert.match(single.find((f) => f.name === 'regions.svg')?.content ?? '', />PC1<\/text>/);
});

test.run();
