// focalLossFromProbs clips to [ε, 1 − ε], both ends (issue 9, item 8: only the lower clip was tested,
// so clipping to [ε, 1] went unnoticed; at p_t = 1 it turns the loss from 2.5e-8 into 0).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tensor } from '../../engine/index.js';
import { focalLossFromProbs } from '../../losses/index.js';

test('focalLossFromProbs at p_t = 1, γ = 0: −α·log(1 − ε), the upper clip, not 0', () => {
  for (const epsilon of [1e-7, 1e-3]) {
    const value = focalLossFromProbs(tensor([[1, 0]]), [0], { gamma: 0, epsilon }).item();
    // Keras: p = clip(1, ε, 1 − ε) = 1 − ε, loss = −α·log(1 − ε) with the default α = 0.25.
    const expected = -0.25 * Math.log(1 - epsilon);
    assert.ok(value > 0 && Math.abs(value - expected) <= 1e-15 * expected, `ε = ${epsilon}: ${value} vs ${expected}`);
  }
  // 2.5e-8 at the default ε = 1e-7 (−log(1 − ε) ≈ ε)
  assert.ok(Math.abs(focalLossFromProbs(tensor([[1, 0]]), [0], { gamma: 0 }).item() - 2.5e-8) < 1e-14);
});

test('focalLossFromProbs at p_t = 1 with label rows: the same upper clip', () => {
  // rows [1, 0] for probabilities [1, 0]: class 0 term −0.25·log(1 − ε); class 1 has y = 0, no term.
  const value = focalLossFromProbs(tensor([[1, 0]]), tensor([[1, 0]]), { gamma: 0 }).item();
  assert.ok(Math.abs(value - -0.25 * Math.log(1 - 1e-7)) <= 1e-15 * value, String(value));
});

test.run();
