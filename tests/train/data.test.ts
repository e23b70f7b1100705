// Tests for train/data.ts: exact class counts, stratified splits, determinism, blob centres, spiral arms, option errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { imbalancedBlobs, spirals, classCounts, blobCenters, checkDataset, splitDataset, standardize, type Dataset, type Split } from '../../train/data.js';
import { fromRows } from '../../train/rows.js';
import { throwsWith } from './helpers.js';

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function splitCounts(split: Split): { train: number[]; test: number[]; total: number[] } {
  const train = classCounts(split.train.y, 3);
  const testCounts = classCounts(split.test.y, 3);
  return { train, test: testCounts, total: train.map((c, k) => c + testCounts[k]) };
}

test('default blobs: 3000 samples split 85 : 12 : 3, then 30% of each class to test', () => {
  const split = imbalancedBlobs();
  const counts = splitCounts(split);
  assert.equal(counts.total, [3000 * 0.85, 3000 * 0.12, 3000 * 0.03]);
  // round(2550 · 0.3) = 765, round(360 · 0.3) = 108, round(90 · 0.3) = 27
  assert.equal(counts.test, [765, 108, 27]);
  assert.equal(counts.train, [2550 - 765, 360 - 108, 90 - 27]);
  assert.is(split.train.n, 1785 + 252 + 63);
  assert.is(split.test.n, 765 + 108 + 27);
  for (const data of [split.train, split.test]) {
    assert.is(data.dim, 2);
    assert.is(data.numClasses, 3);
    assert.is(data.x.length, data.n * 2);
    assert.is(data.y.length, data.n);
    assert.equal(data.classNames, ['class 0', 'class 1', 'class 2']);
  }
});

test('largest-remainder rounding makes the counts sum to n exactly', () => {
  // 101 · [0.85, 0.12, 0.03] = [85.85, 12.12, 3.03]: floors sum to 100, the one left over goes to
  // the largest fractional part (0.85, class 0).
  assert.equal(splitCounts(imbalancedBlobs({ n: 101 })).total, [86, 12, 3]);
  // 10 / 3 = 3.33 each: the leftover sample goes to the lowest class index on a tie.
  assert.equal(splitCounts(imbalancedBlobs({ n: 10, ratios: [1, 1, 1] })).total, [4, 3, 3]);
  // 1000 · [0.5, 0.3, 0.2] has no remainder at all.
  assert.equal(splitCounts(spirals({ n: 1000, ratios: [0.5, 0.3, 0.2] })).total, [500, 300, 200]);
});

test('ratios are divided by their sum: [85, 12, 3] is the same dataset as [0.85, 0.12, 0.03]', () => {
  const a = imbalancedBlobs({ ratios: [85, 12, 3], seed: 4 });
  const b = imbalancedBlobs({ ratios: [0.85, 0.12, 0.03], seed: 4 });
  assert.ok(sameBits(a.train.x, b.train.x) && sameBits(a.test.y, b.test.y));
});

test('the split is stratified: every class sends the same fraction to test', () => {
  for (const testFraction of [0.1, 0.25, 0.5, 0.8]) {
    const counts = splitCounts(imbalancedBlobs({ n: 2000, testFraction }));
    counts.total.forEach((total, c) => {
      // Each class rounds its own share, so it is within half a sample of the exact fraction.
      assert.ok(
        Math.abs(counts.test[c] - total * testFraction) <= 0.5,
        `class ${c}: ${counts.test[c]} of ${total} in test, expected ${total * testFraction}`,
      );
    });
  }
});

test('the rarest class is in both splits even when its share of the test set rounds to 0', () => {
  // 67 · [0.85, 0.12, 0.03] = [56.95, 8.04, 2.01] → [57, 8, 2]; 2 · 0.1 rounds to 0, kept at 1.
  const counts = splitCounts(imbalancedBlobs({ n: 67, testFraction: 0.1 }));
  assert.equal(counts.total, [57, 8, 2]);
  assert.is(counts.test[2], 1);
  assert.is(counts.train[2], 1);
  // And at the other end, 2 · 0.9 rounds to 2, kept at 1 so that train still has one.
  assert.is(splitCounts(imbalancedBlobs({ n: 67, testFraction: 0.9 })).train[2], 1);
});

