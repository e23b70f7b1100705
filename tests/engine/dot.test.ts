// toDot: every node's op and shape, and one edge per input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, tensor, toDot } from '../../engine/index.js';

// Every node reachable from root, each once.
function nodesOf(root: Tensor): Tensor[] {
  const seen = new Set<Tensor>([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const input of stack.pop()!.inputs) {
      if (!seen.has(input)) {
        seen.add(input);
        stack.push(input);
      }
    }
  }
  return [...seen];
}

const labelOf = (t: Tensor): string => `${t.op} [${t.shape.join(',')}]`;

test('toDot: a node per tensor with its op and shape, an edge per input', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const w = tensor([[1], [0], [-1]], { requiresGrad: true });
  const out = x.matmul(w).relu().sum();
  const dot = toDot(out);
  assert.match(dot, /^digraph focalgrad \{\n/);
  assert.ok(dot.endsWith('}\n'));
  const nodes = nodesOf(out);
  assert.is(nodes.length, 5, 'x, w, matmul, relu, sum');
  const nodeLines = dot.split('\n').filter((l) => /^ {2}n\d+ \[label=/.test(l));
  const edgeLines = dot.split('\n').filter((l) => /^ {2}n\d+ -> n\d+;$/.test(l));
  assert.is(nodeLines.length, nodes.length);
  assert.is(edgeLines.length, nodes.reduce((n, t) => n + t.inputs.length, 0));
  for (const t of nodes) assert.ok(dot.includes(`label="${labelOf(t)}`), `no node labelled ${labelOf(t)} in\n${dot}`);
  assert.ok(dot.includes('label="matmul [2,1]'));
  assert.ok(dot.includes('label="leaf [3,1]\\nrequiresGrad"'));
  assert.ok(dot.includes('label="sum []'));
});

test('toDot: edges go from each input to its consumer', () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const out = a.exp().sum();
  const dot = toDot(out);
  const id = (label: string): string => dot.match(new RegExp(`(n\\d+) \\[label="${label.replace(/[[\]]/g, '\\$&')}`))![1];
  const [leaf, exp, sum] = [id('leaf [2]'), id('exp [2]'), id('sum []')];
  assert.ok(dot.includes(`  ${leaf} -> ${exp};`), dot);
  assert.ok(dot.includes(`  ${exp} -> ${sum};`), dot);
  assert.ok(dot.includes(`  ${sum} [label="sum []\\n${Number(Math.exp(1) + Math.exp(2)).toPrecision(4)}"`), 'the root shows its value');
  assert.match(dot, new RegExp(`${sum} \\[label=.*style=bold`), 'the root is bold');
  assert.match(dot, new RegExp(`${leaf} \\[label=.*style=rounded`), 'a leaf is rounded');
});

test('toDot: a tensor used twice is one node with two edges', () => {
  const x = tensor(3, { requiresGrad: true });
  const out = x.mul(x);
  const dot = toDot(out);
  const leafIds = [...dot.matchAll(/(n\d+) \[label="leaf \[\]/g)].map((m) => m[1]);
  assert.is(leafIds.length, 1);
  const edges = dot.split('\n').filter((l) => l.trim() === `${leafIds[0]} -> n0;`);
  assert.is(edges.length, 2, dot);
  assert.ok(dot.includes('\\n3\\nrequiresGrad'), 'a one-element leaf shows its value');
});

test('toDot of a lone constant', () => {
  const dot = toDot(tensor([1, 2]));
  assert.ok(dot.includes('n0 [label="leaf [2]", style=bold];'), dot);
  assert.not.match(dot, /->/);
});

test.run();
