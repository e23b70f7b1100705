// Tests for engine/safe-text.ts: a user's text made safe for the terminal, XML, DOT and file names, and cut with an ellipsis.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { safeText, shorten } from '../../engine/safe-text.js';

// The characters XML 1.0 allows (§2.2 Char); everything else must never reach an SVG.
const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

test('terminal: the title-and-clear attack prints as its text, every control character as a visible escape', () => {
  assert.is(safeText('\x1b]0;owned\x07\x1b[2J', 'terminal'), '\\x1b]0;owned\\x07\\x1b[2J');
  assert.is(safeText('a\tb\nc\rd\x7f\x9b', 'terminal'), 'a\\x09b\\x0ac\\x0dd\\x7f\\x9b');
  // The bidirectional override that shows "txt.exe" as "exe.txt", a lone surrogate, U+FFFF.
  assert.is(safeText('a\u202eb\ud800c\uffff', 'terminal'), 'a\\u202eb\\ud800c\\uffff');
  // Letters of any script, emoji (a surrogate pair) and the ellipsis stay as they are.
  assert.is(safeText('café γ 猫 🐈 …', 'terminal'), 'café γ 猫 🐈 …');
});

test('xml: no character XML forbids remains, and & < > " \' are entities', () => {
  const hostile = 'a\u0001b<script>&"\'\ufffe\udc00';
  const out = safeText(hostile, 'xml');
  assert.is(out, 'a\\x01b&lt;script&gt;&amp;&quot;&#39;\\ufffe\\udc00');
  assert.ok(XML_CHAR.test(out));
  // Every code unit 0–0xFFFF goes through without leaving a forbidden character.
  const all = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).join('');
  assert.ok(XML_CHAR.test(safeText(all, 'xml')), 'no forbidden character survives');
  // Negative control: the raw text does hold forbidden characters.
  assert.not.ok(XML_CHAR.test(all));
});

test('dot: backslashes and quotes escaped after the controls, so a name cannot end the label', () => {
  assert.is(safeText('x" ] ; evil [label="\\', 'dot'), 'x\\" ] ; evil [label=\\"\\\\');
  assert.is(safeText('two\nlines', 'dot'), 'two\\\\x0alines');
});

test('file: one safe path component on every system', () => {
  assert.is(safeText('../../etc/passwd', 'file'), '___.._etc_passwd');
  assert.is(safeText('a:b*c?d"e<f>g|h\\i', 'file'), 'a_b_c_d_e_f_g_h_i');
  assert.is(safeText('.hidden', 'file'), '_hidden');
  assert.is(safeText('trailing. ', 'file'), 'trailing__');
  assert.is(safeText('NUL', 'file'), '_NUL');
  assert.is(safeText('com1.txt', 'file'), '_com1.txt');
  assert.is(safeText('', 'file'), '_');
  assert.is(safeText('a\x1bb', 'file'), 'a_x1bb');
  // At most 255 bytes of UTF-8, cut on a character with an ellipsis.
  const long = safeText('é'.repeat(300), 'file');
  assert.ok(new TextEncoder().encode(long).length <= 255 && long.endsWith('…') && !long.includes('\ufffd'));
  assert.is(new TextEncoder().encode(long).length, 2 * 126 + 3);
});

test('shorten and maxLength: cut by characters (never inside a surrogate pair), the last one an ellipsis', () => {
  assert.is(shorten('bearing failure (outer race)', 12), 'bearing fai…');
  assert.is(shorten('short', 5), 'short');
  assert.is(shorten('🐈🐈🐈', 2), '🐈…');
  assert.is(safeText('<'.repeat(10), 'xml', { maxLength: 4 }), '&lt;&lt;&lt;…');
  // The escapes count as what they show: \x1b is four characters on screen.
  assert.is(safeText('\x1b\x1b', 'terminal', { maxLength: 6 }), '\\x1b\\…');
  assert.throws(() => shorten('x', 0), /^shorten: maxLength must be a positive integer, got 0$/);
  assert.throws(() => safeText('x', 'html' as 'xml'), /^safeText: destination must be 'terminal', 'xml', 'dot' or 'file', got "html"$/);
});

test.run();
