// `focalgrad vectors`: reference values and gradients of every loss over a grid of inputs and options,
// under each framework's conventions, as deterministic JSON (schema: docs/vectors.md).
import { tensor } from '../engine/index.js';
import { LOSS_RECORDS, type LossName, focalLossFromProbs } from '../losses/index.js';
import { type LossOptions, evaluate, full17, readTarget } from './loss-command.js';

export const VECTORS_FORMAT = 'focalgrad-vectors';
export const VECTORS_VERSION = 1;

/** One reference case: the call, and its results. */
export interface Vector {
  id: string;
  /** the focalgrad function, or 'softmax+focalLossFromProbs' (Keras from_logits=True) */
  function: string;
  /** the convention the numbers follow (docs/vectors.md maps each to a framework's call) */
  semantics: string;
  input: unknown;
  target: unknown;
  options: LossOptions;
  loss: number | unknown[];
  grad: unknown;
}

const GAMMAS = [0, 0.5, 1, 2, 5, 'flsd53'] as const;
const NUMERIC_GAMMAS = [0, 0.5, 1, 2, 5] as const;
const ALPHA3 = [0.2, 0.3, 0.5];

// Logits [4, 3] with easy, hard and middling rows; class-index targets; soft labels for them.
const LOGITS = [
  [1.5, -0.5, 0.25],
  [-1, 2, 0.5],
  [0.1, 0.2, -0.3],
  [3, -2, 1],
];
const TARGETS = [0, 2, 1, 0];
const SOFT = [
  [0.7, 0.2, 0.1],
  [0, 0, 1],
  [0.25, 0.5, 0.25],
  [1, 0, 0],
];
// Logits of ±1e4: p_t is exactly 1 (rows 0, 2) and exactly 0 (row 1: e^−2e4 underflows) in float64.
const EXTREME = [
  [1e4, 0, -1e4],
  [1e4, 0, -1e4],
  [-1e4, 1e4, 0],
];
const EXTREME_TARGETS = [0, 2, 1];
// Probabilities with p_t = 1 (row 3) and p_t = 0 (row 4).
const PROBS = [
  [0.7, 0.2, 0.1],
  [0.1, 0.3, 0.6],
  [0.25, 0.5, 0.25],
  [1, 0, 0],
  [1, 0, 0],
];
const PROBS_TARGETS = [0, 2, 1, 0, 1];
// Binary logits [3, 3] with targets of the same shape: p_t = 0 at [1][2], p_t = 1 at [2][0].
const BINARY = [
  [0.5, -1.25, 2],
  [-3, 0, 1e4],
  [-1e4, 0.75, -0.5],
];
const BINARY_TARGETS = [
  [1, 0, 1],
  [0, 1, 0],
  [0, 0, 1],
];
const BINARY_SOFT = [
  [0.9, 0.1, 0.6],
  [0, 0.5, 1],
  [0.2, 0.8, 0.3],
];

// Dense logits [N, C, d] = [2, 3, 2] (class axis 1, as PyTorch), index targets [N, d] with one ignored.
const DENSE = [
  [
    [1.5, -0.5],
    [-1, 2],
    [0.25, 0.5],
  ],
  [
    [0.1, 3],
    [0.2, -2],
    [-0.3, 1],
  ],
];
const DENSE_TARGETS = [
  [0, 1],
  [2, -100],
];

const optionText = (options: LossOptions): string =>
  Object.entries(options)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');

