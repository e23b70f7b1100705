// The Graph panel's logic, without a browser: closed forms held to docs/focal-loss.md's numbers, the engine's
// backward held to the closed forms, Figure 1's curves, the layout's boxes, and the input parsing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { grad, tensor } from '../../engine/index.js';
import { FOCAL_STAR_BETA } from '../../losses/index.js';
import { LOSSES } from '../../train/index.js';
import { closedFormGradient, focalTrueLogitGradient, focalValue, softmax } from '../../web/graph/closedForm.js';
import { graphSvg } from '../../web/graph/draw.js';
import { FIGURE_GAMMAS, figure1Svg } from '../../web/graph/figure1.js';
import { layoutGraph } from '../../web/graph/layout.js';
import {
  PANEL_LOSSES,
  type SampleSetup,
  agree,
  formatNumber,
  formatValues,
  parseSetup,
  sampleGraph,
} from '../../web/graph/model.js';

function close(got: readonly number[], want: readonly number[], tol: number, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol, `${what}[${i}]: ${g} vs ${want[i]}`));
}

// docs/focal-loss.md, section 4: z = [1, 2, 0.5], t = 0, γ = 2, α = 0.25.
const ANCHOR: SampleSetup = { loss: 'focal', gamma: 2, alpha: 0.25, logits: [1, 2, 0.5], target: 0 };
const ANCHOR_GRAD = [-0.213648135042, 0.174673262097, 0.0389748729453];
const ANCHOR_P = [0.231223897622, 0.628531719212, 0.140244383166];

test('closed forms: the anchor cases of docs/focal-loss.md', () => {
  close(softmax(ANCHOR.logits), ANCHOR_P, 1e-12, 'p');
  assert.is(closedFormGradient('hinge', ANCHOR.logits, 0, 2, null), null, 'no closed form: null, never a guess');
  close(closedFormGradient('focal', ANCHOR.logits, 0, 2, 0.25)!, ANCHOR_GRAD, 1e-12, 'focal, section 4');
  // Cross-entropy (γ = 0, no α): p − δ_t.
  close(closedFormGradient('ce', ANCHOR.logits, 0, 0, null)!, [ANCHOR_P[0] - 1, ANCHOR_P[1], ANCHOR_P[2]], 1e-12, 'ce');
  // A per-class weight cancels in the weighted mean of one sample (PyTorch's 'mean').
  close(closedFormGradient('ce', ANCHOR.logits, 0, 0, [5, 1, 1])!, [ANCHOR_P[0] - 1, ANCHOR_P[1], ANCHOR_P[2]], 1e-12, 'ce, weight');
  // FL*, section 6: γ = 2, β = 1, x = 0.5: y = +1 gives −0.119203, y = −1 gives 0.5 (one-vs-all: one per class).
  assert.is(FOCAL_STAR_BETA, 1);
  close(closedFormGradient('focal-star', [0.5, 0.5], 0, 2, null)!, [-0.119203, 0.5], 1e-6, 'focal-star, section 6');
});

test('Figure 1 curves: the table of docs/focal-loss.md, section 1, and the true logit\'s gradient', () => {
  // FL at p_t = 0.9 and 0.1 for each γ, from the table.
  const table: [number, number, number][] = [
    [0, 0.105361, 2.302585],
    [0.5, 0.0333179, 2.184424],
    [1, 0.0105361, 2.072327],
    [2, 0.00105361, 1.865094],
    [5, 1.05361e-6, 1.359653],
  ];
  // The table prints 6 significant digits: half a unit in the last place is at most 5e-6 of the value.
  for (const [gamma, easy, hard] of table) {
    assert.ok(Math.abs(focalValue(0.9, gamma) - easy) <= 5e-6 * easy, `γ = ${gamma}, easy: ${focalValue(0.9, gamma)}`);
    assert.ok(Math.abs(focalValue(0.1, gamma) - hard) <= 5e-6 * hard, `γ = ${gamma}, hard: ${focalValue(0.1, gamma)}`);
  }
  // (1 − p)^γ (γ p log p + p − 1) is the target's entry of section 4's gradient with α = 1.
  for (const gamma of FIGURE_GAMMAS) {
    const z = [0.3, -1.2, 2];
    const pt = softmax(z)[1];
    close([focalTrueLogitGradient(pt, gamma)], [closedFormGradient('focal', z, 1, gamma, null)![1]], 1e-14, `γ = ${gamma}`);
  }
});

