// Matrix products, each with its forward, its backward rule and the derivative: matmul with torch.matmul's
// rules (1-D promotion, broadcast batch axes), the 2-D product with transposes its backward runs on, and addmm.
import { addBroadcastInPlace } from '../kernels/elementwise.js';
import * as kernels from '../kernels/matmul.js';
import { allocate } from '../buffers.js';
import { describeValue, formatShape } from '../format.js';
import { broadcastShapes, sameShape, shapeSize } from '../shape.js';
import { type Operand, Tensor, node, operand } from '../tensor.js';

// *** matmul ***

// The cases, as torch.matmul documents them:
// - 1-D · 1-D: the dot product (a scalar);
// - a 1-D operand is promoted to a matrix ([k] → [1, k] on the left, [k, 1] on the right) and the
//   added axis is removed from the result;
// - 2-D · 2-D: the matrix product;
// - otherwise the leading axes are batch axes and broadcast: [B, n, k]·[k, m] → [B, n, m],
//   [B, 1, n, k]·[C, k, m] → [B, C, n, m].
export function matmul(a: Tensor, other: Tensor): Tensor {
  if (!(other instanceof Tensor)) throw new Error(`matmul: expected a Tensor as operand, got ${describeValue(other)}`);
  const b = other;
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both operands need at least 1 axis, got ${formatShape(a.shape)} and ${formatShape(b.shape)} (use mul for scalars)`);
  }
  const k = a.shape[a.ndim - 1];
  const kb = b.shape[b.ndim === 1 ? 0 : b.ndim - 2];
  if (k !== kb) {
    throw new Error(
      `matmul: inner sizes differ: ${formatShape(a.shape)} · ${formatShape(b.shape)} ` +
        `(expected a's last size ${k} to equal b's ${b.ndim === 1 ? 'only' : 'second-to-last'} size ${kb})`,
    );
  }
  if (a.ndim === 1 && b.ndim === 1) return product(a.reshape([1, k]), b.reshape([k, 1])).reshape([]);
  if (a.ndim === 1) return product(a.reshape([1, k]), b).squeeze(-2);
  if (b.ndim === 1) return product(a, b.reshape([k, 1])).squeeze(-1);
  return product(a, b);
}

// Both operands at least 2-D, inner sizes equal.
function product(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 2 && b.ndim === 2) return matmulTransposed(a, b, false, false);
  const [n, k] = a.shape.slice(-2);
  const m = b.shape[b.ndim - 1];
  // NOTE: a batch times one matrix is one tall product: [B·n, k]·[k, m] runs the kernel once, on
  // the layout a already has, so it costs what the unbatched product of the same flops costs.
  if (b.ndim === 2) return matmulTransposed(a.reshape([shapeSize(a.shape.slice(0, -1)), k]), b, false, false).reshape([...a.shape.slice(0, -1), m]);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
  const aFull = a.ndim === batch.length + 2 && a.shape.slice(0, -2).every((s, i) => s === batch[i]) ? a : a.expand([...batch, n, k]);
  const bFull = b.ndim === batch.length + 2 && b.shape.slice(0, -2).every((s, i) => s === batch[i]) ? b : b.expand([...batch, k, m]);
  return batchedProduct(aFull, bFull);
}

// out = A·B with A = op(a), B = op(b), op a transpose where asked (never built)  ⇒  ∂out/∂A = gOut·Bᵀ,  ∂out/∂B = Aᵀ·gOut
// The plain 2-D product is this with no transposes; backward needs the other variants:
// when A = aᵀ, ga = (gA)ᵀ = B·gOutᵀ, and likewise for b.
function matmulTransposed(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const m = transA ? a.shape[1] : a.shape[0];
  const k = transA ? a.shape[0] : a.shape[1];
  const n = transB ? b.shape[0] : b.shape[1];
  const data = kernels.matmul(a.data, b.data, m, k, n, transA, transB);
  return node('matmul', [m, n], data, [a, b], (gOut) => [
    a.requiresGrad ? (transA ? matmulTransposed(b, gOut, transB, true) : matmulTransposed(gOut, b, false, !transB)) : null,
    b.requiresGrad ? (transB ? matmulTransposed(gOut, a, true, transA) : matmulTransposed(a, gOut, !transA, false)) : null,
  ]);
}

// out[β] = a[β]·b[β] for each batch index β, a [..., n, k] and b [..., k, m] with equal batch axes
// ⇒  ∂out/∂a = gOut·bᵀ,  ∂out/∂b = aᵀ·gOut, batch by batch
function batchedProduct(a: Tensor, b: Tensor): Tensor {
  const [n, k] = a.shape.slice(-2);
  const m = b.shape[b.ndim - 1];
  const batchShape = a.shape.slice(0, -2);
  const count = shapeSize(batchShape);
  // Broadcast batch axes can make the product far larger than either operand: checked before allocation.
  const out = allocate('matmul', count * n * m, [...batchShape, n, m]);
  // Each slice is a view (subarray) into the same buffers, its product run by the 2-D kernel (the
  // wasm one where the slice is large enough).
  for (let s = 0; s < count; s++) {
    kernels.matmulInto(
      a.data.subarray(s * n * k, (s + 1) * n * k),
      b.data.subarray(s * k * m, (s + 1) * k * m),
      n, k, m, false, false,
      out.subarray(s * n * m, (s + 1) * n * m),
    );
  }
  return node('matmul', [...batchShape, n, m], out, [a, b], (gOut) => [
    a.requiresGrad ? gOut.matmul(b.transpose(-2, -1)) : null,
    b.requiresGrad ? a.transpose(-2, -1).matmul(gOut) : null,
  ]);
}

// *** addmm ***

/**
 * input + mat1·mat2 in one graph node, as torch.addmm(input, mat1, mat2) with beta = alpha = 1:
 * mat1 [n, k], mat2 [k, m], and input broadcasting to [n, m] (a bias [m], a scalar, ...).
 * A Linear layer's forward (x·W + b): the bias is added into the product's own array, so the
 * layer makes one array and one node instead of two, with the same bits as `mat1.matmul(mat2).add(input)`.
 * @example
 * const out = addmm(bias, x, weight); // x [N, in] · weight [in, out] + bias [out]
 */
export function addmm(input: Operand, mat1: Tensor, mat2: Tensor): Tensor {
  const bias = operand(input, 'addmm');
  const a = operand(mat1, 'addmm');
  const b = operand(mat2, 'addmm');
  if (a.ndim !== 2 || b.ndim !== 2 || a.shape[1] !== b.shape[0]) {
    throw new Error(
      `addmm: expected mat1 [n, k] and mat2 [k, m], got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const shape = [a.shape[0], b.shape[1]];
  if (!sameShape(broadcastShapes(bias.shape, shape, 'addmm'), shape)) {
    throw new Error(`addmm: input of shape ${formatShape(bias.shape)} does not broadcast to the product's shape ${formatShape(shape)}`);
  }
  const data = kernels.matmul(a.data, b.data, shape[0], a.shape[1], shape[1], false, false);
  addBroadcastInPlace(data, shape, bias.data, bias.shape);
  // out = input + A·B  ⇒  gInput = gOut (summed back to input's shape),  gA = gOut·Bᵀ,  gB = Aᵀ·gOut
  return node('addmm', shape, data, [bias, a, b], (gOut) => [
    gOut,
    a.requiresGrad ? matmulTransposed(gOut, b, false, true) : null,
    b.requiresGrad ? matmulTransposed(a, gOut, true, false) : null,
  ]);
}