/** Every reference vector, in a fixed order. */
export function referenceVectors(): Vector[] {
  const vectors: Vector[] = [];
  const add = (name: LossName, label: string, input: unknown, target: unknown, options: LossOptions): void => {
    const record = LOSS_RECORDS.find((r) => r.name === name)!;
    const { loss, grad } = evaluate(record, input, readTarget(record, target), options);
    const fn = record.fn.name;
    vectors.push({ id: `${fn}/${label} ${optionText(options)}`, function: fn, semantics: record.semantics, input, target, options, loss, grad });
  };

  // crossEntropy: PyTorch's F.cross_entropy (weighted 'mean' divides by the targets' summed weights).
  for (const reduction of ['mean', 'sum', 'none']) add('ce', 'indices', LOGITS, TARGETS, { reduction });
  add('ce', 'indices', LOGITS, TARGETS, { weight: ALPHA3, reduction: 'mean' });
  add('ce', 'indices', LOGITS, TARGETS, { labelSmoothing: 0.1, reduction: 'mean' });
  add('ce', 'indices', LOGITS, TARGETS, { weight: ALPHA3, labelSmoothing: 0.1, reduction: 'mean' });
  add('ce', 'ignored', LOGITS, [0, -100, 1, 0], { ignoreIndex: -100, reduction: 'mean' });
  add('ce', 'soft', LOGITS, SOFT, { reduction: 'mean' });
  add('ce', 'extreme', EXTREME, EXTREME_TARGETS, { reduction: 'none' });
  add('ce', 'dense', DENSE, DENSE_TARGETS, { ignoreIndex: -100, reduction: 'mean' });
  add('ce', 'dense', DENSE, DENSE_TARGETS, { weight: ALPHA3, ignoreIndex: -100, reduction: 'none' });

  // focalLoss: the paper's softmax form from logits; α a pure scale or one weight per class.
  for (const gamma of GAMMAS) {
    for (const alpha of [undefined, 0.25, ALPHA3]) {
      add('focal', 'indices', LOGITS, TARGETS, alpha === undefined ? { gamma, reduction: 'mean' } : { gamma, alpha, reduction: 'mean' });
    }
    add('focal', 'soft', LOGITS, SOFT, { gamma, reduction: 'mean' });
    add('focal', 'extreme', EXTREME, EXTREME_TARGETS, { gamma, reduction: 'none' });
  }
  add('focal', 'indices', LOGITS, TARGETS, { gamma: 2, labelSmoothing: 0.1, reduction: 'mean' });
  add('focal', 'ignored', LOGITS, [0, -100, 1, 0], { gamma: 2, ignoreIndex: -100, reduction: 'mean' });
  for (const reduction of ['sum', 'none']) add('focal', 'indices', LOGITS, TARGETS, { gamma: 2, alpha: ALPHA3, reduction });
  for (const gamma of [2, 'flsd53']) add('focal', 'dense', DENSE, DENSE_TARGETS, { gamma, alpha: ALPHA3, ignoreIndex: -100, reduction: 'mean' });

  // focalLossFromProbs: Keras' CategoricalFocalCrossentropy on probabilities (clip ε = 1e-7).
  for (const gamma of GAMMAS) {
    for (const alpha of [0.25, ALPHA3]) add('probs', 'probs', PROBS, PROBS_TARGETS, { gamma, alpha, epsilon: 1e-7, reduction: 'mean' });
  }
  add('probs', 'probs', PROBS, PROBS_TARGETS, { gamma: 2, alpha: 0.25, epsilon: 1e-7, labelSmoothing: 0.1, reduction: 'mean' });
  add('probs', 'soft', PROBS.slice(0, 4), SOFT, { gamma: 2, alpha: 0.25, epsilon: 1e-7, reduction: 'none' });
  // Keras with from_logits=True: softmax first, then the same clipped path; the gradient is the logits'.
  for (const gamma of NUMERIC_GAMMAS) {
    const options = { gamma, alpha: 0.25, epsilon: 1e-7, reduction: 'mean' as const };
    const x = tensor(LOGITS, { requiresGrad: true });
    const out = focalLossFromProbs(x.softmax(-1), TARGETS, options);
    out.backward();
    vectors.push({
      id: `softmax+focalLossFromProbs/indices ${optionText(options)}`,
      function: 'softmax+focalLossFromProbs',
      semantics: 'keras.categorical_focal_crossentropy.from_logits',
      input: LOGITS,
      target: TARGETS,
      options,
      loss: out.item(),
      grad: x.grad?.toArray(),
    });
  }

  // binaryFocalLoss: torchvision's sigmoid_focal_loss; 'mean' over all elements; α < 0 turns α_t off.
  for (const gamma of NUMERIC_GAMMAS) {
    for (const alpha of [0.25, 0.75, -1]) add('binary', 'hard', BINARY, BINARY_TARGETS, { gamma, alpha, reduction: 'mean' });
  }
  add('binary', 'soft', BINARY, BINARY_SOFT, { gamma: 2, alpha: 0.25, reduction: 'mean' });
  for (const reduction of ['sum', 'none']) add('binary', 'hard', BINARY, BINARY_TARGETS, { gamma: 2, alpha: 0.25, reduction });

  // focalLossStar: FL* of the paper's appendix A; binary [N], and one-vs-all over [N, C].
  for (const gamma of [0.5, 1, 2, 5]) {
    for (const beta of [0, 1]) add('focal-star', 'binary', [0.5, -1.25, 3, -2, 1e4, -1e4], [1, 0, 0, 1, 1, 1], { gamma, beta, reduction: 'mean' });
  }
  add('focal-star', 'binary', [0.5, -1.25, 3, -2, 1e4, -1e4], [1, 0, 0, 1, 1, 1], { gamma: 2, beta: 1, alpha: 0.25, reduction: 'mean' });
  add('focal-star', 'one-vs-all', LOGITS, TARGETS, { gamma: 2, beta: 1, reduction: 'mean' });
  add('focal-star', 'one-vs-all', LOGITS, TARGETS, { gamma: 2, beta: 1, alpha: ALPHA3, reduction: 'mean' });
  add('focal-star', 'one-vs-all', LOGITS, [0, -100, 1, 0], { gamma: 2, beta: 1, ignoreIndex: -100, reduction: 'none' });

  // binaryCrossEntropy: PyTorch's binary_cross_entropy_with_logits ('mean' over all elements).
  for (const reduction of ['mean', 'sum', 'none']) add('bce', 'hard', BINARY, BINARY_TARGETS, { reduction });
  add('bce', 'soft', BINARY, BINARY_SOFT, { reduction: 'mean' });
  add('bce', 'hard', BINARY, BINARY_TARGETS, { weight: [1, 0.5, 2], reduction: 'mean' });
  add('bce', 'hard', BINARY, BINARY_TARGETS, { posWeight: [3, 1, 0.5], reduction: 'mean' });
  add('bce', 'soft', BINARY, BINARY_SOFT, { weight: [1, 0.5, 2], posWeight: [3, 1, 0.5], reduction: 'sum' });

  // mseLoss: PyTorch's mse_loss ('mean' over all elements).
  const predictions = [
    [0.5, -1.25, 2],
    [3, 0, 1],
  ];
  const values = [
    [1, -1, 0],
    [2.5, 0.5, 1],
  ];
  for (const reduction of ['mean', 'sum', 'none']) add('mse', 'values', predictions, values, { reduction });

  const ids = new Set(vectors.map((v) => v.id));
  if (ids.size !== vectors.length) throw new Error('referenceVectors: two vectors share an id');
  return vectors;
}

/** The vectors file's text: inputs as written, loss and grad with 17 significant digits, one vector a line. */
export function vectorsJson(vectors: Vector[] = referenceVectors()): string {
  const line = (v: Vector): string =>
    `    {"id": ${JSON.stringify(v.id)}, "function": ${JSON.stringify(v.function)}, "semantics": ${JSON.stringify(v.semantics)}, ` +
    `"input": ${JSON.stringify(v.input)}, "target": ${JSON.stringify(v.target)}, "options": ${JSON.stringify(v.options)}, ` +
    `"loss": ${full17(v.loss)}, "grad": ${full17(v.grad)}}`;
  return (
    `{\n  "format": "${VECTORS_FORMAT}",\n  "version": ${VECTORS_VERSION},\n` +
    `  "about": "focal loss reference values and gradients; schema and conventions: docs/vectors.md",\n` +
    `  "vectors": [\n${vectors.map(line).join(',\n')}\n  ]\n}\n`
  );
}
