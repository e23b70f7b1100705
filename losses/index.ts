// The losses' public names, and LOSS_RECORDS: the one list of losses every entry point reads.
import { binaryCrossEntropyRecord, mseLossRecord } from './binaryCrossEntropy.js';
import { binaryFocalLossRecord } from './binaryFocal.js';
import { crossEntropyRecord } from './crossEntropy.js';
import { focalLossFromProbsRecord, focalLossRecord } from './focal.js';
import { focalLossStarRecord } from './focalStar.js';
import type { LossRecord } from './record.js';

export { crossEntropy, crossEntropyRecord, type CrossEntropyOptions } from './crossEntropy.js';
export { focalLoss, focalLossFromProbs, focalLossRecord, focalLossFromProbsRecord, type FocalLossOptions, type FocalLossFromProbsOptions } from './focal.js';
export { binaryFocalLoss, binaryFocalLossRecord, type BinaryFocalLossOptions } from './binaryFocal.js';
export {
  binaryCrossEntropy,
  mseLoss,
  binaryCrossEntropyRecord,
  mseLossRecord,
  type BinaryCrossEntropyOptions,
  type MseLossOptions,
} from './binaryCrossEntropy.js';
export { focalLossStar, focalLossStarRecord, FOCAL_STAR_BETA, type FocalLossStarOptions } from './focalStar.js';
export { classWeights, type ClassWeightsOptions } from './classWeights.js';
export type { LossRecord, LossInput } from './record.js';
export type { Target, Gamma, Alpha } from './inputs.js';
export type { Reduction } from './reduction.js';

/**
 * Every loss, by its record: `focalgrad loss --kind`, `focalgrad vectors`, the trainer's `--loss` and the
 * playground read their losses from here. Adding a loss is its file, one line here, and its tests.
 * @example LOSS_RECORDS.find((r) => r.name === 'focal')!.fn(logits, [0, 2], { gamma: 2 })
 */
export const LOSS_RECORDS = [
  crossEntropyRecord,
  focalLossRecord,
  focalLossFromProbsRecord,
  binaryFocalLossRecord,
  focalLossStarRecord,
  binaryCrossEntropyRecord,
  mseLossRecord,
] as const;

/** The name of a loss: 'ce', 'focal', 'probs', 'binary', 'focal-star', 'bce' or 'mse'. */
export type LossName = (typeof LOSS_RECORDS)[number]['name'];

/** The losses whose input is class logits with class-index targets: the ones the trainer can train with. */
export type ClassLogitsLossName = Extract<(typeof LOSS_RECORDS)[number], LossRecord<string, 'logits'>>['name'];
