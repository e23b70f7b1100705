// Tests that pin the trainer: a tiny run recomputed step by step by hand, every training row visited once per epoch whatever the batch size, the final metrics recomputed from the model, the splits' order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, rng } from '../../engine/index.js';
import {
  type Dataset,
  deriveSeeds,
  fromRows,
  imbalancedBlobs,
  prepareRun,
  splitDataset,
  train,
} from '../../train/index.js';

// Twelve rows, three classes of four, two features: with testFraction 0.25 one row of each class goes
// to test and nine train, so batches of 4 are 4 + 4 + 1 (the last one partial).
const ROWS = [
  [0.5, 1.2], [1.1, 0.3], [-0.4, 0.9], [0.2, -1.3], [1.7, 0.4], [-1.2, -0.6],
  [0.9, -0.2], [-0.3, 1.8], [1.4, -1.1], [-0.8, 0.1], [0.1, 0.6], [-1.5, 1.0],
];
const LABELS = ['b', 'a', 'c', 'a', 'b', 'c', 'a', 'c', 'b', 'c', 'a', 'b'];
// valFraction 0: no validation part, so the split is splitDataset's and every epoch runs (no early stopping).
const TINY = { hidden: [], optimizer: 'sgd', lr: 0.1, loss: 'ce' as const, batch: 4, epochs: 2, testFraction: 0.25, valFraction: 0, seed: 11 };

// A linear model's logits x·W + b, W [dim, K] row-major, by hand.
function logitsOf(x: Float64Array, n: number, dim: number, w: Float64Array, b: Float64Array, k: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: k }, (_, c) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += x[i * dim + j] * w[j * k + c];
      return s + b[c];
    }),
  );
}

// Mean cross-entropy, log-sum-exp shifted by the row's max, and its gradient (softmax − onehot) / n.
function crossEntropyByHand(logits: number[][], y: ArrayLike<number>): { loss: number; dLogits: number[][] } {
  let loss = 0;
  const dLogits = logits.map((row, i) => {
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    loss += -(row[y[i]] - max - Math.log(sum));
    return row.map((v, c) => (Math.exp(v - max) / sum - (c === y[i] ? 1 : 0)) / logits.length);
  });
  return { loss: loss / logits.length, dLogits };
}

// The losses agree to within a few units in the last place (1e-15 relative: the engine takes log p_t
// its own cancellation-free way, the hand computation the textbook way); the weights, after SGD's
// momentum sums, to rounding. A changed batch order or a dropped batch moves them by 1e-6 or more.
function same(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-15 * Math.abs(expected), `${what}: ${actual} vs hand-computed ${expected}`);
}

