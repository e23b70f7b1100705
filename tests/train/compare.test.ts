// Tests for train/compare.ts, train/grid.ts and train/files.ts: the grid's syntax and product, the comparison's pairing, its paired intervals and selection, the files a run leaves, K classes by name.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type CompareOptions,
  type RunMetrics,
  type TrainConfig,
  aggregate,
  compare,
  compareFiles,
  compareJson,
  compareSteps,
  compareSummary,
  compareVariants,
  correctedInterval,
  expandGrid,
  formatInterval,
  formatMeanStd,
  parseGrid,
  planComparison,
  readCsv,
  runFiles,
  runSummary,
  runTask,
  summarizeComparison,
  train,
} from '../../train/index.js';
import { throwsWith } from './helpers.js';

const tiny: Partial<TrainConfig> = { n: 400, hidden: [8], lr: 0.02, epochs: 4, batch: 32, seed: 7 };

test('aggregate: mean and sample standard deviation (K − 1), worked by hand; one value prints no spread', () => {
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
  assert.is(formatMeanStd(aggregate([0.25])), '0.250');
  assert.is(formatInterval(correctedInterval([0.02, 0.01, 0.03, -0.005, 0.015], 0.25 / 0.55)), '+0.014 [−0.015, +0.043]');
  assert.is(formatInterval(correctedInterval([-0.02], 0.5)), '−0.020');
});

test('parseGrid / expandGrid: hydra-style text, the product in key order, fields a loss does not read dropped, duplicates removed', () => {
  assert.equal(parseGrid('loss=ce,focal gamma=0.5,1 alpha=none,effective,1:2:8'), {
    loss: ['ce', 'focal'],
    gamma: [0.5, 1],
    alpha: [null, 'effective', [1, 2, 8]],
  });
  assert.equal(parseGrid('hidden=none,32-32 patience=none,5 lr=1e-3'), { hidden: [[], [32, 32]], patience: [null, 5], lr: [0.001] });
  // γ means nothing to cross-entropy: ce × {0.5, 1} is one variant.
  const variants = expandGrid(parseGrid('loss=ce,focal gamma=0.5,1'));
  assert.equal(variants.map((v) => v.name), ['cross-entropy', 'focal γ=0.5', 'focal γ=1']);
  assert.equal(variants[0].config, { loss: 'ce' });
  // The default: the 2 × 2, cross-entropy first, α inner.
  assert.equal(compareVariants().map((v) => v.name), ['cross-entropy', 'cross-entropy, α effective', 'focal γ=2', 'focal γ=2, α effective']);
  assert.equal(compareVariants('loss=focal hidden=none,16', { gamma: 1 }).map((v) => v.name), ['focal γ=1, hidden none', 'focal γ=1, hidden 16']);
  throwsWith(() => parseGrid('loss ce'), ['grid: expected key=v1,v2,...', "got 'loss'"]);
  throwsWith(() => parseGrid('data=blobs'), ['grid', 'loss, gamma, alpha']);
  throwsWith(() => parseGrid('gamma=two'), ["grid: gamma expects numbers, got 'two'"]);
  throwsWith(() => parseGrid('lr=0.1 lr=0.2'), ['grid: lr is given twice']);
  throwsWith(() => expandGrid({ loss: [] }), ['compare: grid.loss must be a non-empty list']);
});

