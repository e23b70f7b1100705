// The property of issue 11, fuzzed over the whole public API with valid and invalid arguments: every
// call returns a result of the documented shape, finite where its inputs make it so, or throws an
// Error whose message starts with the public function's name. Never a TypeError or RangeError from
// inside, never a silent NaN, never a hang.
// Adding a function is one entry in ENTRIES: its name, a generator of its arguments, how to call it.
// FUZZ_RUNS and FUZZ_SEED (environment) run it longer or elsewhere; CI runs the defaults below.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as api from '../../index.js';
import * as trainApi from '../../train/index.js';
import { Tensor } from '../../index.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 6000);
// Four seeds of 6,000 calls each in CI (24,000 calls, a few seconds); FUZZ_SEED=a,b,c picks others.
const SEEDS = (process.env.FUZZ_SEED ?? '20261130,1,2,3').split(',').map(Number);
// A call slower than this counts as a hang: every generated size is small.
const SLOW_MS = 2000;

// ---- values ----

const cyclic: unknown[] = [1];
cyclic[0] = cyclic;
const sparse: number[] = [];
sparse.length = 2 ** 32 - 1;

// Anything a caller might pass by mistake, including what used to crash the messages themselves.
const weird = fc.constantFrom<unknown>(
  null, undefined, NaN, Infinity, -Infinity, -1, 0, -0, 1.5, 1e12, 2 ** 53, 'abc', '1', '', true, 1n,
  Symbol('s'), Object.create(null), {}, [], [1, [2]], [[1, 2], [3]], cyclic, sparse, () => 1,
  new Float32Array(2), new Int32Array([0, 1]), [1e5, 1e5], [-1], [1.5], [Symbol('t')],
);
const num = fc.double({ min: -10, max: 10, noNaN: true });
const smallInt = fc.integer({ min: -3, max: 5 });
const or = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: weird });

const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });
const size = (shape: readonly number[]): number => shape.reduce((n, s) => n * s, 1);
const tensorOf = (shapeGen: fc.Arbitrary<number[]>, requiresGrad = fc.boolean()): fc.Arbitrary<Tensor> =>
  fc.tuple(shapeGen, requiresGrad).chain(([shape, grad]) =>
    fc.array(num, { minLength: size(shape), maxLength: size(shape) }).map((values) => api.tensor(Float64Array.from(values), { shape, requiresGrad: grad })),
  );
const anyTensor = tensorOf(shapeArb);
const matrix = tensorOf(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).map(([n, c]) => [n, c]));
const vector = tensorOf(fc.integer({ min: 1, max: 4 }).map((n) => [n]));
const operand = fc.oneof(anyTensor, num, weird);
const axis = fc.oneof(fc.constant(undefined), fc.integer({ min: -3, max: 2 }), weird);
const keepdims = fc.oneof(fc.constant(undefined), fc.boolean(), weird);
const shapeArg = fc.oneof({ weight: 3, arbitrary: shapeArb }, { weight: 1, arbitrary: weird });
const requiresGradOptions = fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ requiresGrad: or(fc.boolean()) }), weird);
const generator = fc.oneof(fc.integer({ min: 0, max: 9 }).map((s) => api.rng(s)), weird);
const indices = fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 4 }), vector, weird);
const nested: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, num, weird, fc.array(tie('node'), { maxLength: 3 })),
})).node;
const differentiable = fc.constantFrom<unknown>(
  (x: Tensor) => x.mul(x).sum(),
  (x: Tensor) => x.tanh(),
  // (an f that throws on its own, say on shapes that do not broadcast, would only test f)
  (x: Tensor, y?: Tensor) => (y === undefined ? x.exp() : x.sum().add(y.sum()).sigmoid()),
  () => 1,
  (x: Tensor) => x.detach(),
  5,
  null,
);
const toleranceOptions = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.record({ eps: or(fc.constantFrom(1e-6, 1e-4)), atol: or(fc.constantFrom(1e-5, 0)), rtol: or(fc.constant(1e-3)), seed: or(smallInt) }, { requiredKeys: [] }),
  weird,
);
const lossOptions = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  weird,
  fc.record(
    { gamma: or(fc.constantFrom(0, 0.5, 2)), reduction: or(fc.constantFrom('mean', 'sum', 'none')), alpha: or(fc.constantFrom(0.25, 1)) },
    { requiredKeys: [] },
  ),
);
const target = fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { minLength: 1, maxLength: 4 }), vector, matrix, weird);

