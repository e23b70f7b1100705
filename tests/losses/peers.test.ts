// The peers' own test files, ported: one literal expected value (or relation) from each, at the peer's
// own tolerance, computed by focalgrad as a porter would write it (docs/focal-loss.md §10).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, concat, full, tensor } from '../../engine/index.js';
import {
  PRESETS,
  binaryCrossEntropy,
  binaryFocalLoss,
  binaryFocalLossFromProbs,
  crossEntropy,
  focalLoss,
  peerLoss,
} from '../../losses/index.js';

// Keras' testing.TestCase: assertAlmostEqual(decimal=3) is |a − b| < 1.5e-3; assertAllClose is atol = rtol = 1e-6.
const almostEqual = (got: number, want: number, what: string): void => assert.ok(Math.abs(got - want) < 1.5e-3, `${what}: ${got} vs ${want}`);
function allClose(got: ArrayLike<number>, want: readonly number[], atol: number, rtol: number, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= atol + rtol * Math.abs(w), `${what}[${i}]: ${got[i]} vs ${w}`));
}

const KERAS_LOGITS = [[8, 1, 1], [0, 9, 1], [2, 3, 5]];

test('Keras losses_test.py CategoricalFocalCrossentropyTest.test_no_reduction and test_sample_weighted (logits)', () => {
  const z = tensor(KERAS_LOGITS);
  const keras = PRESETS.keras.focal.fn;
  allClose(keras(z, [0, 1, 2], { reduction: 'none' }).data, [1.5096224e-9, 2.4136547e-11, 1.0360638e-3], 1e-6, 1e-6, 'test_no_reduction');
  // sample_weight = np.array([[1.2], [3.4], [5.6]]): an [N, 1] weight per sample, 'mean' over N.
  almostEqual(keras(z, [0, 1, 2], { sampleWeight: tensor([[1.2], [3.4], [5.6]]) }).data[0], 0.001933, 'test_sample_weighted');
  almostEqual(focalLoss(z, [0, 1, 2], { alpha: 0.25, sampleWeight: 2.3 }).data[0], 0.000794, 'test_scalar_weighted');
});

test('Keras losses_test.py BinaryFocalCrossentropyTest.test_sample_weighted and test_no_reduction (probabilities)', () => {
  const y = tensor([[1, 0], [1, 0]]);
  const p = tensor([[0.9, 0.8], [0.7, 0.2]]);
  almostEqual(binaryFocalLossFromProbs(p, y, { gamma: 2, sampleWeight: [1.2, 3.4] }).data[0], 0.34415, 'test_sample_weighted');
  // Keras' 'none' is the mean over the last axis: focalgrad's per-element map, averaged per row.
  const perElement = binaryFocalLossFromProbs(p, y, { reduction: 'none' });
  allClose(perElement.mean(-1).data, [0.515547, 0.020513], 1e-6, 1e-6, 'test_no_reduction');
  // And from logits (test_sample_weighted's second half): apply_class_balancing=False is alpha: -1.
  const logits = tensor([[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]]);
  const y3 = tensor([[1, 1, 0], [0, 1, 0]]);
  almostEqual(binaryFocalLoss(logits, y3, { gamma: 3, alpha: -1, sampleWeight: [1.2, 3.4] }).data[0], 0.95977, 'test_sample_weighted, from_logits');
  // The same through the preset, BinaryFocalCrossentropy(gamma=3.0, from_logits=True) as the test writes it:
  // the preset's own α (off) is what is checked here.
  almostEqual(PRESETS.keras.binary.fn(logits, y3, { gamma: 3, sampleWeight: [1.2, 3.4] }).data[0], 0.95977, 'test_sample_weighted, preset');
});

test('Keras losses_test.py BinaryCrossentropyTest.test_label_smoothing and SparseCategoricalCrossentropyTest.test_ignore_class', () => {
  const ls = 0.1;
  almostEqual(binaryCrossEntropy(tensor([[10, -10, -10]]), tensor([[1, 0, 1]]), { labelSmoothing: ls }).data[0], (10 + 5 * ls) / 3, 'test_label_smoothing');
  // Keras' class axis is the last; focalgrad's is axis 1, as PyTorch's: the logits [1, 2, 3] become [1, 3, 2].
  const logits = tensor([[[0.854, 0.698, 0.598], [0.088, 0.86, 0.018]]]).permute(0, 2, 1);
  const expected = [0, 1.480129];
  allClose(crossEntropy(logits, tensor([[-1, 2]]), { ignoreIndex: -1, reduction: 'none' }).data, expected, 1e-6, 1e-6, 'test_ignore_class');
  // y_true of shape (1, 2, 1): the size-1 class axis is squeezed, as Keras squeezes it.
  const withClassAxis = tensor([[[-1], [2]]]).permute(0, 2, 1);
  allClose(crossEntropy(logits, withClassAxis, { ignoreIndex: -1, reduction: 'none' }).data, expected, 1e-6, 1e-6, 'test_ignore_class, (N, 1, d)');
});

