// gradcheck itself: a negative control (a wrong derivative is caught and named), and its report.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor, gradcheck, gradgradcheck, tensor } from '../../engine/index.js';
import { expectGradOk, throwsMatching, uniform } from './helpers.js';

// exp with a hand-built node whose backward rule is the one given (the correct one is gOut·eˣ).
function expWithRule(rule: (gOut: Tensor, x: Tensor, out: Float64Array) => Tensor): (x: Tensor) => Tensor {
  return (x) => {
    const data = Float64Array.from(x.data, Math.exp);
    return new Tensor(data, x.shape, true, 'exp', [x], (gOut) => [rule(gOut, x, data)]);
  };
}

test('negative control: exp with derivative 2 (not eˣ) fails and names input 0 and an element', () => {
  const x = uniform([2, 3], 1, -1, 1);
  const result = gradcheck(expWithRule((g) => g.mul(2)), [x]);
  assert.is(result.ok, false, 'a wrong derivative passed gradcheck');
  assert.ok(result.worst !== null);
  assert.is(result.worst.input, 0);
  assert.is(result.worst.index.length, 2);
  assert.match(result.message, /^gradcheck failed: input 0 at \[\d,\d\]: analytic -?[\d.e-]+ vs numeric -?[\d.e-]+/);
  assert.ok(result.maxAbsError > 0.1, `maxAbsError ${result.maxAbsError}`);
});

