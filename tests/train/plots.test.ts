// Tests for train/plots.ts: the curves of a history, the reliability diagram, the confusion heatmap, the decision regions past two features.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MLP } from '../../models/index.js';
import { rng } from '../../engine/index.js';
import {
  type Dataset,
  type EpochRecord,
  confusionSvg,
  expectedCalibrationError,
  lossCurvesSvg,
  recallCurvesSvg,
  regionsSvg,
  reliabilityBins,
  reliabilitySvg,
} from '../../train/index.js';
import { readAxes, throwsWith } from './helpers.js';

// Four epochs as the playground sees them (from epoch 1); the loss falls by a factor of 20.
const HISTORY: EpochRecord[] = [
  { epoch: 1, valLoss: null, trainLoss: 2, testLoss: 2.1, recall: [0.9, 0.2, 0] },
  { epoch: 2, valLoss: null, trainLoss: 0.5, testLoss: 0.6, recall: [0.95, 0.5, 0.1] },
  { epoch: 3, valLoss: null, trainLoss: 0.2, testLoss: 0.25, recall: [0.97, 0.7, 0.3] },
  { epoch: 4, valLoss: null, trainLoss: 0.1, testLoss: 0.15, recall: [0.98, 0.75, 0.4] },
];
const NAMES = ['common', 'uncommon', 'rare'];

test('lossCurvesSvg: train and test loss on a log axis, one point per epoch, whole-epoch ticks', () => {
  const svg = lossCurvesSvg(HISTORY, 'Loss', { width: 480, height: 300 });
  assert.ok(svg.startsWith('<svg ') && svg.includes('width="480" height="300"'));
  assert.ok(svg.includes('loss (log scale)'));
  const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(paths.map((d) => (d.match(/[ML]/g) ?? []).length), [4, 4], 'train and test, four epochs each');
  const axes = readAxes(svg);
  assert.equal(axes.x.map((t) => t.label), ['1', '2', '3', '4']);
  // 0.1 .. 2.1 is 1.3 decades: 1, 2, 5 × 10^k.
  assert.equal(axes.y.map((t) => t.label), ['0.1', '0.2', '0.5', '1', '2']);
});

test('recallCurvesSvg: one named curve per class on a [0, 1] axis, from the first record\'s epoch', () => {
  const withInitial: EpochRecord[] = [{ epoch: 0, valLoss: null, trainLoss: 2.2, testLoss: 2.2, recall: [0, 0, 1] }, ...HISTORY];
  const svg = recallCurvesSvg(withInitial, NAMES, 'Recall');
  for (const name of NAMES) assert.ok(svg.includes(`>${name}</text>`), `legend entry ${name}`);
  assert.is((svg.match(/<g class="series"/g) ?? []).length, 3);
  const axes = readAxes(svg);
  assert.equal(axes.x.map((t) => t.label), ['0', '1', '2', '3', '4']);
  assert.equal(axes.y[0], { at: axes.frame.bottom, label: '0.0' });
  assert.equal(axes.y[axes.y.length - 1], { at: axes.frame.top, label: '1.0' });
});

test('lossCurvesSvg and recallCurvesSvg refuse an empty history, skipped epochs and a wrong number of class names', () => {
  throwsWith(() => lossCurvesSvg([], 't'), ['lossCurvesSvg: history must hold at least one epoch, got none']);
  throwsWith(() => recallCurvesSvg([], NAMES, 't'), ['recallCurvesSvg: history must hold at least one epoch']);
  const gap = [HISTORY[0], HISTORY[2]];
  throwsWith(() => lossCurvesSvg(gap, 't'), ['lossCurvesSvg: epochs must be consecutive, got 3 after 1']);
  throwsWith(() => recallCurvesSvg(HISTORY, ['a', 'b'], 't'), ['recallCurvesSvg: needs one class name per class (3), got 2']);
});

test('reliabilityBins: counts, mean confidence and accuracy per bin, worked by hand; ECE is their weighted gap', () => {
  // Confidences 0.9 (right), 0.8 (wrong), 0.3 → top class 1 with 0.6 (right); two bins: (0, 0.5], (0.5, 1].
  const probs = [0.9, 0.1, 0.2, 0.8, 0.4, 0.6];
  const y = [0, 0, 1];
  const bins = reliabilityBins(probs, y, 2, 2);
  assert.equal(bins[0], { lower: 0, upper: 0.5, count: 0, confidence: 0, accuracy: 0 });
  assert.is(bins[1].count, 3);
  assert.ok(Math.abs(bins[1].confidence - (0.9 + 0.8 + 0.6) / 3) < 1e-15);
  assert.ok(Math.abs(bins[1].accuracy - 2 / 3) < 1e-15);
  assert.ok(Math.abs(expectedCalibrationError(probs, y, 2, 2) - Math.abs(2 / 3 - 2.3 / 3)) < 1e-15);
});