test('torchvision test/test_ops.py TestFocalLoss.test_correct_ratio and test_equal_ce_loss', () => {
  // _generate_diverse_input_target_pair's kinds: logits of small, big and middling probabilities, targets 0, 1 or mixed.
  const probs = [0.01, 0.15, 0.85, 0.99, 0.3, 0.6];
  const x = tensor(probs.flatMap((p) => [Math.log(p / (1 - p)), Math.log(p / (1 - p))]));
  const y = tensor(probs.flatMap(() => [0, 1]));
  const ce = binaryCrossEntropy(x, y, { reduction: 'none' }).data;
  for (const alpha of [-1, 0, 0.58, 1]) {
    for (const gamma of [0, 2]) {
      const focal = PRESETS.torchvision.binary.fn(x, y, { gamma, alpha }).data;
      focal.forEach((f, i) => {
        const p = 1 / (1 + Math.exp(-x.data[i]));
        const pt = p * y.data[i] + (1 - p) * (1 - y.data[i]);
        const alphaT = alpha >= 0 ? alpha * y.data[i] + (1 - alpha) * (1 - y.data[i]) : 1;
        const ratio = (1 - pt) ** gamma * alphaT;
        assert.ok(f <= ce[i], 'focal loss must be less or equal to cross entropy loss with same input');
        assert.ok(Math.abs(f / ce[i] - ratio) <= 1e-5 + 1e-5 * ratio, `α ${alpha}, γ ${gamma}, [${i}]: ratio ${f / ce[i]} vs ${ratio}`);
      });
    }
  }
  // The presets' own defaults, which the ratios above (α and γ given) never reach: torchvision's and kornia's
  // signatures, sigmoid_focal_loss(alpha=0.25, gamma=2, reduction='none') and binary_focal_loss_with_logits(alpha=0.25,
  // gamma=2.0, reduction='none'), give ce · (1 − p_t)² · α_t per element.
  for (const peer of ['torchvision', 'kornia'] as const) {
    const byDefault = PRESETS[peer].binary.fn(x, y).data;
    assert.is(byDefault.length, ce.length, `${peer}: 'none' keeps every element`);
    byDefault.forEach((f, i) => {
      const p = 1 / (1 + Math.exp(-x.data[i]));
      const pt = p * y.data[i] + (1 - p) * (1 - y.data[i]);
      const want = ce[i] * (1 - pt) ** 2 * (0.25 * y.data[i] + 0.75 * (1 - y.data[i]));
      assert.ok(Math.abs(f - want) <= 1e-12 * want, `${peer}'s defaults [${i}]: ${f} vs ${want}`);
    });
  }
  const fl = binaryFocalLoss(x, y, { gamma: 0, alpha: -1 }).data[0];
  const bce = binaryCrossEntropy(x, y).data[0];
  assert.ok(Math.abs(fl - bce) <= 1e-5 + 1e-5 * bce, `test_equal_ce_loss: ${fl} vs ${bce}`);
});

