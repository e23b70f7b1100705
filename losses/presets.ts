// Each peer's defaults, as focalgrad options: a porter gets Keras', torchvision's, kornia's, fvcore's or
// PyTorch's numbers by naming the peer, without reading the tables of docs/focal-loss.md §10.
import { Tensor, describeValue, tensor } from '../engine/index.js';
import { binaryCrossEntropy, mseLoss } from './binaryCrossEntropy.js';
import { binaryFocalLoss } from './binaryFocal.js';
import { binaryFocalLossFromProbs } from './binaryFocalFromProbs.js';
import { crossEntropy } from './crossEntropy.js';
import { focalLoss, focalLossFromProbs } from './focal.js';
import { focalLossStar } from './focalStar.js';
import type { Target } from './inputs.js';
import type { Reduction } from './reduction.js';

/** The frameworks whose defaults a preset reproduces. */
export type Peer = 'keras' | 'torchvision' | 'kornia' | 'fvcore' | 'pytorch';

/** The peers, in the order the docs list them. */
export const PEERS: readonly Peer[] = ['keras', 'torchvision', 'kornia', 'fvcore', 'pytorch'];

type Options = Record<string, unknown>;
type LossFn = (input: Tensor, target: Target, options?: Options | null) => Tensor;

/** One peer's call and the focalgrad loss and options that give its numbers. */
export interface Preset {
  /** the peer's call with its defaults, as its users write it */
  readonly call: string;
  /** focalgrad's function */
  readonly loss: string;
  /** the options that reproduce the peer's defaults (a caller's options override them) */
  readonly options: Readonly<Options>;
  /** what differs still, if anything */
  readonly note: string;
  /** the loss itself: focalgrad's function with these options, adapted to the peer's output where needed */
  readonly fn: LossFn;
}

const call = (f: unknown): LossFn => f as LossFn;

function preset(callText: string, loss: string, f: unknown, options: Options, note = '', adapt?: (fn: LossFn) => LossFn): Preset {
  const withDefaults: LossFn = (input, target, given) => call(f)(input, target, { ...options, ...(given ?? {}) });
  return { call: callText, loss, options, note, fn: adapt === undefined ? withDefaults : adapt(withDefaults) };
}

/**
 * Every peer's defaults by focalgrad loss name: `PRESETS.keras.binary.fn(logits, target)` gives Keras'
 * `BinaryFocalCrossentropy(from_logits=True)` numbers, and `focalgrad loss --as keras --kind binary` the same.
 */
export const PRESETS: Readonly<Record<Peer, Readonly<Record<string, Preset>>>> = {
  keras: {
    focal: preset('keras.losses.CategoricalFocalCrossentropy(from_logits=True)', 'focalLoss', focalLoss, { gamma: 2, alpha: 0.25 },
      'Keras also clips the softmax to [1e-7, 1 − 1e-7]: values differ where p_t > 1 − 1e-7 or < 1e-7 (focalgrad is exact there)'),
    probs: preset('keras.losses.CategoricalFocalCrossentropy()', 'focalLossFromProbs', focalLossFromProbs, { gamma: 2, alpha: 0.25, epsilon: 1e-7 }),
    binary: preset('keras.losses.BinaryFocalCrossentropy(from_logits=True)', 'binaryFocalLoss', binaryFocalLoss, { gamma: 2, alpha: -1 },
      "apply_class_balancing=False is alpha: -1; 'none' is per element (Keras: the mean over the last axis)"),
    'binary-probs': preset('keras.losses.BinaryFocalCrossentropy()', 'binaryFocalLossFromProbs', binaryFocalLossFromProbs, { gamma: 2, epsilon: 1e-7 },
      "'none' is per element (Keras: the mean over the last axis)"),
    ce: preset('keras.losses.CategoricalCrossentropy(from_logits=True)', 'crossEntropy', crossEntropy, {}),
    bce: preset('keras.losses.BinaryCrossentropy(from_logits=True)', 'binaryCrossEntropy', binaryCrossEntropy, {},
      "'none' is per element (Keras: the mean over the last axis)"),
    mse: preset('keras.losses.MeanSquaredError()', 'mseLoss', mseLoss, {}, "'none' is per element (Keras: the mean over the last axis)"),
  },
  torchvision: {
    binary: preset('torchvision.ops.sigmoid_focal_loss(inputs, targets)', 'binaryFocalLoss', binaryFocalLoss, { gamma: 2, alpha: 0.25, reduction: 'none' }),
  },
  kornia: {
    focal: preset('kornia.losses.focal_loss(pred, target, alpha)', 'focalLoss', focalLoss, { gamma: 2, ignoreIndex: -100, reduction: 'none' },
      "α is per class [1 − α, α, …, α]; 'none' is the (N, C, *) map, 'mean' divides by N·C·∏d", korniaFocal),
    binary: preset('kornia.losses.binary_focal_loss_with_logits(pred, target)', 'binaryFocalLoss', binaryFocalLoss,
      { gamma: 2, alpha: 0.25, ignoreIndex: -100, reduction: 'none' },
      "'mean' divides by every element, ignored ones included; for soft targets kornia weighs the positive term by σ(−x)^γ and the negative by σ(x)^γ, focalgrad both by (1 − p_t)^γ (equal for targets 0 and 1)",
      korniaMean),
  },
  fvcore: {
    binary: preset('fvcore.nn.sigmoid_focal_loss(inputs, targets)', 'binaryFocalLoss', binaryFocalLoss, { gamma: 2, alpha: -1, reduction: 'none' }),
    'focal-star': preset('fvcore.nn.sigmoid_focal_loss_star(inputs, targets)', 'focalLossStar', focalLossStar, { gamma: 1, beta: 0, reduction: 'none' },
      'elementwise on any shape (the input is flattened to binary [M] logits and the map reshaped back)', elementwise),
  },
  pytorch: {
    ce: preset('torch.nn.functional.cross_entropy(input, target)', 'crossEntropy', crossEntropy, { ignoreIndex: -100 }),
    bce: preset('torch.nn.functional.binary_cross_entropy_with_logits(input, target)', 'binaryCrossEntropy', binaryCrossEntropy, {}),
    mse: preset('torch.nn.functional.mse_loss(input, target)', 'mseLoss', mseLoss, {}),
  },
};