test('expectGradOk fails with the op name, the input, the element, analytic and numeric', () => {
  const x = uniform([2, 3], 1, -1, 1);
  throwsMatching(
    () => expectGradOk('exp', expWithRule((g) => g.mul(2)), [x]),
    /^exp: gradcheck failed: input 0 at \[\d,\d\]: analytic -?\d[\d.e-]* vs numeric -?\d[\d.e-]* \(\|diff\| = /,
  );
});

test('negative control: the hand-built exp with the right rule passes (the harness is sound)', () => {
  const x = uniform([2, 3], 1, -1, 1);
  const rightRule = expWithRule((g, _x, out) => g.mul(new Tensor(out, g.shape)));
  const result = expectGradOk('hand-built exp', rightRule, [x]);
  assert.match(result.message, /^gradcheck passed: max \|analytic − numeric\| = /);
  assert.ok(result.maxAbsError < 1e-8, `maxAbsError ${result.maxAbsError}`);
});

test('negative control: a derivative off by 1e-2 is caught', () => {
  const x = uniform([4], 2, -0.5, 0.5);
  const perturbed = expWithRule((g, _x, out) => g.mul(new Tensor(Float64Array.from(out, (v) => v + 1e-2), g.shape)));
  const result = gradcheck(perturbed, [x]);
  assert.is(result.ok, false, `a derivative off by 1e-2 passed: ${result.message}`);
  assert.ok(result.maxAbsError > 1e-3, `maxAbsError ${result.maxAbsError}`);
});

test('negative control: a derivative wrong at one element is reported at that element', () => {
  const x = uniform([2, 3], 3, -1, 1);
  // correct except at [1,2], where the derivative is scaled by 1.5
  const wrongAt12 = expWithRule((g, _x, out) => {
    const d = out.slice();
    d[1 * 3 + 2] *= 1.5;
    return g.mul(new Tensor(d, g.shape));
  });
  const result = gradcheck(wrongAt12, [x]);
  assert.is(result.ok, false);
  assert.equal(result.worst?.input, 0);
  assert.equal(result.worst?.index, [1, 2]);
  assert.match(result.message, /input 0 at \[1,2\]/);
});

test('negative control: a wrong derivative of the second input is reported as input 1', () => {
  const a = uniform([3], 4);
  const b = uniform([2, 3], 5);
  // out = a·b with ∂out/∂b wrongly taken as 1 instead of a
  const wrongMul = (x: Tensor, y: Tensor): Tensor => {
    const prod = x.mul(y);
    return new Tensor(prod.data, prod.shape, true, 'mul', [x, y], (g) => [g.mul(y), g]);
  };
  const result = gradcheck(wrongMul, [a, b]);
  assert.is(result.ok, false);
  assert.is(result.worst?.input, 1);
  assert.match(result.message, /^gradcheck failed: input 1 at \[\d,\d\]/);
});

test('negative control: a NaN gradient fails with an infinite error', () => {
  const x = uniform([3], 6);
  const result = gradcheck(expWithRule((g) => g.mul(NaN)), [x]);
  assert.is(result.ok, false);
  assert.is(result.maxAbsError, Infinity);
  assert.is(result.maxRelError, Infinity);
  assert.match(result.message, /analytic NaN/);
});

test('negative control: gradgradcheck catches a backward that is right but not differentiable', () => {
  // x³ whose rule uses 3x² as a constant: first order right, second order wrong (it misses 6x).
  const cube = (x: Tensor): Tensor => {
    const data = Float64Array.from(x.data, (v) => v * v * v);
    const slope = new Tensor(Float64Array.from(x.data, (v) => 3 * v * v), x.shape);
    return new Tensor(data, x.shape, true, 'pow', [x], (g) => [g.mul(slope)]);
  };
  const x = uniform([3], 7, 0.5, 1.5);
  expectGradOk('constant-slope cube', cube, [x]);
  const result = gradgradcheck(cube, [x]);
  assert.is(result.ok, false, 'gradgradcheck passed a backward that drops the second derivative');
  assert.is(result.worst?.input, 0);
  // the correct x³ passes both
  expectGradOk('pow 3', (t) => t.pow(3), [x]);
  const good = gradgradcheck((t) => t.pow(3), [x]);
  assert.ok(good.ok, good.message);
});

test('gradcheck leaves its inputs untouched', () => {
  const x = tensor([0.5, -1.25, 2]);
  const before = x.data.slice();
  gradcheck((t) => t.mul(t).exp(), [x]);
  assert.equal([...x.data], [...before]);
  assert.is(x.grad, null);
});

test('gradcheck with an explicit gOut, a seed, and custom tolerances', () => {
  const x = uniform([2, 2], 8);
  const r = gradcheck((t) => t.tanh(), [x], { gOut: tensor([[1, 0], [0, -2]]), eps: 1e-5, atol: 1e-7, rtol: 1e-5 });
  assert.ok(r.ok, r.message);
  const a = gradcheck((t) => t.tanh(), [x], { seed: 3 });
  const b = gradcheck((t) => t.tanh(), [x], { seed: 3 });
  assert.is(a.maxAbsError, b.maxAbsError, 'the same seed gives the same check');
  // tight enough that central differences cannot pass
  const tooTight = gradcheck((t) => t.exp(), [x], { atol: 0, rtol: 0 });
  assert.is(tooTight.ok, false);
});

test('gradcheck over an input with no elements passes trivially', () => {
  const r = gradcheck((t) => t.sum(), [tensor([])]);
  assert.ok(r.ok);
  assert.is(r.worst, null);
  assert.match(r.message, /no elements/);
});

test('gradcheck throws on an f that does not return a Tensor, or a gOut of the wrong size', () => {
  throwsMatching(() => gradcheck(() => 3 as unknown as Tensor, [tensor([1])]), /^gradcheck: f must return a Tensor, got 3/);
  throwsMatching(
    () => gradcheck((t) => t.exp(), [tensor([1, 2, 3])], { gOut: tensor([1, 2]) }),
    /^gradcheck: gOut has shape \[2\] but f returns \[3\]/,
  );
});

test('gradcheck: a gOut of the right size but the wrong shape is an Error naming both shapes', () => {
  throwsMatching(
    () => gradcheck((t) => t.add(1), [uniform([2, 3], 9)], { gOut: uniform([6], 10) }),
    /^gradcheck: gOut has shape \[6\] but f returns \[2,3\]/,
  );
});

test('gradcheck: an input that is not a Tensor is an Error naming its position', () => {
  throwsMatching(() => gradcheck((a) => a, [tensor([1]), [2] as unknown as Tensor]), /^gradcheck: input 1 must be a Tensor, got \[2\]/);
});

test.run();
