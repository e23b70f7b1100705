// The graph panel's model: one sample's loss graph, the engine's backward pass over it step by step,
// and the closed-form gradient at the logits to set beside it. No DOM here: tests run it in Node.
import { type BackwardStep, type Graph, scopePath, tensor, toGraph, traceBackward } from '../../engine/index.js';
import type { Gamma } from '../../losses/index.js';
import { LOSSES, type TrainedSample, lookup } from '../../train/index.js';
import { closedFormGradient, softmax } from './closedForm.js';

/** The losses the panel offers: every entry of the trainer's loss registry. */
export const PANEL_LOSSES: readonly { name: string; description: string }[] = Object.values(LOSSES).map(({ name, description }) => ({
  name,
  description,
}));

export interface SampleSetup {
  /** a name in the trainer's loss registry */
  loss: string;
  gamma: number;
  /** null: none; a number: a scale; an array: one weight per class */
  alpha: number | number[] | null;
  logits: number[];
  target: number;
}

export interface SampleGraph {
  setup: SampleSetup;
  graph: Graph;
  /** the engine's backward pass, root first (traceBackward) */
  steps: readonly BackwardStep[];
  /** the graph node of each step */
  stepIds: readonly number[];
  /** the node holding the logits, and the loss (the root) */
  logitsId: number;
  lossId: number;
  loss: number;
  /** p_t, the probability softmax gives the target class */
  pt: number;
  /** what the engine's backward pass delivers to the logits */
  engineGradient: number[];
  /** ∂loss/∂z from docs/focal-loss.md, or null where it gives none */
  closedForm: number[] | null;
}

/** One sample's loss, built by the trainer's loss registry on a [1, C] logits leaf, and traced backward. */
export function sampleGraph(setup: SampleSetup): SampleGraph {
  const logits = tensor([setup.logits], { requiresGrad: true, name: 'logits' });
  const build = lookup(LOSSES, 'loss', setup.loss).build;
  const lossFn = build({ gamma: setup.gamma, alpha: setup.alpha });
  const loss = lossFn(logits, Int32Array.of(setup.target)).named('loss');
  const graph = toGraph(loss);
  const idOf = new Map(graph.nodes.map((n) => [n.tensor, n.id]));
  const steps = traceBackward(loss);
  const last = steps[steps.length - 1];
  if (last.tensor !== logits) throw new Error('graph panel: the backward pass did not end at the logits');
  return {
    setup,
    graph,
    steps,
    stepIds: steps.map((s) => idOf.get(s.tensor)!),
    logitsId: idOf.get(logits)!,
    lossId: idOf.get(loss)!,
    loss: loss.item(),
    pt: softmax(setup.logits)[setup.target],
    engineGradient: Array.from(last.grad.data),
    closedForm: closedFormGradient(setup.loss, setup.logits, setup.target, setup.gamma, setup.alpha),
  };
}

/** The loss a trained run used: its name, γ, and α resolved to numbers (TrainResult's alpha). */
export interface TrainedLoss {
  loss: string;
  gamma: Gamma;
  alpha: number | number[] | null;
}

/** The panel's text fields, by control name. */
export type PanelFields = { loss: string; gamma: string; alpha: string; logits: string; target: string };

/**
 * The panel's fields for a test row of a trained run: the row's logits and target under the run's own
 * loss, γ and α, every number in full, so that the panel's loss is the run's loss on that row to the last
 * bit. FLSD-53's γ is the one it takes at the row's p_t (5 below 0.2, else 3; γ is not differentiated).
 */
export function trainedSampleFields(run: TrainedLoss, sample: TrainedSample): PanelFields {
  const gamma = run.gamma === 'flsd53' ? (softmax(sample.logits)[sample.target] < 0.2 ? 5 : 3) : run.gamma;
  return {
    loss: run.loss,
    gamma: String(gamma),
    alpha: run.alpha === null ? '' : [run.alpha].flat().map(String).join(', '),
    logits: sample.logits.map(String).join(', '),
    target: String(sample.target),
  };
}

/** A number in at most `digits` significant digits, without trailing zeros: 0.2312, -1.5e-7, 3. */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e5) return String(Number(v.toPrecision(digits)));
  return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

/** A tensor's values in one short line: `0.5`, `[1, 2, 0.5]`, `[1, 2, 3, …]` past four elements. */
export function formatValues(data: ArrayLike<number>, digits = 4): string {
  if (data.length === 1) return formatNumber(data[0], digits);
  const shown = Array.from({ length: Math.min(data.length, 4) }, (_, i) => formatNumber(data[i], digits));
  return `[${shown.join(', ')}${data.length > 4 ? ', …' : ''}]`;
}

/** The first line of a node's box: its name (if any) and its op. */
export function nodeTitle(sample: SampleGraph, id: number): string {
  const node = sample.graph.nodes[id];
  return node.name === null ? node.op : `${node.name} · ${node.op}`;
}

/** A node's scopes as the panel shows them: `focalLoss ▸ modulatingFactor` ('' outside every scope). */
export function scopeText(sample: SampleGraph, id: number): string {
  return scopePath(sample.graph.nodes[id].tensor.scope).join(' ▸ ');
}

/** The largest |engine − closed form| over the logits' gradient. */
export function maxDifference(a: readonly number[], b: readonly number[]): number {
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);
}

/** Whether two gradients agree to float64 rounding (1e-12 absolute plus 1e-9 relative per element). */
export function agree(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= 1e-12 + 1e-9 * Math.abs(b[i]));
}

/**
 * The panel's inputs, read from text: logits as comma-separated numbers, α as empty (none), one number
 * (a scale) or one number per class. Errors name the field and what it expects.
 */
export function parseSetup(fields: PanelFields): SampleSetup {
  const loss = fields.loss;
  if (!PANEL_LOSSES.some((l) => l.name === loss)) throw new Error(`graph panel: unknown loss ${JSON.stringify(loss)}`);
  const numbers = (text: string, what: string): number[] => {
    const parts = text.split(',').map((s) => s.trim());
    const values = parts.map(Number);
    if (parts.some((s) => s === '') || values.some((v) => !Number.isFinite(v))) {
      throw new Error(`graph panel: ${what} must be finite numbers separated by commas, got ${JSON.stringify(text)}`);
    }
    return values;
  };
  const logits = numbers(fields.logits, 'logits');
  if (logits.length < 2) throw new Error(`graph panel: logits need at least 2 classes, got ${logits.length}`);
  const alphaValues = fields.alpha.trim() === '' ? null : numbers(fields.alpha, 'α');
  return {
    loss,
    gamma: Number(fields.gamma),
    alpha: alphaValues === null ? null : alphaValues.length === 1 ? alphaValues[0] : alphaValues,
    logits,
    target: fields.target.trim() === '' ? NaN : Number(fields.target),
  };
}
