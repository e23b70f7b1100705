// Early stopping on the validation loss (Keras' EarlyStopping(monitor='val_loss', patience, restore_best_weights=True)).
import type { Tensor } from '../engine/index.js';

/** Why a run ended and when: recorded in TrainResult and printed. */
export interface StopInfo {
  /** 'patience': the validation loss had not improved for `patience` epochs; 'budget': the epoch budget ran out. */
  reason: 'patience' | 'budget';
  /** The last epoch trained. */
  epoch: number;
  /** The epoch whose weights the model holds at the end (the best validation loss; the last epoch without validation). */
  bestEpoch: number;
  /** The validation loss at bestEpoch (null without validation). */
  bestValLoss: number | null;
  /** The epoch budget the run had (epochs, raised to reach minSteps optimizer steps). */
  budget: number;
}

/**
 * Watches the validation loss after each epoch: keeps a copy of the parameters at its lowest value
 * (an improvement is any decrease), and says stop once `patience` epochs in a row brought none.
 * restore() puts the best copy back, as Keras' restore_best_weights does.
 */
export class EarlyStopping {
  private best = Infinity;
  private bestEpoch = 0;
  private readonly saved: Float64Array[];

  constructor(
    private readonly params: readonly Tensor[],
    /** Epochs without improvement before stopping; Infinity never stops. */
    readonly patience: number,
  ) {
    this.saved = params.map((p) => Float64Array.from(p.data));
  }

  /** Records epoch `epoch`'s validation loss; true when the run should stop here. */
  update(epoch: number, valLoss: number): boolean {
    if (valLoss < this.best) {
      this.best = valLoss;
      this.bestEpoch = epoch;
      this.params.forEach((p, k) => this.saved[k].set(p.data));
    }
    return epoch - this.bestEpoch >= this.patience;
  }

  /** Puts the best epoch's parameters back into the model; returns that epoch and its loss (epoch 0: the initial weights). */
  restore(): { epoch: number; valLoss: number } {
    this.params.forEach((p, k) => p.data.set(this.saved[k]));
    return { epoch: this.bestEpoch, valLoss: this.best };
  }
}
