// The Graph panel's rule text (web/graph/rules.ts): every op node of every loss the panel draws has its line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Op } from '../../engine/index.js';
import { PANEL_LOSSES, sampleGraph } from '../../web/graph/model.js';
import { RULES } from '../../web/graph/rules.js';

// The ops of a loss's graph that have no rule text, for one sample.
function opsWithoutText(loss: string, rules: Partial<Record<Op, string>>): Op[] {
  const sample = sampleGraph({ loss, gamma: 2, alpha: 0.25, logits: [1, 2, 0.5], target: 0 });
  const ops = new Set(sample.graph.nodes.map((n) => n.op));
  return [...ops].filter((op) => typeof rules[op] !== 'string' || rules[op] === '');
}

const names = PANEL_LOSSES.map((l) => l.name);

test('the panel draws the focal, cross-entropy and FL* graphs (among others)', () => {
  for (const kind of [/^focal$/, /^ce$|cross/i, /star/i]) assert.ok(names.some((n) => kind.test(n)), `no panel loss matches ${kind}: ${names.join(', ')}`);
});

for (const name of names) {
  test(`every op node of the ${name} graph has its rule text`, () => {
    const missing = opsWithoutText(name, RULES);
    assert.equal(missing, [], `${name}: no rule text for ${missing.join(', ')}`);
  });
}

test('negative control: a rule table without logOddsAgainst (which focal and cross-entropy use) is caught', () => {
  const { logOddsAgainst: _dropped, ...withoutIt } = RULES;
  const caught = names.filter((name) => opsWithoutText(name, withoutIt).includes('logOddsAgainst'));
  assert.ok(caught.length > 0, 'no panel graph uses logOddsAgainst: the control shows nothing');
});

test.run();
