// Reports as strings: monospace text tables, the classification table, one self-contained HTML page.
import { safeText } from '../engine/safe-text.js';
import type { ClassificationReport, ClassMetrics } from './metrics.js';
import { escapeXml } from './svg.js';

/** A table of text cells: a header row and the body rows, each as many cells as headers. */
export interface Table {
  headers: string[];
  rows: string[][];
}

/** A plot of a report: SVG markup and a line said under it. */
export interface ReportFigure {
  /** Trusted SVG markup, inserted as is (for example from linePlotSvg). */
  svg: string;
  /** Plain text shown under the plot. */
  caption?: string;
}

/** One section of reportHtml: a heading, then any of html, table, one wide svg, a row of figures. */
export interface ReportSection {
  heading: string;
  /** Trusted HTML, inserted as is. */
  html?: string;
  /** Trusted SVG markup, inserted as is (for example from linePlotSvg). */
  svg?: string;
  table?: Table;
  /** Plots shown at their own size, side by side as the page's width allows (so their text stays at its size). */
  figures?: readonly ReportFigure[];
}

// A cell of a text table holds at most this many characters; a longer one (a class name) is cut with an ellipsis.
const MAX_CELL_CHARS = 40;

/**
 * A monospace text table for a terminal: a column whose cells are all numbers is right-aligned, others
 * left-aligned. Control characters in a cell are written as escapes (safeText's 'terminal'), and a cell
 * longer than 40 characters is cut with an ellipsis.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  checkTable('formatTable', headers, rows);
  const cut = (cell: string): string => safeText(cell, 'terminal', { maxLength: MAX_CELL_CHARS });
  return alignedTable(headers.map(cut), rows.map((row) => row.map(cut)));
}

function alignedTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const numeric = numericColumns(headers, rows);
  const widths = headers.map((h, col) => Math.max(textLength(h), ...rows.map((row) => textLength(row[col]))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, col) => {
        const padding = ' '.repeat(widths[col] - textLength(cell));
        return numeric[col] ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

// Per-class precision / recall / F1 / support in the layout of sklearn's classification_report.
/** Per-class precision / recall / F1 / support in the layout of sklearn's classification_report. */
export function classificationTable(report: ClassificationReport, classNames: readonly string[]): Table {
  if (classNames.length !== report.perClass.length) {
    throw new Error(`classificationTable: needs one class name per class (${report.perClass.length}), got ${classNames.length}`);
  }
  const fixed = (v: number): string => v.toFixed(3);
  const totalSupport = report.perClass.reduce((s, m) => s + m.support, 0);
  const mean = (pick: (m: ClassMetrics) => number): number =>
    report.perClass.reduce((s, m) => s + pick(m), 0) / report.perClass.length;
  return {
    headers: ['class', 'precision', 'recall', 'f1', 'support'],
    rows: [
      ...report.perClass.map((m, c) => [classNames[c], fixed(m.precision), fixed(m.recall), fixed(m.f1), String(m.support)]),
      ['accuracy', '', '', fixed(report.accuracy), String(totalSupport)],
      ['macro avg', fixed(mean((m) => m.precision)), fixed(mean((m) => m.recall)), fixed(report.macroF1), String(totalSupport)],
      ['balanced accuracy', '', fixed(report.balancedAccuracy), '', ''],
    ],
  };
}

/** One self-contained HTML page (inline CSS and SVG, nothing loaded from outside) from a title and sections. */
export function reportHtml(options: { title: string; sections: readonly ReportSection[] }): string {
  const { title, sections } = options;
  const body = sections.map((section) => {
    const parts = [`<h2>${escapeXml(section.heading)}</h2>`];
    if (section.html !== undefined) parts.push(section.html);
    if (section.table !== undefined) parts.push(htmlTable(section.table));
    if (section.svg !== undefined) parts.push(`<figure>${section.svg}</figure>`);
    if (section.figures !== undefined) {
      const figures = section.figures.map(
        (f) => `<figure>${f.svg}${f.caption === undefined ? '' : `<figcaption>${escapeXml(f.caption)}</figcaption>`}</figure>`,
      );
      parts.push(`<div class="figures">\n${figures.join('\n')}\n</div>`);
    }
    return `<section>\n${parts.join('\n')}\n</section>`;
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeXml(title)}</title>`,
    '<style>',
    'body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }',
    'figure { margin: 1em 0; overflow-x: auto; }',
    'svg { max-width: 100%; height: auto; }',
    '.figures { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }',
    '.figures figure { margin: 0; }',
    'figcaption { font-size: 14px; max-width: 36em; color: #444; }',
    'table { border-collapse: collapse; font-variant-numeric: tabular-nums; }',
    'th, td { padding: 0.25em 0.75em; border-bottom: 1px solid #ddd; text-align: left; }',
    'th { border-bottom: 2px solid #888; }',
    '.num { text-align: right; }',
    '</style>',
    '</head>',
    '<body>',
    `<h1>${escapeXml(title)}</h1>`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function htmlTable(table: Table): string {
  checkTable('reportHtml', table.headers, table.rows);
  const numeric = numericColumns(table.headers, table.rows);
  const cell = (tag: 'th' | 'td', text: string, col: number): string =>
    `<${tag}${numeric[col] ? ' class="num"' : ''}>${escapeXml(text)}</${tag}>`;
  const head = `<tr>${table.headers.map((h, col) => cell('th', h, col)).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map((text, col) => cell('td', text, col)).join('')}</tr>`);
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

function checkTable(fn: string, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  rows.forEach((row, i) => {
    if (row.length !== headers.length) {
      throw new Error(`${fn}: row ${i} has ${row.length} cells, expected ${headers.length} (one per header)`);
    }
  });
}

function numericColumns(headers: readonly string[], rows: readonly (readonly string[])[]): boolean[] {
  const isNumber = (text: string): boolean => /^([-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?%?|NaN|[-+]?Infinity)$/i.test(text.trim());
  return headers.map((_, col) => {
    const cells = rows.map((row) => row[col]).filter((text) => text.trim() !== '');
    return cells.length > 0 && cells.every(isNumber);
  });
}

// Length in code points, so that "x₁" or "γ" count as one column.
function textLength(text: string): number {
  return [...text].length;
}

