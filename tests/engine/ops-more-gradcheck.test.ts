// The ops beyond the core set through gradcheck (and gradgradcheck where smooth), over several shapes.
// Each case names the op; the tally at the end is the count of ops gradchecked, reported in the notes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor, concat, gradcheck, stack, tensor, where } from '../../engine/index.js';
import { type Fn, distinct, expectGradGradOk, expectGradOk, uniform } from './helpers.js';

const checked = new Set<string>();

interface Case {
  op: string;
  label: string;
  f: Fn;
  inputs: () => Tensor[];
  /** smooth where the inputs are: second order is checked too */
  smooth: boolean;
}

const CASES: Case[] = [
  { op: 'min', label: 'all', f: (x) => x.min(), inputs: () => [distinct([2, 3], 1)], smooth: true },
  { op: 'min', label: 'axis 1 keepdims', f: (x) => x.min(1, true), inputs: () => [distinct([3, 4], 2)], smooth: true },
  { op: 'min', label: 'axis -3 of [2,3,2]', f: (x) => x.min(-3), inputs: () => [distinct([2, 3, 2], 3)], smooth: true },
  { op: 'maximum', label: '[2,3]×[2,3]', f: (a, b) => a.maximum(b), inputs: () => [uniform([2, 3], 4), uniform([2, 3], 5)], smooth: true },
  { op: 'maximum', label: '[4,1,3]×[5,3]', f: (a, b) => a.maximum(b), inputs: () => [uniform([4, 1, 3], 6), uniform([5, 3], 7)], smooth: true },
  { op: 'maximum', label: 'with a number', f: (a) => a.maximum(0.1), inputs: () => [uniform([3, 2], 8)], smooth: true },
  { op: 'minimum', label: '[3]×[2,3]', f: (a, b) => a.minimum(b), inputs: () => [uniform([3], 9), uniform([2, 3], 10)], smooth: true },
  { op: 'where', label: 'broadcast mask', f: (a, b) => where(tensor([[1], [0]]), a, b), inputs: () => [uniform([2, 3], 11), uniform([3], 12)], smooth: true },
  { op: 'where', label: 'number branch', f: (a) => where([true, false, true], a.exp(), 0), inputs: () => [uniform([2, 3], 13)], smooth: true },
  { op: 'log1p', label: '[2,3]', f: (x) => x.log1p(), inputs: () => [uniform([2, 3], 14, -0.9, 3)], smooth: true },
  { op: 'expm1', label: '[2,3]', f: (x) => x.expm1(), inputs: () => [uniform([2, 3], 15)], smooth: true },
  { op: 'softplus', label: '[2,3] and 0', f: (x) => x.softplus(), inputs: () => [tensor([[0, -3, 3], [1e-3, -20, 20]])], smooth: true },
  { op: 'logSigmoid', label: '[2,3] and 0', f: (x) => x.logSigmoid(), inputs: () => [tensor([[0, -3, 3], [1e-3, -20, 20]])], smooth: true },
  { op: 'narrow', label: 'axis 1', f: (x) => x.narrow(1, 1, 2), inputs: () => [uniform([3, 4], 16)], smooth: true },
  { op: 'narrow', label: 'negative start, axis 0', f: (x) => x.narrow(0, -2, 2).mul(x.narrow(0, 0, 2)), inputs: () => [uniform([3, 2, 2], 17)], smooth: true },
  { op: 'indexSelect', label: 'repeated indices', f: (x) => x.indexSelect(1, [2, 0, 2]), inputs: () => [uniform([2, 3], 18)], smooth: true },
  { op: 'indexSelect', label: 'axis 0 of [3,2,2], squared', f: (x) => x.indexSelect(0, tensor([1, 1])).pow(2), inputs: () => [uniform([3, 2, 2], 19)], smooth: true },
  { op: 'gather', label: 'axis 1', f: (x) => x.gather(1, tensor([[0, 0], [2, 1]])), inputs: () => [uniform([2, 3], 20)], smooth: true },
  { op: 'gather', label: 'axis 0, smaller index, squared', f: (x) => x.gather(0, tensor([[1, 0], [1, 1]])).pow(2), inputs: () => [uniform([3, 3], 21)], smooth: true },
  { op: 'concat', label: 'axis 1', f: (a, b) => concat([a, b], 1), inputs: () => [uniform([2, 1], 22), uniform([2, 3], 23)], smooth: true },
  { op: 'concat', label: 'one input twice, axis 0', f: (a) => concat([a, a.mul(a)], 0), inputs: () => [uniform([2, 2], 24)], smooth: true },
  { op: 'stack', label: 'axis -1', f: (a, b) => stack([a, b], -1), inputs: () => [uniform([2, 3], 25), uniform([2, 3], 26)], smooth: true },
  { op: 'permute', label: '[2,3,4] → (2,0,1)', f: (x) => x.permute(2, 0, 1), inputs: () => [uniform([2, 3, 4], 27)], smooth: true },
  { op: 'transpose', label: '(0, 2) of [2,3,4]', f: (x) => x.transpose(0, 2), inputs: () => [uniform([2, 3, 4], 28)], smooth: true },
  { op: 'transpose', label: 'default, batched', f: (x) => x.transpose(), inputs: () => [uniform([2, 3, 4], 29)], smooth: true },
  { op: 'squeeze', label: 'all and one axis', f: (x) => x.squeeze().mul(x.squeeze(1).sum()), inputs: () => [uniform([2, 1, 3], 30)], smooth: true },
  { op: 'unsqueeze', label: 'axis -1', f: (x) => x.unsqueeze(-1).mul(x.unsqueeze(0)), inputs: () => [uniform([3], 31)], smooth: true },
  { op: 'flatten', label: 'axes 1..2', f: (x) => x.flatten(1, 2), inputs: () => [uniform([2, 3, 2], 32)], smooth: true },
  { op: 'expand', label: 'with −1', f: (x) => x.expand([4, -1, 3]), inputs: () => [uniform([2, 1], 33)], smooth: true },
  { op: 'matmul', label: '[2,3,4]·[4,5]', f: (a, b) => a.matmul(b), inputs: () => [uniform([2, 3, 4], 34), uniform([4, 5], 35)], smooth: true },
  { op: 'matmul', label: '[2,3,4]·[2,4,2]', f: (a, b) => a.matmul(b), inputs: () => [uniform([2, 3, 4], 36), uniform([2, 4, 2], 37)], smooth: true },
  { op: 'matmul', label: '[2,1,3,4]·[3,4,2] (broadcast batch)', f: (a, b) => a.matmul(b), inputs: () => [uniform([2, 1, 3, 4], 38), uniform([3, 4, 2], 39)], smooth: true },
  { op: 'matmul', label: '[4]·[2,4,3] (1-D promoted)', f: (a, b) => a.matmul(b), inputs: () => [uniform([4], 40), uniform([2, 4, 3], 41)], smooth: true },
  { op: 'matmul', label: '[2,3,4]·[4] (1-D promoted)', f: (a, b) => a.matmul(b), inputs: () => [uniform([2, 3, 4], 42), uniform([4], 43)], smooth: true },
  { op: 'matmul', label: '[3,4]·[2,4,2] (2-D · batch)', f: (a, b) => a.matmul(b), inputs: () => [uniform([3, 4], 44), uniform([2, 4, 2], 45)], smooth: true },
];

