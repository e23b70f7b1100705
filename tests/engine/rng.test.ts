// The seeded PRNG: determinism, range, and the moments of normal().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rng } from '../../engine/index.js';

const draws = (seed: number, n: number, kind: 'next' | 'normal' = 'next'): number[] => {
  const r = rng(seed);
  return Array.from({ length: n }, () => r[kind]());
};

test('the same seed gives the same bits', () => {
  assert.equal(draws(42, 1000), draws(42, 1000));
  assert.equal(draws(42, 1000, 'normal'), draws(42, 1000, 'normal'));
  assert.equal(draws(-7, 10), draws(-7, 10));
});

test('different seeds give different streams, also for neighbouring seeds', () => {
  for (const [s, t] of [[0, 1], [1, 2], [41, 42], [-1, -2], [0, 2 ** 32]]) {
    const a = draws(s, 100);
    const b = draws(t, 100);
    const same = a.filter((v, i) => v === b[i]).length;
    assert.is(same, 0, `seeds ${s} and ${t} share ${same} of 100 draws`);
  }
});

test('a negative seed does not alias a non-negative one: rng(-1) vs rng(0), rng(-2) vs rng(1)', () => {
  for (const [s, t] of [[-1, 0], [-2, 1]]) {
    const same = draws(s, 100).filter((v, i) => v === draws(t, 100)[i]).length;
    assert.is(same, 0, `seeds ${s} and ${t} share ${same} of 100 draws`);
  }
});

test('next() is uniform in [0, 1) with 53 random bits', () => {
  const n = 100_000;
  const xs = draws(3, n);
  let sum = 0;
  let oddLowBit = 0;
  for (const x of xs) {
    assert.ok(x >= 0 && x < 1, `${x} outside [0, 1)`);
    const k = x * 2 ** 53;
    assert.ok(Number.isInteger(k), `${x} is not a multiple of 2⁻⁵³`);
    sum += x;
    oddLowBit += k % 2;
  }
  // mean 1/2 with standard error √(1/12/n) ≈ 0.0009; the lowest bit is set half the time
  assert.ok(Math.abs(sum / n - 0.5) < 0.005, `mean ${sum / n}`);
  assert.ok(Math.abs(oddLowBit / n - 0.5) < 0.01, `lowest bit set in ${oddLowBit} of ${n}`);
});

test('normal() has mean ≈ 0 and variance ≈ 1 over 1e5 draws', () => {
  const n = 100_000;
  const zs = draws(2024, n, 'normal');
  const mean = zs.reduce((s, z) => s + z, 0) / n;
  const variance = zs.reduce((s, z) => s + (z - mean) ** 2, 0) / (n - 1);
  // standard errors: mean 1/√n ≈ 0.0032, variance √(2/n) ≈ 0.0045; allow about 5 of them
  assert.ok(Math.abs(mean) < 0.016, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.023, `variance ${variance}`);
  // and the tails: P(|z| > 1.96) ≈ 0.05
  const tail = zs.filter((z) => Math.abs(z) > 1.96).length / n;
  assert.ok(Math.abs(tail - 0.05) < 0.005, `P(|z| > 1.96) = ${tail}`);
});

test('int(n) covers [0, n) evenly', () => {
  const r = rng(9);
  const counts = new Array<number>(6).fill(0);
  for (let i = 0; i < 60_000; i++) {
    const k = r.int(6);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 6, `int(6) gave ${k}`);
    counts[k]++;
  }
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `counts ${counts}`);
  assert.is(rng(1).int(1), 0);
});

test('shuffle is a deterministic permutation, in place', () => {
  const items = Array.from({ length: 20 }, (_, i) => i);
  const a = rng(4).shuffle(items.slice());
  const b = rng(4).shuffle(items.slice());
  assert.equal(a, b);
  assert.equal([...a].sort((x, y) => x - y), items);
  assert.not.equal(a, items);
  const typed = Int32Array.from([1, 2, 3, 4]);
  assert.is(rng(0).shuffle(typed), typed, 'returns its argument');
  assert.equal([...typed].sort(), [1, 2, 3, 4]);
  assert.equal(rng(0).shuffle([]), []);
});

test.run();
