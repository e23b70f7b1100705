// LOSS_RECORDS, the one list of losses: each record names its own function, lists the keys that function
// checks, and says truly what input it takes; FOCAL_STAR_BETA is focalLossStar's default.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, tensor } from '../../engine/index.js';
import * as losses from '../../losses/index.js';
import { FOCAL_STAR_BETA, LOSS_RECORDS, type LossRecord, focalLossStar } from '../../losses/index.js';

test('LOSS_RECORDS: seven losses, one name each, each record exported beside its function', () => {
  assert.equal(
    LOSS_RECORDS.map((r) => r.name),
    ['ce', 'focal', 'probs', 'binary', 'focal-star', 'bce', 'mse'],
  );
  const exported = losses as unknown as Record<string, unknown>;
  for (const record of LOSS_RECORDS) {
    // `focalgrad vectors` writes fn.name as each vector's function: it must be the name a user imports.
    assert.is(exported[record.fn.name], record.fn, `${record.name}: fn.name ${record.fn.name} is the exported function`);
    assert.is(exported[`${record.fn.name}Record`], record, `${record.name}: exported as ${record.fn.name}Record`);
    assert.ok(record.semantics.length > 0 && record.description.length > 10 && record.label.length > 0, `${record.name}: described`);
  }
});

// An unknown key's Error lists every key the function checks: they must be the record's, in its order.
test('keys: the very keys the function checks (its unknown-option Error lists exactly them)', () => {
  const probe: Record<LossRecord['input'], [Tensor, losses.Target]> = {
    logits: [tensor([[2, -1, 0.5]]), [0]],
    probs: [tensor([[0.7, 0.2, 0.1]]), [0]],
    'binary-logits': [tensor([2, -1]), tensor([1, 0])],
    regression: [tensor([2, -1]), tensor([1.5, 0])],
  };
  for (const record of LOSS_RECORDS) {
    const [input, target] = probe[record.input];
    const listed = `(it takes ${record.keys.map((k) => JSON.stringify(k)).join(', ')})`;
    assert.throws(() => record.fn(input, target, { notAnOption: 1 }), (e: Error) => e.message.endsWith(listed), `${record.name}: ${listed}`);
    // The input kind is true: the loss takes an input of that kind with its defaults.
    assert.ok(Number.isFinite(record.fn(input, target).item()), `${record.name} takes ${record.input}`);
  }
  // Negative control: a probe of the wrong kind is refused (class indices for mseLoss).
  assert.throws(() => losses.mseLossRecord.fn(probe.logits[0], probe.logits[1]));
});

test('FOCAL_STAR_BETA: focalLossStar’s default β, 1 as in the paper’s appendix A', () => {
  const x = tensor([[0.5, -1.25, 3]]);
  const value = (options: object): number => focalLossStar(x, [2], options).item();
  assert.is(FOCAL_STAR_BETA, 1);
  assert.is(value({ gamma: 2 }), value({ gamma: 2, beta: FOCAL_STAR_BETA }));
  assert.is.not(value({ gamma: 2 }), value({ gamma: 2, beta: 0 }), 'β changes the loss: the comparison can fail');
});

test.run();
