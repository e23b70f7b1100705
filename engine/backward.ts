// Backward: the reverse-mode sweep that runs each Tensor's backward rule from a root and accumulates the gradients.
import { optionsHint } from './checks.js';
import * as buffers from './buffers.js';
import * as kernels from './kernels.js';
import { withGradMode } from './gradMode.js';
import { type Shape, broadcastAxes, formatShape, sameShape } from './shape.js';
import { Tensor, describe } from './tensor.js';

// A leaf's first .grad: its own copy (a rule may hand one gradient to several inputs, and a user
// may change .grad.data in place), unless backward made the buffer and nothing else refers to it.
function leafGrad(g: Tensor, createGraph: boolean): Tensor {
  if (createGraph) return g;
  if (buffers.soleHolder(g.data)) {
    buffers.escape(g.data);
    return g;
  }
  return new Tensor(g.data.slice(), g.shape);
}

export function upstreamGradient(t: Tensor, gOut: Tensor | undefined): Tensor {
  if (gOut === undefined) {
    if (t.size !== 1) {
      throw new Error(
        `backward: gOut is required for a non-scalar tensor of shape ${formatShape(t.shape)} ` +
          `(pass a gradient of the same shape, or reduce to a scalar first)`,
      );
    }
    return new Tensor(new Float64Array([1]), t.shape);
  }
  // loss.backward({ retainGraph: true }): PyTorch's keywords where gOut goes get a hint (optionsHint).
  if (!(gOut instanceof Tensor)) throw new Error(`backward: gOut must be a Tensor, got ${describe(gOut)}${optionsHint(gOut)}`);
  if (!sameShape(gOut.shape, t.shape)) {
    throw new Error(
      `backward: gOut has shape ${formatShape(gOut.shape)} but the tensor has shape ${formatShape(t.shape)} (expected equal shapes)`,
    );
  }
  return gOut;
}

let visitEpoch = 0;

// Every node that root depends on through tensors requiring grad, each after all its inputs.
// NOTE: an explicit stack, not recursion: a chain of 100,000 ops would overflow the call stack.
export function topologicalOrder(root: Tensor): Tensor[] {
  const epoch = ++visitEpoch;
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  root.visitMark = epoch;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const current = stack[top];
    const i = nextInput[top];
    if (i < current.inputs.length) {
      nextInput[top] = i + 1;
      const input = current.inputs[i];
      if (input.requiresGrad && input.visitMark !== epoch) {
        input.visitMark = epoch;
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      stack.pop();
      nextInput.pop();
      order.push(current);
    }
  }
  return order;
}

// The one place where a gradient of a broadcast input is summed back to the input's shape.
export function sumToShape(g: Tensor, shape: Shape, op: string): Tensor {
  if (sameShape(g.shape, shape)) return g;
  // shape must broadcast to g's shape: aligned from the right, each size equal or 1.
  const lead = g.ndim - shape.length;
  const compatible = lead >= 0 && shape.every((size, i) => size === 1 || size === g.shape[lead + i]);
  if (!compatible) {
    throw new Error(
      `${op}: backward produced a gradient of shape ${formatShape(g.shape)} for an input of shape ${formatShape(shape)}`,
    );
  }
  let reduced = g;
  const axes = broadcastAxes(g.shape, shape);
  for (let i = axes.length - 1; i >= 0; i--) reduced = reduced.sum(axes[i], true);
  return reduced.reshape(shape);
}

// Reverse-mode sweep from root. With targets null, leaves accumulate into .grad; otherwise the
// gradients of the targets are returned (torch.autograd.grad) and no .grad is touched.
export function runBackward(
  root: Tensor,
  gOut: Tensor,
  createGraph: boolean,
  targets: readonly Tensor[] | null,
): (Tensor | null)[] {
  const order = topologicalOrder(root);
  const found: (Tensor | null)[] = targets === null ? [] : targets.map(() => null);
  root.pendingGrad = gOut;
  const sweep = (): void => {
    for (let i = order.length - 1; i >= 0; i--) {
      const current = order[i];
      const g = current.pendingGrad;
      current.pendingGrad = null;
      if (g === null) continue;
      if (targets !== null) {
        const t = targets.indexOf(current);
        if (t >= 0) {
          buffers.escape(g.data);
          found[t] = g;
          continue;
        }
      }
      const rule = current.backwardRule;
      if (rule === null) {
        if (targets === null) {
          current.grad = current.grad === null ? leafGrad(g, createGraph) : current.grad.add(g);
          buffers.escape(current.grad.data);
        }
        buffers.letGo(g.data);
        continue;
      }
      const grads = rule(g, current);
      for (let j = 0; j < current.inputs.length; j++) {
        const input = current.inputs[j];
        const gIn = grads[j];
        if (gIn === null || gIn === undefined || !input.requiresGrad) continue;
        accumulate(input, sumToShape(gIn, input.shape, current.op));
        buffers.letGoIfUnheld(gIn.data);
      }
      buffers.letGo(g.data);
    }
  };
  try {
    // NOTE: only a plain pass reuses buffers: with createGraph, gradients are graph nodes a caller may keep.
    withGradMode(createGraph, () => buffers.withBufferPass(!createGraph, sweep));
  } finally {
    for (let i = 0; i < order.length; i++) order[i].pendingGrad = null;
  }
  return found;
}

// input.pendingGrad += g. In place when backward made the pending buffer and nothing else refers to
// it (the sum has the same bits either way); otherwise into a new tensor.
function accumulate(input: Tensor, g: Tensor): void {
  const pending = input.pendingGrad;
  if (pending === null) {
    input.pendingGrad = g;
    buffers.hold(g.data);
  } else if (buffers.soleHolder(pending.data)) {
    kernels.addInPlace(pending.data, g.data);
    buffers.letGoIfUnheld(g.data);
  } else {
    const sum = pending.add(g);
    input.pendingGrad = sum;
    buffers.hold(sum.data);
    buffers.letGo(pending.data);
    buffers.letGoIfUnheld(g.data);
  }
}
