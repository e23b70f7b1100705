// The messages between the page (main.ts) and the training worker (worker.ts).
import type { CompareOptions, EpochRecord, RunMetrics, Table, TrainConfig, TrainedSample } from '../train/index.js';
import type { TrainedLoss } from './graph/model.js';

/** The page asks the worker to train one (already checked) configuration, or to run a comparison. */
export type ToWorker = { type: 'train'; config: Partial<TrainConfig> } | { type: 'compare'; options: CompareOptions };

/** What the worker reports: each epoch, then the plots and tables, or an error. */
export type FromWorker =
  | { type: 'epoch'; record: EpochRecord }
  | {
      type: 'done';
      /** Decision regions, reliability diagram and confusion heatmap of the test split, as SVG markup. */
      regionsSvg: string;
      regionsCaption: string | null;
      reliabilitySvg: string;
      confusionSvg: string;
      /** Per-class precision / recall / F1 on the test split. */
      table: Table;
      final: RunMetrics;
      /** The loss the run used: its name, γ, and α resolved to numbers (null when unweighted). */
      loss: TrainedLoss;
      /** A few test rows with the trained model's logits, for the Graph panel (shown under `loss`). */
      samples: TrainedSample[];
    }
  | { type: 'progress'; done: number; total: number; variant: string }
  | {
      type: 'compared';
      /** Test metrics per variant (mean ± std), and each variant's paired difference from the baseline with its interval. */
      table: Table;
      differenceTable: Table;
      /** The splits and their support, the interval's method, the selection: one sentence each. */
      lines: string[];
    }
  | { type: 'error'; message: string };
