// Lays a graph out with dagre (layered, as Graphviz's dot does), each scope a box around its nodes.
import { type EdgeLabel, type GraphLabel, type NodeLabel, graphlib, layout } from '@dagrejs/dagre';
import type { Graph, Scope } from '../../engine/index.js';

export interface Point {
  x: number;
  y: number;
}

/** A node's box: centre, size and the lines of text it holds. */
export interface NodeBox extends Point {
  id: number;
  width: number;
  height: number;
}

/** A scope's box around its nodes (and nested scopes). */
export interface ClusterBox extends Point {
  scope: Scope;
  width: number;
  height: number;
  depth: number;
}

export interface EdgePath {
  from: number;
  to: number;
  points: Point[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: NodeBox[];
  clusters: ClusterBox[];
  edges: EdgePath[];
}

/** Text metrics of the SVG's monospace font, in pixels. */
export const CHAR_WIDTH = 7.3;
export const LINE_HEIGHT = 15;
export const NODE_PADDING = 8;

/** The size of a box holding these lines of monospace text. */
export function boxSize(lines: readonly string[]): { width: number; height: number } {
  const longest = Math.max(...lines.map((l) => [...l].length));
  return { width: Math.ceil(longest * CHAR_WIDTH + 2 * NODE_PADDING), height: lines.length * LINE_HEIGHT + 2 * NODE_PADDING };
}

/**
 * Positions for every node, scope and edge; `linesOf(id)` is the text each node's box must hold.
 * Inputs are laid out above their consumers (top to bottom), so backward climbs the picture.
 */
export function layoutGraph(graph: Graph, linesOf: (id: number) => readonly string[]): GraphLayout {
  const g = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ compound: true, multigraph: true });
  // NOTE: dagre puts a scope's top border half a rank gap above its first nodes and keeps no padding
  // of its own, so the gap must hold the scope's title: ranksep 44 leaves 22 px for 11 px text.
  g.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 44, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const scopeKey = (s: Scope): string => `s${graph.scopes.indexOf(s)}`;
  for (const s of graph.scopes) {
    g.setNode(scopeKey(s), { label: s.name });
    if (s.parent !== null) g.setParent(scopeKey(s), scopeKey(s.parent));
  }
  for (const node of graph.nodes) {
    g.setNode(`n${node.id}`, boxSize(linesOf(node.id)));
    if (node.scopes.length > 0) g.setParent(`n${node.id}`, scopeKey(node.scopes[node.scopes.length - 1]));
  }
  for (const node of graph.nodes) {
    // A tensor used twice by one op (x·x) is two edges: a multigraph keeps both.
    node.inputs.forEach((input, k) => g.setEdge(`n${input}`, `n${node.id}`, {}, `${node.id}:${k}`));
  }
  layout(g);
  const label = g.graph();
  const nodes = graph.nodes.map((node): NodeBox => {
    const { x, y, width, height } = g.node(`n${node.id}`);
    return { id: node.id, x: x!, y: y!, width, height };
  });
  const clusters = graph.scopes.map((scope): ClusterBox => {
    const { x, y, width, height } = g.node(scopeKey(scope));
    let depth = 0;
    for (let s = scope.parent; s !== null; s = s.parent) depth++;
    return { scope, x: x!, y: y!, width, height, depth };
  });
  const edges = g.edges().map((e: { v: string; w: string; name?: string }): EdgePath => ({
    from: Number(e.v.slice(1)),
    to: Number(e.w.slice(1)),
    points: ((g.edge(e) as EdgeLabel).points ?? []).map((p: Point) => ({ x: p.x, y: p.y })),
  }));
  return { width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0), nodes, clusters, edges };
}
