// Tests for two single-point mutations the suite once missed (issue 9, item 8): gradcheck reporting the
// absolute error as maxRelError, and a shuffle drawing j from [0, i) (Sattolo's algorithm, cycles only).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, gradcheck, rng, tensor } from '../../engine/index.js';

test('gradcheck: maxRelError is |analytic − numeric| / max(|analytic|, |numeric|), not the absolute error', () => {
  // f(x) = x · stop_gradient(x) at x = 3: the analytic gradient sees one factor (3), the numeric one
  // both (2x = 6, exact for a quadratic up to rounding). Absolute error 3, relative error 3/6 = ½.
  const f = (x: Tensor): Tensor => x.mul(x.detach());
  const result = gradcheck(f, [tensor([3])], { gOut: tensor([1]) });
  assert.is(result.ok, false);
  assert.ok(Math.abs(result.maxAbsError - 3) < 1e-6, `maxAbsError ${result.maxAbsError}`);
  assert.ok(Math.abs(result.maxRelError - 0.5) < 1e-6, `maxRelError ${result.maxRelError}`);
  // With a scale of 10 the absolute error grows tenfold and the relative one does not move.
  const scaled = gradcheck(f, [tensor([30])], { gOut: tensor([1]) });
  assert.ok(Math.abs(scaled.maxAbsError - 30) < 1e-5 && Math.abs(scaled.maxRelError - 0.5) < 1e-6, scaled.message);
});

test('rng.shuffle: all 6 orders of 3 items about equally often over 6000 seeded shuffles (χ² test)', () => {
  const counts = new Map<string, number>();
  for (let seed = 0; seed < 6000; seed++) {
    const key = rng(seed).shuffle([0, 1, 2]).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal([...counts.keys()].sort(), ['012', '021', '102', '120', '201', '210'], 'every permutation appears');
  // χ² with 5 degrees of freedom; 20.5 is its 0.1% critical value. Sattolo's algorithm (j in [0, i))
  // makes only the two cyclic orders, which gives χ² = 12000; a fair shuffle stays far below 20.5.
  const expected = 1000;
  let chi2 = 0;
  for (const count of counts.values()) chi2 += (count - expected) ** 2 / expected;
  assert.ok(chi2 < 20.5, `χ² = ${chi2.toFixed(2)} over ${JSON.stringify(Object.fromEntries(counts))}`);
});

test('the χ² check catches Sattolo’s algorithm (a negative control, written here)', () => {
  const sattolo = (items: number[], r: ReturnType<typeof rng>): number[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(r.next() * i); // [0, i): the mutation
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  };
  const counts = new Map<string, number>();
  for (let seed = 0; seed < 6000; seed++) {
    const key = sattolo([0, 1, 2], rng(seed)).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let chi2 = 0;
  for (const key of ['012', '021', '102', '120', '201', '210']) chi2 += ((counts.get(key) ?? 0) - 1000) ** 2 / 1000;
  assert.ok(chi2 > 1000, `χ² = ${chi2}`);
});

test.run();
