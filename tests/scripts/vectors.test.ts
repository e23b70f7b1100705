// The reference vectors: the same bytes every time, the documented schema, and a sample held to
// closed forms written here (docs/focal-loss.md §4, §5, §6, §7), with a negative control.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { vectorsJson } from '../../scripts/vectors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const childEnv = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-')) };

interface Vector {
  id: string;
  function: string;
  semantics: string;
  input: number[][] | number[];
  target: number[] | number[][];
  options: Record<string, unknown>;
  loss: number | number[];
  grad: number[][] | number[];
}

const text = vectorsJson();
const file = JSON.parse(text) as { format: string; version: number; vectors: Vector[] };
const byId = (id: string): Vector => {
  const v = file.vectors.find((w) => w.id === id);
  if (v === undefined) throw new Error(`no vector ${id}`);
  return v;
};

test('deterministic: the same text in this process and from `focalgrad vectors --out -` in a fresh one', () => {
  assert.is(vectorsJson(), text);
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/focalgrad.ts', 'vectors', '--out', '-'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: childEnv,
  });
  assert.is(child.status, 0, child.stderr);
  assert.ok(child.stdout === text, 'the child wrote different bytes');
});

test('schema: every loss, the γ grid, each framework convention; loss and grad as 17-significant-digit numbers', () => {
  assert.is(file.format, 'focalgrad-vectors');
  assert.is(file.version, 1);
  const functions = new Set(file.vectors.map((v) => v.function));
  for (const fn of ['crossEntropy', 'focalLoss', 'focalLossFromProbs', 'softmax+focalLossFromProbs', 'binaryFocalLoss', 'focalLossStar', 'binaryCrossEntropy', 'mseLoss']) {
    assert.ok(functions.has(fn), `no vectors for ${fn}`);
  }
  const gammas = new Set(file.vectors.filter((v) => v.function === 'focalLoss').map((v) => v.options.gamma));
  assert.equal([...gammas].sort(), [0, 0.5, 1, 2, 5, 'flsd53'].sort());
  const semantics = new Set(file.vectors.map((v) => v.semantics));
  for (const s of ['torch.nn.functional.cross_entropy', 'torchvision.ops.sigmoid_focal_loss', 'keras.categorical_focal_crossentropy', 'keras.categorical_focal_crossentropy.from_logits']) {
    assert.ok(semantics.has(s), `no vectors with ${s} semantics`);
  }
  assert.ok(file.vectors.some((v) => v.id.includes('/dense ')), 'no dense [N, C, d] vectors');
  for (const key of ['weight', 'posWeight', 'alpha', 'labelSmoothing', 'ignoreIndex']) {
    assert.ok(file.vectors.some((v) => key in v.options), `no vector sets ${key}`);
  }
  assert.ok(file.vectors.some((v) => JSON.stringify(v.input).includes('10000')), 'no logits of ±1e4');
  // Each vector's line: loss and grad numbers all printed with 17 significant digits.
  const lines = text.split('\n').filter((line) => line.startsWith('    {'));
  assert.is(lines.length, file.vectors.length);
  for (const line of lines) {
    const outputs = line.slice(line.indexOf('"loss": '));
    for (const number of outputs.match(/-?\d[\d.e+-]*/g) ?? []) {
      const mantissa = number.replace(/^-/, '').replace(/e.*$/, '').replace('.', '');
      // Leading zeros are not significant, except in a zero, which prints as 0.0000000000000000.
      const digits = /^0+$/.test(mantissa) ? mantissa : mantissa.replace(/^0+/, '');
      assert.is(digits.length, 17, `${number} in ${line.slice(0, 80)}`);
    }
  }
});

// ---- closed forms ----
const softmax = (z: number[]): number[] => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const logSoftmax = (z: number[]): number[] => {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
};
// log σ(x), stable: −log(1 + e^−x) for x ≥ 0, x − log(1 + e^x) below.
const logSigmoid = (x: number): number => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

