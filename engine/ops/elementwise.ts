// Elementwise ops added to the core set: log1p, expm1, softplus, logSigmoid, maximum, minimum, where.
import * as kernels from '../kernels.js';
import { readNested } from '../nested.js';
import { broadcastShapes, formatShape } from '../shape.js';
import { describeValue as describe } from '../checks.js';
import { type Operand, Tensor, constant, node, operand } from '../tensor.js';
import * as opKernels from './kernels.js';

// out = log(1 + a)  ⇒  ∂out/∂a = 1/(1 + a)
export function log1p(a: Tensor): Tensor {
  const data = new Float64Array(a.size);
  for (let i = 0; i < data.length; i++) data[i] = Math.log1p(a.data[i]);
  return node('log1p', a.shape, data, [a], (gOut) => [gOut.div(a.add(1))]);
}

// out = eᵃ − 1  ⇒  ∂out/∂a = eᵃ = out + 1
export function expm1(a: Tensor): Tensor {
  const data = new Float64Array(a.size);
  for (let i = 0; i < data.length; i++) data[i] = Math.expm1(a.data[i]);
  const out: Tensor = node('expm1', a.shape, data, [a], (gOut) => [gOut.mul(out.add(1))]);
  return out;
}

// out = log(1 + eᵃ) = max(a, 0) + log1p(e^−|a|)  ⇒  ∂out/∂a = σ(a)
// NOTE: the split keeps e^x from overflowing and log1p keeps the small tail exact: softplus(−40)
// is e^−40 to the last bit, where log(1 + e^−40) would round to 0.
export function softplus(a: Tensor): Tensor {
  const data = new Float64Array(a.size);
  for (let i = 0; i < data.length; i++) {
    const x = a.data[i];
    data[i] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
  return node('softplus', a.shape, data, [a], (gOut) => [gOut.mul(a.sigmoid())]);
}

// log σ(a), composed: −softplus(−a), which inherits its stability (log σ(−40) = −40 − e^−40, log σ(40) = −e^−40).
export function logSigmoid(a: Tensor): Tensor {
  return a.neg().softplus().neg();
}

// out = max(a, b)  ⇒  ∂out/∂a = [a > b] + ½[a = b],  ∂out/∂b = [b > a] + ½[a = b]
// (and 1 to both where either is NaN, as torch.maximum's backward gives)
export function maximum(a: Tensor, other: Operand): Tensor {
  const b = operand(other, 'maximum');
  const shape = broadcastShapes(a.shape, b.shape, 'maximum');
  const { out, weightA, weightB } = opKernels.maximum(kernels.broadcastTo(a.data, a.shape, shape), kernels.broadcastTo(b.data, b.shape, shape));
  return node('maximum', shape, out, [a, b], (gOut) => [
    a.requiresGrad ? gOut.mul(constant(weightA, shape)) : null,
    b.requiresGrad ? gOut.mul(constant(weightB, shape)) : null,
  ]);
}

// min(a, b), composed: −max(−a, −b), with the same split of ties.
export function minimum(a: Tensor, other: Operand): Tensor {
  const b = operand(other, 'minimum');
  // The shapes are checked here, so that an Error names minimum, not the maximum it is built on.
  broadcastShapes(a.shape, b.shape, 'minimum');
  return maximum(a.neg(), b.neg()).neg();
}

/** A condition for `where`: a Tensor of 0/1 values, or nested arrays of booleans (or 0/1). */
export type Condition = Tensor | boolean | readonly Condition[];

/**
 * Elementwise `cond ? a : b` with broadcasting, as torch.where: the gradient flows to `a` where the
 * condition holds and to `b` elsewhere, none to the condition. Either branch may be a number.
 * @example where(tensor([1, 0]), x, 0) // x where the mask is 1, else 0
 */
// out = c ? a : b  ⇒  ∂out/∂a = c,  ∂out/∂b = 1 − c  (as where(c, gOut, 0) and where(c, 0, gOut))
export function where(condition: Condition, a: Operand, b: Operand): Tensor {
  const c = readCondition(condition);
  const x = operand(a, 'where');
  const y = operand(b, 'where');
  const shape = broadcastShapes(broadcastShapes(c.shape, x.shape, 'where'), y.shape, 'where');
  const mask = kernels.broadcastTo(c.data, c.shape, shape);
  const xs = kernels.broadcastTo(x.data, x.shape, shape);
  const ys = kernels.broadcastTo(y.data, y.shape, shape);
  for (let i = 0; i < mask.length; i++) xs[i] = mask[i] === 1 ? xs[i] : ys[i];
  return node('where', shape, xs, [x, y], (gOut) => [
    x.requiresGrad ? where(c, gOut, 0) : null,
    y.requiresGrad ? where(c, 0, gOut) : null,
  ]);
}

// The condition as a Tensor of exact 0s and 1s: anything else is an Error (a probability mask of 0.5 is a bug).
function readCondition(condition: Condition): Tensor {
  let c: Tensor;
  if (condition instanceof Tensor) {
    c = condition;
  } else if (Array.isArray(condition) || typeof condition === 'boolean') {
    const { data, shape } = readNested('where', condition, conditionLeaf);
    c = new Tensor(data, shape);
  } else {
    throw new Error(`where: condition must be a Tensor of 0/1 values or nested arrays of booleans, got ${describe(condition)}`);
  }
  const bad = c.data.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) {
    throw new Error(`where: condition of shape ${formatShape(c.shape)} holds ${c.data[bad]} at flat index ${bad} (expected 0 or 1)`);
  }
  return c;
}

// A leaf of a nested condition: a boolean (as 1 or 0) or a number (checked to be 0 or 1 by readCondition).
function conditionLeaf(value: unknown, at: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  throw new Error(`where: condition entries must be booleans or 0/1, got ${describe(value)} at ${at}`);
}
