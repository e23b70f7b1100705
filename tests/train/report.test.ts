// Tests for train/svg.ts, train/charts.ts and train/report.ts: well-formed and escaped SVG / HTML, the expected series and legend entries, table alignment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { imbalancedBlobs, type Dataset } from '../../train/data.js';
import { classificationReport } from '../../train/metrics.js';
import { decisionRegionsSvg, heatmapSvg, linePlotSvg, sideBySideSvg } from '../../train/charts.js';
import { classificationTable, formatTable, reportHtml } from '../../train/report.js';
import { PALETTE, classColors, escapeXml } from '../../train/svg.js';
import { type Tick, readAxes, throwsWith } from './helpers.js';

const VOID_HTML_ELEMENTS = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);

// A tiny well-formedness checker: tags balance, attributes are name="value" without raw < or ",
// and every & outside a tag starts an entity. Returns the problems found (none when well formed).
function markupProblems(markup: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const body = markup.replace(/^<!doctype html>/i, '');
  const entity = /&(amp|lt|gt|quot|#\d+);/g;
  let last = 0;
  for (const match of body.matchAll(/<[^>]*>/g)) {
    const text = body.slice(last, match.index);
    if (/[<>]/.test(text) || /&/.test(text.replace(entity, ''))) problems.push(`raw text ${JSON.stringify(text.slice(0, 40))}`);
    last = match.index + match[0].length;
    const tag = match[0];
    const parts = tag.match(/^<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>$/);
    if (parts === null) {
      problems.push(`malformed tag ${tag.slice(0, 60)}`);
      continue;
    }
    const [, closing, name, attributes, selfClosing] = parts;
    if (/&/.test(attributes.replace(entity, ''))) problems.push(`raw & in ${tag.slice(0, 60)}`);
    if (closing === '/') {
      const expected = open.pop();
      if (expected !== name) problems.push(`</${name}> closes <${expected}>`);
    } else if (selfClosing === '' && !VOID_HTML_ELEMENTS.has(name)) {
      open.push(name);
    }
  }
  if (/[<>]/.test(body.slice(last))) problems.push('raw text after the last tag');
  if (open.length > 0) problems.push(`unclosed: ${open.join(', ')}`);
  return problems;
}

function assertWellFormedSvg(svg: string): void {
  assert.ok(svg.startsWith('<svg '), 'starts with <svg');
  assert.ok(svg.endsWith('</svg>'), 'ends with </svg>');
  assert.equal(markupProblems(svg), []);
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

test('the checker itself catches unbalanced tags, raw < and &, and unquoted attributes', () => {
  assert.equal(markupProblems('<svg><g></g></svg>'), []);
  assert.ok(markupProblems('<svg><g></svg>').length > 0);
  assert.ok(markupProblems('<svg><text>a < b</text></svg>').length > 0);
  assert.ok(markupProblems('<svg><text>a & b</text></svg>').length > 0);
  assert.ok(markupProblems('<svg><rect width=3/></svg>').length > 0);
  assert.equal(markupProblems('<svg><text>a &lt; b &amp; c</text></svg>'), []);
});

test('escapeXml escapes the five special characters', () => {
  assert.is(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('linePlotSvg: one group and one legend entry per series, escaped text', () => {
  const svg = linePlotSvg({
    title: 'loss <train> & test',
    xLabel: 'epoch',
    yLabel: 'loss "mean"',
    xStart: 1,
    series: [
      { name: 'cross-entropy', values: [1.2, 0.8, 0.5, 0.4] },
      { name: 'focal γ=2 & α', values: [0.6, 0.3, 0.2, 0.15] },
    ],
  });
  assertWellFormedSvg(svg);
  assert.is(count(svg, '<g class="series"'), 2);
  assert.is(count(svg, '<path '), 2);
  assert.is(count(svg, 'class="legend-entry"'), 2);
  assert.ok(svg.includes('loss &lt;train&gt; &amp; test'));
  assert.ok(svg.includes('focal γ=2 &amp; α'));
  assert.ok(svg.includes('loss &quot;mean&quot;'));
  assert.ok(svg.includes(`stroke="${PALETTE[0]}"`) && svg.includes(`stroke="${PALETTE[1]}"`), 'a colour per series');
});

test('linePlotSvg skips non-finite values, breaking the line, and draws lone points as dots', () => {
  const svg = linePlotSvg({
    title: 't',
    xLabel: 'x',
    yLabel: 'y',
    series: [
      { name: 'gap', values: [1, 2, NaN, 3, 4] },
      { name: 'isolated', values: [5, Infinity, 6, 7] },
      { name: 'nothing finite', values: [NaN, -Infinity] },
      { name: 'empty', values: [] },
    ],
  });
  assertWellFormedSvg(svg);
  assert.not.ok(/NaN|Infinity/.test(svg), 'no NaN or Infinity in the markup');
  const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]);
  assert.is(paths.length, 2, 'only "gap" and "isolated" have runs of two points');
  assert.is(count(paths[0], 'M'), 2, '"gap" is two pieces');
  assert.is(count(paths[1], 'M'), 1, '"isolated" keeps one piece, [6, 7]');
  assert.is(count(svg, '<circle '), 1, 'the lone 5 of "isolated" is a dot');
  assert.is(count(svg, 'class="legend-entry"'), 4);
});

test('linePlotSvg does not break on one-point series or constant values', () => {
  for (const values of [[0.7], [3, 3, 3], [0]]) {
    const svg = linePlotSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', values }] });
    assertWellFormedSvg(svg);
    assert.not.ok(/NaN|Infinity/.test(svg), `values ${values}`);
  }
  assert.throws(() => linePlotSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [] }), /linePlotSvg: series/);
  assert.throws(
    () => linePlotSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', values: [1] }], width: 100 }),
    /linePlotSvg: a 100 × 400 plot/,
  );
});

test('linePlotSvg: whole-number x values get whole-number ticks (4 epochs: 1, 2, 3, 4, not 1.5, 2.5)', () => {
  const plot = (xStart: number): string[] =>
    readAxes(linePlotSvg({ title: 't', xLabel: 'epoch', yLabel: 'y', xStart, series: [{ name: 's', values: [4, 3, 2, 1] }] })).x.map(
      (t) => t.label,
    );
  assert.equal(plot(1), ['1', '2', '3', '4']);
  assert.equal(plot(0), ['0', '1', '2', '3']);
  // A fractional start puts the points between whole numbers, so the ticks may be fractional too.
  assert.equal(plot(0.5), ['0.5', '1.0', '1.5', '2.0', '2.5', '3.0', '3.5']);
});

test('linePlotSvg: a yDomain of [0, 1] spans exactly the frame, whatever the data', () => {
  for (const values of [[0.2, 0.4, 0.6], [0.95, 1, 1], [0, 0, 0]]) {
    const svg = linePlotSvg({ title: 't', xLabel: 'x', yLabel: 'y', yDomain: [0, 1], series: [{ name: 's', values }] });
    assertWellFormedSvg(svg);
    const { frame, y } = readAxes(svg);
    assert.equal(y[0], { at: frame.bottom, label: '0.0' }, `values ${values}: 0 at the bottom edge`);
    assert.equal(y[y.length - 1], { at: frame.top, label: '1.0' }, `values ${values}: 1 at the top edge`);
  }
  // A value outside the domain is drawn, but inside a viewport that clips it to the plot area.
  const outside = linePlotSvg({ title: 't', xLabel: 'x', yLabel: 'y', yDomain: [0, 1], series: [{ name: 's', values: [0.5, 1.5] }] });
  assert.match(outside, /<svg class="plot-area" [^>]*overflow="hidden">\n<g class="series"/);
  const bad = (yDomain: [number, number], yScale: 'linear' | 'log' = 'linear') => () =>
    linePlotSvg({ title: 't', xLabel: 'x', yLabel: 'y', yDomain, yScale, series: [{ name: 's', values: [1] }] });
  throwsWith(bad([1, 0]), ['linePlotSvg: yDomain must be finite with min < max', 'got [1, 0]']);
  throwsWith(bad([NaN, 1]), ['linePlotSvg: yDomain', 'got [NaN, 1]']);
  throwsWith(bad([0, 1], 'log'), ['min > 0 on a log scale', 'got [0, 1]']);
});

test('linePlotSvg: log ticks are 1, 2, 5 × 10^k within two decades and powers of ten beyond, placed by log10', () => {
  const ticks = (values: number[]): Tick[] =>
    readAxes(linePlotSvg({ title: 't', xLabel: 'x', yLabel: 'y', yScale: 'log', series: [{ name: 's', values }] })).y;
  // 0.15 .. 1.5 is one decade, padded by 5% of it (in log10 units) on each side: [0.134, 1.68].
  assert.equal(ticks([1.5, 0.4, 0.15]).map((t) => t.label), ['0.2', '0.5', '1']);
  // 0.01 .. 1000 is five decades: powers of ten only.
  assert.equal(ticks([1000, 1, 0.01]).map((t) => t.label), ['0.01', '0.1', '1', '10', '100', '1000']);
  // 1e-12 .. 1e12 is 24 decades (26.4 once padded): every third power, written with an exponent past 10^±4.
  assert.equal(ticks([1e12, 1e-12]).map((t) => t.label), ['1e-12', '1e-9', '1e-6', '0.001', '1', '1000', '1e+6', '1e+9', '1e+12']);
  // Equal ratios are equal distances: the pixel position is linear in log10 of the label.
  const placed = ticks([2.2, 0.09, 0.06]);
  const perDecade = (a: Tick, b: Tick): number => (a.at - b.at) / (Math.log10(Number(a.label)) - Math.log10(Number(b.label)));
  for (let i = 2; i < placed.length; i++) {
    assert.ok(Math.abs(perDecade(placed[i], placed[0]) - perDecade(placed[1], placed[0])) < 0.02, `tick ${placed[i].label} is off the log scale`);
  }
  // Too narrow for two such ticks (0.3 .. 0.4): round linear values, still placed by log10.
  assert.equal(ticks([0.3, 0.35, 0.4]).map((t) => t.label), ['0.30', '0.32', '0.34', '0.36', '0.38', '0.40']);
});

test('linePlotSvg: a log scale skips zero and negative values like NaN, breaking the line', () => {
  const svg = linePlotSvg({
    title: 't',
    xLabel: 'x',
    yLabel: 'y',
    yScale: 'log',
    series: [
      { name: 'gaps', values: [1, 0, 0.5, 0.25, -1, 0.1] },
      { name: 'nothing positive', values: [0, -2] },
    ],
  });
  assertWellFormedSvg(svg);
  assert.not.ok(/NaN|Infinity/.test(svg), 'no NaN or Infinity in the markup');
  const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(paths.map((d) => d.match(/[ML]/g)?.join('')), ['ML'], 'one line, through 0.5 and 0.25');
  assert.is(count(svg, '<circle '), 2, 'the lone 1 and 0.1 are dots');
  // The domain comes from the positive values alone: 0.1 .. 1 padded, ticks 0.1, 0.2, 0.5, 1.
  assert.equal(readAxes(svg).y.map((t) => t.label), ['0.1', '0.2', '0.5', '1']);
});

function smallData(): Dataset {
  return imbalancedBlobs({ n: 300, seed: 1 }).train;
}

test('decisionRegionsSvg: region paths for predicted classes only, every point, rarest class last', () => {
  const data = smallData();
  const seen: Float64Array[] = [];
  // Class 1 right of x₁ = 0, class 0 left of it; class 2 is never predicted.
  const predict = (x: Float64Array): Int32Array => {
    seen.push(x);
    return Int32Array.from({ length: x.length / 2 }, (_, i) => (x[2 * i] > 0 ? 1 : 0));
  };
  const svg = decisionRegionsSvg({ title: 'rule <x₁ > 0>', predict, data, resolution: 20 });
  assertWellFormedSvg(svg);

  assert.is(seen.length, 1, 'predict is called once for the whole grid');
  assert.is(seen[0].length, 20 * 20 * 2);
  // The first grid point is the top-left cell: smallest x₁, largest x₂.
  const xs = Array.from({ length: 400 }, (_, i) => seen[0][2 * i]);
  const ys = Array.from({ length: 400 }, (_, i) => seen[0][2 * i + 1]);
  assert.is(seen[0][0], Math.min(...xs));
  assert.is(seen[0][1], Math.max(...ys));

  const regions = svg.slice(svg.indexOf('<g class="regions"'), svg.indexOf('</g>', svg.indexOf('<g class="regions"')));
  assert.is(count(regions, '<path '), 2);
  assert.ok(regions.includes(`fill="${PALETTE[0]}"`) && regions.includes(`fill="${PALETTE[1]}"`));
  assert.not.ok(regions.includes(`fill="${PALETTE[2]}"`), 'class 2 is never predicted, so it has no region');

  const pointGroups = [...svg.matchAll(/<g class="points" fill="([^"]*)"[^>]*>(.*?)<\/g>/g)];
  assert.equal(
    pointGroups.map((g) => g[1]),
    [PALETTE[0], PALETTE[1], PALETTE[2]],
    'largest class first, rarest last',
  );
  assert.is(pointGroups.reduce((s, g) => s + count(g[2], '<circle '), 0), data.n);

  assert.is(count(svg, 'class="legend-entry"'), 3);
  // 300 · [0.85, 0.12, 0.03] = [255, 36, 9]; the train split keeps [255 − 77, 36 − 11, 9 − 3].
  for (const label of ['class 0 (178)', 'class 1 (25)', 'class 2 (6)']) assert.ok(svg.includes(label), label);
  assert.ok(svg.includes('rule &lt;x₁ &gt; 0&gt;'));
});

test('decisionRegionsSvg: a region of a single grid cell is outlined in its full colour, on top of the points', () => {
  const data = smallData();
  // Class 1 right of x₁ = 0, class 0 left; class 2 only in the grid cell whose centre is nearest the first point.
  let target = -1;
  const predict = (x: Float64Array): Int32Array => {
    const m = x.length / 2;
    const distance = (i: number): number => Math.hypot(x[2 * i] - data.x[0], x[2 * i + 1] - data.x[1]);
    target = Array.from({ length: m }, (_, i) => i).reduce((best, i) => (distance(i) < distance(best) ? i : best), 0);
    return Int32Array.from({ length: m }, (_, i) => (i === target ? 2 : x[2 * i] > 0 ? 1 : 0));
  };
  const svg = decisionRegionsSvg({ title: 'one cell', predict, data, resolution: 20 });
  assertWellFormedSvg(svg);
  const outlines = [...svg.matchAll(/<path class="small-region" fill="none" stroke="([^"]*)" stroke-width="[\d.]+" d="([^"]*)"\/>/g)];
  assert.equal(outlines.map((m) => m[1]), [PALETTE[2]], 'only the small region is outlined');
  // The cell's four edges: the plot is 400 px over 20 cells, 20 px a cell, from (64, 40).
  const [row, col] = [Math.floor(target / 20), target % 20];
  const [x0, y0] = [64 + 20 * col, 40 + 20 * row];
  assert.is(outlines[0][2], `M${x0} ${y0}H${x0 + 20}M${x0} ${y0 + 20}H${x0 + 20}M${x0} ${y0}V${y0 + 20}M${x0 + 20} ${y0}V${y0 + 20}`);
  assert.ok(svg.indexOf('class="small-regions"') > svg.lastIndexOf('<g class="points"'), 'drawn after the points');
});

test('decisionRegionsSvg rejects a bad predict, resolution or colour list', () => {
  const data = smallData();
  const title = 't';
  assert.throws(() => decisionRegionsSvg({ title, data, predict: () => new Int32Array(3) }), /decisionRegionsSvg: predict must return one class per grid point \(14400\), got 3/);
  assert.throws(
    () => decisionRegionsSvg({ title, data, resolution: 4, predict: (x) => new Int32Array(x.length / 2).fill(3) }),
    /decisionRegionsSvg: predict returned class 3 at grid point 0/,
  );
  assert.throws(() => decisionRegionsSvg({ title, data, resolution: 1.5, predict: (x) => new Int32Array(x.length / 2) }), /resolution/);
  assert.throws(() => decisionRegionsSvg({ title, data, classColors: ['red'], predict: (x) => new Int32Array(x.length / 2) }), /classColors/);
  assert.throws(
    () => decisionRegionsSvg({ title, data: { ...data, dim: 3 }, predict: (x) => new Int32Array(x.length / 2) }),
    /decisionRegionsSvg: data must be 2-D/,
  );
});

test('sideBySideSvg places panels in a row, as wide as the panels plus the gaps', () => {
  const data = smallData();
  const panel = (c: number): string =>
    decisionRegionsSvg({ title: `panel ${c}`, data, resolution: 8, predict: (x) => new Int32Array(x.length / 2).fill(c) });
  const panels = [panel(0), panel(1), panel(2)];
  const panelWidth = Number(panels[0].match(/width="([\d.]+)"/)?.[1]);
  const svg = sideBySideSvg(panels, { title: 'three <losses>', gap: 10 });
  assertWellFormedSvg(svg);
  assert.is(count(svg, '<svg '), 4);
  assert.is(Number(svg.match(/width="([\d.]+)"/)?.[1]), 3 * panelWidth + 2 * 10);
  assert.ok(svg.includes('three &lt;losses&gt;'));
  assert.throws(() => sideBySideSvg(['<div></div>']), /sideBySideSvg: panel 0 must be an <svg>/);
  assert.throws(() => sideBySideSvg([]), /sideBySideSvg: needs at least one panel/);
});

test('formatTable aligns columns: text to the left, numbers to the right', () => {
  const table = formatTable(
    ['name', 'score', 'n'],
    [
      ['a', '1.5', '3'],
      ['long name', '10.25', ''],
      ['γ', '-0.5', '120'],
    ],
  );
  assert.is(
    table,
    [
      'name       score    n',
      '---------  -----  ---',
      'a            1.5    3',
      'long name  10.25',
      'γ           -0.5  120',
    ].join('\n'),
  );
  assert.throws(() => formatTable(['a', 'b'], [['1']]), /formatTable: row 0 has 1 cells, expected 2/);
});

test('classificationTable lays out a report like sklearn, and formatTable prints it', () => {
  const report = classificationReport([0, 0, 1, 2], [0, 1, 1, 2], 3);
  const table = classificationTable(report, ['common', 'uncommon', 'rare']);
  assert.equal(table.headers, ['class', 'precision', 'recall', 'f1', 'support']);
  // class 0: precision 1/1, recall 1/2, F1 = 2·1·0.5 / 1.5 = 0.667
  assert.equal(table.rows[0], ['common', '1.000', '0.500', '0.667', '2']);
  assert.equal(table.rows[3], ['accuracy', '', '', '0.750', '4']);
  assert.is(table.rows.length, 3 + 3);
  const text = formatTable(table.headers, table.rows);
  assert.ok(text.split('\n')[0].startsWith('class'));
  assert.throws(() => classificationTable(report, ['a']), /classificationTable: needs one class name per class \(3\), got 1/);
});

test('reportHtml is one self-contained, well-formed page with escaped text', () => {
  const svg = linePlotSvg({ title: 'curve', xLabel: 'x', yLabel: 'y', series: [{ name: 's', values: [1, 2] }] });
  const html = reportHtml({
    title: 'focal <vs> CE & co',
    sections: [
      { heading: 'Loss <curves>', svg },
      { heading: 'Metrics', table: { headers: ['class', 'f1'], rows: [['a & b', '0.5']] } },
      { heading: 'Notes', html: '<p>seed 0</p>' },
      { heading: 'Figures', figures: [{ svg, caption: 'a < b' }, { svg }] },
    ],
  });
  assert.ok(html.startsWith('<!doctype html>'));
  assert.equal(markupProblems(html), []);
  assert.is(count(html, '<section>'), 4);
  assert.ok(html.includes('<div class="figures">'));
  assert.ok(html.includes('<figcaption>a &lt; b</figcaption>'));
  assert.ok(html.includes('<title>focal &lt;vs&gt; CE &amp; co</title>'));
  assert.ok(html.includes('<h2>Loss &lt;curves&gt;</h2>'));
  assert.ok(html.includes('<td>a &amp; b</td><td class="num">0.5</td>'));
  assert.ok(html.includes(svg));
  assert.ok(html.includes('<p>seed 0</p>'));
  assert.not.ok(/<(script|link)\b|\bsrc=/.test(html), 'nothing loaded from outside');
});

test('heatmapSvg: one shaded cell per entry with its number, labels cut past 14 characters, bad shapes refused', () => {
  const svg = heatmapSvg({
    title: 'confusion',
    values: [[5, 1], [0, 2]],
    rowLabels: ['short', 'a very long class name'],
    columnLabels: ['p', 'q'],
    xLabel: 'predicted',
    yLabel: 'true',
  });
  assert.equal(markupProblems(svg), []);
  assert.is(count(svg, '<rect x='), 4);
  // Shade = value / largest: 5 → 0.05 + 0.9 = 0.95, 1 → 0.05 + 0.9/5 = 0.23, 0 → 0.05.
  assert.ok(svg.includes('fill-opacity="0.95"') && svg.includes('fill-opacity="0.23"') && svg.includes('fill-opacity="0.05"'));
  assert.ok(svg.includes('>a very long c…</text>'), 'a long label is cut');
  assert.ok(svg.includes('<title>a very long class name</title>'), 'the full label stays as a tooltip');
  throwsWith(() => heatmapSvg({ title: 't', values: [[1, 2], [3]], rowLabels: ['a', 'b'], columnLabels: ['a', 'b'], xLabel: '', yLabel: '' }), [
    'heatmapSvg: values must be a non-empty rectangular matrix',
  ]);
  throwsWith(() => heatmapSvg({ title: 't', values: [[1]], rowLabels: [], columnLabels: ['a'], xLabel: '', yLabel: '' }), [
    'heatmapSvg: needs 1 row labels and 1 column labels, got 0 and 1',
  ]);
});

test('classColors: the palette up to ten classes, distinct hues beyond', () => {
  assert.equal(classColors(3), PALETTE.slice(0, 3));
  // Exactly ten classes still get the whole palette; eleven switch to hues.
  assert.equal(classColors(10), PALETTE.slice());
  assert.is(classColors(11)[0], 'hsl(0, 65%, 45%)');
  const many = classColors(12);
  assert.is(new Set(many).size, 12);
  assert.is(many[0], 'hsl(0, 65%, 45%)');
  assert.is(many[6], 'hsl(180, 65%, 45%)');
});

test.run();
