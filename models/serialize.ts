// The saved form of an MLP, and the check that a value read back (e.g. from JSON.parse) is one.
import { describeValue } from '../engine/index.js';

/** The `format` field of a saved MLP (`toJSON`), and the `format` entry of a `.safetensors` file's metadata. */
export const MLP_FORMAT = 'focalgrad-mlp';
/** The version of `toJSON`'s layout; `MLP.fromJSON` refuses any other. */
export const MLP_VERSION = 1;

/** The activation between an MLP's layers: ReLU (Kaiming init) or tanh (Glorot init). */
export type Activation = 'relu' | 'tanh';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh'];

/** One Linear layer in `MlpJSON`: its weights and biases as plain numbers. */
export interface MlpLayerJSON {
  /** row-major [in, out] */
  weight: number[];
  bias: number[];
}

/** What `mlp.toJSON()` returns and `MLP.fromJSON()` reads: JSON-safe, each double written to read back to the same bits. */
export interface MlpJSON {
  format: typeof MLP_FORMAT;
  version: typeof MLP_VERSION;
  sizes: number[];
  activation: Activation;
  layers: MlpLayerJSON[];
}

/**
 * Returns obj as a well-formed MlpJSON, or throws an Error, starting with `who`, naming the first thing
 * wrong with it (format, version, sizes, activation, each layer's length, any non-finite number).
 * Extra fields are ignored.
 */
export function validateMlpJSON(obj: unknown, who = 'MLP.fromJSON'): MlpJSON {
  if (!isRecord(obj)) throw new Error(`${who}: expected an object, got ${describeValue(obj)}`);
  if (obj.format !== MLP_FORMAT) {
    throw new Error(`${who}: format must be "${MLP_FORMAT}", got ${describeValue(obj.format)}`);
  }
  if (obj.version !== MLP_VERSION) {
    throw new Error(`${who}: unsupported version ${describeValue(obj.version)} (expected ${MLP_VERSION})`);
  }
  const sizes = obj.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new Error(`${who}: sizes must be an array of at least 2 layer sizes, got ${describeValue(sizes)}`);
  }
  // NOTE: a plain loop, not forEach, which skips the holes of a sparse array.
  for (let i = 0; i < sizes.length; i++) {
    const size: unknown = sizes[i];
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
      throw new Error(`${who}: sizes[${i}] must be a positive integer, got ${describeValue(size)}`);
    }
  }
  const activation = obj.activation;
  if (!ACTIVATIONS.includes(activation as Activation)) {
    throw new Error(`${who}: activation must be one of ${ACTIVATIONS.join(', ')}, got ${describeValue(activation)}`);
  }
  const layers = obj.layers;
  if (!Array.isArray(layers)) throw new Error(`${who}: layers must be an array, got ${describeValue(layers)}`);
  if (layers.length !== sizes.length - 1) {
    throw new Error(
      `${who}: layers has ${layers.length} entries, expected ${sizes.length - 1} for sizes [${sizes.join(', ')}]`,
    );
  }
  const checked = layers.map((layer: unknown, l): MlpLayerJSON => {
    if (!isRecord(layer)) throw new Error(`${who}: layer ${l} must be an object, got ${describeValue(layer)}`);
    const fanIn = sizes[l] as number;
    const fanOut = sizes[l + 1] as number;
    return {
      weight: checkValues(layer.weight, fanIn * fanOut, `${fanIn}×${fanOut} = ${fanIn * fanOut}`, `layer ${l} weight`, who),
      bias: checkValues(layer.bias, fanOut, `${fanOut}`, `layer ${l} bias`, who),
    };
  });
  return { format: MLP_FORMAT, version: MLP_VERSION, sizes: sizes.slice() as number[], activation: activation as Activation, layers: checked };
}

function checkValues(values: unknown, expected: number, formula: string, what: string, who: string): number[] {
  if (!Array.isArray(values)) throw new Error(`${who}: ${what} must be an array of numbers, got ${describeValue(values)}`);
  if (values.length !== expected) {
    throw new Error(`${who}: ${what} has ${values.length} values, expected ${formula}`);
  }
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`${who}: ${what}[${i}] must be a finite number, got ${describeValue(value)}`);
    }
  }
  return values as number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
