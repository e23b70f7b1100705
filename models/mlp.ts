// MLP: Linear layers with an activation between them and none after the last (it outputs logits).
import { type Rng, Tensor, noGrad, rng as seededRng } from '../engine/index.js';
import { checkOptions, checkSize } from '../engine/checks.js';
import { describe } from './describe.js';
import { Linear } from './linear.js';
import { ACTIVATIONS, type Activation, MLP_FORMAT, MLP_VERSION, type MlpJSON, validateMlpJSON } from './serialize.js';

export interface MLPOptions {
  /** 'relu' (the default, with Kaiming init) or 'tanh' (with Glorot init) */
  activation?: Activation;
  rng: Rng;
}

export class MLP {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly layers: readonly Linear[];

  constructor(sizes: readonly number[], options: MLPOptions) {
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new Error(`MLP: sizes must list at least 2 layer sizes (inputs, ..., outputs), got ${describe(sizes)}`);
    }
    // NOTE: a plain loop, not forEach, which skips the holes of a sparse array.
    for (let i = 0; i < sizes.length; i++) {
      const size: unknown = sizes[i];
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
        throw new Error(`MLP: sizes[${i}] must be a positive integer, got ${describe(size)}`);
      }
    }
    // Each layer's weight is checked here, so that a size too large is an Error naming MLP.
    sizes.slice(1).forEach((out, l) => checkSize('MLP', sizes[l] * out, [sizes[l], out]));
    const { activation = 'relu', rng } = checkOptions<MLPOptions>('MLP', options, ['activation', 'rng']);
    if (!ACTIVATIONS.includes(activation)) {
      throw new Error(`MLP: activation must be one of ${ACTIVATIONS.join(', ')}, got ${describe(activation)}`);
    }
    if (typeof rng !== 'object' || rng === null || typeof rng.normal !== 'function') {
      throw new Error(`MLP: options.rng must be a seeded generator from rng(seed), got ${describe(rng)}`);
    }
    const init = activation === 'relu' ? 'kaiming' : 'glorot';
    this.sizes = Object.freeze(sizes.slice());
    this.activation = activation;
    this.layers = Object.freeze(sizes.slice(1).map((out, l) => new Linear(sizes[l], out, { rng, init })));
  }

  // x [N, sizes[0]] → logits [N, sizes.at(-1)]
  forward(x: Tensor): Tensor {
    let h = x;
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      h = this.layers[l].forward(h);
      if (l < last) h = this.activation === 'relu' ? h.relu() : h.tanh();
    }
    return h;
  }

  // Class probabilities (softmax of the logits), without recording a graph.
  predictProba(x: Tensor): Tensor {
    return noGrad(() => this.forward(x).softmax(-1));
  }

  // [W₀, b₀, W₁, b₁, ...] in layer order.
  parameters(): Tensor[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  // A plain, JSON-safe object; JSON.stringify prints every double so that it parses back to the same bits.
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

  // Rebuilds an MLP from toJSON's object (or JSON.parse of its text). Everything is checked
  // before the model is built, so a bad file is an Error and never a half-loaded model.
  static fromJSON(obj: unknown): MLP {
    const saved = validateMlpJSON(obj, 'MLP.fromJSON');
    // NOTE: the layers are initialised from a throwaway generator, then overwritten.
    const mlp = new MLP(saved.sizes, { activation: saved.activation, rng: seededRng(0) });
    mlp.layers.forEach((layer, l) => {
      layer.weight.data.set(saved.layers[l].weight);
      (layer.bias as Tensor).data.set(saved.layers[l].bias);
    });
    return mlp;
  }
}
