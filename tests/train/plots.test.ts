// Tests for train/plots.ts: the loss and recall curves of a history, their axes, and the histories they refuse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type EpochRecord, lossCurvesSvg, recallCurvesSvg } from '../../train/index.js';
import { readAxes, throwsWith } from './helpers.js';

// Four epochs as the playground sees them (from epoch 1); the loss falls by a factor of 20.
const HISTORY: EpochRecord[] = [
  { epoch: 1, trainLoss: 2, testLoss: 2.1, recall: [0.9, 0.2, 0] },
  { epoch: 2, trainLoss: 0.5, testLoss: 0.6, recall: [0.95, 0.5, 0.1] },
  { epoch: 3, trainLoss: 0.2, testLoss: 0.25, recall: [0.97, 0.7, 0.3] },
  { epoch: 4, trainLoss: 0.1, testLoss: 0.15, recall: [0.98, 0.75, 0.4] },
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
  const withInitial: EpochRecord[] = [{ epoch: 0, trainLoss: 2.2, testLoss: 2.2, recall: [0, 0, 1] }, ...HISTORY];
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

test.run();