// the trainer's arguments: labels, a class count, probability rows that sum to 1, CSV text, Datasets made by hand
const labels = or(fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 5 }));
const numClasses = or(fc.integer({ min: 0, max: 4 }));
const probabilityCase = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 3 })).chain(([n, k]) =>
  fc.tuple(
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n * k, maxLength: n * k }).map((raw) =>
      raw.map((v, i) => (v + 1e-3) / raw.slice(i - (i % k), i - (i % k) + k).reduce((s, w) => s + w + 1e-3, 0)),
    ),
    fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
    fc.constant(k),
    fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 20 })),
  ),
);
const csvText = fc.array(fc.constantFrom('x,k', 'k,x', '1,a', '2,b', '1.0,1', ' ,a', '0x1,b', 'x,x', '"q,a', '', '1,a,2', '\r'), { maxLength: 5 }).map((lines) => lines.join('\n'));
const datasetArb = fc.record({
  x: fc.constantFrom(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, NaN, 3, 4), new Float64Array(2)),
  y: fc.constantFrom(Int32Array.of(0, 1, 0, 1), Int32Array.of(0, 0, 0, 0), Int32Array.of(0, 2, 1, 1)),
  n: fc.constantFrom(4, 2),
  dim: fc.constant(1),
  numClasses: fc.constantFrom(2, 1, 3),
  classNames: fc.constantFrom<unknown>(['a', 'b'], ['a'], [1, 2], ['a', 'a'], ['a', 'b', 'c']),
});

// Small runs only: one or two epochs of a few dozen rows (every size here is bounded, weird values included).
const tinyData = fc.constantFrom<unknown>('blobs', 'spirals', 'nope', trainApi.fromRows([[0, 1], [1, 0], [0, 2], [2, 0], [0, 3], [3, 0]], ['a', 'b', 'a', 'b', 'a', 'b']));
const trainConfig = fc.oneof(
  { weight: 4, arbitrary: fc.record(
    {
      data: or(tinyData),
      n: fc.constantFrom<unknown>(40, 60, 0, null),
      ratios: fc.constantFrom<unknown>([1, 1], [3, 1, 1], [1], null),
      loss: or(fc.constantFrom('ce', 'focal', 'focal-star')),
      gamma: fc.constantFrom<unknown>(0, 2, 'flsd53', null, -1, NaN),
      alpha: fc.constantFrom<unknown>(null, 0.5, [1, 2], 'inverse', [NaN, 1], -1, 'balanced'),
      epochs: fc.constantFrom<unknown>(1, 2, 0, null, 1.5),
      hidden: fc.constantFrom<unknown>([2], [], [0], null),
      batch: fc.constantFrom<unknown>(16, 1e12, 0),
      lr: fc.constantFrom<unknown>(0.01, 1e200, -1, null),
      seed: or(smallInt),
    },
    { requiredKeys: ['epochs'] },
  ).map((c) => ({ n: 40, hidden: [2], ...c })) },
  // not null, undefined or {}: they mean the default config, 30 epochs of 5,000 rows
  { weight: 1, arbitrary: fc.constantFrom<unknown>(5, 'blobs', [], () => 1, NaN, true) },
);
const hooksArb = fc.oneof(
  fc.constant(undefined),
  fc.constant({ onEpoch: () => {} }),
  fc.constantFrom<unknown>(null, { onEpochs: () => {} }, { onEpoch: 5 }, {}, [], 'onEpoch'),
);

// ---- the table ----

type Check = (result: unknown, args: unknown[]) => void;