// Softmax focal loss of one row with index target t (docs §4): FL = −α (1 − p_t)^γ log p_t,
// ∂FL/∂z_j = α [γ (1 − p_t)^(γ−1) p_t log p_t − (1 − p_t)^γ] (δ_tj − p_j).
function focalRow(z: number[], t: number, gamma: number, alpha: number): { loss: number; grad: number[] } {
  const p = softmax(z);
  const logPt = logSoftmax(z)[t];
  const q = 1 - p[t];
  const loss = -alpha * q ** gamma * logPt;
  const dz = gamma === 0 ? -1 : gamma * q ** (gamma - 1) * p[t] * logPt - q ** gamma;
  return { loss, grad: p.map((pj, j) => alpha * dz * ((j === t ? 1 : 0) - pj)) };
}

// Differences beyond |a − e| ≤ 1e-15 + 1e-12·|e|, as "where: got, expected" lines.
function mismatches(v: Vector, loss: number | number[], grad: number[] | number[][]): string[] {
  const out: string[] = [];
  const check = (got: unknown, want: unknown, where: string): void => {
    if (Array.isArray(want)) {
      want.forEach((w, i) => check((got as unknown[])[i], w, `${where}[${i}]`));
      return;
    }
    if (typeof got !== 'number' || !(Math.abs(got - (want as number)) <= 1e-15 + 1e-12 * Math.abs(want as number))) {
      out.push(`${v.id} ${where}: got ${String(got)}, expected ${String(want)}`);
    }
  };
  check(v.loss, loss, 'loss');
  check(v.grad, grad, 'grad');
  return out;
}

function focalMean(v: Vector, gammaOf: (pt: number) => number, alphaOf: (t: number) => number): string[] {
  const rows = (v.input as number[][]).map((z, i) => {
    const t = (v.target as number[])[i];
    return focalRow(z, t, gammaOf(softmax(z)[t]), alphaOf(t));
  });
  const n = rows.length;
  return mismatches(v, rows.reduce((a, r) => a + r.loss, 0) / n, rows.map((r) => r.grad.map((g) => g / n)));
}

test('focalLoss, γ = 2, α per class, mean: the closed form of docs §4', () => {
  const alpha = [0.2, 0.3, 0.5];
  assert.equal(focalMean(byId('focalLoss/indices gamma=2 alpha=0.2,0.3,0.5 reduction=mean'), () => 2, (t) => alpha[t]), []);
});

test('focalLoss, FLSD-53: γ = 5 where p_t < 0.2, else 3 (Mukhoti et al. 2020)', () => {
  assert.equal(focalMean(byId('focalLoss/indices gamma=flsd53 reduction=mean'), (pt) => (pt < 0.2 ? 5 : 3), () => 1), []);
});

test('focalLoss at logits ±1e4, γ = 0.5: p_t = 1 gives 0 and a zero gradient; p_t = 0 gives 2e4 and p − onehot', () => {
  const v = byId('focalLoss/extreme gamma=0.5 reduction=none');
  // Row 0: p = [1, 0, 0], t = 0. Row 1: t = 2, log p_t = −1e4 − 1e4 exactly, (1 − p_t)^γ = 1.
  // Row 2: p = [0, 1, 0], t = 1.
  assert.equal(mismatches(v, [0, 2e4, 0], [[0, 0, 0], [1, 0, -1], [0, 0, 0]]), []);
});

test('crossEntropy with weight: PyTorch divides by the summed weights of the targets', () => {
  const v = byId('crossEntropy/indices weight=0.2,0.3,0.5 reduction=mean');
  const w = [0.2, 0.3, 0.5];
  const targets = v.target as number[];
  const total = targets.reduce((a, t) => a + w[t], 0);
  const rows = (v.input as number[][]).map((z, i) => focalRow(z, targets[i], 0, w[targets[i]]));
  assert.equal(mismatches(v, rows.reduce((a, r) => a + r.loss, 0) / total, rows.map((r) => r.grad.map((g) => g / total))), []);
});

