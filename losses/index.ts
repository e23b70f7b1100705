// The losses' public names.
export { crossEntropy, type CrossEntropyOptions } from './crossEntropy.js';
export { focalLoss, focalLossFromProbs, type FocalLossOptions, type FocalLossFromProbsOptions } from './focal.js';
export { binaryFocalLoss, type BinaryFocalLossOptions } from './binaryFocal.js';
export { focalLossStar, type FocalLossStarOptions } from './focalStar.js';
export { classWeights, type ClassWeightsOptions } from './classWeights.js';
export type { Reduction, Target, Gamma, Alpha } from './targets.js';
