// The messages between the page (main.ts) and the training worker (worker.ts).
import type { EpochRecord, RunMetrics, Table, TrainConfig } from '../train/index.js';

export type ToWorker = { type: 'train'; config: TrainConfig };

export type FromWorker =
  | { type: 'epoch'; record: EpochRecord }
  | {
      type: 'done';
      /** The decision regions over the test split, as SVG markup. */
      regionsSvg: string;
      /** Per-class precision / recall / F1 on the test split. */
      table: Table;
      final: RunMetrics;
      /** The α the loss used, resolved to numbers (null when unweighted). */
      alpha: number | number[] | null;
    }
  | { type: 'error'; message: string };
