// Tests for validation in training (train/loop.ts, train/earlyStopping.ts, train/config.ts): early stopping with the best weights restored, the epoch budget, weight decay, the linear model.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { noGrad, tensor } from '../../engine/index.js';
import { crossEntropy } from '../../losses/index.js';
import { Adam, AdamW } from '../../models/index.js';
import { type TrainConfig, EarlyStopping, MIN_AUTO_EPOCHS, MIN_AUTO_PATIENCE, PATIENCE_STEPS, PreparedRun, epochBudget, fromRows, metricsJson, patienceEpochs, prepareRun, train } from '../../train/index.js';
import { throwsWith } from './helpers.js';

test('EarlyStopping: stops after `patience` epochs without a lower loss and restores the best epoch’s parameters', () => {
  const p = tensor([0, 0]);
  const stopping = new EarlyStopping([p], 2);
  const losses = [5, 4, 4.5, 3.9, 3.9, 4.2];
  const stops: boolean[] = [];
  losses.forEach((loss, epoch) => {
    p.data.set([epoch, -epoch]);
    stops.push(stopping.update(epoch, loss));
  });
  // Best 3.9 at epoch 3 (an equal loss is no improvement); epochs 4 and 5 bring none: stop at 5.
  assert.equal(stops, [false, false, false, false, false, true]);
  assert.equal(stopping.restore(), { epoch: 3, valLoss: 3.9 });
  assert.equal(Array.from(p.data), [3, -3]);
});

test('train: early stopping on the validation loss; the kept model is the one with the lowest validation loss', () => {
  // A small table and a large MLP memorise quickly: the validation loss turns up and patience ends the run.
  const config = { n: 300, hidden: [64, 64], lr: 0.03, batch: 16, epochs: 200, patience: 5, loss: 'ce', seed: 1 } as const;
  const result = train(config);
  const { stopped, history } = result;
  assert.is(stopped.reason, 'patience');
  assert.is(stopped.epoch, history.length);
  assert.ok(stopped.epoch < 200);
  assert.is(stopped.epoch - stopped.bestEpoch, 5);
  const valLosses = history.map((r) => r.valLoss as number);
  assert.is(stopped.bestValLoss, Math.min(...valLosses));
  assert.is(valLosses[stopped.bestEpoch - 1], stopped.bestValLoss);
  // The returned model is the best epoch's: its validation loss, recomputed here, is the best one, not the last.
  const val = result.split.val;
  assert.ok(val !== null);
  const again = noGrad(() => crossEntropy(result.model.forward(tensor(val.x, { shape: [val.n, val.dim] })), val.y).item());
  assert.is(again, stopped.bestValLoss);
  assert.is.not(again, valLosses[valLosses.length - 1]);
  assert.is(result.valMetrics?.loss, stopped.bestValLoss);
  // Recorded in metrics.json.
  assert.equal((metricsJson(result) as { stopped: unknown }).stopped, stopped);
  // Without patience the run takes its whole budget and keeps the last weights.
  const full = train({ ...config, epochs: 12, patience: null });
  assert.equal([full.stopped.reason, full.stopped.epoch, full.stopped.bestEpoch], ['budget', 12, 12]);
});

test('epochBudget: epochs "auto" gives at least MIN_AUTO_EPOCHS epochs and at least minSteps steps; a number is the budget', () => {
  // 200 training rows at batch 128: 2 steps an epoch, so 600 steps take 300 epochs.
  assert.is(epochBudget({ epochs: 'auto', minSteps: 600, batch: 128 }, 200), 300);
  // 3000 rows: 24 steps an epoch, 600 steps in 25 epochs, fewer than the floor.
  assert.is(epochBudget({ epochs: 'auto', minSteps: 600, batch: 128 }, 3000), MIN_AUTO_EPOCHS);
  assert.is(epochBudget({ epochs: 7, minSteps: 600, batch: 128 }, 200), 7);
  const run = train({ n: 200, valFraction: 0, epochs: 'auto', minSteps: 40, batch: 64, hidden: [4] });
  // 140 training rows at batch 64: 3 steps an epoch; 40 steps need 14 epochs, below the floor of 30.
  assert.is(run.history.length, MIN_AUTO_EPOCHS);
  assert.is(run.stopped.budget, MIN_AUTO_EPOCHS);
});

