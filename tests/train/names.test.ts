// A user's class and column names in every output of a run (issue 18): SVGs that stay valid XML, a terminal summary that
// cannot drive the terminal, long names cut with an ellipsis and kept whole in tooltips and JSON, and nothing failing after training.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromRows, runFiles, runSummary, train } from '../../train/index.js';

const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
// Any C0 control but the newline between lines, DEL, C1, the bidirectional overrides.
const TERMINAL_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const TITLE_ATTACK = '\x1b]0;owned\x07\x1b[2J';
const LONG = 'bearing failure (outer race)';
const HUGE = `${'very long class name '.repeat(20)}end`;
const NAMES = [TITLE_ATTACK, LONG, 'a\u0001b', HUGE];

// 48 rows of two features, 12 per class, each class around its own corner.
function hostileRun() {
  const features: number[][] = [];
  const labels: string[] = [];
  for (let i = 0; i < 48; i++) {
    const c = i % 4;
    features.push([(c % 2) * 4 + ((i * 7) % 5) / 5, Math.floor(c / 2) * 4 + ((i * 3) % 5) / 5]);
    labels.push(NAMES[c]);
  }
  const data = fromRows(features, labels, { featureNames: ['<b>width</b> \x1b[31m', `height ${'h'.repeat(300)}`], name: 'evil\x1b[2J.csv' });
  return train({ data, loss: 'focal', epochs: 2, hidden: [4], batch: 16 });
}

test('hostile and long class names: every SVG is valid XML text, with the long names cut and whole in a tooltip', () => {
  const result = hostileRun();
  const files = runFiles(result);
  for (const file of files.filter((f) => f.name.endsWith('.svg') || f.name.endsWith('.html'))) {
    assert.ok(XML_CHAR.test(file.content), `${file.name} holds a character XML forbids`);
    assert.not.ok(file.content.includes('\x1b') || file.content.includes('\u0001'), `${file.name} holds a raw control character`);
    assert.not.ok(file.content.includes('<b>width'), `${file.name} holds the markup of a column name`);
  }
  const svg = (name: string): string => files.find((f) => f.name === name)!.content;
  // The \x01 shows as its escape in the confusion matrix, the recall legend and the regions legend.
  for (const name of ['confusion.svg', 'recall.svg', 'regions.svg']) assert.ok(svg(name).includes('a\\x01b'), name);
  // The 420-character name is cut in the recall legend, whole in the tooltip.
  const recall = svg('recall.svg');
  assert.ok(recall.includes(`<title>${HUGE.replace(/'/g, '&#39;')} (`), 'the full name in a <title>');
  assert.ok(/>very long class name ve…<\/text>/.test(recall), 'the shown name is cut with an ellipsis');
  // The column name of 307 characters is cut to its axis.
  assert.ok(/>height h+…<\/text>/.test(svg('regions.svg')), 'the y axis label is cut');
  // metrics.json keeps every name whole.
  const metrics = JSON.parse(files.find((f) => f.name === 'metrics.json')!.content) as { classNames: string[]; perClass: Record<string, unknown> };
  assert.equal(metrics.classNames.slice().sort(), NAMES.slice().sort());
  assert.equal(Object.keys(metrics.perClass).sort(), NAMES.slice().sort());
});

test('hostile class and file names in the summary printed on the terminal: escapes, never control characters', () => {
  const summary = runSummary(hostileRun());
  assert.not.ok(TERMINAL_CONTROL.test(summary), JSON.stringify(summary));
  assert.ok(summary.includes('\\x1b]0;owned\\x07\\x1b[2J'), 'the title attack shows as text');
  assert.ok(summary.includes('evil\\x1b[2J.csv'), 'the data name shows as text');
  // The table's class column is cut at 40 characters.
  assert.ok(summary.includes('very long class name very long class na…'), 'a long name is cut in the table');
});

test.run();