// Every loss of the panel, over γ, α and logits large and small: the gradient the engine's backward
// delivers to the logits agrees with the closed form, and with the library's grad().
const CASES: SampleSetup[] = [];
for (const { name } of PANEL_LOSSES) {
  for (const gamma of name === 'focal-star' ? [0.5, 2, 5] : [0, 0.5, 2, 5]) {
    for (const alpha of [null, 0.25, [0.2, 1.5, 1.3]]) {
      for (const [logits, target] of [[[1, 2, 0.5], 0], [[-3, 0.1, 8], 1], [[30, -30, 0], 0], [[0, 0, 0], 2]] as [number[], number][]) {
        CASES.push({ loss: name, gamma, alpha, logits, target });
      }
    }
  }
}

test(`sampleGraph: the engine's gradient at the logits agrees with the closed form (${CASES.length} cases)`, () => {
  for (const setup of CASES) {
    const sample = sampleGraph(setup);
    const what = JSON.stringify(setup);
    assert.ok(sample.closedForm !== null, `${what}: no closed form for a loss of the registry`);
    assert.ok(agree(sample.engineGradient, sample.closedForm!), `${what}: engine ${sample.engineGradient} vs closed form ${sample.closedForm}`);
    const lossFn = LOSSES[setup.loss].build({ gamma: setup.gamma, alpha: setup.alpha });
    const library = grad((z) => lossFn(z, Int32Array.of(setup.target)))(tensor([setup.logits]));
    assert.equal(sample.engineGradient, Array.from(library.data), `${what}: traceBackward and grad() give the same bits`);
  }
});

test('agree() catches a gradient off by 1e-6 (a negative control)', () => {
  const sample = sampleGraph(ANCHOR);
  assert.ok(agree(sample.engineGradient, sample.closedForm!));
  const wrong = sample.closedForm!.slice();
  wrong[1] += 1e-6;
  assert.not.ok(agree(sample.engineGradient, wrong));
  // A closed form with γ's term dropped (plain α·CE) is caught too.
  assert.not.ok(agree(sample.engineGradient, closedFormGradient('ce', ANCHOR.logits, 0, 0, 0.25)!));
});

test('sampleGraph: the steps run from the loss to the logits, every node after its consumers', () => {
  const sample = sampleGraph(ANCHOR);
  assert.is(sample.stepIds[0], sample.lossId);
  assert.is(sample.stepIds[sample.stepIds.length - 1], sample.logitsId);
  assert.is(sample.graph.nodes[sample.logitsId].name, 'logits');
  assert.is(sample.graph.nodes[sample.lossId].name, 'loss');
  assert.ok(Math.abs(sample.loss - 0.216366599976) < 1e-12, 'FL of the anchor case');
  assert.ok(Math.abs(sample.pt - ANCHOR_P[0]) < 1e-12);
  const position = new Map(sample.stepIds.map((id, k) => [id, k]));
  sample.stepIds.forEach((id, k) => {
    for (const input of sample.graph.nodes[id].inputs) {
      const j = position.get(input);
      assert.ok(j === undefined || j > k, `node ${input} is stepped before its consumer ${id}`);
    }
  });
});