function close(actual: number, expected: number, what: string): void {
  // NOTE: the engine sums the gradient in its own order; a few units in the last place is rounding.
  assert.ok(Math.abs(actual - expected) <= 1e-14 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs hand-computed ${expected}`);
}

test('a tiny run, step by step by hand: initial weights, batch order from its own stream, partial last batch, SGD momentum', () => {
  const data = fromRows(ROWS, LABELS);
  const result = train({ data, ...TINY });
  const { train: set } = result.split;
  const { n, dim } = set;
  const k = 3;
  const seeds = deriveSeeds(TINY.seed);
  // Linear(2, 3): weights N(0, 2/in) drawn in order from the init stream, bias 0 (models/linear.ts, Kaiming).
  const init = rng(seeds.init);
  const w = Float64Array.from({ length: dim * k }, () => init.normal() * Math.sqrt(2 / dim));
  const b = new Float64Array(k);
  const bufW = new Float64Array(dim * k);
  const bufB = new Float64Array(k);
  let firstStep = true;
  const fullLoss = (): number => crossEntropyByHand(logitsOf(set.x, n, dim, w, b, k), set.y).loss;
  same(result.initial.trainLoss, fullLoss(), 'epoch 0 train loss');

  const shuffle = rng(seeds.shuffle);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let epoch = 1; epoch <= TINY.epochs; epoch++) {
    shuffle.shuffle(order);
    for (let start = 0; start < n; start += TINY.batch) {
      const rows = Array.from(order.subarray(start, Math.min(start + TINY.batch, n)));
      const x = Float64Array.from(rows.flatMap((r) => [set.x[r * dim], set.x[r * dim + 1]]));
      const y = rows.map((r) => set.y[r]);
      const { dLogits } = crossEntropyByHand(logitsOf(x, rows.length, dim, w, b, k), y);
      // ∂L/∂W = xᵀ·dLogits, ∂L/∂b = Σ_rows dLogits; torch.optim.SGD: buf = g (first step), then 0.9·buf + g; p −= lr·buf.
      const gW = new Float64Array(dim * k);
      const gB = new Float64Array(k);
      dLogits.forEach((row, i) => row.forEach((g, c) => {
        for (let j = 0; j < dim; j++) gW[j * k + c] += x[i * dim + j] * g;
        gB[c] += g;
      }));
      for (let p = 0; p < w.length; p++) bufW[p] = firstStep ? gW[p] : 0.9 * bufW[p] + gW[p];
      for (let c = 0; c < k; c++) bufB[c] = firstStep ? gB[c] : 0.9 * bufB[c] + gB[c];
      firstStep = false;
      for (let p = 0; p < w.length; p++) w[p] -= TINY.lr * bufW[p];
      for (let c = 0; c < k; c++) b[c] -= TINY.lr * bufB[c];
    }
    same(result.history[epoch - 1].trainLoss, fullLoss(), `epoch ${epoch} train loss`);
  }
  const saved = result.model.toJSON().layers[0];
  saved.weight.forEach((v, p) => close(v, w[p], `W[${p}]`));
  saved.bias.forEach((v, c) => close(v, b[c], `b[${c}]`));
});

test('negative control: the hand computation tells a different batch order apart', () => {
  const data = fromRows(ROWS, LABELS);
  const a = train({ data, ...TINY });
  const b = train({ data, ...TINY, batch: 3 });
  assert.ok(Math.abs(a.history[0].trainLoss - b.history[0].trainLoss) > 1e-6, 'another batching gives another first loss');
});

// The training batches a run feeds its model, read back by wrapping the model's forward: each epoch
// is its batches followed by two full evaluations (train split, then test split).
function batchesPerEpoch(batch: number): { perEpoch: Float64Array[][]; data: Dataset } {
  const run = prepareRun({ n: 200, hidden: [4], epochs: 2, batch, seed: 5, valFraction: 0 });
  const seen: Float64Array[] = [];
  const forward = run.model.forward.bind(run.model);
  run.model.forward = (x: Tensor): Tensor => {
    seen.push(Float64Array.from(x.data));
    return forward(x);
  };
  train(run);
  const { train: set, test: testSet } = run.split;
  const perEpoch: Float64Array[][] = [];
  let current: Float64Array[] = [];
  // The first two calls evaluate the untrained model.
  for (const x of seen.slice(2)) {
    current.push(x);
    if (current.length >= 2 && current[current.length - 1].length === testSet.n * 2 && current[current.length - 2].length === set.n * 2) {
      perEpoch.push(current.slice(0, -2));
      current = [];
    }
  }
  return { perEpoch, data: set };
}

test('every training row is visited exactly once per epoch, whatever the batch size', () => {
  for (const batch of [1, 7, 32, 139, 140, 141, 5000]) {
    const { perEpoch, data } = batchesPerEpoch(batch);
    assert.is(perEpoch.length, 2, `batch ${batch}: two epochs`);
    const key = (x: ArrayLike<number>, i: number): string => `${x[2 * i]},${x[2 * i + 1]}`;
    const expected = Array.from({ length: data.n }, (_, i) => key(data.x, i)).sort();
    perEpoch.forEach((batches, e) => {
      batches.forEach((x) => assert.ok(x.length / 2 <= batch, `batch ${batch}: a batch of ${x.length / 2} rows`));
      const visited = batches.flatMap((x) => Array.from({ length: x.length / 2 }, (_, i) => key(x, i))).sort();
      assert.equal(visited, expected, `batch ${batch}, epoch ${e + 1}: each of the ${data.n} rows once`);
    });
  }
});

// Top-label ECE with 15 equal bins (k/15, (k+1)/15], written again here from Guo et al. 2017.
function eceByHand(probs: number[][], y: ArrayLike<number>, bins: number): number {
  const count = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  probs.forEach((row, i) => {
    const top = row.indexOf(Math.max(...row));
    const p = row[top];
    let k = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1));
    if (p <= k / bins && k > 0) k--;
    count[k]++;
    confidence[k] += p;
    if (top === y[i]) correct[k]++;
  });
  return count.reduce((s, c, k) => (c === 0 ? s : s + (c / probs.length) * Math.abs(correct[k] / c - confidence[k] / c)), 0);
}

test('the final metrics are recomputed from the trained model: accuracy, recall per class, NLL, ECE over 15 bins', () => {
  const result = train({ n: 600, ratios: [6, 3, 1], testFraction: 0.3, valFraction: 0, hidden: [6], epochs: 8, lr: 0.03, seed: 2 });
  const { test: set } = result.split;
  const { layers } = result.model.toJSON();
  // The MLP by hand: relu between layers, weights [in, out].
  const probs: number[][] = [];
  for (let i = 0; i < set.n; i++) {
    let h = [set.x[2 * i], set.x[2 * i + 1]];
    layers.forEach((layer, l) => {
      const out = layer.bias.length;
      const next = Array.from({ length: out }, (_, o) => h.reduce((s, v, j) => s + v * layer.weight[j * out + o], layer.bias[o]));
      h = l < layers.length - 1 ? next.map((v) => Math.max(0, v)) : next;
    });
    const max = Math.max(...h);
    const sum = h.reduce((s, v) => s + Math.exp(v - max), 0);
    probs.push(h.map((v) => Math.exp(v - max) / sum));
  }
  const predicted = probs.map((row) => row.indexOf(Math.max(...row)));
  const accuracy = predicted.filter((p, i) => p === set.y[i]).length / set.n;
  assert.ok(Math.abs(result.final.accuracy - accuracy) < 1e-12, `accuracy ${result.final.accuracy} vs ${accuracy}`);
  for (let c = 0; c < 3; c++) {
    const mine = predicted.filter((_, i) => set.y[i] === c);
    const recall = mine.filter((p) => p === c).length / mine.length;
    assert.ok(Math.abs(result.final.perClass[c].recall - recall) < 1e-12, `recall of class ${c}`);
  }
  const nll = -probs.reduce((s, row, i) => s + Math.log(row[set.y[i]]), 0) / set.n;
  assert.ok(Math.abs(result.final.nll - nll) < 1e-12, `NLL ${result.final.nll} vs ${nll}`);
  const ece = eceByHand(probs, set.y, 15);
  assert.ok(Math.abs(result.final.ece - ece) < 1e-12, `ECE ${result.final.ece} vs ${ece} (15 bins)`);
  // Negative control: 10 bins give another number here, so a trainer using 10 would be caught.
  assert.ok(Math.abs(eceByHand(probs, set.y, 10) - ece) > 1e-4, 'ECE over 10 bins differs from 15');
});

// How many runs of equal labels a sequence has: K for rows grouped by class, many more for shuffled rows.
function labelRuns(y: ArrayLike<number>): number {
  let runs = 1;
  for (let i = 1; i < y.length; i++) if (y[i] !== y[i - 1]) runs++;
  return runs;
}

test('both splits come out shuffled, not grouped by class (built-in data and splitDataset)', () => {
  const blobs = imbalancedBlobs({ n: 3000, ratios: [1, 1, 1], seed: 4 });
  const data: Dataset = { ...blobs.train, name: 'rows' };
  const resplit = splitDataset(data, { seed: 9 });
  for (const [name, set] of [
    ['blobs train', blobs.train],
    ['blobs test', blobs.test],
    ['splitDataset train', resplit.train],
    ['splitDataset test', resplit.test],
  ] as const) {
    // Three equal classes in random order change label at about 2 rows in 3.
    const runs = labelRuns(set.y);
    assert.ok(runs > set.n / 2, `${name}: ${runs} runs of equal labels in ${set.n} rows`);
  }
  // Negative control: the same labels sorted have three runs.
  assert.is(labelRuns(Int32Array.from(blobs.test.y).sort()), 3);
});

test.run();
