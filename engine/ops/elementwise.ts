// Elementwise ops, each with its forward, its backward rule and the derivative, by topic: arithmetic with
// broadcasting, powers and logarithms, activations, clipping, and the two-way choices (maximum, where).
import * as kernels from '../kernels/elementwise.js';
import { broadcastTo } from '../kernels/layout.js';
import { describeValue, formatShape } from '../format.js';
import { isGradEnabled } from '../gradMode.js';
import { readNested } from '../nested.js';
import { broadcastShapes } from '../shape.js';
import { type BackwardRule, type Operand, Tensor, constant, node, operand } from '../tensor.js';

// *** arithmetic, with NumPy broadcasting ***

// The four share one forward: broadcast the shapes, run the kernel, record the node. Each rule is one
// shared function rather than a closure per node, so a 10,000-op chain holds fewer objects for the GC.
function broadcastBinary(op: kernels.BinaryKind, a: Tensor, other: Operand, rule: BackwardRule): Tensor {
  const b = operand(other, op);
  const shape = broadcastShapes(a.shape, b.shape, op);
  return node(op, shape, kernels.binary(op, a.data, a.shape, b.data, b.shape, shape), [a, b], rule);
}

// out = a + b  ⇒  ∂out/∂a = 1,  ∂out/∂b = 1   (backward sums a broadcast gradient back to each input's shape)
export const add = (a: Tensor, b: Operand): Tensor => broadcastBinary('add', a, b, addRule);
const addRule: BackwardRule = (gOut) => [gOut, gOut];

// out = a − b  ⇒  ∂out/∂a = 1,  ∂out/∂b = −1
export const sub = (a: Tensor, b: Operand): Tensor => broadcastBinary('sub', a, b, subRule);
const subRule: BackwardRule = (gOut, out) => [gOut, out.inputs[1].requiresGrad ? gOut.neg() : null];

// out = a · b  ⇒  ∂out/∂a = b,  ∂out/∂b = a
export const mul = (a: Tensor, b: Operand): Tensor => broadcastBinary('mul', a, b, mulRule);
const mulRule: BackwardRule = (gOut, out) => {
  const a = out.inputs[0];
  const b = out.inputs[1];
  return [a.requiresGrad ? gOut.mul(b) : null, b.requiresGrad ? gOut.mul(a) : null];
};

// out = a / b  ⇒  ∂out/∂a = 1/b,  ∂out/∂b = −a/b² = −out/b
export const div = (a: Tensor, b: Operand): Tensor => broadcastBinary('div', a, b, divRule);
const divRule: BackwardRule = (gOut, out) => {
  const a = out.inputs[0];
  const b = out.inputs[1];
  return [a.requiresGrad ? gOut.div(b) : null, b.requiresGrad ? gOut.mul(out).div(b).neg() : null];
};

// −a, composed: a · (−1)
export const neg = (a: Tensor): Tensor => a.mul(-1);

// *** powers, exponentials and logarithms ***

// out = eᵃ  ⇒  ∂out/∂a = eᵃ = out
export function exp(a: Tensor): Tensor {
  return node('exp', a.shape, kernels.unary('exp', a.data), [a], (gOut, out) => [gOut.mul(out)]);
}

// out = eᵃ − 1  ⇒  ∂out/∂a = eᵃ = out + 1   (exact also where a is tiny)
export function expm1(a: Tensor): Tensor {
  return node('expm1', a.shape, kernels.unary('expm1', a.data), [a], (gOut, out) => [gOut.mul(out.add(1))]);
}

// out = ln a  ⇒  ∂out/∂a = 1/a
export function log(a: Tensor): Tensor {
  return node('log', a.shape, kernels.unary('log', a.data), [a], (gOut) => [gOut.div(a)]);
}

// out = log(1 + a)  ⇒  ∂out/∂a = 1/(1 + a)   (exact also where a is tiny)
export function log1p(a: Tensor): Tensor {
  return node('log1p', a.shape, kernels.unary('log1p', a.data), [a], (gOut) => [gOut.div(a.add(1))]);
}

// out = aᵖ  ⇒  ∂out/∂a = p·aᵖ⁻¹, and exactly 0 when p = 0 (also at a = 0, where 0·0⁻¹ would be NaN)
export function pow(a: Tensor, p: number): Tensor {
  if (typeof p !== 'number' || !Number.isFinite(p)) {
    throw new Error(`pow: exponent must be a finite number, got ${describeValue(p)}`);
  }
  return node('pow', a.shape, kernels.pow(a.data, p), [a], (gOut) => [
    p === 0
      ? constant(new Float64Array(a.size), a.shape)
      : isGradEnabled()
        ? gOut.mul(a.pow(p - 1).mul(p))
        : constant(kernels.powBackward(gOut.data, a.data, p), a.shape), // the same bits, one pass
  ]);
}

// out = √a  ⇒  ∂out/∂a = 1/(2√a) = 1/(2·out)   (∞ at a = 0, as in PyTorch)
export function sqrt(a: Tensor): Tensor {
  return node('sqrt', a.shape, kernels.unary('sqrt', a.data), [a], (gOut, out) => [gOut.div(out.mul(2))]);
}

