// Tests for train/plots.ts: the curves of a history, the reliability diagram, the confusion heatmap, the decision regions past two features.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MLP } from '../../models/index.js';
import { rng } from '../../engine/index.js';
import {
  type Dataset,
  type EpochRecord,
  PALETTE,
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

test('recallCurvesSvg: one named curve per class on a [0, 1] axis with room beyond, from the first record\'s epoch', () => {
  const withInitial: EpochRecord[] = [{ epoch: 0, valLoss: null, trainLoss: 2.2, testLoss: 2.2, recall: [0, 0, 1] }, ...HISTORY];
  const svg = recallCurvesSvg(withInitial, NAMES, 'Recall');
  for (const name of NAMES) assert.ok(svg.includes(`>${name}</text>`), `legend entry ${name}`);
  assert.is((svg.match(/<g class="series"/g) ?? []).length, 3);
  const axes = readAxes(svg);
  assert.equal(axes.x.map((t) => t.label), ['0', '1', '2', '3', '4']);
  // The axis runs from −0.04 to 1.04: ticks 0 and 1 sit 0.04 / 1.08 of the frame's height inside it.
  const inset = ((axes.frame.bottom - axes.frame.top) * 0.04) / 1.08;
  assert.equal([axes.y[0].label, axes.y[axes.y.length - 1].label], ['0.0', '1.0']);
  assert.ok(Math.abs(axes.y[0].at - (axes.frame.bottom - inset)) < 0.01, `tick 0 at ${axes.y[0].at}`);
  assert.ok(Math.abs(axes.y[axes.y.length - 1].at - (axes.frame.top + inset)) < 0.01);
  // So curves at recall exactly 0 and 1 (class 2 starts at 1, classes 0 and 1 at 0) run clear of the frame, not on it.
  const ys = [...svg.matchAll(/<path d="([^"]*)"/g)].flatMap((m) => [...m[1].matchAll(/[ML][\d.]+[ ,]([\d.]+)/g)].map((p) => Number(p[1])));
  assert.ok(ys.length > 0 && ys.every((y) => y >= axes.frame.top + 5 && y <= axes.frame.bottom - 5), `curve y from ${Math.min(...ys)} to ${Math.max(...ys)}`);
  assert.ok(ys.some((y) => Math.abs(y - (axes.frame.top + inset)) < 0.01) && ys.some((y) => Math.abs(y - (axes.frame.bottom - inset)) < 0.01));
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

test('reliabilitySvg: an under-confident bin\'s bar reaches its accuracy, its gap striped over it; each bar says how many samples it holds', () => {
  // One sample at confidence 0.55, right (accuracy 1 > confidence 0.55: under-confident), and 268 at 0.72, 200 of them right.
  const probs: number[] = [0.55, 0.45];
  const y: number[] = [0];
  for (let i = 0; i < 268; i++) {
    probs.push(0.72, 0.28);
    y.push(i < 200 ? 0 : 1);
  }
  const svg = reliabilitySvg(probs, y, 2, 'Reliability');
  // The frame spans y = 40 (accuracy 1) to 288 (accuracy 0): 248 px. The 0.55 bin's bar runs to accuracy 1,
  // the top of the frame; its gap runs from there down to confidence 0.55, at 288 − 0.55 · 248 = 151.6.
  assert.match(svg, /<rect class="bar" x="[\d.]+" y="40" width="[\d.]+" height="248"[^>]*><title>1 samples, accuracy 1.000, confidence 0.550/);
  const gaps = [...svg.matchAll(/<line class="gap" x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)" stroke="[^"]+" stroke-width="[\d.]+" stroke-dasharray="([^"]+)"/g)];
  assert.is(gaps.length, 2);
  assert.equal([Number(gaps[0][1]), Number(gaps[0][2])], [40, 151.6]);
  // Striped, not filled: between the stripes the bar shows through up to its accuracy. Nothing else covers the bars.
  assert.is(gaps[0][3], '3 3');
  assert.not.match(svg, /class="gap"[^>]*fill=/);
  // The second bin: accuracy 200/268, confidence 0.72; the gap from 288 − 248 · 200/268 to 288 − 248 · 0.72.
  assert.ok(Math.abs(Number(gaps[1][1]) - (288 - (248 * 200) / 268)) < 0.01 && Math.abs(Number(gaps[1][2]) - (288 - 248 * 0.72)) < 0.01);
  // Each bar is labelled with its count.
  const counts = [...svg.matchAll(/rotate\(-90\)">n=(\d+)<\/text>/g)].map((m) => Number(m[1]));
  assert.equal(counts, [1, 268]);
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

test('regionsSvg: a class predicted for test points but with no region in the plotted plane is named in the caption', () => {
  // Three features: classes a and b spread along x1, the rare class c sits off the (x1, x2) plane at x3 = 1.
  const random = rng(2);
  const n = 200;
  const x = new Float64Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i < 5 ? 2 : i % 2;
    x.set(y[i] === 2 ? [0, random.normal(), 1] : [(y[i] === 0 ? -3 : 3) + random.normal(), random.normal(), 0], i * 3);
  }
  const data: Dataset = { x, y, n, dim: 3, numClasses: 3, classNames: ['a', 'b', 'c'] };
  // A linear model, weights [in, out]: logits (−x1, x1, 20·x3 − 10). On the plane through the mean (x3 = 5/200)
  // c's logit is about −9.5, below max(−x1, x1) ≥ 0 everywhere: no region; at the c points (x3 = 1) it is 10: predicted.
  const model = new MLP([3, 3], { rng: rng(1) });
  const [weight, bias] = model.parameters();
  weight.data.set([-1, 1, 0, 0, 0, 0, 0, 0, 20]);
  bias.data.set([0, 0, -10]);
  const { svg, caption } = regionsSvg(model, { train: data, test: data }, 'regions');
  const regionFills = (markup: string): string[] => [...(markup.match(/<g class="regions"[^>]*>(.*?)<\/g>/)?.[1] ?? '').matchAll(/fill="([^"]*)"/g)].map((m) => m[1]);
  assert.match(caption ?? '', /Predicted for some test points but with no region drawn here \(its region lies off this plane, or is smaller than a grid cell\): c\.$/);
  assert.equal(regionFills(svg), [PALETTE[0], PALETTE[1]], 'no region of c in the plane');
  // Negative control: drawn in a plane that holds x3 (features x1 and x3 only), c has its region and no note.
  const flat = (d: Dataset): Dataset => ({ ...d, dim: 2, x: d.x.filter((_, k) => k % 3 !== 1) });
  const twoD = new MLP([2, 3], { rng: rng(1) });
  const [w2, b2] = twoD.parameters();
  w2.data.set([-1, 1, 0, 0, 0, 20]);
  b2.data.set([0, 0, -10]);
  const shown = regionsSvg(twoD, { train: flat(data), test: flat(data) }, 'regions');
  assert.is(shown.caption, null);
  assert.equal(regionFills(shown.svg), [PALETTE[0], PALETTE[1], PALETTE[2]]);
});

test.run();
