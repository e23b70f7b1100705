// Weights the losses multiply by, never differentiated: per sample or element (sampleWeight), per
// element by broadcasting (weight), per entry of the last axis (posWeight), and the ignored-row masks.
import { Tensor, describeValue, formatShape, tensor, where } from '../engine/index.js';

/**
 * A weight per sample (Keras' `sample_weight`): a number (a scale), one weight per sample (a number[], or
 * a Tensor [N] or [N, 1]), or for dense and binary input a Tensor of the 'none' output's shape (one per element).
 */
export type SampleWeight = number | readonly number[] | Tensor;

// sampleWeight read against the loss map: its M = ∏ mapShape values as one flat row-major Tensor [M],
// a number (a plain scale), or null (none). A sample's weight covers each element of its map.
// NOTE: the weights multiply each term and leave 'mean''s denominator alone (Keras'
// sum_over_batch_size, docs/focal-loss.md §10): a weight of 0 does not shrink the count.
export function readSampleWeight(name: string, value: unknown, mapShape: readonly number[]): Tensor | number | null {
  if (value === undefined) return null;
  if (typeof value === 'number') {
    if (!(Number.isFinite(value) && value >= 0)) throw new Error(`${name}: sampleWeight must be a finite number ≥ 0, got ${describeValue(value)}`);
    return value;
  }
  const w = value instanceof Tensor ? value : Array.isArray(value) ? tensor(Float64Array.from(value as readonly number[])) : null;
  const n = mapShape.length === 0 ? 1 : mapShape[0];
  const size = mapShape.reduce((a, b) => a * b, 1);
  const perSample = w !== null && w.size === n && (w.ndim === 1 || (w.ndim === 2 && w.shape[1] === 1) || (w.ndim === 0 && n === 1));
  const perElement = w !== null && w.ndim === mapShape.length && w.shape.every((s, i) => s === mapShape[i]);
  if (w === null || !(perSample || perElement)) {
    const got = w === null ? describeValue(value) : `shape ${formatShape(w.shape)}`;
    throw new Error(`${name}: sampleWeight must be a number, one weight per sample ([${n}]) or one per element (${formatShape(mapShape)}), got ${got}`);
  }
  checkWeights(name, 'sampleWeight', w);
  if (perElement || size === n) return w.reshape([size]);
  const per = size / n;
  const flat = new Float64Array(size);
  for (let i = 0; i < size; i++) flat[i] = w.data[Math.floor(i / per)];
  return tensor(flat, { shape: [size] });
}

// Each term times its sample's weight (terms: the per-sample or per-element losses, M of them in any shape).
export function weighTerms(terms: Tensor, sampleWeight: Tensor | number | null): Tensor {
  if (sampleWeight === null) return terms;
  return terms.mul(typeof sampleWeight === 'number' ? sampleWeight : sampleWeight.reshape(terms.shape));
}

// One finite weight ≥ 0 per entry of the input's last axis (PyTorch's pos_weight).
function lastAxisWeights(name: string, what: string, value: unknown, x: Tensor): Tensor {
  const last = x.ndim === 0 ? 1 : x.shape[x.ndim - 1];
  const w = value instanceof Tensor ? value : Array.isArray(value) ? tensor(Float64Array.from(value as readonly number[])) : null;
  if (w === null || w.ndim !== 1 || w.size !== last) {
    throw new Error(`${name}: ${what} must be a number[] or a 1-D Tensor of ${last} weights (one per entry of the last axis), got ${w === null ? typeof value : `shape ${formatShape(w.shape)}`}`);
  }
  checkWeights(name, what, w);
  return w;
}

// A weight Tensor that broadcasts to the input (or a number[] over its last axis).
export function broadcastWeight(name: string, what: string, value: unknown, x: Tensor): Tensor {
  if (!(value instanceof Tensor)) return lastAxisWeights(name, what, value, x);
  const broadcasts = value.ndim <= x.ndim && value.shape.every((s, i) => s === 1 || s === x.shape[x.ndim - value.ndim + i]);
  if (!broadcasts) {
    throw new Error(`${name}: ${what} of shape ${formatShape(value.shape)} does not broadcast to the logits' shape ${formatShape(x.shape)}`);
  }
  checkWeights(name, what, value);
  return value;
}

function checkWeights(name: string, what: string, w: Tensor): void {
  const bad = w.data.findIndex((v) => !(Number.isFinite(v) && v >= 0));
  if (bad >= 0) throw new Error(`${name}: ${what}[${bad}] must be a finite number ≥ 0, got ${w.data[bad]}`);
}

// NOTE: an ignored row or element is never computed on: its scores are replaced by `fill` (0 for
// logits, a valid probability for probs) before any arithmetic, and its term is multiplied by 0. The
// replaced values give finite terms, so the term's value is 0 and where's backward hands the input an
// exact 0, for any finite input (a row [9e307, −9e307] would otherwise overflow to NaN, and NaN·0 = NaN).
export function withoutIgnored(scores: Tensor, keep: Float64Array | null, fill: number): Tensor {
  if (keep === null) return scores;
  // One mask value per element (binary input), or per row of [M, C] scores.
  const shape = keep.length === scores.size ? scores.shape : [keep.length, 1];
  return where(tensor(keep, { shape: [...shape] }), scores, fill);
}