test("binaryFocalLoss, γ = 2, α = 0.25: torchvision's form, mean over all 9 elements (docs §5)", () => {
  const v = byId('binaryFocalLoss/hard gamma=2 alpha=0.25 reduction=mean');
  const x = (v.input as number[][]).flat();
  const y = (v.target as number[][]).flat();
  // x_t = ±x; FL = −α_t (1 − p_t)^γ log p_t; ∂FL/∂x = α_t · y* (1 − p_t)^γ (γ p_t log p_t + p_t − 1).
  const terms = x.map((xi, i) => {
    const sign = y[i] === 1 ? 1 : -1;
    const alphaT = y[i] === 1 ? 0.25 : 0.75;
    const pt = sigmoid(sign * xi);
    const logPt = logSigmoid(sign * xi);
    const q = sigmoid(-sign * xi); // 1 − p_t without cancellation
    return { loss: -alphaT * q ** 2 * logPt, grad: alphaT * sign * q ** 2 * (2 * pt * logPt + pt - 1) };
  });
  const n = x.length;
  const grad = [0, 1, 2].map((r) => [0, 1, 2].map((c) => terms[3 * r + c].grad / n));
  assert.equal(mismatches(v, terms.reduce((a, t) => a + t.loss, 0) / n, grad), []);
});

test("focalLossFromProbs, γ = 2, α = 0.25: Keras' normalise-then-clip; clipped rows learn nothing", () => {
  const v = byId('focalLossFromProbs/probs gamma=2 alpha=0.25 epsilon=1e-7 reduction=mean');
  const eps = 1e-7;
  const rows = (v.input as number[][]).map((p, i) => {
    const t = (v.target as number[])[i];
    const s = p.reduce((a, b) => a + b, 0);
    const qt = p[t] / s;
    if (qt < eps || qt > 1 - eps) {
      const c = Math.min(Math.max(qt, eps), 1 - eps);
      return { loss: -0.25 * (1 - c) ** 2 * Math.log(c), grad: [0, 0, 0] };
    }
    // dFL/dq_t = α [γ (1 − q)^(γ−1) log q − (1 − q)^γ / q];  dq_t/dp_j = (δ_tj − q_t) / s.
    const dq = 0.25 * (2 * (1 - qt) * Math.log(qt) - (1 - qt) ** 2 / qt);
    return { loss: -0.25 * (1 - qt) ** 2 * Math.log(qt), grad: p.map((_, j) => (dq * ((j === t ? 1 : 0) - qt)) / s) };
  });
  const n = rows.length;
  assert.equal(mismatches(v, rows.reduce((a, r) => a + r.loss, 0) / n, rows.map((r) => r.grad.map((g) => g / n))), []);
});

test('focalLossStar, binary, γ = 2, β = 1: softplus(−(γ x_t + β)) / γ (paper, appendix A)', () => {
  const v = byId('focalLossStar/binary gamma=2 beta=1 reduction=mean');
  const x = v.input as number[];
  const terms = x.map((xi, i) => {
    const sign = (v.target as number[])[i] === 1 ? 1 : -1;
    const u = 2 * sign * xi + 1;
    // −log σ(u) / γ;  ∂/∂x = −σ(−u) · γ · sign / γ.
    return { loss: -logSigmoid(u) / 2, grad: -sigmoid(-u) * sign };
  });
  const n = x.length;
  assert.equal(mismatches(v, terms.reduce((a, t) => a + t.loss, 0) / n, terms.map((t) => t.grad / n)), []);
});

test('binaryCrossEntropy with posWeight: PyTorch\'s −[p_c·y·log σ(x) + (1 − y)·log σ(−x)], mean over all 9 elements', () => {
  const v = byId('binaryCrossEntropy/hard posWeight=3,1,0.5 reduction=mean');
  const pw = [3, 1, 0.5];
  const x = v.input as number[][];
  const y = v.target as number[][];
  // ∂/∂x = −p_c·y·σ(−x) + (1 − y)·σ(x)
  const loss = x.flat().reduce((a, xi, k) => {
    const c = k % 3;
    const yi = y.flat()[k];
    return a - (pw[c] * yi * logSigmoid(xi) + (1 - yi) * logSigmoid(-xi));
  }, 0) / 9;
  const grad = x.map((row, r) => row.map((xi, c) => (-pw[c] * y[r][c] * sigmoid(-xi) + (1 - y[r][c]) * sigmoid(xi)) / 9));
  assert.equal(mismatches(v, loss, grad), []);
});

