// MLP: Linear layers with an activation between them and none after the last (it outputs logits).
import { type Rng, Tensor, checkOptions, checkSize, describeValue, noGrad, rng as seededRng, withScope } from '../engine/index.js';
import { Linear } from './linear.js';
import { type SafetensorsOptions, mlpFromSafetensors, mlpToSafetensors } from './safetensors.js';
import { ACTIVATIONS, type Activation, MLP_FORMAT, MLP_VERSION, type MlpJSON, validateMlpJSON } from './serialize.js';

/** Options of `MLP`: the activation between layers and the seeded generator for the initial weights (required). */
export interface MLPOptions {
  /** 'relu' (the default, with Kaiming init) or 'tanh' (with Glorot init) */
  activation?: Activation;
  rng: Rng;
}

/**
 * A multilayer perceptron: Linear layers with an activation between them and none after the last,
 * so it outputs logits — torch.nn.Sequential(Linear, act, ..., Linear). Saved with `toJSON` (exact)
 * or `toSafetensors` (for PyTorch).
 * @example
 * const mlp = new MLP([2, 32, 32, 3], { activation: 'relu', rng: rng(0) });
 * const logits = mlp.forward(x); // [N, 3]
 * const opt = new Adam(mlp.parameters(), { lr: 1e-3 });
 */
export class MLP {
  /** The width of each layer, inputs first and classes last: [2, 32, 32, 3]. */
  readonly sizes: readonly number[];
  /** The activation between layers: 'relu' or 'tanh'. */
  readonly activation: Activation;
  /** The Linear layers, inputs first. */
  readonly layers: readonly Linear[];

  constructor(sizes: readonly number[], options: MLPOptions) {
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new Error(`MLP: sizes must list at least 2 layer sizes (inputs, ..., outputs), got ${describeValue(sizes)}`);
    }
    // NOTE: a plain loop, not forEach, which skips the holes of a sparse array.
    for (let i = 0; i < sizes.length; i++) {
      const size: unknown = sizes[i];
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
        throw new Error(`MLP: sizes[${i}] must be a positive integer, got ${describeValue(size)}`);
      }
    }
    // Each layer's weight is checked here, so that a size too large is an Error naming MLP.
    sizes.slice(1).forEach((out, l) => checkSize('MLP', sizes[l] * out, [sizes[l], out]));
    const { activation = 'relu', rng } = checkOptions<MLPOptions>('MLP', options, ['activation', 'rng']);
    if (!ACTIVATIONS.includes(activation)) {
      throw new Error(`MLP: activation must be one of ${ACTIVATIONS.join(', ')}, got ${describeValue(activation)}`);
    }
    if (typeof rng !== 'object' || rng === null || typeof rng.normal !== 'function') {
      throw new Error(`MLP: options.rng must be a seeded generator from rng(seed), got ${describeValue(rng)}`);
    }
    const init = activation === 'relu' ? 'kaiming' : 'glorot';
    this.sizes = Object.freeze(sizes.slice());
    this.activation = activation;
    this.layers = Object.freeze(sizes.slice(1).map((out, l) => new Linear(sizes[l], out, { rng, init })));
  }

  /** x [N, sizes[0]] → logits [N, sizes.at(-1)]. */
  forward(x: Tensor): Tensor {
    return withScope('MLP', () => {
      let h = x;
      const last = this.layers.length - 1;
      for (let l = 0; l <= last; l++) {
        h = this.layers[l].forward(h);
        if (l < last) h = this.activation === 'relu' ? h.relu() : h.tanh();
      }
      return h;
    });
  }

  /** Class probabilities, softmax of the logits, computed without recording a graph. */
  predictProba(x: Tensor): Tensor {
    return noGrad(() => this.forward(x).softmax(-1));
  }

  /** The trainable tensors [W₀, b₀, W₁, b₁, ...] in layer order, for an optimizer. */
  parameters(): Tensor[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  /**
   * The model as a plain JSON-safe object (`MlpJSON`); `JSON.stringify` of it reads back to the same bits with `MLP.fromJSON`.
   */
  toJSON(): MlpJSON {
    return {
      format: MLP_FORMAT,
      version: MLP_VERSION,
      sizes: this.sizes.slice(),
      activation: this.activation,
      layers: this.layers.map((layer) => ({
        weight: Array.from(layer.weight.data),
        bias: Array.from((layer.bias as Tensor).data),
      })),
    };
  }

  /**
   * Rebuilds an MLP from `toJSON`'s object (or JSON.parse of its text); a malformed one is an Error naming what is wrong, never a half-loaded model.
   */
  static fromJSON(obj: unknown): MLP {
    return fromSaved(validateMlpJSON(obj, 'MLP.fromJSON'));
  }

  /**
   * The model as a `.safetensors` file (huggingface/safetensors): the state_dict of
   * `torch.nn.Sequential(Linear, act, Linear, act, ..., Linear)` — `0.weight` [out, in], `0.bias`,
   * `2.weight`, ... — with `format`, `sizes` and `activation` in its `__metadata__`.
   * dtype 'F64' (the default) is bit-exact; 'F32' rounds each weight to the nearest float32.
   * @example
   * writeFileSync('model.safetensors', mlp.toSafetensors());
   * // Python: torch.nn.Sequential(nn.Linear(2, 32), nn.ReLU(), ...).double().load_state_dict(load_file('model.safetensors'))
   */
  toSafetensors(options: SafetensorsOptions | null = {}): Uint8Array {
    return mlpToSafetensors(this.toJSON(), options, 'mlp.toSafetensors');
  }

  /**
   * Reads a `.safetensors` file written by `toSafetensors` (F64 or F32) into an MLP of the same sizes and
   * activation. A truncated file, or one whose header lies (offsets, shapes, dtypes), is an Error naming
   * MLP.fromSafetensors, never a model with garbage weights.
   * @example
   * const mlp = MLP.fromSafetensors(readFileSync('model.safetensors'));
   */
  static fromSafetensors(bytes: Uint8Array | ArrayBuffer): MLP {
    return fromSaved(mlpFromSafetensors(bytes, 'MLP.fromSafetensors'));
  }
}

// An MLP holding checked saved weights.
function fromSaved(saved: MlpJSON): MLP {
  // NOTE: the layers are initialised from a throwaway generator, then overwritten.
  const mlp = new MLP(saved.sizes, { activation: saved.activation, rng: seededRng(0) });
  mlp.layers.forEach((layer, l) => {
    layer.weight.data.set(saved.layers[l].weight);
    (layer.bias as Tensor).data.set(saved.layers[l].bias);
  });
  return mlp;
}
