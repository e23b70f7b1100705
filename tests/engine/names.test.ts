// Names, scopes, toGraph, toDot's clusters and traceBackward: labels that change no value, and the backward pass one node at a time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type BackwardStep,
  type Tensor,
  scopePath,
  tensor,
  toDot,
  toGraph,
  traceBackward,
  withScope,
} from '../../engine/index.js';

test('tensor(v, { name }) and named(): the name is a label on the same node', () => {
  const x = tensor([1, 2], { requiresGrad: true, name: 'x' });
  assert.is(x.name, 'x');
  const y = x.mul(2);
  assert.is(y.name, null, 'an op result has no name until given one');
  assert.is(y.named('y'), y, 'named returns the tensor itself, not a copy');
  assert.is(y.name, 'y');
  y.named('twice x');
  assert.is(y.name, 'twice x', 'a second name replaces the first');
  y.sum().backward();
  assert.equal(Array.from(x.grad!.data), [2, 2], 'naming changes no gradient');
});

test('bad names are Errors naming the function and the value', () => {
  assert.throws(() => tensor([1], { name: '' }), /^tensor: options.name must be a non-empty string, got ""$/);
  assert.throws(() => tensor([1], { name: 3 as unknown as string }), /^tensor: options.name must be a non-empty string, got 3$/);
  assert.throws(() => tensor([1]).named(null as unknown as string), /^named: expected a non-empty string as the tensor's name, got object$/);
  assert.throws(() => withScope('', () => 1), /^withScope: expected a non-empty string as the scope's name, got ""$/);
  assert.throws(() => withScope('s', 5 as unknown as () => number), /^withScope: expected a function to run inside scope "s", got 5$/);
});

test('withScope: nodes made inside carry the scope, nested as the calls were; outside, none', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  assert.is(x.scope, null);
  let inner: Tensor | null = null;
  const out = withScope('outer', () => {
    const a = x.exp();
    inner = withScope('inner', () => a.log());
    return inner.sum();
  });
  assert.equal(scopePath(out.scope), ['outer']);
  assert.equal(scopePath(inner!.scope), ['outer', 'inner']);
  assert.is(inner!.scope!.parent, out.scope, 'the inner scope points at the enclosing call');
  assert.is(x.add(1).scope, null, 'the scope is closed after the call');
  assert.equal(scopePath(null), []);
  assert.throws(() => scopePath(5 as unknown as null), /^scopePath: expected a Scope \(a tensor's \.scope\) or null, got 5$/);
  assert.throws(() => scopePath({ name: 'a', parent: {} } as unknown as null), /^scopePath: expected a Scope/);
});

test('withScope returns fn\'s value and closes the scope when fn throws', () => {
  assert.is(withScope('s', () => 42), 42);
  assert.throws(() => withScope('failing', () => { throw new Error('boom'); }), /^boom$/);
  assert.is(tensor([1]).scope, null, 'no scope left open by the throw');
});

test('two calls of the same function are two scopes', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const a = x.mean();
  const b = x.mean();
  assert.equal(scopePath(a.scope), ['mean']);
  assert.ok(a.scope !== b.scope, 'each call makes its own Scope');
});

test('mean and softmax mark the nodes they are composed of', () => {
  const x = tensor([[1, 2], [3, 5]], { requiresGrad: true });
  const m = x.mean(1);
  assert.is(m.op, 'div');
  assert.is(m.inputs[0].op, 'sum');
  assert.equal(scopePath(m.scope), ['mean']);
  assert.equal(scopePath(m.inputs[0].scope), ['mean']);
  const s = withScope('model', () => x.softmax(-1));
  assert.is(s.op, 'exp');
  assert.equal(scopePath(s.scope), ['model', 'softmax']);
  assert.equal(scopePath(s.inputs[0].scope), ['model', 'softmax'], 'its logSoftmax too');
  // The values are those of the unscoped composition: (1 + 2)/2, (3 + 5)/2, and e^a / Σ e.
  assert.equal(Array.from(m.data), [1.5, 4]);
  assert.ok(Math.abs(s.data[0] - Math.exp(1) / (Math.exp(1) + Math.exp(2))) < 1e-15);
});

test('toGraph: every tensor once, in topological order, with its name, scopes and input ids', () => {
  const x = tensor([1, 2], { requiresGrad: true, name: 'x' });
  const c = tensor([3, 4], { name: 'c' });
  const out = withScope('f', () => x.mul(c).add(x)).sum().named('out');
  const { nodes, scopes } = toGraph(out);
  assert.equal(nodes.map((n) => n.op), ['leaf', 'leaf', 'mul', 'add', 'sum']);
  assert.equal(nodes.map((n) => n.name), ['x', 'c', null, null, 'out']);
  assert.equal(nodes.map((n) => n.id), [0, 1, 2, 3, 4]);
  assert.equal(nodes[2].inputs, [0, 1]);
  assert.equal(nodes[3].inputs, [2, 0], 'x feeds both mul and add: one node, two edges');
  assert.equal(nodes.map((n) => n.scopes.map((s) => s.name).join('/')), ['', '', 'f', 'f', '']);
  assert.equal(scopes.map((s) => s.name), ['f']);
  nodes.forEach((n) => n.inputs.forEach((i) => assert.ok(i < n.id, `node ${n.id} comes before its input ${i}`)));
});

test('toGraph walks a 100,000-op chain without overflowing the call stack', () => {
  const one = tensor([1]);
  let y = tensor([1], { requiresGrad: true });
  for (let i = 0; i < 100_000; i++) y = y.add(one);
  const { nodes } = toGraph(y);
  assert.is(nodes.length, 100_000 + 2, 'the leaf, the shared constant and one node per add');
  assert.is(nodes[nodes.length - 1].tensor, y);
});

test('toDot: names as the first line of a label, scopes as nested clusters', () => {
  const x = tensor([1, 2], { requiresGrad: true, name: 'logits' });
  const out = withScope('loss', () => withScope('inner', () => x.exp()).sum()).named('the "loss"');
  const dot = toDot(out);
  assert.ok(dot.includes('label="logits\\nleaf [2]\\nrequiresGrad", style=rounded'), dot);
  assert.ok(dot.includes('label="the \\"loss\\"\\nsum []'), `a quote in a name is escaped:\n${dot}`);
  const lines = dot.split('\n');
  const open = lines.findIndex((l) => l === '  subgraph cluster_0 {');
  assert.ok(open > 0, dot);
  assert.is(lines[open + 1], '    label="loss";');
  assert.is(lines[open + 2], '    subgraph cluster_1 {');
  assert.is(lines[open + 3], '      label="inner";');
  assert.match(lines[open + 4], /^ {6}n\d+ \[label="exp \[2\]"\];$/);
  assert.is(lines[open + 5], '    }');
  assert.match(lines[open + 6], /^ {4}n0 \[label="the \\"loss\\"\\nsum \[\]/, 'the root is n0, inside the outer cluster');
  assert.is(lines[open + 7], '  }');
  assert.is(dot.split('{').length, dot.split('}').length, 'braces balance');
});

// A backward order is right when every node comes after every node that consumes it.
function checkOrder(steps: readonly BackwardStep[]): void {
  const position = new Map(steps.map((s, i) => [s.tensor, i]));
  steps.forEach((s, i) => {
    for (const input of s.tensor.inputs) {
      const j = position.get(input);
      if (j !== undefined && j <= i) throw new Error(`step ${j} (${input.op}) comes before its consumer at step ${i} (${s.tensor.op})`);
    }
  });
}

test('traceBackward: the order of backward, each node with ∂root/∂node from the closed form', () => {
  // y = log(Σ x²) with x = [1, 2, 3]: Σ x² = 14, ∂y/∂s = 1/14, ∂y/∂(x²)_i = 1/14, ∂y/∂x_i = 2·x_i/14.
  const x = tensor([1, 2, 3], { requiresGrad: true, name: 'x' });
  const sq = x.mul(x);
  const s = sq.sum();
  const y = s.log();
  const steps = traceBackward(y);
  assert.equal(steps.map((st) => st.tensor), [y, s, sq, x]);
  checkOrder(steps);
  const close = (got: Tensor, want: number[], what: string): void =>
    want.forEach((w, i) => assert.ok(Math.abs(got.data[i] - w) <= 1e-15, `${what}[${i}]: ${got.data[i]} vs ${w}`));
  close(steps[0].grad, [1], '∂y/∂y');
  close(steps[1].grad, [1 / 14], '∂y/∂s');
  close(steps[2].grad, [1 / 14, 1 / 14, 1 / 14], '∂y/∂x²');
  close(steps[3].grad, [2 / 14, 4 / 14, 6 / 14], '∂y/∂x (x used twice: both paths summed)');
  assert.is(x.grad, null, 'traceBackward leaves .grad alone');
  y.backward();
  assert.equal(Array.from(x.grad!.data), Array.from(steps[3].grad.data), 'the leaf gets what backward gives, bit for bit');
});

test('traceBackward with gOut, and constants left out', () => {
  const x = tensor([1, -2], { requiresGrad: true });
  const c = tensor([10, 20]);
  const out = x.mul(c);
  const steps = traceBackward(out, tensor([1, 0.5]));
  assert.equal(steps.map((st) => st.tensor.op), ['mul', 'leaf']);
  assert.equal(Array.from(steps[1].grad.data), [10, 10], 'gOut · c = [1·10, 0.5·20]');
});

test('the order check catches a node placed before its consumer (a negative control)', () => {
  const x = tensor([2], { requiresGrad: true });
  const y = x.exp().log();
  const steps = traceBackward(y);
  checkOrder(steps);
  assert.throws(() => checkOrder([steps[1], steps[0], steps[2]]), /comes before its consumer/);
});

test('traceBackward and toGraph: bad arguments are Errors naming them', () => {
  assert.throws(() => traceBackward(tensor([1, 2]).sum()), /^traceBackward: this sum tensor of shape \[\] does not require grad/);
  assert.throws(() => traceBackward(tensor([1, 2], { requiresGrad: true }).exp()), /^traceBackward: gOut is required for a non-scalar root of shape \[2\]$/);
  const v = tensor([1, 2], { requiresGrad: true }).exp();
  assert.throws(() => traceBackward(v, tensor([1])), /^traceBackward: gOut must be a Tensor of the root's shape \[2\], got shape \[1\]$/);
  assert.throws(() => traceBackward(v, [1, 2] as unknown as Tensor), /^traceBackward: gOut must be a Tensor of the root's shape \[2\], got \[1, 2\]$/);
  assert.throws(() => traceBackward({} as Tensor), /^traceBackward: expected a Tensor as root, got an object$/);
  assert.throws(() => toGraph(null as unknown as Tensor), /^toGraph: expected a Tensor, got null$/);
});

test.run();
