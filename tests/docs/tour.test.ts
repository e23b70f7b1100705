// docs/tour.md: every stop links a file that exists and a line that still holds the anchor text the tour names.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOUR = join(ROOT, 'docs', 'tour.md');

interface Stop {
  label: string;
  labelLine: number;
  target: string;
  line: number;
  anchor: string;
}

// A stop: [path:line](../path#Lline) — anchor `text`
const STOP = /\[([^\]\s]+):(\d+)\]\(([^)#\s]+)#L(\d+)\) — anchor `([^`]+)`/g;
// Any other relative link of the page: [text](path) or [text](path#fragment).
const LINK = /\]\((?!https?:|#)([^)#\s]+)(#[^)\s]*)?\)/g;

export function stopsOf(markdown: string): Stop[] {
  return [...markdown.matchAll(STOP)].map((m) => ({ label: m[1], labelLine: Number(m[2]), target: m[3], line: Number(m[4]), anchor: m[5] }));
}

// What is wrong with one stop, or null. The message says where the anchor is now, so fixing the tour is quick.
export function problemWith(stop: Stop, fromDir: string): string | null {
  const file = normalize(join(fromDir, stop.target));
  const shown = `${stop.label}:${stop.labelLine}`;
  if (normalize(join(ROOT, stop.label)) !== file) return `${shown}: the label names ${stop.label} but the link goes to ${stop.target}`;
  if (stop.labelLine !== stop.line) return `${shown}: the label says line ${stop.labelLine}, the link #L${stop.line}`;
  if (!existsSync(file)) return `${shown}: no such file`;
  const lines = readFileSync(file, 'utf8').split('\n');
  if (stop.line < 1 || stop.line > lines.length) return `${shown}: the file has ${lines.length} lines`;
  if (lines[stop.line - 1].includes(stop.anchor)) return null;
  const now = lines.findIndex((l) => l.includes(stop.anchor));
  return `${shown}: line ${stop.line} does not hold \`${stop.anchor}\`${now < 0 ? ' (it is nowhere in the file)' : ` (it is at line ${now + 1} now)`}`;
}

const markdown = readFileSync(TOUR, 'utf8');
const stops = stopsOf(markdown);

test('the tour has about ten stops, each with a line link and an anchor', () => {
  assert.ok(stops.length >= 10 && stops.length <= 14, `found ${stops.length} stops`);
  const headings = markdown.split('\n').filter((l) => /^## \d+\. /.test(l));
  assert.ok(stops.length >= headings.length, `${headings.length} numbered stops but ${stops.length} anchored links`);
});

for (const stop of stops) {
  test(`stop ${stop.label}: the line holds \`${stop.anchor}\``, () => {
    const problem = problemWith(stop, dirname(TOUR));
    assert.is(problem, null, problem ?? '');
  });
}

test('every other relative link of the tour resolves to a file', () => {
  for (const [, target] of markdown.matchAll(LINK)) {
    assert.ok(existsSync(join(dirname(TOUR), target)), `docs/tour.md links ${target}, which does not exist`);
  }
});

test('the checker catches a moved line, a wrong file, a label that disagrees and a line past the end (negative controls)', () => {
  const good = stopsOf('[engine/tensor.ts:1](../engine/tensor.ts#L1) — anchor `// Tensor:`')[0];
  assert.is(problemWith(good, dirname(TOUR)), null);
  const moved = { ...good, line: 2, labelLine: 2 };
  assert.match(problemWith(moved, dirname(TOUR)) ?? '', /line 2 does not hold `\/\/ Tensor:` \(it is at line 1 now\)/);
  assert.match(problemWith({ ...good, label: 'engine/nope.ts', target: '../engine/nope.ts' }, dirname(TOUR)) ?? '', /no such file/);
  assert.match(problemWith({ ...good, labelLine: 5 }, dirname(TOUR)) ?? '', /the label says line 5, the link #L1/);
  assert.match(problemWith({ ...good, line: 100000, labelLine: 100000 }, dirname(TOUR)) ?? '', /the file has \d+ lines/);
  assert.match(problemWith({ ...good, anchor: 'no such text anywhere' }, dirname(TOUR)) ?? '', /nowhere in the file/);
});

test.run();
