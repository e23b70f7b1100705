// The README's examples: their printed numbers checked against the closed form, then run (the plain
// JavaScript one as pasted, in a fresh Node process).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, tensor } from '../index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readme.slice(readme.indexOf('## Ten lines'), readme.indexOf('## What is in it'));

// s = x·w per row = [1·0.5 + 2·(−1), 3·0.5 + 4·(−1)] = [−1.5, −2.5]; loss = mean tanh(s)²;
// ∂loss/∂w_j = mean_i 2·tanh(s_i)·(1 − tanh²(s_i))·x_ij.
const t = [Math.tanh(-1.5), Math.tanh(-2.5)];
const x = [
  [1, 2],
  [3, 4],
];
const lossClosedForm = (t[0] ** 2 + t[1] ** 2) / 2;
const gradWClosedForm = [0, 1].map((j) => (2 * t[0] * (1 - t[0] ** 2) * x[0][j] + 2 * t[1] * (1 - t[1] ** 2) * x[1][j]) / 2);

test('the numbers printed in the README are the closed form', () => {
  assert.ok(example.includes(`// ${lossClosedForm}`), `README should print the loss ${lossClosedForm}`);
  assert.ok(example.includes(`// [ ${gradWClosedForm.join(', ')} ]`), `README should print w.grad ${gradWClosedForm}`);
  assert.ok(example.includes('= [ 12 ]'), 'README should print d²x³/dx² at 2 = 6·2 = 12');
});

test('the README example computes them', () => {
  const xt = tensor(x, { requiresGrad: true });
  const w = tensor([0.5, -1], { requiresGrad: true });
  const loss = xt.mul(w).sum(1).tanh().pow(2).mean();
  loss.backward();
  assert.ok(Math.abs(loss.item() - lossClosedForm) <= 1e-15);
  w.grad!.data.forEach((g, j) => assert.ok(Math.abs(g - gradWClosedForm[j]) <= 1e-15, `w.grad[${j}]`));
  const cube = (v: Tensor): Tensor => v.pow(3).sum();
  assert.equal(grad((v: Tensor) => grad(cube)(v).sum())(tensor([2])).toArray(), [12]);
});

// The plain JavaScript example: focalLoss with γ = 2, α = [0.25, 0.25, 0.5], mean over the 2 samples.
// Per row (docs/focal-loss.md §4): FL = −α_t (1 − p_t)² log p_t,
// ∂FL/∂z_j = α_t [2 (1 − p_t) p_t log p_t − (1 − p_t)²] (δ_tj − p_j), each divided by 2 for the mean.
const jsExample = readme.slice(readme.indexOf('```js\n') + 6, readme.indexOf('```', readme.indexOf('```js\n') + 6));
// (γ as a parameter, for the negative control; the general bracket is γ (1 − p_t)^(γ−1) p_t log p_t − (1 − p_t)^γ.)
function focalRow(z: number[], t: number, alpha: number, gamma = 2): { loss: number; grad: number[] } {
  const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
  const p = z.map((v) => Math.exp(v - lse));
  const logPt = z[t] - lse;
  const q = 1 - p[t];
  const bracket = alpha * (gamma * q ** (gamma - 1) * p[t] * logPt - q ** gamma);
  return { loss: -alpha * q ** gamma * logPt, grad: p.map((pj, j) => bracket * ((j === t ? 1 : 0) - pj)) };
}
const row0 = focalRow([2, 0.5, -1], 0, 0.25);
const row1 = focalRow([0.1, 1.2, 0.3], 2, 0.5);
const jsLoss = (row0.loss + row1.loss) / 2;
const jsGrad1 = row1.grad.map((g) => g / 2);

test('the plain JavaScript example prints the closed form', () => {
  const printed = [...jsExample.matchAll(/\/\/ (.+)$/gm)].map((m) => m[1]).filter((text) => /^[[\d-]/.test(text));
  assert.is(printed.length, 2, `two printed values in ${jsExample}`);
  const loss = Number(printed[0]);
  assert.ok(Math.abs(loss - jsLoss) <= 1e-15 * jsLoss, `README loss ${loss}, closed form ${jsLoss}`);
  const grad = JSON.parse(printed[1]) as number[];
  grad.forEach((g, j) => assert.ok(Math.abs(g - jsGrad1[j]) <= 1e-15, `README grad[1][${j}] ${g}, closed form ${jsGrad1[j]}`));
  // Negative control: the closed form at γ = 1 is far outside the tolerance, so the check can fail.
  const gammaOne = (focalRow([2, 0.5, -1], 0, 0.25, 1).loss + focalRow([0.1, 1.2, 0.3], 2, 0.5, 1).loss) / 2;
  assert.ok(Math.abs(loss - gammaOne) > 1e-3, `γ = 1 gives ${gammaOne}`);
});

test('the plain JavaScript example runs as pasted and prints what the README says', async () => {
  assert.not.match(jsExample, /!\.|: Tensor|\bas [A-Z]/, 'no TypeScript syntax in the JavaScript example');
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-readme-'));
  try {
    // 'focalgrad' resolves to this repository's source, as it would to the installed package.
    const outfile = join(dir, 'bundle.mjs');
    await build({
      stdin: { contents: jsExample, loader: 'js', resolveDir: dir, sourcefile: 'example.mjs' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      alias: { focalgrad: fileURLToPath(new URL('../index.ts', import.meta.url)) },
      outfile,
      logLevel: 'silent',
    });
    // Plain output (no colours forced by the runner); the child's coverage goes to a throwaway folder.
    const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', NODE_V8_COVERAGE: join(dir, 'coverage') };
    const child = spawnSync(process.execPath, [outfile], { encoding: 'utf8', env });
    assert.is(child.status, 0, child.stderr);
    const expected = [...jsExample.matchAll(/console\.log\(.*\/\/ (.+)$/gm)].map((m) => m[1]);
    assert.equal(child.stdout.trimEnd().split('\n'), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