test('patienceEpochs: "auto" is at least MIN_AUTO_PATIENCE epochs and PATIENCE_STEPS steps; a number is itself; null never stops', () => {
  assert.is(MIN_AUTO_PATIENCE, 10);
  assert.is(PATIENCE_STEPS, 300);
  // 83 rows (wine's training part) at batch 128: one step an epoch, so 300 epochs; 3000 rows: 24 steps, 13 epochs.
  assert.is(patienceEpochs({ patience: 'auto', batch: 128 }, 83), 300);
  assert.is(patienceEpochs({ patience: 'auto', batch: 128 }, 3000), 13);
  assert.is(patienceEpochs({ patience: 'auto', batch: 32 }, 30000), MIN_AUTO_PATIENCE);
  assert.is(patienceEpochs({ patience: 4, batch: 128 }, 83), 4);
  assert.is(patienceEpochs({ patience: null, batch: 128 }, 83), Infinity);
});

test('weightDecay: adam becomes AdamW with the given λ (λ = 0 would be Adam to the bit); sgd gets it as L2', () => {
  const decayed = prepareRun({ weightDecay: 0.01, n: 200 });
  assert.instance(decayed.optimizer, AdamW);
  assert.is((decayed.optimizer as AdamW).weightDecay, 0.01);
  assert.is((prepareRun({ optimizer: 'sgd', weightDecay: 0.001, n: 200 }).optimizer as unknown as { weightDecay: number }).weightDecay, 0.001);
  // λ = 0 builds Adam; AdamW(λ = 0) in its place gives the same bits (θ·(1 − lr·0) = θ).
  const config = { n: 300, hidden: [8], epochs: 3, seed: 4 };
  const viaAdam = train(config);
  const r = prepareRun(config);
  assert.instance(r.optimizer, Adam);
  const adamw = new PreparedRun(r.config, r.split, r.standardization, r.trainCounts, r.alpha, r.lossFn, r.model, new AdamW(r.model.parameters(), { lr: r.config.lr, weightDecay: 0 }), r.shuffleSeed);
  assert.equal(train(adamw).history, viaAdam.history);
  // Decay pulls the weights in: a smaller weight norm than without it.
  const norm = (w: number[][]): number => w.flat().reduce((s, v) => s + v * v, 0);
  const layer = (wd: number): number => norm([train({ ...config, weightDecay: wd, epochs: 10 }).model.toJSON().layers[0].weight]);
  assert.ok(layer(5) < layer(0));
  throwsWith(() => prepareRun({ weightDecay: -1 }), ['train: weightDecay must be a finite number ≥ 0, got -1']);
});

test('hidden [] is a linear model; patience needs a validation part; options are checked', () => {
  const linear = train({ n: 300, hidden: [], epochs: 2 });
  assert.equal(linear.model.sizes, [2, 3]);
  throwsWith(() => prepareRun({ valFraction: 0, patience: 5 }), ['train: patience needs a validation part', 'valFraction > 0']);
  throwsWith(() => prepareRun({ patience: 0 }), ['train: patience must be a positive integer']);
  throwsWith(() => prepareRun({ epochs: 'all' as never }), ["train: epochs must be a positive integer or 'auto'"]);
  throwsWith(() => prepareRun({ minSteps: -1 }), ['train: minSteps must be an integer ≥ 0']);
  const rows = Array.from({ length: 12 }, (_, i) => [i, i % 3]);
  const labels = rows.map((_, i) => (i < 2 ? 'rare' : 'common'));
  throwsWith(() => prepareRun({ data: fromRows(rows, labels) }), ['train: data', 'class "rare" has 2 rows', 'at least 3 of each class']);
  assert.is(prepareRun({ data: fromRows(rows, labels), valFraction: 0, patience: null }).split.val, null);
});

test('loss names are a union type: a typo is a type error, and a runtime Error from plain JavaScript', () => {
  // @ts-expect-error 'focall' is no loss name: npm test's typecheck fails if this line compiles.
  const typo: Partial<TrainConfig> = { loss: 'focall' };
  throwsWith(() => prepareRun(typo), ["train: loss must be one of 'ce', 'focal', 'focal-star', got 'focall'"]);
});

test.run();
