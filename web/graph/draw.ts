// Draws the laid-out loss graph as SVG markup: scope boxes, edges, and a box per node with its text.
import { escapeXml } from '../../train/index.js';
import { LINE_HEIGHT, NODE_PADDING, type GraphLayout } from './layout.js';
import { type SampleGraph, nodeTitle, scopeText } from './model.js';

/** The three lines of a node's box; the last one is filled in when backward reaches the node. */
export interface NodeLines {
  title: string;
  value: string;
  grad: string;
}

/**
 * The graph as one SVG: each node a `g.node[data-id]` whose `text.grad` the panel fills in as it
 * steps; constants (no gradient) are drawn dashed; the loss bold.
 */
export function graphSvg(sample: SampleGraph, layout: GraphLayout, lines: (id: number) => NodeLines): string {
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" ` +
      `role="img" aria-label="The loss's graph: ${sample.graph.nodes.length} nodes, inputs at the top, the loss at the bottom">`,
  );
  parts.push(
    '<defs><marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M0,0L10,5L0,10z"/></marker></defs>',
  );
  // Outer scopes first, so that nested ones are drawn on top of them.
  for (const c of [...layout.clusters].sort((a, b) => a.depth - b.depth)) {
    const left = c.x - c.width / 2;
    const top = c.y - c.height / 2;
    parts.push(
      `<g class="scope depth-${Math.min(c.depth, 3)}"><rect x="${left}" y="${top}" width="${c.width}" height="${c.height}" rx="8"/>` +
        `<text x="${left + 8}" y="${top + 14}">${escapeXml(c.scope.name)}</text></g>`,
    );
  }
  for (const e of layout.edges) {
    const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('');
    parts.push(`<path class="edge" data-from="${e.from}" data-to="${e.to}" d="${d}" marker-end="url(#graph-arrow)"/>`);
  }
  for (const box of layout.nodes) {
    const node = sample.graph.nodes[box.id];
    const text = lines(box.id);
    const left = box.x - box.width / 2;
    const top = box.y - box.height / 2;
    const kind = box.id === sample.lossId ? ' root' : node.tensor.requiresGrad ? '' : ' constant';
    const scope = scopeText(sample, box.id);
    const line = (k: number): number => top + NODE_PADDING + LINE_HEIGHT * (k + 1) - 4;
    parts.push(
      `<g class="node${kind}" data-id="${box.id}" data-op="${node.op}">` +
        `<title>${escapeXml(`${nodeTitle(sample, box.id)} [${node.shape.join(', ')}]${scope === '' ? '' : ` in ${scope}`}`)}</title>` +
        `<rect x="${left}" y="${top}" width="${box.width}" height="${box.height}" rx="${node.op === 'leaf' ? 10 : 3}"/>` +
        `<text class="title" x="${left + NODE_PADDING}" y="${line(0)}">${escapeXml(text.title)}</text>` +
        `<text class="value" x="${left + NODE_PADDING}" y="${line(1)}">${escapeXml(text.value)}</text>` +
        `<text class="grad" x="${left + NODE_PADDING}" y="${line(2)}">${escapeXml(text.grad)}</text>` +
        '</g>',
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
