// traceBackward: the backward pass one node at a time, as the engine runs it, for watching the chain rule.
import { gradients } from './autograd.js';
import { topologicalOrder } from './backward.js';
import { describeValue, formatShape } from './format.js';
import { Tensor } from './tensor.js';

/** One node of a backward pass and the gradient that reached it. */
export interface BackwardStep {
  readonly tensor: Tensor;
  /** ∂root/∂tensor (times gOut), in the tensor's shape: the sum over every path from the tensor to the root */
  readonly grad: Tensor;
}

/**
 * The nodes that `root.backward(gOut)` visits, in its order (reverse topological: the root first,
 * every node after all the nodes that consume it), each with the gradient the engine has gathered
 * for it when it gets there. Each gradient is the engine's own: the backward pass run up to that
 * node (as `torch.autograd.grad(root, node)` would), so nothing here re-derives a rule. It touches
 * no `.grad`. It costs one backward pass per node, which is nothing for the small graphs it is for
 * (a loss on one sample), and quadratic for big ones. Constants (nodes that do not require grad)
 * are left out, as backward leaves them.
 * @example
 * const z = tensor([[1, 2, 0.5]], { requiresGrad: true, name: 'logits' });
 * for (const { tensor, grad } of traceBackward(focalLoss(z, [0]))) console.log(tensor.op, grad.toArray());
 */
export function traceBackward(root: Tensor, gOut?: Tensor): BackwardStep[] {
  if (!(root instanceof Tensor)) throw new Error(`traceBackward: expected a Tensor as root, got ${describeValue(root)}`);
  if (!root.requiresGrad) {
    throw new Error(
      `traceBackward: this ${root.op} tensor of shape ${formatShape(root.shape)} does not require grad ` +
        `(expected a result computed from a tensor with requiresGrad: true)`,
    );
  }
  if (gOut === undefined && root.size !== 1) {
    throw new Error(`traceBackward: gOut is required for a non-scalar root of shape ${formatShape(root.shape)}`);
  }
  if (gOut !== undefined && (!(gOut instanceof Tensor) || formatShape(gOut.shape) !== formatShape(root.shape))) {
    const got = gOut instanceof Tensor ? `shape ${formatShape(gOut.shape)}` : describeValue(gOut);
    throw new Error(`traceBackward: gOut must be a Tensor of the root's shape ${formatShape(root.shape)}, got ${got}`);
  }
  const order = topologicalOrder(root);
  const steps: BackwardStep[] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const g = gradients(root, [order[i]], gOut)[0];
    // A copy: the steps outlive the backward pass that made each gradient, whose buffers are its own.
    steps.push({ tensor: order[i], grad: new Tensor(g.data.slice(), g.shape) });
  }
  return steps;
}
