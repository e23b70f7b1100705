// Tests for train/needles.ts: class counts at 1 : 100, determinism by seed, rare rows kept in test, the clusters, rings and easy mass, option errors, the registry's defaults.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classCounts, type Dataset } from '../../train/data.js';
import { NEEDLES_DEFAULTS, clusterCenters, needles } from '../../train/needles.js';
import { DATASETS, prepareRun } from '../../train/index.js';
import { throwsWith } from './helpers.js';

// Each row's distance to the nearest cluster centre, and that centre's index.
function nearest(data: Dataset, centers: readonly (readonly [number, number])[]): { distance: number; index: number }[] {
  return Array.from({ length: data.n }, (_, i) => {
    const distances = centers.map(([cx, cy]) => Math.hypot(data.x[2 * i] - cx, data.x[2 * i + 1] - cy));
    const distance = Math.min(...distances);
    return { distance, index: distances.indexOf(distance) };
  });
}

test('default: 20,000 background and 200 needle points (1 : 100), 30% of each class to test', () => {
  const { train, test: testSet } = needles();
  // 20,200 · 100/101 = 20,000 and 20,200 · 1/101 = 200 exactly; round(0.3 · 20,000) = 6,000, round(0.3 · 200) = 60.
  assert.equal(classCounts(train.y, 2), [14_000, 140]);
  assert.equal(classCounts(testSet.y, 2), [6_000, 60]);
  for (const data of [train, testSet]) {
    assert.is(data.dim, 2);
    assert.is(data.numClasses, 2);
    assert.equal(data.classNames, ['background', 'needle']);
    assert.ok(data.x.every(Number.isFinite));
  }
  assert.equal(NEEDLES_DEFAULTS.ratios, [100, 1]);
  // More needle classes: the background first, then "needle 1", "needle 2", ...
  const three = needles({ n: 2040, ratios: [100, 1, 1] });
  assert.equal(classCounts(three.train.y, 3).map((c, k) => c + classCounts(three.test.y, 3)[k]), [2000, 20, 20]);
  assert.equal(three.train.classNames, ['background', 'needle 1', 'needle 2']);
});

test('the same seed gives the same bits; another seed other points', () => {
  const a = needles({ seed: 7 });
  const b = needles({ seed: 7 });
  assert.equal(Array.from(a.train.x), Array.from(b.train.x));
  assert.equal(Array.from(a.test.y), Array.from(b.test.y));
  const c = needles({ seed: 8 });
  assert.not.equal(Array.from(c.train.x.subarray(0, 20)), Array.from(a.train.x.subarray(0, 20)));
});

test('the stratified split keeps rare rows in test, even at 1 : 1000 with 3 needle points', () => {
  // 3,003 · 1/1001 = 3 needle points: round(0.3 · 3) = 1 goes to test, 2 to train.
  const split = needles({ n: 3003, ratios: [1000, 1] });
  assert.equal(classCounts(split.test.y, 2), [900, 1]);
  assert.equal(classCounts(split.train.y, 2), [2100, 2]);
  // Rows come out shuffled: the needles are not all at the end of the training split.
  const { train } = needles();
  const firstNeedle = train.y.indexOf(1);
  assert.ok(firstNeedle >= 0 && firstNeedle < train.n - 140, `first needle row ${firstNeedle}`);
});

test('cluster centres: 3 per needle class on one circle, neighbours 2.6 apart, the classes interleaved', () => {
  const one = clusterCenters(1);
  assert.is(one.length, 3);
  // Three points 2.6 apart on a circle: radius 2.6 / (2 sin 60°) = 2.6 / √3.
  for (const [x, y] of one) assert.ok(Math.abs(Math.hypot(x, y) - 2.6 / Math.sqrt(3)) < 1e-12);
  assert.ok(Math.abs(one[0][0]) < 1e-12 && one[0][1] > 0, 'the first at the top');
  const six = clusterCenters(2);
  for (let k = 0; k < 6; k++) {
    const [ax, ay] = six[k];
    const [bx, by] = six[(k + 1) % 6];
    assert.ok(Math.abs(Math.hypot(ax - bx, ay - by) - 2.6) < 1e-12, `neighbours ${k}, ${k + 1}`);
  }
  // Needle class c's points lie around the clusters k with k mod 2 = c − 1.
  const { train } = needles({ n: 10_200, ratios: [100, 1, 1] });
  nearest(train, six).forEach(({ index }, i) => {
    if (train.y[i] > 0) assert.is(index % 2, train.y[i] - 1, `row ${i} of class ${train.y[i]} nearest cluster ${index}`);
  });
});