/**
 * The loss `name` with `peer`'s defaults (PRESETS[peer][name].fn); an Error lists what the peer offers.
 * @example peerLoss('fvcore', 'focal-star')(logits, targets) // fvcore's sigmoid_focal_loss_star
 */
export function peerLoss(peer: Peer, name: string): LossFn {
  const table = (PRESETS as Record<string, Record<string, Preset> | undefined>)[peer];
  if (table === undefined) throw new Error(`peerLoss: unknown peer ${describeValue(peer)} (expected one of ${PEERS.join(', ')})`);
  const found = Object.hasOwn(table, name) ? table[name] : undefined;
  if (found === undefined) {
    throw new Error(`peerLoss: ${peer} has no loss like ${describeValue(name)} (its presets: ${Object.keys(table).join(', ')})`);
  }
  return found.fn;
}

/**
 * kornia's (N, C, *) 'none' map from focalgrad's per-sample map: each element's loss at its target
 * class, 0 at the other classes and everywhere for an ignored element (kornia.losses.focal_loss).
 * @example toClassMap(focalLoss(logits, target, { reduction: 'none' }), target, 3)
 */
export function toClassMap(loss: Tensor, target: Target, classes: number, ignoreIndex?: number): Tensor {
  const indices = target instanceof Tensor ? target.data : typeof target === 'number' ? [target] : target;
  if (indices.length !== loss.size) {
    throw new Error(`toClassMap: ${indices.length} targets for a loss map of ${loss.size} elements (expected one per element)`);
  }
  const mask = new Float64Array(loss.size * classes);
  for (let i = 0; i < indices.length; i++) {
    const t = indices[i];
    if (t === ignoreIndex) continue;
    if (!(Number.isInteger(t) && t >= 0 && t < classes)) throw new Error(`toClassMap: target ${describeValue(t)} at ${i} is not a class index in [0, ${classes})`);
    mask[i * classes + t] = 1;
  }
  // [M, C] with the class axis last, then moved to axis 1 as kornia (and PyTorch) lay maps out.
  const n = loss.ndim === 0 ? 1 : loss.shape[0];
  const spatial = loss.ndim <= 1 ? [] : loss.shape.slice(1);
  const rows = loss.reshape([loss.size, 1]).mul(tensor(mask, { shape: [loss.size, classes] }));
  const classLast = rows.reshape([n, ...spatial, classes]);
  return classLast.permute(0, spatial.length + 1, ...spatial.map((_, i) => i + 1));
}

// kornia.losses.focal_loss: α per class [1 − α, α, …], times weight per class; 'none' the class map,
// 'mean' over N·C·∏d.
function korniaFocal(fn: LossFn): LossFn {
  return (input, target, given) => {
    const { alpha, weight, reduction = 'none', ...rest } = (given ?? {}) as Options & { alpha?: unknown; weight?: unknown; reduction?: Reduction };
    const classes = input.ndim >= 2 ? input.shape[1] : 0;
    const alphaFac = typeof alpha === 'number' ? Array.from({ length: classes }, (_, c) => (c === 0 ? 1 - alpha : alpha)) : alpha;
    // kornia's weight: one per class (a number[] or a Tensor), folded into focalLoss's per-class α.
    const perClass = weight instanceof Tensor ? Array.from(weight.data) : weight;
    if (perClass !== undefined && !(Array.isArray(perClass) && perClass.length === classes)) {
      throw new Error(`peerLoss('kornia', 'focal'): weight must be one number per class (${classes}), got ${describeValue(weight)}`);
    }
    const scale = perClass === undefined ? alphaFac : (perClass as number[]).map((w, c) => w * (Array.isArray(alphaFac) ? (alphaFac[c] as number) : 1));
    const options = { ...rest, ...(scale === undefined ? {} : { alpha: scale }) };
    const map = fn(input, target, { ...options, reduction: 'none' });
    if (reduction === 'none') return toClassMap(map, target, classes, (options as { ignoreIndex?: number }).ignoreIndex ?? -100);
    const total = map.sum();
    return reduction === 'sum' ? total : total.div(input.size);
  };
}

// kornia's 'mean' is torch.mean over every element, ignored ones included.
function korniaMean(fn: LossFn): LossFn {
  return (input, target, given) => {
    const { reduction = 'none', ...rest } = (given ?? {}) as Options & { reduction?: Reduction };
    if (reduction !== 'mean') return fn(input, target, { ...rest, reduction });
    return fn(input, target, { ...rest, reduction: 'sum' }).div(input.size);
  };
}

// fvcore's FL* is elementwise on any shape: flatten to binary [M] logits, reshape 'none' back.
function elementwise(fn: LossFn): LossFn {
  return (input, target, given) => {
    const flat = input.reshape([input.size]);
    const y = target instanceof Tensor ? target.reshape([target.size]) : target;
    const out = fn(flat, y, given);
    return out.size === input.size && input.ndim !== 1 ? out.reshape(input.shape) : out;
  };
}
