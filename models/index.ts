// The models' public names: layers, the MLP and its saved form, optimisers.
export { Linear, type Init, type LinearOptions } from './linear.js';
export { MLP, type MLPOptions } from './mlp.js';
export type { SafetensorsDtype, SafetensorsOptions } from './safetensors.js';
export { validateMlpJSON, MLP_FORMAT, MLP_VERSION, type Activation, type MlpJSON, type MlpLayerJSON } from './serialize.js';
export {
  Optimizer,
  SGD,
  Adam,
  AdamW,
  type SGDOptions,
  type AdamOptions,
  type SGDParamState,
  type AdamParamState,
} from './optim.js';
