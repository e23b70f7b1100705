// The losses' public names.
export { crossEntropy, type CrossEntropyOptions } from './crossEntropy.js';
export { focalLoss, focalLossFromProbs, type FocalLossOptions, type FocalLossFromProbsOptions } from './focal.js';
export { binaryFocalLoss, type BinaryFocalLossOptions } from './binaryFocal.js';
export { binaryCrossEntropy, mseLoss, type BinaryCrossEntropyOptions, type MseLossOptions } from './binaryCrossEntropy.js';
export { focalLossStar, type FocalLossStarOptions } from './focalStar.js';
export { classWeights, type ClassWeightsOptions } from './classWeights.js';
export type { Target, Gamma, Alpha } from './inputs.js';
export type { Reduction } from './reduction.js';