for (const c of CASES) {
  test(`${c.op} ${c.label}: gradcheck${c.smooth ? ' and gradgradcheck' : ''}`, () => {
    expectGradOk(`${c.op} ${c.label}`, c.f, c.inputs());
    if (c.smooth) expectGradGradOk(`${c.op} ${c.label}`, c.f, c.inputs());
    checked.add(c.op);
  });
}

test('argmax and argmin give no gradient path: their result never requires grad', () => {
  const x = uniform([2, 3], 46);
  const leaf = new Tensor(x.data, x.shape, true);
  assert.is(leaf.argmax().requiresGrad, false);
  assert.is(leaf.argmin(1).requiresGrad, false);
  // Used as an index, argmax picks the value whose gradient then flows: d max / dx through gather.
  const picked = (a: Tensor): Tensor => a.gather(1, a.argmax(1, true));
  expectGradOk('gather(argmax)', picked, [x]);
});

test('a negative control: a wrong VJP for gather (dropping repeated indices) is caught', () => {
  const x = uniform([1, 3], 47);
  // Reads index 0 twice: the true gradient of element 0 is the sum of both upstream entries.
  const wrong = (a: Tensor): Tensor => {
    const g = a.gather(1, tensor([[0, 0]]));
    // the same values, with only the first read differentiated
    return g.mul(tensor([[1, 0]])).add(g.detach().mul(tensor([[0, 1]])));
  };
  const result = gradcheck(wrong, [x], { seed: 3, gOut: tensor([[0, 1]]) });
  assert.is(result.ok, false, result.message);
});

test('the number of ops gradchecked (the 20 new or reworked differentiable ops)', () => {
  assert.is(checked.size, 20, [...checked].sort().join(', '));
});

test.run();
