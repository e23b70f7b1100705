// toDot: a graph as Graphviz DOT text, each node labelled with its op and shape (micrograd's draw_dot).
import { describeValue } from './checks.js';
import { formatShape } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * The graph that made `root` as Graphviz DOT text (one node per op, edges from inputs), for teaching: micrograd's draw_dot without Graphviz.
 */
export function toDot(root: Tensor): string {
  if (!(root instanceof Tensor)) throw new Error(`toDot: expected a Tensor, got ${describeValue(root)}`);
  const ids = new Map<Tensor, string>();
  const lines = ['digraph focalgrad {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  const stack: Tensor[] = [root];
  ids.set(root, 'n0');
  while (stack.length > 0) {
    const current = stack.pop()!;
    const id = ids.get(current)!;
    const value = current.size === 1 ? `\\n${Number(current.data[0].toPrecision(4))}` : '';
    const grad = current.requiresGrad && current.op === 'leaf' ? '\\nrequiresGrad' : '';
    const style = current === root ? ', style=bold' : current.op === 'leaf' ? ', style=rounded' : '';
    lines.push(`  ${id} [label="${current.op} ${formatShape(current.shape)}${value}${grad}"${style}];`);
    for (const input of current.inputs) {
      let inputId = ids.get(input);
      if (inputId === undefined) {
        inputId = `n${ids.size}`;
        ids.set(input, inputId);
        stack.push(input);
      }
      lines.push(`  ${inputId} -> ${id};`);
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