test('same options give bit-identical data; a different seed gives different data', () => {
  for (const make of [imbalancedBlobs, spirals]) {
    const a = make({ seed: 7 });
    const b = make({ seed: 7 });
    const c = make({ seed: 8 });
    assert.ok(sameBits(a.train.x, b.train.x) && sameBits(a.train.y, b.train.y), `${make.name}: train differs`);
    assert.ok(sameBits(a.test.x, b.test.x) && sameBits(a.test.y, b.test.y), `${make.name}: test differs`);
    assert.not.ok(sameBits(a.train.x, c.train.x), `${make.name}: seeds 7 and 8 gave the same x`);
    assert.not.ok(sameBits(a.train.y, c.train.y), `${make.name}: seeds 7 and 8 gave the same row order`);
  }
});

test('rows are shuffled, not grouped by class', () => {
  const { train } = imbalancedBlobs();
  const sorted = train.y.every((label, i) => i === 0 || label >= train.y[i - 1]);
  assert.not.ok(sorted, 'train labels come out sorted by class');
});

function classMoments(data: Dataset[], c: number): { mean: [number, number]; std: [number, number] } {
  const sums = [0, 0];
  const squares = [0, 0];
  let count = 0;
  for (const d of data) {
    for (let i = 0; i < d.n; i++) {
      if (d.y[i] !== c) continue;
      count++;
      for (const axis of [0, 1]) {
        sums[axis] += d.x[2 * i + axis];
        squares[axis] += d.x[2 * i + axis] ** 2;
      }
    }
  }
  const mean: [number, number] = [sums[0] / count, sums[1] / count];
  const std: [number, number] = [Math.sqrt(squares[0] / count - mean[0] ** 2), Math.sqrt(squares[1] / count - mean[1] ** 2)];
  return { mean, std };
}

test('each blob is centred on its documented centre with standard deviation = spread', () => {
  const centres = [
    [0, 1.6],
    [-1.4, -0.8],
    [1.4, -0.8],
  ];
  const spread = 0.7;
  const { train, test: testSet } = imbalancedBlobs({ n: 30000, spread, seed: 3 });
  centres.forEach((centre, c) => {
    const { mean, std } = classMoments([train, testSet], c);
    // The rarest class has 900 points: the standard error of its mean is 0.7 / √900 ≈ 0.023.
    for (const axis of [0, 1]) {
      assert.ok(Math.abs(mean[axis] - centre[axis]) < 0.1, `class ${c} axis ${axis}: mean ${mean[axis]}, centre ${centre[axis]}`);
      assert.ok(Math.abs(std[axis] - spread) < 0.1 * spread, `class ${c} axis ${axis}: std ${std[axis]}, spread ${spread}`);
    }
  });
});

test('without noise every spiral point lies on its arm: angle = c·2π/3 + 1.25·2π·r, r in [0.1, 1]', () => {
  const { train } = spirals({ n: 600, noise: 0, ratios: [1, 1, 1] });
  for (let i = 0; i < train.n; i++) {
    const [px, py] = [train.x[2 * i], train.x[2 * i + 1]];
    const radius = Math.hypot(px, py);
    assert.ok(radius >= 0.1 - 1e-12 && radius <= 1 + 1e-12, `point ${i} at radius ${radius}`);
    const expectedAngle = (train.y[i] * 2 * Math.PI) / 3 + 1.25 * 2 * Math.PI * radius;
    const gap = Math.atan2(Math.sin(Math.atan2(py, px) - expectedAngle), Math.cos(Math.atan2(py, px) - expectedAngle));
    assert.ok(Math.abs(gap) < 1e-9, `point ${i} (class ${train.y[i]}) is ${gap} rad off its arm`);
  }
});

test('spiral noise spreads points off the arms by about its standard deviation', () => {
  const { train } = spirals({ noise: 0.2 });
  const outside = Array.from({ length: train.n }, (_, i) => Math.hypot(train.x[2 * i], train.x[2 * i + 1])).filter((r) => r > 1.1);
  assert.ok(outside.length > 0, 'noise 0.2 should push some points beyond radius 1.1');
});

test('classCounts counts labels and rejects labels out of range', () => {
  assert.equal(classCounts(Int32Array.from([0, 2, 2, 1, 2]), 3), [1, 1, 3]);
  assert.equal(classCounts(new Int32Array(0), 2), [0, 0]);
  throwsWith(() => classCounts(Int32Array.from([0, 3]), 3), ['classCounts', 'index 1', 'got 3']);
  throwsWith(() => classCounts([0, 1.5], 3), ['classCounts', '1.5']);
  throwsWith(() => classCounts([0], 0), ['classCounts', 'numClasses', 'got 0']);
});