test('kornia tests/losses/test_focal_loss.py: test_numeric_stability, test_value_same_as_torch_bce_loss_pos_weight_weight, test_value_ignore_index', () => {
  const kornia = PRESETS.kornia.binary.fn;
  // test_numeric_stability: logits [[100, −100]], labels [[1, 0]], α 0.25, γ 2 → [[0, 0]] (assert_close).
  allClose(kornia(tensor([[100, -100]]), tensor([[1, 0]])).data, [0, 0], 1e-5, 1.3e-6, 'test_numeric_stability');
  // test_value_same_as_torch_bce_loss_pos_weight_weight: α None, γ 0 with pos_weight and weight of shape
  // (C, 1) on (2, C, 2) input is binary_cross_entropy_with_logits with the same weights.
  const x = tensor([[[0.3, 0.9], [0.1, 0.5], [0.7, 0.2]], [[0.4, 0.8], [0.6, 0.05], [0.95, 0.35]]]);
  const y = tensor([[[0.2, 1], [0, 0.6], [0.9, 0.3]], [[1, 0], [0.5, 0.25], [0.1, 0.7]]]);
  const posWeight = tensor([[1], [2], [5]]);
  const weight = tensor([[0.2], [0.5], [0.8]]);
  for (const reduction of ['none', 'mean', 'sum'] as const) {
    const focal = kornia(x, y, { alpha: -1, gamma: 0, posWeight, weight, reduction }).data;
    const bce = binaryCrossEntropy(x, y, { posWeight, weight, reduction }).data;
    allClose(focal, Array.from(bce), 1e-12, 1e-12, `pos_weight/weight, ${reduction}`);
  }
  // test_value_ignore_index (multi-class): an ignored pixel gives the same map as an extra class whose
  // logits are −∞ (here −1e4: e^−1e4 is 0 in float64), the extra class's slice dropped.
  const logits = tensor([[[0.2, 0.7], [0.9, 0.1]], [[0.5, 0.3], [0.4, 0.8]], [[0.6, 0.25], [0.05, 0.45]]]).reshape([1, 3, 2, 2]);
  const labels = tensor([[[0, 255], [2, 1]]]);
  const focal = PRESETS.kornia.focal.fn;
  const actual = focal(logits, labels, { alpha: 0.8, gamma: 0.5, ignoreIndex: 255 });
  const extra = concat([logits, full([1, 1, 2, 2], -1e4)], 1);
  const expected = focal(extra, tensor([[[0, 3], [2, 1]]]), { alpha: 0.8, gamma: 0.5 }).narrow(1, 0, 3);
  assert.equal(actual.shape, [1, 3, 2, 2]);
  allClose(actual.data, Array.from(expected.data), 1e-12, 1e-12, 'test_value_ignore_index');
});

test('fvcore tests/test_focal_loss.py: test_mean_focal_loss_star_equals_ce_loss and test_focal_loss_star_positive_weights', () => {
  const logit = (p: number): number => Math.log(p / (1 - p));
  const x = tensor([[0.05, 0.9], [0.52, 0.45], [0.89, 0.8], [0.39, 0.5]].map((r) => r.map(logit)));
  const y = tensor([[1, 0], [1, 0], [1, 1], [0, 1]]);
  const star = peerLoss('fvcore', 'focal-star');
  const fl = star(x, y, { gamma: 1, alpha: -1, reduction: 'mean' }).data[0];
  const ce = binaryCrossEntropy(x, y).data[0];
  assert.ok(Math.abs(fl - ce) <= 1e-8 + 1e-5 * ce, `FL* at γ 1 is BCE (torch.allclose): ${fl} vs ${ce}`);
  const ones = tensor([0.7, 0.2, 0.45, 0.9, 0.05].map(logit));
  const plain = star(ones, [1, 1, 1, 1, 1], { gamma: 2 }).data;
  const half = star(ones, [1, 1, 1, 1, 1], { gamma: 2, alpha: 0.5 }).data;
  plain.forEach((v, i) => assert.ok(Math.abs(v / half[i] - 2) <= 1e-8 + 1e-5 * 2, `ratio ${v / half[i]}`));
  // The preset's own defaults, fvcore's signature (alpha=-1, gamma=1, reduction='none'): the BCE map, as
  // test_focal_loss_star_equals_ce_loss_jit asserts. The checks above pass γ themselves, so a preset
  // defaulting to γ 2 survived them.
  const byDefault = star(x, y).data;
  const bceMap = binaryCrossEntropy(x, y, { reduction: 'none' }).data;
  allClose(byDefault, Array.from(bceMap), 1e-12, 1e-12, "fvcore preset's defaults");
});

test('PyTorch common_modules.py module_inputs_torch_nn_CrossEntropyLoss: no-batch-dim input (9,) with a scalar target', () => {
  const x = tensor([0.3, -1.2, 2.5, 0.0, 0.7, -0.4, 1.1, 0.9, -2.0]);
  const weight = [0.5, 1, 1.5, 2, 0.25, 1, 3, 0.75, 1.25];
  const ce = PRESETS.pytorch.ce.fn;
  for (const reduction of ['sum', 'mean', 'none'] as const) {
    for (const options of [{}, { weight }, { labelSmoothing: 0.5 }, { labelSmoothing: 0.5, weight }]) {
      const single: Tensor = ce(x, 4, { ...options, reduction });
      const batched = ce(x.reshape([1, 9]), [4], { ...options, reduction });
      assert.equal(single.shape, [], `reduction ${reduction}: a 0-d result`);
      assert.is(single.data[0], batched.data[0], `${JSON.stringify(options)} ${reduction}`);
    }
  }
  // The value itself: −log softmax(x)_4 = log Σ e^x − x_4.
  const lse = Math.log(Array.from(x.data).reduce((a, v) => a + Math.exp(v), 0));
  assert.ok(Math.abs(ce(x, 4).data[0] - (lse - 0.7)) <= 1e-15 * lse);
});

test.run();