test('crossEntropy on dense [2, 3, 2] logits: class axis 1, the ignored element left out of the mean', () => {
  const v = byId('crossEntropy/dense ignoreIndex=-100 reduction=mean');
  const x = v.input as unknown as number[][][];
  const t = v.target as number[][];
  // Kept elements: (n, d) with t ≠ −100; each is a row of C logits x[n][·][d].
  const kept: { n: number; d: number; row: ReturnType<typeof focalRow> }[] = [];
  for (let n = 0; n < 2; n++) {
    for (let d = 0; d < 2; d++) if (t[n][d] !== -100) kept.push({ n, d, row: focalRow([0, 1, 2].map((c) => x[n][c][d]), t[n][d], 0, 1) });
  }
  const grad = x.map((plane) => plane.map((line) => line.map(() => 0)));
  for (const { n, d, row } of kept) row.grad.forEach((g, c) => (grad[n][c][d] = g / kept.length));
  assert.equal(mismatches(v, kept.reduce((a, k) => a + k.row.loss, 0) / kept.length, grad as unknown as number[][]), []);
});

test('negative control: a vector off in its 12th digit, or with a wrong γ, is caught', () => {
  const v = structuredClone(byId('focalLoss/indices gamma=2 alpha=0.2,0.3,0.5 reduction=mean'));
  const alpha = [0.2, 0.3, 0.5];
  (v.grad as number[][])[1][2] *= 1 + 1e-11;
  assert.is(focalMean(v, () => 2, (t) => alpha[t]).length, 1);
  assert.ok(focalMean(byId('focalLoss/indices gamma=2 alpha=0.2,0.3,0.5 reduction=mean'), () => 1, (t) => alpha[t]).length > 0);
});

test("docs/vectors.md's torchvision consumer skips the vectors whose options sigmoid_focal_loss has no argument for", () => {
  // Run against torchvision's formula in torch, the loop as first written stopped at the posWeight vector:
  // binaryFocalLoss vectors with kornia's or Keras' options keep torchvision's semantics.
  const TORCHVISION_ARGS = ['alpha', 'gamma', 'reduction'];
  const torchvision = file.vectors.filter((v) => v.semantics === 'torchvision.ops.sigmoid_focal_loss');
  const extra = torchvision.filter((v) => Object.keys(v.options).some((k) => !TORCHVISION_ARGS.includes(k)));
  assert.ok(extra.length > 0 && extra.length < torchvision.length, `${extra.length} of ${torchvision.length} use other options`);
  const doc = readFileSync(join(ROOT, 'docs/vectors.md'), 'utf8');
  const loop = /```python\n(import json, torch\nfrom torchvision[\s\S]*?)```/.exec(doc)?.[1] ?? '';
  assert.match(loop, `if set(o) - {${TORCHVISION_ARGS.map((k) => `"${k}"`).join(', ')}}: continue`);
});

test("docs/vectors.md's sample vector is the file's, to the digit", () => {
  // Its loss and first gradient were last digits behind the file (…940 for …935) after the focal terms changed.
  const doc = readFileSync(join(ROOT, 'docs/vectors.md'), 'utf8');
  const id = /"id": "([^"]+)"/.exec(doc)?.[1] ?? '';
  const line = text.split('\n').find((l) => l.includes(`"id": ${JSON.stringify(id)}`)) ?? '';
  const loss = /"loss": ([-0-9.e]+),/.exec(doc)?.[1] ?? 'none in the doc';
  const grad0 = /"grad": \[\[([-0-9.e]+),/.exec(doc)?.[1] ?? 'none in the doc';
  assert.ok(line !== '', `no vector ${id}`);
  assert.ok(line.includes(`"loss": ${loss},`), `loss ${loss} is not the file's: ${line.slice(0, 80)}…`);
  assert.ok(line.includes(`"grad": [[${grad0},`), `grad[0][0] ${grad0} is not the file's`);
});

test.run();