test('every bad option is an Error naming the function, the value and what was expected', () => {
  const cases: [string, () => unknown, string[]][] = [
    ['n = 0', () => imbalancedBlobs({ n: 0 }), ['n must be a positive integer', 'got 0']],
    ['n = -5', () => imbalancedBlobs({ n: -5 }), ['n must be a positive integer', 'got -5']],
    ['n = 2.5', () => imbalancedBlobs({ n: 2.5 }), ['n must be a positive integer', 'got 2.5']],
    ['n = NaN', () => imbalancedBlobs({ n: NaN }), ['n must be a positive integer', 'got NaN']],
    ['one ratio', () => imbalancedBlobs({ ratios: [1] }), ['ratios must be at least 2 positive finite numbers, one per class', 'got [1]']],
    ['negative ratio', () => imbalancedBlobs({ ratios: [0.9, 0.2, -0.1] }), ['ratios', 'got [0.9, 0.2, -0.1]']],
    ['zero ratio', () => imbalancedBlobs({ ratios: [0.9, 0.1, 0] }), ['ratios', 'got [0.9, 0.1, 0]']],
    ['NaN ratio', () => imbalancedBlobs({ ratios: [1, NaN, 1] }), ['ratios', 'got [1, NaN, 1]']],
    ['infinite ratio', () => imbalancedBlobs({ ratios: [1, Infinity, 1] }), ['ratios', 'Infinity']],
    ['spread = 0', () => imbalancedBlobs({ spread: 0 }), ['spread must be a finite number > 0', 'got 0']],
    ['spread = -1', () => imbalancedBlobs({ spread: -1 }), ['spread', 'got -1']],
    ['spread = NaN', () => imbalancedBlobs({ spread: NaN }), ['spread', 'got NaN']],
    ['testFraction = 0', () => imbalancedBlobs({ testFraction: 0 }), ['testFraction must be a number in (0, 1)', 'got 0']],
    ['testFraction = 1', () => imbalancedBlobs({ testFraction: 1 }), ['testFraction', 'got 1']],
    ['testFraction = 1.5', () => imbalancedBlobs({ testFraction: 1.5 }), ['testFraction', 'got 1.5']],
    ['seed = 0.5', () => imbalancedBlobs({ seed: 0.5 }), ['seed must be an integer', 'got 0.5']],
    // Each ratio is finite, but their sum 3e308 is not, and every share n·r/sum would be NaN.
    ['ratios summing to Infinity', () => imbalancedBlobs({ ratios: [1e308, 1e308, 1e308] }), ['with a finite sum', 'got [1e+308, 1e+308, 1e+308]']],
    ['n = 1e12', () => imbalancedBlobs({ n: 1e12 }), ['n must be a positive integer of at most 134217728', 'got 1000000000000']],
    ['n a null-prototype object', () => imbalancedBlobs({ n: Object.create(null) }), ['n must be', 'got an object']],
    ['an unknown option', () => imbalancedBlobs({ classes: 4 } as never), ['unknown option "classes"']],
    // 40 · [0.85, 0.12, 0.03] = [34, 4.8, 1.2] → [34, 5, 1]: one sample cannot be in both splits.
    ['too few samples', () => imbalancedBlobs({ n: 40 }), ['n = 40', 'class 2 only 1 sample', 'at least 2']],
  ];
  for (const [name, run, fragments] of cases) throwsWith(run, ['imbalancedBlobs:', ...fragments], name);
});

test('spirals validates its options the same way, and noise must be >= 0', () => {
  throwsWith(() => spirals({ noise: -0.1 }), ['spirals:', 'noise must be a finite number >= 0', 'got -0.1']);
  throwsWith(() => spirals({ noise: NaN }), ['spirals:', 'noise', 'got NaN']);
  throwsWith(() => spirals({ n: 3 }), ['spirals:', 'n = 3', 'at least 2']);
  throwsWith(() => spirals({ testFraction: -0.2 }), ['spirals:', 'testFraction', 'got -0.2']);
  throwsWith(() => spirals({ ratios: [2] }), ['spirals:', 'ratios', 'got [2]']);
  assert.is(spirals({ noise: 0 }).train.n, 2100);
});

test('null options are the defaults, as undefined is', () => {
  // 3000 samples, 30% test: 2100 train rows either way
  assert.is(imbalancedBlobs(null).train.n, 2100);
  assert.is(spirals(null).train.n, 2100);
});