interface Entry {
  /** the public name every Error's message must start with */
  name: string;
  args: fc.Arbitrary<unknown[]>;
  call: (...args: unknown[]) => unknown;
  /** whether finite inputs give a finite result (false where NaN or ±∞ is the right answer: log of −1) */
  finite?: boolean | ((args: unknown[]) => boolean);
  check?: Check;
}

const method = (name: string, ...rest: fc.Arbitrary<unknown>[]): Entry => ({
  name,
  args: fc.tuple(anyTensor, ...rest),
  call: (t, ...more) => (t as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...more),
});

// A reduction's result is finite unless it reduces an empty axis (mean: 0/0, logsumexp: log 0).
const reducesSomething = (args: unknown[]): boolean => {
  const [t, ax] = args as [Tensor, unknown];
  if (typeof ax !== 'number') return t.size > 0;
  const a = ax < 0 ? ax + t.ndim : ax;
  return t.shape[a] !== 0;
};

const ENTRIES: Entry[] = [
  // creation
  { name: 'tensor', args: fc.tuple(fc.oneof(nested, fc.array(num).map((v) => Float64Array.from(v))), fc.oneof(requiresGradOptions, fc.record({ shape: shapeArg }))), call: (v, o) => api.tensor(v as never, o as never), finite: true },
  { name: 'zeros', args: fc.tuple(shapeArg, requiresGradOptions), call: (s, o) => api.zeros(s as never, o as never), finite: true },
  { name: 'ones', args: fc.tuple(shapeArg, requiresGradOptions), call: (s, o) => api.ones(s as never, o as never), finite: true },
  { name: 'full', args: fc.tuple(shapeArg, or(num), requiresGradOptions), call: (s, v, o) => api.full(s as never, v as never, o as never), finite: true },
  { name: 'randn', args: fc.tuple(shapeArg, generator, requiresGradOptions), call: (s, r, o) => api.randn(s as never, r as never, o as never), finite: true },
  { name: 'rand', args: fc.tuple(shapeArg, generator, requiresGradOptions), call: (s, r, o) => api.rand(s as never, r as never, o as never), finite: true },
  { name: 'arange', args: fc.tuple(or(smallInt), or(smallInt), or(fc.constantFrom(1, -1, 0.5, 0))), call: (a, b, c) => api.arange(a as never, b as never, c as never), finite: true },
  { name: 'oneHot', args: fc.tuple(indices, or(fc.integer({ min: 0, max: 5 }))), call: (i, c) => api.oneHot(i as never, c as never), finite: true },
  // the constructor with a Float64Array and a shape of non-negative integers builds a leaf
  { name: 'Tensor', args: fc.tuple(fc.oneof(fc.array(num, { maxLength: 6 }).map((v) => Float64Array.from(v)), weird), fc.oneof(shapeArb, weird)), call: (d, s) => new Tensor(d as never, s as never), finite: true },
  { name: 'rng', args: fc.tuple(or(smallInt)), call: (s) => api.rng(s as never) },
  { name: 'broadcastShapes', args: fc.tuple(shapeArg, shapeArg), call: (a, b) => api.broadcastShapes(a as never, b as never) },
  // elementwise: finite from finite inputs, except where the math says otherwise
  ...(['add', 'sub', 'mul'] as const).map((op) => ({ ...method(op, operand), finite: true })),
  method('div', operand),
  ...(['neg', 'exp', 'abs', 'sigmoid', 'relu', 'tanh'] as const).map((op) => ({ ...method(op), finite: true })),
  method('log'),
  method('log1p'),
  method('sqrt'),
  ...(['expm1', 'softplus', 'logSigmoid'] as const).map((op) => ({ ...method(op), finite: true })),
  ...(['maximum', 'minimum'] as const).map((op) => ({ ...method(op, operand), finite: true })),
  { name: 'where', args: fc.tuple(fc.oneof(anyTensor.map((t) => t.relu().div(t.abs().add(1e-300)).detach()), nested, weird), operand, operand), call: (c, a, b) => api.where(c as never, a as never, b as never), finite: true },
  { name: 'concat', args: fc.tuple(fc.oneof(fc.array(anyTensor, { maxLength: 3 }), weird), axis), call: (t, a) => api.concat(t as never, a as never), finite: true },
  { name: 'stack', args: fc.tuple(fc.oneof(fc.array(anyTensor, { maxLength: 3 }), weird), axis), call: (t, a) => api.stack(t as never, a as never), finite: true },
  method('pow', or(fc.constantFrom(0, 1, 2, 0.5, -1))),
  { ...method('clamp', or(num), or(num)), finite: true },
  // along an axis
  { ...method('softmax', axis), finite: true },
  { ...method('logSoftmax', axis), finite: true },
  { ...method('sum', axis, keepdims), finite: true },
  { ...method('mean', axis, keepdims), finite: reducesSomething },
  { ...method('max', axis, keepdims), finite: true },
  { ...method('logsumexp', axis, keepdims), finite: reducesSomething },
  ...(['min', 'argmax', 'argmin'] as const).map((op) => ({ ...method(op, axis, keepdims), finite: true })),
  // shape and linear algebra
  { ...method('matmul', fc.oneof(anyTensor, matrix, vector, weird)), finite: true },
  { name: 'matmul', args: fc.tuple(matrix, matrix), call: (a, b) => (a as Tensor).matmul(b as Tensor), finite: true },
  { name: 'addmm', args: fc.tuple(operand, fc.oneof(matrix, weird), fc.oneof(matrix, weird)), call: (c, a, b) => api.addmm(c as never, a as never, b as never), finite: true },
  { ...method('reshape', fc.oneof(shapeArg, fc.constantFrom([-1], [-1, 2], [2, -1, -1]))), finite: true },
  { ...method('transpose', axis, axis), finite: true },
  { ...method('permute', axis, axis, axis), finite: true },
  { ...method('squeeze', axis), finite: true },
  { ...method('unsqueeze', axis), finite: true },
  { ...method('flatten', axis, axis), finite: true },
  { ...method('narrow', axis, or(smallInt), or(smallInt)), finite: true },
  { ...method('indexSelect', axis, indices), finite: true },
  { ...method('gather', axis, fc.oneof(anyTensor, indices)), finite: true },
  { ...method('expand', shapeArg), finite: true },
  { name: 'pick', args: fc.tuple(fc.oneof(matrix, anyTensor), indices), call: (t, i) => (t as Tensor).pick(i as never), finite: true },
  { ...method('item'), check: (r) => assert.type(r, 'number') },
  method('toArray'),
  method('detach'),
  method('toString'),
  // gradients
  {
    name: 'backward',
    args: fc.tuple(anyTensor, fc.oneof(fc.constant(undefined), anyTensor, weird), fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ createGraph: or(fc.boolean()) }), weird)),
    call: (t, g, o) => (t as Tensor).mul(2).backward(g as never, o as never),
  },
  {
    name: 'grad',
    args: fc.tuple(differentiable, fc.oneof(anyTensor, weird)),
    call: (f, x) => api.grad(f as never)(x as never),
    finite: true,
  },
  { name: 'noGrad', args: fc.tuple(fc.oneof(fc.constant(() => 1), weird)), call: (f) => api.noGrad(f as never) },
  { name: 'gradcheck', args: fc.tuple(differentiable, fc.oneof(fc.array(vector, { maxLength: 2 }), weird), toleranceOptions), call: (f, x, o) => api.gradcheck(f as never, x as never, o as never) },
  { name: 'gradgradcheck', args: fc.tuple(differentiable, fc.oneof(fc.array(vector, { maxLength: 2 }), weird), toleranceOptions), call: (f, x, o) => api.gradgradcheck(f as never, x as never, o as never) },
  { name: 'toDot', args: fc.tuple(fc.oneof(anyTensor, weird)), call: (t) => api.toDot(t as never) },
  // losses
  ...(['crossEntropy', 'focalLoss', 'focalLossFromProbs', 'binaryFocalLoss', 'focalLossStar', 'binaryCrossEntropy', 'mseLoss'] as const).map((name) => ({
    name,
    args: fc.tuple(fc.oneof(matrix, vector, weird), target, lossOptions),
    call: (x: unknown, y: unknown, o: unknown) => (api[name] as (...a: unknown[]) => unknown)(x, y, o),
    finite: true,
  })),
  { name: 'classWeights', args: fc.tuple(or(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 4 })), fc.oneof(fc.constant(undefined), fc.record({ method: or(fc.constantFrom('inverse', 'effective')) }))), call: (c, o) => api.classWeights(c as never, o as never) },
  // models
  { name: 'Linear', args: fc.tuple(or(fc.integer({ min: 0, max: 4 })), or(fc.integer({ min: 0, max: 4 })), fc.oneof(fc.record({ rng: generator }), weird)), call: (a, b, o) => new api.Linear(a as never, b as never, o as never) },
  { name: 'MLP', args: fc.tuple(or(fc.array(or(fc.integer({ min: 0, max: 4 })), { maxLength: 4 })), fc.oneof(fc.record({ rng: generator }), weird)), call: (s, o) => new api.MLP(s as never, o as never) },
  { name: 'MLP.fromJSON', args: fc.tuple(fc.oneof(weird, fc.record({ format: weird, sizes: weird }))), call: (j) => api.MLP.fromJSON(j) },
  ...(['SGD', 'Adam', 'AdamW'] as const).map((name) => ({
    name,
    args: fc.tuple(fc.oneof(fc.array(tensorOf(shapeArb, fc.constant(true)), { minLength: 1, maxLength: 2 }), weird), fc.oneof(fc.record({ lr: or(fc.constantFrom(0.1, 0)), eps: or(fc.constantFrom(1e-8, 0)) }, { requiredKeys: [] }), weird)),
    call: (p: unknown, o: unknown) => {
      const optimizer = new api[name](p as never, o as never);
      // a step with gradients of zero must leave every parameter finite (Adam's eps > 0 is why); with
      // eps = 0 it is 0/0 = NaN, as in torch.optim (tests/models/optim.test.ts holds that case)
      for (const t of p as Tensor[]) t.grad = api.zeros(t.shape);
      optimizer.step();
      const plainRule = optimizer instanceof api.Adam && optimizer.eps === 0;
      if (!plainRule) for (const t of p as Tensor[]) assert.ok(t.data.every(Number.isFinite), `${name}: a zero-gradient step made a parameter non-finite`);
    },
  })),
  // data
  ...(['imbalancedBlobs', 'spirals', 'needles'] as const).map((name) => ({
    name,
    args: fc.tuple(fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ n: or(fc.constantFrom(30, 100)), ratios: or(fc.constantFrom([1, 1, 1], [1e308, 1e308, 1e308], [1, 1])), seed: or(smallInt) }, { requiredKeys: ['n'] }), weird)),
    call: (o: unknown) => trainApi[name](o as never),
    check: (r: unknown) => {
      const { train } = r as trainApi.Split;
      assert.ok(train.x.every(Number.isFinite) && train.n > 0, `${name}: a finite, non-empty training split`);
    },
  })),
  { name: 'classCounts', args: fc.tuple(or(fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 4 })), or(fc.integer({ min: 0, max: 4 }))), call: (y, k) => trainApi.classCounts(y as never, k as never) },
  // the trainer's metrics (issue 18: null used to be a TypeError from inside)
  ...(['confusionMatrix', 'classificationReport'] as const).map((name) => ({
    name,
    args: fc.tuple(labels, labels, numClasses),
    call: (a: unknown, b: unknown, k: unknown) => (trainApi[name] as (...x: unknown[]) => unknown)(a, b, k),
  })),
  ...(['expectedCalibrationError', 'reliabilityBins'] as const).map((name) => ({
    name,
    args: fc.oneof(probabilityCase, fc.tuple(or(fc.array(num, { maxLength: 6 })), labels, numClasses, fc.oneof(fc.constant(undefined), or(fc.integer({ min: 0, max: 20 }))))),
    call: (p: unknown, y: unknown, k: unknown, bins: unknown) => (trainApi[name] as (...x: unknown[]) => unknown)(p, y, k, bins),
    check: (r: unknown) => {
      const values = typeof r === 'number' ? [r] : (r as trainApi.ReliabilityBin[]).flatMap((b) => [b.count, b.confidence, b.accuracy]);
      assert.ok(values.every(Number.isFinite), `${name}: a finite result`);
    },
  })),
  { name: 'argmaxRows', args: fc.tuple(or(fc.array(num, { maxLength: 6 })), or(fc.integer({ min: 0, max: 3 })), numClasses), call: (v, n, k) => trainApi.argmaxRows(v as never, n as never, k as never) },
  // a user's rows and files
  {
    name: 'fromRows',
    args: fc.tuple(or(fc.array(or(fc.array(or(num), { minLength: 1, maxLength: 2 })), { minLength: 1, maxLength: 5 })), or(fc.array(or(fc.constantFrom<unknown>('a', 'b', 1, '1.0', 2)), { maxLength: 5 })), fc.oneof(fc.constant(undefined), fc.record({ featureNames: or(fc.constantFrom(['p'], ['p', 'q'], ['p', 'p'])) }))),
    call: (x, y, o) => trainApi.fromRows(x as never, y as never, o as never),
    check: (r) => assert.ok((r as trainApi.Dataset).numClasses >= 2, 'fromRows: at least 2 classes'),
  },
  {
    name: 'readCsv',
    args: fc.tuple(fc.oneof(csvText, csvText.map((t) => new TextEncoder().encode(t)), fc.uint8Array({ maxLength: 24 }), weird), fc.oneof(fc.record({ label: or(fc.constantFrom('k', 'x', 0, 2)), header: or(fc.boolean()) }, { requiredKeys: ['label'] }), weird)),
    call: (t, o) => trainApi.readCsv(t as never, o as never),
    check: (r) => assert.ok((r as trainApi.Dataset).x.every(Number.isFinite), 'readCsv: finite features'),
  },
  {
    name: 'splitDataset',
    args: fc.tuple(fc.oneof(datasetArb, weird), fc.oneof(fc.constant(undefined), fc.record({ testFraction: or(fc.constantFrom(0.3, 0.5)), seed: or(smallInt) }, { requiredKeys: [] }))),
    call: (d, o) => trainApi.splitDataset(d as never, o as never),
  },
  // train() configs and hooks (issue 18: gamma null trained with γ 2, onEpochs was ignored, onEpoch: 5 a TypeError)
  {
    name: 'train',
    args: fc.tuple(trainConfig, hooksArb),
    call: (c, h) => trainApi.train(c as never, h as never),
    check: (r) => {
      const result = r as trainApi.TrainResult;
      assert.ok(result.history.every((e) => Number.isFinite(e.trainLoss) && Number.isFinite(e.testLoss)), 'train: a finite history');
      assert.ok(result.config.gamma !== null && result.config.epochs === result.history.length, 'train: the config it ran');
    },
  },
  { name: 'safeText', args: fc.tuple(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), weird), or(fc.constantFrom('terminal', 'xml', 'dot', 'file')), fc.oneof(fc.constant(undefined), fc.record({ maxLength: or(fc.integer({ min: 1, max: 5 })) }))), call: (t, d, o) => trainApi.safeText(t as never, d as never, o as never) },
];

