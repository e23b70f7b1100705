// Tests for train/registry.ts: entries named as their keys, lookup's message, a new loss as one entry; and the report's text size, which the registries' labels end up in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOSS_RECORDS, crossEntropy } from '../../losses/index.js';
import {
  DATASETS,
  LOSSES,
  type LossSpec,
  OPTIMIZERS,
  compare,
  compareFiles,
  describeLoss,
  lookup,
  runFiles,
  train,
} from '../../train/index.js';
import { throwsWith } from './helpers.js';

test('every registry entry is named as its key and described', () => {
  for (const registry of [LOSSES, OPTIMIZERS, DATASETS]) {
    for (const [key, entry] of Object.entries(registry)) {
      assert.is(entry.name, key);
      assert.ok(entry.description.length > 10, `${key} has a description`);
    }
  }
  assert.equal(Object.keys(LOSSES), ['ce', 'focal', 'focal-star']);
  assert.is(OPTIMIZERS.sgd.defaultLr, 0.1);
});

test('LOSSES: every loss of LOSS_RECORDS that takes class logits, with its record’s name, description and keys', () => {
  const records = LOSS_RECORDS.filter((r) => r.input === 'logits');
  assert.equal(Object.keys(LOSSES), records.map((r) => r.name));
  for (const record of records) {
    const spec = LOSSES[record.name];
    assert.is(spec.description, record.description);
    assert.is(spec.options.includes('gamma'), record.keys.includes('gamma'), `${record.name}: reads γ as its record says`);
  }
  assert.equal(LOSSES.ce.options, ['alpha'], 'crossEntropy takes the config’s α as its weight');
  assert.is(LOSSES.ce.label(2), 'cross-entropy');
  assert.is(LOSSES['focal-star'].label(0.5), 'focal* γ=0.5');
});

test('lookup: an unknown name is an Error listing the names there are; no prototype keys', () => {
  assert.is(lookup(LOSSES, 'loss', 'focal'), LOSSES.focal);
  throwsWith(() => lookup(LOSSES, 'loss', 'hinge'), ["train: loss must be one of 'ce', 'focal', 'focal-star', got 'hinge'"]);
  throwsWith(() => lookup(OPTIMIZERS, 'optimizer', 'toString'), ['train: optimizer must be one of', "got 'toString'"]);
  throwsWith(() => lookup(DATASETS, 'data', 3), ['got 3']);
});

test('adding a loss is one registry entry: train(), the labels and the comparison machinery take it', () => {
  const losses = LOSSES as Record<string, LossSpec>;
  losses.doubled = {
    name: 'doubled',
    description: 'twice the cross-entropy, to test the registry',
    options: [],
    label: () => 'doubled CE',
    build: () => (logits, target) => crossEntropy(logits, target).mul(2),
  };
  try {
    const result = train({ loss: 'doubled', n: 300, epochs: 1, hidden: [4] });
    const plain = train({ loss: 'ce', n: 300, epochs: 1, hidden: [4], lr: 0.01 });
    assert.ok(Number.isFinite(result.final.loss));
    // The same data and initial weights: the epoch-0 loss is exactly twice cross-entropy's.
    assert.is(result.initial.trainLoss, 2 * plain.initial.trainLoss);
    assert.is(describeLoss(result.config), 'doubled CE');
    assert.match(runFiles(result).find((f) => f.name === 'report.html')?.content ?? '', /<title>focalgrad: doubled CE<\/title>/);
    throwsWith(() => train({ loss: 'doubled', alpha: 2, n: 300 }), ["train: alpha does not apply to loss 'doubled' (it reads no options)"]);
  } finally {
    delete losses.doubled;
  }
});

// The report page's content is 1200 px − 2 × 16 px of padding wide: an SVG no wider is shown at 100%.
const CONTENT_WIDTH = 1168;

test('report.html: every plot fits the page at 100%, so no text is drawn below 11 px', () => {
  const compared = compare({ n: 400, epochs: 1, hidden: [4] }, 1);
  const single = train({ n: 400, epochs: 1, hidden: [4], ratios: [5, 3, 1, 1, 1] });
  for (const report of [compareFiles(compared), runFiles(single)].map((files) => files.find((f) => f.name === 'report.html')?.content ?? '')) {
    const roots = [...report.matchAll(/<figure><svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.ok(roots.length >= 5, `${roots.length} plots`);
    for (const width of roots) assert.ok(width <= CONTENT_WIDTH, `a plot ${width} px wide would be scaled down`);
    const sizes = [...report.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.ok(sizes.length > 0 && Math.min(...sizes) >= 11, `font sizes ${[...new Set(sizes)]}`);
  }
  // Negative control: the side-by-side file is wider than the page, which is why the report does not show it.
  const regions = compareFiles(compared).find((f) => f.name === 'regions.svg')?.content ?? '';
  assert.ok(Number(/width="([\d.]+)"/.exec(regions)?.[1]) > CONTENT_WIDTH);
});

test.run();