test('K classes: as many blobs as ratios, centres on a circle with neighbours 2.8 apart; three keep BLOB_CENTERS', () => {
  const split = imbalancedBlobs({ n: 2000, ratios: [0.6, 0.25, 0.1, 0.05], seed: 1 });
  assert.is(split.train.numClasses, 4);
  assert.equal(split.test.classNames, ['class 0', 'class 1', 'class 2', 'class 3']);
  const counts = classCounts(split.train.y, 4).map((c, k) => c + classCounts(split.test.y, 4)[k]);
  assert.equal(counts, [1200, 500, 200, 100]);
  for (const k of [2, 4, 7]) {
    const centres = blobCenters(k);
    assert.is(centres.length, k);
    // radius 1.4 / sin(π/K), first centre at the top
    const radius = 1.4 / Math.sin(Math.PI / k);
    assert.ok(Math.abs(centres[0][0]) < 1e-12 && Math.abs(centres[0][1] - radius) < 1e-12, `K = ${k}: first centre`);
    for (let c = 0; c < k; c++) {
      const next = centres[(c + 1) % k];
      assert.ok(Math.abs(Math.hypot(next[0] - centres[c][0], next[1] - centres[c][1]) - 2.8) < 1e-12, `K = ${k}: neighbours ${c}, ${c + 1}`);
    }
  }
  assert.equal(blobCenters(3), [[0, 1.6], [-1.4, -0.8], [1.4, -0.8]]);
  // Two spiral arms are π apart: without noise, a point of arm c at radius r has angle c·π + 1.25·2π·r.
  const arms = spirals({ n: 200, ratios: [1, 1], noise: 0 });
  for (let i = 0; i < arms.train.n; i++) {
    const [px, py] = [arms.train.x[2 * i], arms.train.x[2 * i + 1]];
    const r = Math.hypot(px, py);
    const expected = arms.train.y[i] * Math.PI + 1.25 * 2 * Math.PI * r;
    const diff = Math.atan2(py, px) - expected;
    assert.ok(Math.abs(Math.atan2(Math.sin(diff), Math.cos(diff))) < 1e-9, `row ${i}`);
  }
});

test('splitDataset: stratified counts per class, every row in exactly one split, seeded; a class of 1 is an Error', () => {
  const n = 50;
  const y = Int32Array.from({ length: n }, (_, i) => (i < 30 ? 0 : i < 45 ? 1 : 2));
  const data: Dataset = { x: Float64Array.from({ length: n }, (_, i) => i), y, n, dim: 1, numClasses: 3, classNames: ['p', 'q', 'r'] };
  const split = splitDataset(data, { testFraction: 0.2, seed: 3 });
  // round(30 · 0.2) = 6, round(15 · 0.2) = 3, round(5 · 0.2) = 1
  assert.equal(classCounts(split.test.y, 3), [6, 3, 1]);
  assert.equal(classCounts(split.train.y, 3), [24, 12, 4]);
  const rows = [...split.train.x, ...split.test.x].sort((a, b) => a - b);
  assert.equal(rows, Array.from({ length: n }, (_, i) => i));
  // Each row keeps its label: row i's label is y[i].
  for (const set of [split.train, split.test]) set.x.forEach((row, k) => assert.is(set.y[k], y[row], `row ${row}`));
  assert.equal(splitDataset(data, { testFraction: 0.2, seed: 3 }), split);
  assert.not.equal(Array.from(splitDataset(data, { testFraction: 0.2, seed: 4 }).test.x), Array.from(split.test.x));
  const lonely: Dataset = { ...data, y: Int32Array.from(y, (c, i) => (i === n - 1 ? 2 : c === 2 ? 1 : c)) };
  throwsWith(() => splitDataset(lonely), ['splitDataset: class "r" has 1 sample; a stratified split needs at least 2 per class']);
  throwsWith(() => splitDataset(data, { testFraction: 1 }), ['splitDataset: testFraction must be a number in (0, 1), got 1']);
  throwsWith(() => splitDataset(data, { seed: 1.5 }), ['splitDataset: seed must be an integer, got 1.5']);
  throwsWith(() => splitDataset(data, { test_size: 0.2 } as never), ['splitDataset: unknown option "test_size"', '"testFraction", "seed"']);
});

test('standardize: the training split\'s mean and population std, applied to both splits', () => {
  const make = (values: number[]): Dataset => ({
    x: Float64Array.from(values),
    y: new Int32Array(values.length / 2),
    n: values.length / 2,
    dim: 2,
    numClasses: 1,
    classNames: ['a'],
  });
  // Training columns [1, 3] and [5, 5]: means 2 and 5, stds 1 and 0 (kept at 1).
  const { split, stats } = standardize({ train: make([1, 5, 3, 5]), test: make([4, 7]) });
  assert.equal(stats, { mean: [2, 5], std: [1, 1] });
  assert.equal(Array.from(split.train.x), [-1, 0, 1, 0]);
  assert.equal(Array.from(split.test.x), [2, 2]);
});

