// Backward: the reverse-mode sweep that runs each node's backward rule from a root and gathers the gradients.
import { GradientStore } from './buffers.js';
import { formatShape } from './format.js';
import { withGradMode } from './gradMode.js';
import { type Shape, broadcastAxes, sameShape } from './shape.js';
import type { Tensor } from './tensor.js';

// The sweep: from the root to the leaves, each node after every node that consumes it. A node takes the
// gradient gathered for it; a leaf (or a stop: one of `targets`) keeps it, any other node hands each input
// its share through the rule, summed back to the input's shape. With targets null, leaves add into .grad;
// otherwise the targets' gradients are returned (torch.autograd.grad) and no .grad is touched.
export function runBackward(root: Tensor, gOut: Tensor, createGraph: boolean, targets: readonly Tensor[] | null): (Tensor | null)[] {
  const found: (Tensor | null)[] = targets === null ? [] : targets.map(() => null);
  // NOTE: only a plain sweep reuses buffers: with createGraph, gradients are graph nodes a caller may keep.
  const grads = new GradientStore(!createGraph);
  grads.add(root, gOut);
  withGradMode(createGraph, () => grads.during(() => {
    for (let node = grads.next(); node !== null; node = grads.next()) {
      const g = grads.take(node);
      const stop = targets === null ? -1 : targets.indexOf(node);
      if (stop >= 0) found[stop] = grads.handOut(g);
      else if (node.backwardRule === null) { if (targets === null) grads.deliver(node, g); }
      else {
        const gIns = node.backwardRule(g, node);
        for (let j = 0; j < node.inputs.length; j++) {
          const input = node.inputs[j];
          const gIn = gIns[j];
          if (gIn !== null && gIn !== undefined && input.requiresGrad) grads.add(input, sumToShape(gIn, input.shape, node.op));
        }
      }
    }
  }));
  return found;
}

// Every node that root depends on through tensors requiring grad (through every tensor, constants
// included, with constantsToo: what a drawing of the graph shows), each after all its inputs. For pictures,
// traces and grad(); the sweep above gets the same guarantee from the store (latest-made node first).
// NOTE: an explicit stack, not recursion: a chain of 100,000 ops would overflow the call stack.
export function topologicalOrder(root: Tensor, constantsToo = false): Tensor[] {
  const seen = new Set<Tensor>([root]);
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const current = stack[top];
    const i = nextInput[top];
    if (i < current.inputs.length) {
      nextInput[top] = i + 1;
      const input = current.inputs[i];
      const before = seen.size;
      // Added to seen here, and pushed only if it was not there yet (one lookup, not two).
      if ((constantsToo || input.requiresGrad) && seen.add(input).size > before) {
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
