// focalgrad's public API (the package's root export): the engine, the losses and the models.
// The trainer (datasets, metrics, reports, train/compare) is the separate entry focalgrad/train.
export * from './engine/index.js';
export * from './losses/index.js';
export * from './models/index.js';
