// Pictures of a graph: toGraph (its nodes as plain data) and toDot (Graphviz DOT text, micrograd's draw_dot),
// with names as labels and scopes as clusters.
import { topologicalOrder } from './backward.js';
import { describeValue, formatShape } from './format.js';
import type { Scope } from './scope.js';
import type { Shape } from './shape.js';
import { type Op, Tensor } from './tensor.js';

/** One tensor of a graph, as `toGraph` lists it. */
export interface GraphNode {
  /** its index in `nodes`; `inputs` refers to nodes by it */
  readonly id: number;
  readonly tensor: Tensor;
  readonly op: Op;
  readonly shape: Shape;
  /** the tensor's name (`named()`), or null */
  readonly name: string | null;
  /** the scopes that made it, outermost first (`[]` outside every scope) */
  readonly scopes: readonly Scope[];
  /** the ids of its inputs, in the op's order (a tensor used twice appears twice) */
  readonly inputs: readonly number[];
}

/** The nodes of a graph in topological order (each after all its inputs; the root is last). */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  /** every scope some node was made in, each once, each after its parent */
  readonly scopes: readonly Scope[];
}

/**
 * Every tensor `root` was computed from (constants included), as plain data to draw: op, shape,
 * name, scopes and inputs. `toDot` and the playground's graph panel draw from it.
 * @example
 * const { nodes } = toGraph(x.mul(w).sum().named('loss'));
 * nodes.at(-1)!.name; // 'loss'
 */
export function toGraph(root: Tensor): Graph {
  if (!(root instanceof Tensor)) throw new Error(`toGraph: expected a Tensor, got ${describeValue(root)}`);
  const order = topologicalOrder(root, true);
  const ids = new Map(order.map((t, id) => [t, id]));
  const scopes: Scope[] = [];
  const known = new Set<Scope>();
  const nodes = order.map((t, id): GraphNode => {
    const path: Scope[] = [];
    for (let s = t.scope; s !== null; s = s.parent) path.push(s);
    path.reverse();
    for (const s of path) {
      if (!known.has(s)) {
        known.add(s);
        scopes.push(s);
      }
    }
    return { id, tensor: t, op: t.op, shape: t.shape, name: t.name, scopes: path, inputs: t.inputs.map((input) => ids.get(input)!) };
  });
  return { nodes, scopes };
}

// A string inside DOT's double quotes: backslashes and quotes escaped, newlines as \n.
function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The graph that computed `root` as Graphviz DOT text, for teaching (micrograd's `draw_dot`): one
 * box per tensor with its name (if any), op and shape, and its value when it holds one number;
 * leaves that require grad say so; an edge from each input to its consumer; each scope (`withScope`:
 * a loss, `mean`, a layer) a labelled cluster, nested as the calls were. Render it with
 * `dot -Tsvg`, or see the playground's graph panel, which needs no Graphviz.
 * @example
 * console.log(toDot(focalLoss(logits.named('logits'), [0])));
 */
export function toDot(root: Tensor): string {
  if (!(root instanceof Tensor)) throw new Error(`toDot: expected a Tensor, got ${describeValue(root)}`);
  const { nodes, scopes } = toGraph(root);
  // The root is n0 and its inputs follow, as a reader of the text looks for the output first.
  const dotId = (id: number): string => `n${nodes.length - 1 - id}`;
  const lines = ['digraph focalgrad {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  const nodeLine = (node: GraphNode, indent: string): string => {
    const t = node.tensor;
    const value = t.size === 1 ? `\n${Number(t.data[0].toPrecision(4))}` : '';
    const grad = t.requiresGrad && t.op === 'leaf' ? '\nrequiresGrad' : '';
    const name = node.name === null ? '' : `${node.name}\n`;
    const style = t === root ? ', style=bold' : t.op === 'leaf' ? ', style=rounded' : '';
    return `${indent}${dotId(node.id)} [label=${quoted(`${name}${node.op} ${formatShape(node.shape)}${value}${grad}`)}${style}];`;
  };
  // Nodes go into the cluster of their innermost scope; clusters nest by their parents.
  const members = new Map<Scope | null, GraphNode[]>();
  const children = new Map<Scope | null, Scope[]>();
  for (const node of nodes) {
    const inner = node.scopes.length === 0 ? null : node.scopes[node.scopes.length - 1];
    members.set(inner, [...(members.get(inner) ?? []), node]);
  }
  for (const s of scopes) children.set(s.parent, [...(children.get(s.parent) ?? []), s]);
  const emit = (scope: Scope | null, indent: string): void => {
    for (const child of children.get(scope) ?? []) {
      lines.push(`${indent}subgraph cluster_${scopes.indexOf(child)} {`, `${indent}  label=${quoted(child.name)};`);
      emit(child, `${indent}  `);
      lines.push(`${indent}}`);
    }
    for (const node of (members.get(scope) ?? []).slice().reverse()) lines.push(nodeLine(node, indent));
  };
  emit(null, '  ');
  for (let id = nodes.length - 1; id >= 0; id--) {
    for (const input of nodes[id].inputs) lines.push(`  ${dotId(input)} -> ${dotId(id)};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