// ---- the property ----

// The property's own failures are plain Errors (uvu's assert.throws would not catch its Assertions).
function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

// Whether every number reachable in the arguments is finite (cycles visited once, huge sparse arrays skipped).
function inputsFinite(args: unknown[]): boolean {
  const seen = new Set<unknown>();
  const values = (v: unknown): boolean => {
    if (v instanceof Tensor) return v.data.every(Number.isFinite);
    if (typeof v === 'number') return Number.isFinite(v);
    if (!Array.isArray(v) || seen.has(v) || v.length > 1000) return true;
    seen.add(v);
    return v.every(values);
  };
  return args.every(values);
}

function checkTensor(name: string, t: Tensor, finite: boolean): void {
  expect(Array.isArray(t.shape) && t.shape.every((s) => Number.isInteger(s) && s >= 0), `${name}: a shape of sizes`);
  expect(t.data.length === size(t.shape), `${name}: data fills the shape`);
  if (finite) expect(t.data.every(Number.isFinite), `${name}: finite inputs gave ${t.toString()}`);
}

const counts = new Map<string, { returned: number; threw: number }>();

function property(entry: Entry, args: unknown[]): void {
  const tally = counts.get(entry.name) ?? { returned: 0, threw: 0 };
  counts.set(entry.name, tally);
  const started = Date.now();
  let result: unknown;
  try {
    result = entry.call(...args);
  } catch (error) {
    tally.threw++;
    if (!(error instanceof Error)) throw new Error(`${entry.name}: threw a non-Error ${String(error)}`);
    expect(error.constructor === Error, `${entry.name}: threw a ${error.constructor.name} from inside: ${error.message}`);
    expect(error.message.startsWith(`${entry.name}:`), `${entry.name}: the message names another function: ${error.message}`);
    return;
  } finally {
    expect(Date.now() - started < SLOW_MS, `${entry.name}: took ${Date.now() - started} ms`);
  }
  tally.returned++;
  const finite = (typeof entry.finite === 'function' ? entry.finite(args) : entry.finite === true) && inputsFinite(args);
  if (result instanceof Tensor) checkTensor(entry.name, result, finite);
  entry.check?.(result, args);
}