test('needles are tight, the hard background is a ring around them, the easy background stays clear of them', () => {
  const centers = clusterCenters(1);
  const { train } = needles({ seed: 3 });
  const rows = nearest(train, centers);
  const needle = rows.filter((_, i) => train.y[i] === 1).map((r) => r.distance);
  const background = rows.filter((_, i) => train.y[i] === 0).map((r) => r.distance);
  // A 2-D Gaussian of σ 0.2: its distance to the centre is Rayleigh, mean 0.2 · √(π/2) ≈ 0.251; 140 points, sd of the mean ≈ 0.011.
  const meanNeedle = needle.reduce((s, d) => s + d, 0) / needle.length;
  assert.ok(Math.abs(meanNeedle - 0.2 * Math.sqrt(Math.PI / 2)) < 0.05, `mean needle distance ${meanNeedle}`);
  // Within 1 of a centre lies only the hard ring (radius 0.5 ± 0.1): 5% of 14,000 = 700, binomial sd √(700 · 0.95) ≈ 26.
  const near = background.filter((d) => d < 1);
  assert.ok(Math.abs(near.length - 700) < 4 * 26, `${near.length} hard negatives, expected about 700`);
  const meanRing = near.reduce((s, d) => s + d, 0) / near.length;
  assert.ok(Math.abs(meanRing - 0.5) < 0.02, `mean ring radius ${meanRing}`);
  // The rest, the easy mass, is spread over the plane: a broad Gaussian of σ 1.5 reaches well past the clusters.
  assert.ok(Math.max(...background) > 3);
  // hardFraction 0: nothing within 1 of a centre; 1: everything within 1.
  const easy = needles({ n: 3030, hardFraction: 0 }).train;
  assert.ok(nearest(easy, centers).every((r, i) => easy.y[i] === 1 || r.distance >= 1));
  const hard = needles({ n: 3030, hardFraction: 1 }).train;
  assert.ok(nearest(hard, centers).every((r) => r.distance < 1));
});

test('bad options are Errors naming needles and the option', () => {
  const cases: [string, () => unknown, string[]][] = [
    ['hardFraction = -0.1', () => needles({ hardFraction: -0.1 }), ['hardFraction must be a number in [0, 1]', 'got -0.1']],
    ['hardFraction = 1.5', () => needles({ hardFraction: 1.5 }), ['hardFraction', 'got 1.5']],
    ['hardFraction = NaN', () => needles({ hardFraction: NaN }), ['hardFraction', 'got NaN']],
    ['one ratio', () => needles({ ratios: [1] }), ['ratios must be at least 2 positive finite numbers']],
    // 100 · 1/101 = 0.99: floored to 0, then the one sample left over goes to its remainder, the largest.
    ['too few needles', () => needles({ n: 100 }), ['n = 100', 'class 1 only 1 sample(s)']],
    ['testFraction = 1', () => needles({ testFraction: 1 }), ['testFraction must be a number in (0, 1)']],
    ['an unknown option', () => needles({ spread: 1 } as never), ['unknown option "spread"']],
  ];
  for (const [name, run, fragments] of cases) throwsWith(run, ['needles:', ...fragments], name);
});

test('the registry: data "needles" brings its own n and ratios unless the config gives them', () => {
  assert.equal(DATASETS.needles.defaults, { n: 20_200, ratios: [100, 1] });
  const run = prepareRun({ data: 'needles', epochs: 1 });
  assert.is(run.config.n, 20_200);
  assert.equal(run.config.ratios, [100, 1]);
  // the test part is testFraction (0.2) of each class: 20,000 · 0.2 and 200 · 0.2
  assert.equal(classCounts(run.split.test.y, 2), [20_000 * 0.2, 200 * 0.2]);
  const given = prepareRun({ data: 'needles', n: 3030, ratios: [200, 1], epochs: 1 });
  assert.is(given.config.n, 3030);
  const parts = [given.split.train, given.split.val!, given.split.test];
  assert.equal([0, 1].map((k) => parts.reduce((sum, part) => sum + classCounts(part.y, 2)[k], 0)), [3015, 15]);
  // The other datasets keep defaultConfig's.
  assert.is(prepareRun({ data: 'blobs', epochs: 1 }).config.n, 5000);
});

test.run();