test('layoutGraph: a box per node, none overlapping, an edge per input, each scoped node inside its scope', () => {
  const sample = sampleGraph(ANCHOR);
  const layout = layoutGraph(sample.graph, (id) => [`node ${id}`, 'value [1, 2, 0.5]', 'grad ?']);
  assert.is(layout.nodes.length, sample.graph.nodes.length);
  assert.is(layout.edges.length, sample.graph.nodes.reduce((n, node) => n + node.inputs.length, 0));
  for (const a of layout.nodes) {
    assert.ok(a.width >= 17 * 7 && a.height > 0, `node ${a.id} is ${a.width}×${a.height}`);
    for (const b of layout.nodes) {
      if (a.id >= b.id) continue;
      const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
      assert.ok(apart, `nodes ${a.id} and ${b.id} overlap`);
    }
  }
  for (const node of sample.graph.nodes) {
    const box = layout.nodes[node.id];
    for (const scope of node.scopes) {
      const c = layout.clusters.find((cl) => cl.scope === scope)!;
      const inside = Math.abs(box.x - c.x) + box.width / 2 <= c.width / 2 + 0.5 && Math.abs(box.y - c.y) + box.height / 2 <= c.height / 2 + 0.5;
      assert.ok(inside, `node ${node.id} lies outside its scope ${scope.name}`);
    }
  }
  assert.ok(layout.width > 0 && layout.height > 0);
  const svg = graphSvg(sample, layout, (id) => ({ title: `n${id}`, value: 'v', grad: 'grad ?' }));
  assert.is((svg.match(/<g class="node/g) ?? []).length, sample.graph.nodes.length);
  assert.is((svg.match(/<path class="edge"/g) ?? []).length, layout.edges.length);
  assert.match(svg, /<g class="node root" data-id="\d+" data-op="div">/);
});

test('figure1Svg: five curves, the current γ boldest, an extra dashed curve for a γ not in the figure, p_t marked', () => {
  const svg = figure1Svg(2, 0.25);
  assert.is((svg.match(/class="curve[^"]*"/g) ?? []).length, 2 * FIGURE_GAMMAS.length);
  assert.is((svg.match(/class="curve current" data-gamma="2"/g) ?? []).length, 2, 'γ = 2 is current in both plots');
  assert.is((svg.match(/class="pt-line"/g) ?? []).length, 2);
  const extra = figure1Svg(1.3, 0.25);
  assert.is((extra.match(/class="curve current extra" data-gamma="1.3"/g) ?? []).length, 2);
  assert.not.match(figure1Svg(2, NaN), /pt-line/, 'no marker without a sample');
});

test('parseSetup: fields as text, and Errors naming the field', () => {
  assert.equal(parseSetup({ loss: 'focal', gamma: '2', alpha: '', logits: '1, 2,0.5', target: '0' }), {
    loss: 'focal',
    gamma: 2,
    alpha: null,
    logits: [1, 2, 0.5],
    target: 0,
  });
  assert.is(parseSetup({ loss: 'ce', gamma: '0', alpha: '0.25', logits: '1,2', target: '1' }).alpha, 0.25);
  assert.equal(parseSetup({ loss: 'ce', gamma: '0', alpha: '1, 2', logits: '1,2', target: '1' }).alpha, [1, 2]);
  assert.throws(() => parseSetup({ loss: 'hinge', gamma: '0', alpha: '', logits: '1,2', target: '1' }), /^graph panel: unknown loss "hinge"$/);
  assert.throws(() => parseSetup({ loss: 'ce', gamma: '0', alpha: '', logits: '1,,2', target: '1' }), /^graph panel: logits must be finite numbers separated by commas, got "1,,2"$/);
  assert.throws(() => parseSetup({ loss: 'ce', gamma: '0', alpha: 'x', logits: '1,2', target: '1' }), /^graph panel: α must be finite numbers/);
  assert.throws(() => parseSetup({ loss: 'ce', gamma: '0', alpha: '', logits: '1', target: '0' }), /^graph panel: logits need at least 2 classes, got 1$/);
  // Meaning is the library's to check: a target out of range is its Error, naming the loss.
  assert.throws(() => sampleGraph({ ...ANCHOR, target: 3 }), /^focalLoss: /);
});

test('formatNumber and formatValues: short, exact where short, exponents for the very small', () => {
  assert.is(formatNumber(0.2312238976), '0.2312');
  assert.is(formatNumber(-1.5e-7), '-1.5e-7');
  assert.is(formatNumber(3), '3');
  assert.is(formatNumber(0), '0');
  assert.is(formatNumber(123456), '1.235e+5');
  assert.is(formatNumber(-0.213648135042, 10), '-0.213648135');
  assert.is(formatValues([1, 2, 0.5]), '[1, 2, 0.5]');
  assert.is(formatValues([1, 2, 3, 4, 5]), '[1, 2, 3, 4, …]');
  assert.is(formatValues([Infinity]), 'Infinity');
});

test.run();
