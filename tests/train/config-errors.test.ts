// Issue 18: train() configs and hooks that used to be accepted silently or fail with a TypeError from inside.
// Each is an Error starting with "train:" that names the field (or the hook) as the user wrote it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Dataset, fromRows, train } from '../../train/index.js';
import { throwsWith } from './helpers.js';

// 40 rows, two classes: under one batch of 128, so an epoch is a single step.
function small(): Dataset {
  const features: number[][] = [];
  const labels: string[] = [];
  for (let i = 0; i < 40; i++) {
    features.push([i % 7, i % 3]);
    labels.push(i % 2 ? 'a' : 'b');
  }
  return fromRows(features, labels);
}
const base = { epochs: 1, hidden: [4] };

test('gamma: null is refused (it trained with γ = 2 and recorded "focal γ=null")', () => {
  throwsWith(() => train({ ...base, data: small(), gamma: null as unknown as number }), ['train: gamma', 'got null']);
  throwsWith(() => train({ ...base, data: small(), epochs: null as unknown as number }), ['train: epochs', 'got null']);
});

test("alpha is named alpha, not the crossEntropy weight it becomes", () => {
  throwsWith(() => train({ ...base, data: small(), loss: 'ce', alpha: [NaN, 1] }), ['train: alpha[0]', 'got NaN']);
  const message = (() => {
    try {
      train({ ...base, data: small(), loss: 'ce', alpha: [NaN, 1] });
    } catch (error) {
      return (error as Error).message;
    }
    return '';
  })();
  assert.not.ok(message.includes('weight'), message);
});

test('hooks: null, an unknown hook (onEpochs) and a hook that is not a function are Errors naming the hook', () => {
  throwsWith(() => train({ ...base, data: small() }, null as never), ['train: hooks must be an object', 'got null']);
  throwsWith(() => train({ ...base, data: small() }, { onEpochs: () => {} } as never), ['train: hooks: unknown option "onEpochs" (it takes "onEpoch")']);
  throwsWith(() => train({ ...base, data: small() }, { onEpoch: 5 } as never), ['train: hooks.onEpoch must be a function, got 5']);
  // Checked before any training: the hook that is there is never called.
  let calls = 0;
  throwsWith(() => train({ ...base, data: small() }, { onEpoch: () => calls++, onEpochs: () => {} } as never), ['onEpochs']);
  assert.is(calls, 0);
});

test('a diverging run on a table under one batch says train: … diverged, not a loss complaining about its logits', () => {
  throwsWith(() => train({ ...base, data: small(), loss: 'focal', optimizer: 'sgd', lr: 1e200 }), ['train: the focal loss diverged', 'after epoch 1']);
  throwsWith(() => train({ ...base, data: small(), loss: 'ce', optimizer: 'sgd', lr: 1e200 }), ['train: the ce loss diverged']);
});

test('a hand-built Dataset of one class, or with numbers for class names, is refused before training', () => {
  const data = small();
  throwsWith(() => train({ ...base, data: { ...data, numClasses: 1, classNames: ['a'], y: new Int32Array(40) } }), ['train:', 'at least 2 classes']);
  throwsWith(() => train({ ...base, data: { ...data, classNames: [1, 2] as unknown as string[] } }), ['train:', 'classNames[0] must be a non-empty string, got 1']);
});

test.run();