test('compare: the 2 × 2 over K seeds, paired (same data and split per seed), summaries and paired differences from the runs', () => {
  const result = compare({ ...tiny, seeds: 3 });
  assert.equal(result.seeds, [7, 8, 9]);
  assert.is(result.runs.length, 12);
  assert.is(result.baseline, 'cross-entropy');
  // Split-major: the first split's four runs come first and are kept whole.
  assert.equal(result.runs.map((r) => r.split), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.is(result.firstSeed.length, 4);
  for (const r of result.firstSeed) {
    assert.equal(Array.from(r.split.test.x), Array.from(result.firstSeed[0].split.test.x));
    assert.equal(Array.from(r.split.val?.x ?? []), Array.from(result.firstSeed[0].split.val?.x ?? []));
  }
  // A run in the comparison is exactly the single run of its configuration.
  const single = train({ ...tiny, loss: 'focal', alpha: 'effective', seed: 8 });
  assert.equal(result.runs[7].history, single.history);
  assert.equal(result.runs[7].metrics, single.final);

  const pick = (m: RunMetrics): number => m.balancedAccuracy;
  const of = (variant: string): RunMetrics[] => result.runs.filter((r) => r.variant === variant).map((r) => r.metrics);
  result.summary.forEach((s) => assert.equal(s.metrics.balancedAccuracy, aggregate(of(s.variant).map(pick))));
  // Each difference is taken split by split (paired), with the interval of the test/train ratio of the split.
  const ratio = result.sizes.test / (result.sizes.train + result.sizes.val);
  const focal = result.differences.find((d) => d.variant === 'focal γ=2, α effective');
  const diffs = of('focal γ=2, α effective').map((m, j) => pick(m) - pick(of('cross-entropy')[j]));
  assert.equal(focal?.metrics.balancedAccuracy, correctedInterval(diffs, ratio));
  assert.equal(result.differences.map((d) => d.variant), ['cross-entropy, α effective', 'focal γ=2', 'focal γ=2, α effective']);
  // The support behind each class, and the flag of a metric resting on fewer than 10 test rows.
  assert.equal(Object.keys(result.support), ['class 0', 'class 1', 'class 2']);
  assert.ok(result.support['class 2'] < 10);
  const labels = result.table.rows.map((r) => r[0]);
  assert.ok(labels.includes(`recall class 2 (${result.support['class 2']} test rows)*`), labels.join(' | '));
  assert.ok(labels.includes('recall class 0'));
  assert.equal(result.differenceTable.headers.slice(1), result.differences.map((d) => `${d.variant} − cross-entropy`));
  throwsWith(() => compare({ ...tiny, seeds: 0 }), ['seeds', '0']);
  throwsWith(() => compare({ ...tiny, seeds: 2, folds: 3 }), ['compare: give seeds or folds, not both']);
  throwsWith(() => compare({ ...tiny, select: 'testAccuracy' as never }), ['compare: select must be one of']);
  throwsWith(() => compare({ ...tiny, grid: 'loss=focal gamma=-1' }), ['gamma']);
  // A base γ goes to the variants that read it: cross-entropy's runs leave it out.
  const plan = planComparison({ ...tiny, gamma: 1, seeds: 1 });
  assert.equal(plan.tasks.map((t) => t.config.gamma), [undefined, undefined, 1, 1]);
  assert.equal(plan.variants.map((v) => v.name).slice(2), ['focal γ=1', 'focal γ=1, α effective']);
});

test('compare: the variant is selected on the validation metric; the test split is never read to choose', () => {
  const plan = planComparison({ ...tiny, seeds: 2, grid: 'loss=ce,focal alpha=none,inverse' });
  const results = plan.tasks.map((task) => runTask(task));
  const result = summarizeComparison(plan, results);
  const valMean = (variant: string): number => aggregate(result.runs.filter((r) => r.variant === variant).map((r) => r.valMetrics?.balancedAccuracy as number)).mean;
  const best = plan.variants.map((v) => v.name).reduce((b, v) => (valMean(v) > valMean(b) ? v : b));
  assert.is(result.selected?.variant, best);
  assert.is(result.selected?.valMean, valMean(best));
  assert.is(result.selected?.test.mean, result.summary.find((s) => s.variant === best)?.metrics.balancedAccuracy.mean);
  // Negative control: rewriting every test metric leaves the choice alone (it reads validation only) ...
  const scrambled = results.map((r, k) => ({ ...r, run: { ...r.run, metrics: { ...r.run.metrics, balancedAccuracy: (k * 0.37) % 1 } } }));
  assert.is(summarizeComparison(plan, scrambled).selected?.variant, best);
  // ... while rewriting the validation metric moves it.
  const favoured = plan.variants.find((v) => v.name !== best)?.name;
  const tilted = results.map((r) => ({ ...r, run: { ...r.run, valMetrics: { ...(r.run.valMetrics as RunMetrics), balancedAccuracy: r.run.variant === favoured ? 1 : 0 } } }));
  assert.is(summarizeComparison(plan, tilted).selected?.variant, favoured);
  // select: a loss-like metric is minimised.
  const byNll = summarizeComparison({ ...plan, select: 'nll' }, results).selected;
  const nllMean = (variant: string): number => aggregate(result.runs.filter((r) => r.variant === variant).map((r) => r.valMetrics?.nll as number)).mean;
  assert.is(byNll?.variant, plan.variants.map((v) => v.name).reduce((b, v) => (nllMean(v) < nllMean(b) ? v : b)));
  // No validation part: nothing is selected.
  assert.is(compare({ ...tiny, seeds: 1, valFraction: 0, grid: 'loss=ce' }).selected, null);
});

test('compare with folds: K runs per variant, each row of the data tested once over the folds; one seed has no interval', () => {
  const text = readFileSync(new URL('../../docs/examples/machines.csv', import.meta.url), 'utf8');
  const data = readCsv(text, { label: 'state', name: 'machines.csv' });
  const options: CompareOptions = { data, folds: 3, epochs: 2, hidden: [4], grid: 'loss=ce,focal' };
  const result = compare(options);
  assert.is(result.kind, 'folds');
  assert.equal(result.runs.map((r) => r.fold), [0, 0, 1, 1, 2, 2]);
  const tested = result.runs.filter((r) => r.variant === 'cross-entropy').reduce((s, r) => s + r.metrics.perClass.reduce((t, c) => t + c.support, 0), 0);
  assert.is(tested, data.n);
  // K-fold's ratio: nTest / (nTrain + nVal) ≈ 1 / (K − 1).
  assert.ok(Math.abs(result.sizes.test / (result.sizes.train + result.sizes.val) - 0.5) < 0.02);
  throwsWith(() => compare({ ...options, fold: 1 }), ['compare: fold is chosen by the comparison']);
  const one = compare({ ...tiny, epochs: 1, seeds: 1 });
  assert.ok(one.differences.every((d) => Object.values(d.metrics).every((i) => i.lower === null)));
  assert.not.match(compareSummary(one), /±/);
});

test('compareSteps: yields once per epoch of each run and returns what compare() returns; any order of tasks, the same JSON', () => {
  const options = { ...tiny, epochs: 2, seeds: 2 };
  const steps = compareSteps(options);
  let yields = 0;
  let next = steps.next();
  for (; !next.done; next = steps.next()) yields++;
  assert.is(yields, 2 * 4 * 2); // seeds × variants × epochs
  assert.equal(compareJson(next.value), compareJson(compare(options)));
  // The tasks run backwards (as a pool might finish them) and summarised in task order give the same file.
  const plan = planComparison(options);
  const backwards = plan.tasks.slice().reverse().map((task) => runTask(task)).reverse();
  assert.equal(JSON.stringify(compareJson(summarizeComparison(plan, backwards))), JSON.stringify(compareJson(next.value)));
});

test('runFiles and compareFiles: the documented files, one per-class shape keyed by class name, no timestamps, same seed same text', () => {
  const result = train(tiny);
  const files = runFiles(result);
  assert.equal(files.map((f) => f.name), ['metrics.json', 'loss.svg', 'recall.svg', 'regions.svg', 'reliability.svg', 'confusion.svg', 'report.html']);
  const metrics = JSON.parse(files[0].content) as Record<string, unknown>;
  for (const key of ['loss', 'macroF1', 'balancedAccuracy', 'accuracy', 'ece', 'perClass', 'confusion', 'history', 'stopped']) {
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

  const compared = compare({ ...tiny, epochs: 1, seeds: 2 });
  const names = compareFiles(compared).map((f) => f.name);
  assert.equal(names.sort(), ['compare.json', 'confusion.svg', 'loss.svg', 'metrics.json', 'recall.svg', 'regions.svg', 'reliability.svg', 'report.html']);
  const json = compareJson(compared) as {
    runs: { metrics: { perClass: unknown } }[];
    summary: unknown[];
    base: Record<string, unknown>;
    differences: unknown[];
    selected: unknown;
    splits: { testSupport: Record<string, number> };
  };
  assert.is(json.runs.length, 8);
  assert.is(json.summary.length, 4);
  assert.is(json.differences.length, 3);
  assert.ok(json.selected !== null);
  assert.equal(json.splits.testSupport, compared.support);
  assert.not.ok('loss' in json.base);
  // compare.json's per-class numbers have metrics.json's shape.
  assert.equal(Object.keys(json.runs[0].metrics.perClass as object), ['class 0', 'class 1', 'class 2']);
  assert.equal(Object.keys((json.runs[0].metrics.perClass as Record<string, object>)['class 0']).sort(), ['f1', 'precision', 'recall', 'support']);
  const table = compareSummary(compared);
  assert.match(table, /paired/);
  assert.match(table, /^selected on validation balanced accuracy: /m);
});

test('a four-class CSV with string labels: a recall row per class by name, and every file names all four', () => {
  const text = readFileSync(new URL('../../docs/examples/machines.csv', import.meta.url), 'utf8');
  const data = readCsv(text, { label: 'state', name: 'machines.csv' });
  const classes = ['failing', 'misaligned', 'normal', 'worn'];
  assert.equal(data.classNames, classes);
  const result = compare({ data, epochs: 1, hidden: [8], seeds: 1 });
  assert.equal(
    result.table.rows.map((r) => r[0]).filter((label) => label.startsWith('recall')).map((label) => label.split(' (')[0]),
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
  const report = single.find((f) => f.name === 'report.html')?.content ?? '';
  assert.match(report, /<figcaption>4 features: the plot shows the plane of the first two principal components/);
  assert.match(single.find((f) => f.name === 'regions.svg')?.content ?? '', />PC1<\/text>/);
});

test.run();
