// The record every loss file exports beside its function: what the command, the vectors, the trainer and
// the playground read about a loss, so that none of them keeps a table of its own.
import type { Tensor } from '../engine/index.js';
import type { Target } from './inputs.js';

/**
 * What a loss takes as input, and so what its target is:
 * - 'logits': class scores [N, C] (or dense [N, C, d1, ...]); targets class indices or label rows;
 * - 'probs': class probabilities of the same shapes and targets;
 * - 'binary-logits': one sigmoid logit per element; targets of the input's shape (0/1, or in [0, 1]);
 * - 'regression': predictions; targets values of the input's shape.
 */
export type LossInput = 'logits' | 'probs' | 'binary-logits' | 'regression';

/** One loss, as every entry point sees it. */
export interface LossRecord<Name extends string = string, Input extends LossInput = LossInput> {
  /** The one name of the loss everywhere: `focalgrad loss --kind`, `focalgrad train --loss`, the playground. */
  readonly name: Name;
  /** The library function. */
  readonly fn: (input: Tensor, target: Target, options?: Readonly<Record<string, unknown>> | null) => Tensor;
  /** Its option keys; the function checks its options against these same keys. */
  readonly keys: readonly string[];
  readonly input: Input;
  /** The peer and call whose numbers it reproduces, e.g. 'torchvision.ops.sigmoid_focal_loss'. */
  readonly semantics: string;
  /** One line for --help and the playground's menus. */
  readonly description: string;
  /** A short label for tables, legends and titles ("focal"; a loss with γ adds " γ=2"). */
  readonly label: string;
}

/**
 * A loss's record, with its function's own option type: `keys` must be names of its options.
 * @internal
 */
export function lossRecord<const Name extends string, const Input extends LossInput, Options extends object, T>(record: {
  name: Name;
  fn: (input: Tensor, target: T, options?: Options | null) => Tensor;
  keys: readonly (keyof Options & string)[];
  input: Input;
  semantics: string;
  description: string;
  label: string;
}): LossRecord<Name, Input> {
  // NOTE: the one cast: each function checks its options and target itself, so a caller that holds
  // only the record (the command, the trainer) may pass what the user gave and get the function's Error.
  return record as unknown as LossRecord<Name, Input>;
}
