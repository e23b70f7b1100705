// focalgrad's public API: the engine, the losses, the models and the trainer.
export * from './engine/index.js';
export * from './losses/index.js';
export * from './models/index.js';
export * from './train/index.js';
