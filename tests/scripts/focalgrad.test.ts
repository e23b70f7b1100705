// The `focalgrad` command, spawned from source: help, loss against a closed form, usage errors
// (one line, exit 2), vectors --out, and train running the code of npm run train (--save .safetensors).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MLP } from '../../models/index.js';
import { evaluate, readRequest } from '../../scripts/loss-command.js';
import { vectorsJson } from '../../scripts/vectors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// NOTE: children's coverage goes to a throwaway folder (see train-cli.test.ts for why).
const childEnv = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-')) };

function focalgrad(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/focalgrad.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: childEnv,
    input,
    timeout: 60_000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

test('--help, and each command has its own', () => {
  const top = focalgrad(['--help']);
  assert.is(top.status, 0);
  for (const command of ['train', 'loss', 'vectors']) assert.match(top.stdout, `focalgrad ${command}`);
  assert.match(focalgrad(['loss', '--help']).stdout, '--kind ce|focal|probs|binary|focal-star|bce|mse');
  assert.match(focalgrad(['vectors', '--help']).stdout, 'usage: focalgrad vectors --out FILE');
  assert.match(focalgrad(['train', '--help']).stdout, '--save FILE');
  // A mistake in the train flags points to the help of the command that was typed.
  const typo = focalgrad(['train', '--epoch', '5']);
  assert.is(typo.status, 2);
  assert.is(typo.stderr, 'error: unknown flag --epoch (did you mean --epochs?)\n\n(focalgrad train --help lists the flags)\n');
});

// z = [0.5, 1.5, −0.5], t = 1, γ = 2, α = 0.25: p = softmax(z), FL = −α (1 − p_t)² log p_t,
// ∂FL/∂z_j = α [2 (1 − p_t) p_t log p_t − (1 − p_t)²] (δ_tj − p_j)   (docs/focal-loss.md §4).
const z = [0.5, 1.5, -0.5];
const e = z.map(Math.exp);
const p = e.map((v) => v / (e[0] + e[1] + e[2]));
const logPt = 1.5 - Math.log(e[0] + e[1] + e[2]);
const expectedLoss = -0.25 * (1 - p[1]) ** 2 * logPt;
const bracket = 0.25 * (2 * (1 - p[1]) * p[1] * logPt - (1 - p[1]) ** 2);
const expectedGrad = p.map((pj, j) => bracket * ((j === 1 ? 1 : 0) - pj));

function assertFocal(stdout: string): void {
  const out = JSON.parse(stdout) as { loss: number; grad: number[][] };
  assert.ok(Math.abs(out.loss - expectedLoss) <= 1e-15, `loss ${out.loss}, expected ${expectedLoss}`);
  out.grad[0].forEach((g, j) => assert.ok(Math.abs(g - expectedGrad[j]) <= 1e-15, `grad[${j}] ${g}, expected ${expectedGrad[j]}`));
}

test('loss from flags and from a JSON object on stdin: the closed form', () => {
  const flags = focalgrad(['loss', '--kind', 'focal', '--logits', '[[0.5, 1.5, -0.5]]', '--target', '[1]', '--gamma', '2', '--alpha', '0.25']);
  assert.is(flags.status, 0, flags.stderr);
  assertFocal(flags.stdout);
  // 17 significant digits: the loss prints as 0.0114194497419712xx.
  assert.match(flags.stdout, /^\{"loss": 0\.0[1-9]\d{16}, "grad": \[\[/);
  const stdin = focalgrad(['loss'], JSON.stringify({ kind: 'focal', logits: [z], target: [1], gamma: 2, alpha: 0.25 }));
  assert.is(stdin.status, 0, stdin.stderr);
  assert.is(stdin.stdout, flags.stdout);
  // Negative control: another γ gives another loss, which the check above would refuse.
  const other = JSON.parse(focalgrad(['loss', '--kind', 'focal', '--logits', '[[0.5,1.5,-0.5]]', '--target', '[1]', '--gamma', '1', '--alpha', '0.25']).stdout) as { loss: number };
  assert.ok(Math.abs(other.loss - expectedLoss) > 1e-3);
});

// FL* by its one name, in process: x = 0.5, y = 1, γ = 2, β = 1: softplus(−(γ·x + β))/γ = log(1 + e⁻²)/2,
// ∂/∂x = −σ(−(γ·x + β)) = −1/(1 + e²)   (docs/focal-loss.md §6).
test('--kind focal-star: FL*, the closed form', () => {
  const request = readRequest({ kind: 'focal-star', logits: [0.5], target: [1], gamma: 2, beta: 1 });
  const { loss, grad } = evaluate(request.record, request.logits, request.target, request.options);
  assert.ok(Math.abs((loss as number) - Math.log1p(Math.exp(-2)) / 2) <= 1e-16, `loss ${loss}`);
  assert.ok(Math.abs((grad as number[])[0] + 1 / (1 + Math.exp(2))) <= 1e-16, `grad ${grad}`);
  const shifted = evaluate(request.record, request.logits, request.target, { gamma: 2, beta: 0 });
  assert.ok(Math.abs((shifted.loss as number) - (loss as number)) > 1e-3, 'negative control: β = 0 is another loss');
});

test("the README's focalgrad loss line prints what the README shows", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /^\$ npx focalgrad loss (.+)\n(.+)$/m.exec(readme);
  assert.ok(match !== null, 'no "$ npx focalgrad loss" example in the README');
  // The README's arguments, split as the shell would: words, and single-quoted JSON.
  const args = [...match[1].matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
  const run = focalgrad(['loss', ...args]);
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout.trimEnd(), match[2]);
});

test('bad input: one line naming the flag and what was expected, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['loss', '--kind', 'focal', '--logits', '[[1, 2', '--target', '[0]'], /^focalgrad: --logits: expected a JSON array.*malformed JSON/],
    [['loss', '--kind', 'hinge', '--logits', '[[1, 2]]', '--target', '[0]'], /^focalgrad: --kind: expected one of ce, focal, probs, binary, focal-star, bce, mse, got hinge/],
    // FL* was --kind star before it took the one name the trainer uses.
    [['loss', '--kind', 'star', '--logits', '[1]', '--target', '[1]'], /^focalgrad: --kind: expected one of .*, got star \(renamed: did you mean focal-star\?\)$/m],
    [['loss', '--kind', 'focal', '--logits', '[[1, 2]]', '--target', '[0]', '--beta', '1'], /^focalgrad: --beta: not an option of --kind focal \(it takes --gamma/],
    [['loss', '--kind', 'focal', '--logits', '[[1, 2]]', '--target', '[0]', '--gamma', 'two'], /^focalgrad: --gamma: expected a number or flsd53, got two/],
    [['loss', '--kind', 'focal', '--logits', '[[1, 2]]', '--target', '[5]'], /^focalgrad: focalLoss: target index 5 at row 0 is out of range/],
    [['loss', '--kind', 'focal', '--logits', '[[1, 2]]', '--target', '[0]', '--reduction', 'avg'], /^focalgrad: --reduction: expected mean, sum or none, got avg/],
    [['loss', '--kind', 'bce', '--logits', '[[1, 2]]', '--target', '[[1, 0]]', '--pos-weight', '3'], /^focalgrad: --pos-weight: expected a JSON array of numbers, got 3/],
    [['loss', '--kind', 'mse', '--logits', '[[1, 2]]', '--target', '[[1, 0, 0]]'], /^focalgrad: mseLoss: target has shape \[1,3\] but input has shape \[1,2\]/],
    [['loss', '--kidn', 'focal'], /^focalgrad: Unknown option '--kidn' \(did you mean --kind\?\) \(focalgrad loss --help/],
    [['loss', '--gama', '2'], /^focalgrad: Unknown option '--gama' \(did you mean --gamma\?\)/],
    [['loss', '--label_smoothing', '0.1'], /^focalgrad: Unknown option '--label_smoothing' \(did you mean --label-smoothing\?\)/],
    [['loss', '--frobnicate', '1'], /^focalgrad: Unknown option '--frobnicate' \(focalgrad loss --help/],
    [['vectors'], /^focalgrad: --out: missing/],
    [['vectors', '--out', '/proc/focalgrad/vectors.json'], /^focalgrad: --out: cannot write/],
    [['frobnicate'], /^focalgrad: unknown command "frobnicate" \(expected train, loss or vectors\)/],
  ];
  for (const [args, pattern] of cases) {
    const run = focalgrad(args);
    assert.is(run.status, 2, `${args.join(' ')}: exit ${run.status}, stderr ${run.stderr}`);
    assert.match(run.stderr, pattern, args.join(' '));
    assert.is(run.stderr.trimEnd().split('\n').length, 1, `${args.join(' ')}: one line, got ${run.stderr}`);
    assert.is(run.stdout, '');
  }
  const stdin = focalgrad(['loss'], '{"kind": "focal", ');
  assert.is(stdin.status, 2);
  assert.match(stdin.stderr, /^focalgrad: stdin: expected one JSON object \(malformed JSON/);
});

test('vectors --out FILE writes the reference vectors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-vectors-'));
  try {
    const out = join(dir, 'vectors.json');
    const run = focalgrad(['vectors', '--out', out]);
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stdout, /^wrote \d+ vectors to /);
    assert.ok(readFileSync(out, 'utf8') === vectorsJson(), 'the file differs from vectorsJson()');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train: the metrics of npm run train, and --save FILE.safetensors writes a model PyTorch can load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-train-'));
  try {
    const args = ['--loss', 'focal', '--epochs', '1', '--n', '300', '--hidden', '4'];
    const model = join(dir, 'model.safetensors');
    const viaBin = focalgrad(['train', ...args, '--out', join(dir, 'a'), '--save', model]);
    assert.is(viaBin.status, 0, viaBin.stderr);
    const direct = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args, '--out', join(dir, 'b')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: childEnv,
    });
    assert.is(direct.status, 0, direct.stderr);
    assert.is(readFileSync(join(dir, 'a', 'metrics.json'), 'utf8'), readFileSync(join(dir, 'b', 'metrics.json'), 'utf8'));
    const summary = (text: string): string => text.slice(0, text.indexOf('\nwrote '));
    assert.is(summary(viaBin.stdout), summary(direct.stdout));
    const bytes = readFileSync(model);
    assert.is(bytes.subarray(8, 9).toString(), '{');
    const mlp = MLP.fromSafetensors(bytes);
    assert.equal(mlp.sizes, [2, 4, 3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