test('reliabilitySvg: a bar per non-empty bin at its accuracy, the diagonal, ECE of 15 bins in the title', () => {
  const probs = [0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.55, 0.45];
  const y = [0, 0, 1, 1];
  const svg = reliabilitySvg(probs, y, 2, 'Reliability');
  const ece = expectedCalibrationError(probs, y, 2);
  assert.ok(svg.includes(`Reliability (ECE ${ece.toFixed(3)})`));
  // 0.9 → bin 13, 0.8 → bin 11, 0.6 → bin 8, 0.55 → bin 8: three bars.
  assert.is((svg.match(/class="bar"/g) ?? []).length, 3);
  assert.ok(svg.includes('class="diagonal"'));
  // The frame runs from y = 40 down to 360 − 52 − 20 = 288 (margin, legend row); a bar of accuracy 1 spans it all.
  assert.match(svg, /<rect class="bar" x="[\d.]+" y="40" width="[\d.]+" height="248"/);
});

test('confusionSvg: a K × K heatmap shaded by the row share of the true class, labelled by class name', () => {
  const svg = confusionSvg([[8, 2], [1, 1]], ['cat', 'dog'], 'Confusion');
  assert.is((svg.match(/<rect x=/g) ?? []).length, 4);
  // Row shares 0.8, 0.2, 0.5, 0.5 → opacities 0.05 + 0.9 · share.
  for (const opacity of ['0.77', '0.23', '0.5']) assert.ok(svg.includes(`fill-opacity="${opacity}"`), opacity);
  assert.ok(svg.includes('>cat</text>') && svg.includes('>dog</text>') && svg.includes('>predicted</text>'));
});

test('regionsSvg: two features as they are; more in the plane of the first two principal components, said in a caption', () => {
  // Three features with variance mostly along (1, 1, 0)/√2, then along z: PC1 and PC2 span those.
  const random = rng(5);
  const n = 200;
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = 3 * random.normal();
    const b = 1 * random.normal();
    const noise = 0.01 * random.normal();
    x.set([a / Math.SQRT2 + noise, a / Math.SQRT2 - noise, b], i * 3);
  }
  const y = Int32Array.from({ length: n }, (_, i) => i % 2);
  const data: Dataset = { x, y, n, dim: 3, numClasses: 2, classNames: ['a', 'b'] };
  const model = new MLP([3, 2], { rng: rng(1) });
  const { svg, caption } = regionsSvg(model, { train: data, test: data }, 'regions');
  assert.match(caption ?? '', /^3 features: the plot shows the plane of the first two principal components/);
  assert.ok(svg.includes('>PC1</text>') && svg.includes('>PC2</text>'));
  // The projected points spread about 3 along PC1 and 1 along PC2: the x axis spans about 3 times the y axis.
  const ticks = (axis: RegExp): number[] => [...svg.matchAll(axis)].map((m) => Number(m[1]));
  const xTicks = ticks(/text-anchor="middle" stroke="none">(-?[\d.]+)<\/text>/g);
  assert.ok(Math.max(...xTicks) - Math.min(...xTicks) >= 10, `PC1 ticks ${xTicks}`);
  const two = regionsSvg(new MLP([2, 2], { rng: rng(1) }), { train: { ...data, x: x.filter((_, k) => k % 3 !== 2), dim: 2, featureNames: ['w', 'h'] }, test: { ...data, x: x.filter((_, k) => k % 3 !== 2), dim: 2 } }, 'r');
  assert.is(two.caption, null);
  assert.ok(two.svg.includes('>w</text>') && two.svg.includes('>h</text>'));
  const one = regionsSvg(new MLP([1, 2], { rng: rng(1) }), { train: { ...data, x: x.filter((_, k) => k % 3 === 0), dim: 1 }, test: { ...data, x: x.filter((_, k) => k % 3 === 0), dim: 1 } }, 'r');
  assert.match(one.caption ?? '', /One feature/);
});

test.run();