// A split of one feature column (train values, test values), for standardize.
function oneColumn(trainValues: number[], testValues: number[]): Split {
  const make = (values: number[]): Dataset => ({
    x: Float64Array.from(values), y: new Int32Array(values.length), n: values.length, dim: 1, numClasses: 2, classNames: ['a', 'b'],
  });
  return { train: make(trainValues), test: make(testValues) };
}

test('standardize: a column of ±1e160 (whose squares overflow) and one of ±1e-200 (whose squares underflow) keep a finite std', () => {
  // Population std of [−a, a, −a, a] is a; of [0, 2a] it is a around the mean a.
  const big = standardize(oneColumn([-1e160, 1e160, -1e160, 1e160], [2e160]));
  assert.equal(big.stats, { mean: [0], std: [1e160] });
  assert.equal(Array.from(big.split.train.x), [-1, 1, -1, 1]);
  assert.equal(Array.from(big.split.test.x), [2]);
  const tiny = standardize(oneColumn([0, 2e-200], [4e-200]));
  assert.equal(tiny.stats, { mean: [1e-200], std: [1e-200] });
  assert.equal(Array.from(tiny.split.train.x), [-1, 1]);
  assert.equal(Array.from(tiny.split.test.x), [3]);
  // The largest doubles: the plain sum 1.7e308 + 1.7e308 would be Infinity.
  const edge = standardize(oneColumn([1.7e308, 1.7e308, -1.7e308, -1.7e308], [0]));
  assert.equal(edge.stats, { mean: [0], std: [1.7e308] });
  assert.equal(Array.from(edge.split.train.x), [1, 1, -1, -1]);
});

test('standardize: for ordinary columns the scaling changes no bit of the plain formula', () => {
  const values = [0.1, 2.7, -3.3, 1e3 / 7, 42, 0.5];
  const { stats, split } = standardize(oneColumn(values, [1 / 3]));
  // The plain formula, written out: mean, then the mean of squared deviations.
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / values.length);
  assert.ok(Object.is(stats.mean[0], mean) && Object.is(stats.std[0], std), `${stats.mean[0]} ${stats.std[0]} vs ${mean} ${std}`);
  assert.ok(sameBits(split.train.x, values.map((v) => (v - mean) / std)), 'train bits');
  assert.ok(sameBits(split.test.x, [(1 / 3 - mean) / std]), 'test bits');
});

test('ratios with a hole ([ , 4]) are an Error, not a class of 0 samples', () => {
  // eslint-disable-next-line no-sparse-arrays
  throwsWith(() => imbalancedBlobs({ ratios: [, 4] as number[] }), ['imbalancedBlobs: ratios must be at least 2 positive finite numbers']);
  // eslint-disable-next-line no-sparse-arrays
  throwsWith(() => spirals({ ratios: [1, , 4] as number[] }), ['spirals: ratios must be at least 2 positive finite numbers']);
});

test('checkDataset (splitDataset, train): a hand-built Dataset must be what fromRows makes, or an Error before any training', () => {
  const good = fromRows([[1], [2], [3], [4]], ['a', 'b', 'a', 'b']);
  assert.is(checkDataset('f', good), good);
  throwsWith(() => splitDataset({ ...good, classNames: [1, 2] as unknown as string[] }), ['splitDataset: classNames[0] must be a non-empty string, got 1']);
  throwsWith(() => splitDataset({ ...good, numClasses: 1, classNames: ['a'], y: new Int32Array(4) }), ['splitDataset: a Dataset needs at least 2 classes to learn from, got numClasses 1']);
  throwsWith(() => splitDataset({ ...good, classNames: ['a', 'a'] }), ['splitDataset: classNames must be distinct; "a" names classes 0 and 1']);
  throwsWith(() => splitDataset({ ...good, x: Float64Array.of(1, NaN, 3, 4) }), ['splitDataset: x[1] (row 1) must be finite, got NaN']);
  throwsWith(() => splitDataset({ ...good, y: Int32Array.of(0, 1, 2, 0) }), ['splitDataset: y[2] must be a class index in [0, 2), got 2']);
  throwsWith(() => splitDataset({ ...good, n: 3 }), ['splitDataset: data must be a Dataset']);
  throwsWith(() => splitDataset(null as never), ['splitDataset: data must be a Dataset', 'got null']);
  throwsWith(() => splitDataset({ ...good, featureNames: ['a', 'b'] }), ['splitDataset: featureNames must hold one string per feature (1)']);
});

test.run();