for (const seed of SEEDS) {
  test(`the public API: ${RUNS} random calls (seed ${seed}) return a documented result or an Error naming the function`, () => {
    counts.clear();
    // Each case is [position in ENTRIES, arguments], so that a counterexample prints short.
    const call = fc.oneof(...ENTRIES.map((entry, i) => entry.args.map((args) => [i, args] as const)));
    const started = Date.now();
    const outcome = fc.check(
      fc.property(call, ([i, args]) => property(ENTRIES[i], args)),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
    if (outcome.failed) {
      const [i, args] = outcome.counterexample![0];
      const shown = args.map((a) => (a instanceof Tensor ? a.toString() : fc.stringify(a))).join(', ');
      throw new Error(`${ENTRIES[i].name}(${shown}) at run ${outcome.numRuns} of seed ${seed}: ${(outcome.errorInstance as Error).message}`);
    }
    const total = [...counts.values()].reduce((n, c) => n + c.returned + c.threw, 0);
    const threw = [...counts.values()].reduce((n, c) => n + c.threw, 0);
    if (process.env.FUZZ_REPORT !== undefined) {
      console.log(`fuzz: ${total} calls of ${counts.size} functions, ${threw} named Errors, seed ${seed}, ${Date.now() - started} ms`);
    }
    // every function of the table was called, and the calls ended both ways
    assert.is(counts.size, new Set(ENTRIES.map((e) => e.name)).size, 'every function was called');
    assert.ok(threw > 0 && threw < total, 'both valid and invalid calls');
  });
}

// A negative control: the property itself catches an internal TypeError and a message naming another function.
test('the property fails on a TypeError from inside, and on an Error naming another function', () => {
  const typeError: Entry = { name: 'f', args: fc.tuple(), call: () => (null as unknown as { x: number }).x };
  const wrongName: Entry = { name: 'f', args: fc.tuple(), call: () => api.zeros([-1]) };
  const nanResult: Entry = { name: 'f', args: fc.tuple(), call: () => api.tensor([1]).log().sub(api.tensor([1]).log().exp().mul(Infinity)), finite: true };
  assert.throws(() => property(typeError, []), /threw a TypeError from inside/);
  assert.throws(() => property(wrongName, []), /names another function: zeros:/);
  assert.throws(() => property(nanResult, []), /finite inputs gave/);
});

test.run();