// out = |a|  ⇒  ∂out/∂a = sign(a), taken as 0 at a = 0 (PyTorch: sign(0) = 0)
export function abs(a: Tensor): Tensor {
  return node('abs', a.shape, kernels.unary('abs', a.data), [a], (gOut) => [gOut.mul(constant(kernels.unary('sign', a.data), a.shape))]);
}

// *** activations ***

// out = σ(a) = 1/(1 + e⁻ᵃ)  ⇒  ∂out/∂a = σ(a)·σ(−a)
// NOTE: σ(−a) rather than 1 − σ(a): the latter cancels to 0 (or to noise) once σ(a) rounds near 1.
// The forward pass keeps σ(−a) (the same e^−|a| gives both) for a plain backward; a createGraph backward
// builds it from ops instead, so that it can be differentiated again. Both have the same bits.
export function sigmoid(a: Tensor): Tensor {
  const { out, flip } = kernels.sigmoidPair(a.data, recording(a));
  return node('sigmoid', a.shape, out, [a], (gOut, result) => [
    isGradEnabled() || flip === null
      ? gOut.mul(result).mul(a.neg().sigmoid())
      : constant(kernels.mulMul(gOut.data, result.data, flip), a.shape), // the same bits, one pass
  ]);
}

// out = log(1 + eᵃ) = max(a, 0) + log1p(e^−|a|)  ⇒  ∂out/∂a = σ(a)   (stable for |a| up to 1e4 and beyond)
// NOTE: σ(a) comes from the forward pass's own e^−|a| for a plain backward (as sigmoid keeps σ(−a)).
export function softplus(a: Tensor): Tensor {
  const { out, sigma } = kernels.softplusSlope(a.data, recording(a));
  return node('softplus', a.shape, out, [a], (gOut) => [
    gOut.mul(isGradEnabled() || sigma === null ? a.sigmoid() : constant(sigma, a.shape)),
  ]);
}

// Whether an op on `a` records a node, and so will have a backward to keep values for.
function recording(a: Tensor): boolean {
  return a.requiresGrad && isGradEnabled();
}

// log σ(a), composed: −softplus(−a), which inherits its stability (log σ(−40) = −40 − e^−40, log σ(40) = −e^−40).
export const logSigmoid = (a: Tensor): Tensor => a.neg().softplus().neg();

// out = max(a, 0)  ⇒  ∂out/∂a = 1 where a > 0, else 0 (relu'(0) = 0, as in PyTorch)
export function relu(a: Tensor): Tensor {
  return node('relu', a.shape, kernels.unary('relu', a.data), [a], (gOut) => [maskPositive(gOut, a)]);
}

// gOut · [a > 0], relu's backward, in one pass without building the mask. It is linear in gOut
// with the same mask, so its own backward is itself: createGraph can differentiate it again.
function maskPositive(gOut: Tensor, a: Tensor): Tensor {
  return node('mul', a.shape, kernels.mulPositive(gOut.data, a.data), [gOut], (g) => [maskPositive(g, a)]);
}

// out = tanh a  ⇒  ∂out/∂a = 1 − out²
export function tanh(a: Tensor): Tensor {
  return node('tanh', a.shape, kernels.unary('tanh', a.data), [a], (gOut, out) => [gOut.mul(out.mul(out).neg().add(1))]);
}

// *** clipping and choosing ***

// out = min(max(a, min), max)  ⇒  ∂out/∂a = 1 where min ≤ a ≤ max, else 0 (PyTorch's rule at the edges)
export function clamp(a: Tensor, min: number, max: number): Tensor {
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new Error(`clamp: expected numbers min ≤ max, got min = ${describeValue(min)}, max = ${describeValue(max)}`);
  }
  return node('clamp', a.shape, kernels.clamp(a.data, min, max), [a], (gOut) => [
    gOut.mul(constant(kernels.insideMask(a.data, min, max), a.shape)),
  ]);
}

// out = max(a, b)  ⇒  ∂out/∂a = [a > b] + ½[a = b],  ∂out/∂b = [b > a] + ½[a = b]
// (and 1 to both where either is NaN, as torch.maximum's backward gives)
export function maximum(a: Tensor, other: Operand): Tensor {
  const b = operand(other, 'maximum');
  const shape = broadcastShapes(a.shape, b.shape, 'maximum');
  const { out, weightA, weightB } = kernels.maximum(broadcastTo(a.data, a.shape, shape), broadcastTo(b.data, b.shape, shape));
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
  const data = kernels.select(broadcastTo(c.data, c.shape, shape), broadcastTo(x.data, x.shape, shape), broadcastTo(y.data, y.shape, shape));
  return node('where', shape, data, [x, y], (gOut) => [
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
    throw new Error(`where: condition must be a Tensor of 0/1 values or nested arrays of booleans, got ${describeValue(condition)}`);
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
  throw new Error(`where: condition entries must be booleans or 0/1, got ${describeValue(value)} at ${at}`);
}
