// The playground's comparison: the grid and the splits read from the form, checked in the page, run in the one Web Worker, the tables and the selection shown.
import { type CompareOptions, type Table, type TrainConfig, planComparison } from '../train/index.js';

/** What the comparison fieldset holds, read as options over the run's config. */
export function readCompareOptions(config: Partial<TrainConfig>, grid: string, seeds: string, folds: string): CompareOptions {
  const whole = (text: string, name: string): number => {
    if (!/^\d+$/.test(text.trim())) throw new Error(`${name}: expected a whole number, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  // The grid varies loss and α; the form's own loss, γ and α are the base the grid starts from, except
  // what the grid sets itself.
  const { loss: _loss, alpha: _alpha, ...base } = config;
  const options: CompareOptions = { ...base, grid: grid.trim() === '' ? undefined : grid };
  if (folds.trim() !== '') options.folds = whole(folds, 'Folds');
  else options.seeds = whole(seeds, 'Seeds');
  // Checked here, as train() is before a single run: a bad grid or too few rows fails before the worker starts.
  const plan = planComparison(options);
  if (plan.tasks.length > MAX_RUNS) throw new Error(`Grid: ${plan.tasks.length} runs is more than the page's ${MAX_RUNS}; the CLI has no such limit`);
  return options;
}

/** Beyond this many runs a comparison belongs on the command line, with --jobs. */
export const MAX_RUNS = 200;

/** Fills the comparison's section: the metrics table, the paired differences, the selection and the support line. */
export function showComparison(section: HTMLElement, result: { table: Table; differenceTable: Table; lines: string[] }): void {
  const tables = section.querySelectorAll('table');
  fillTable(tables[0], result.table);
  fillTable(tables[1], result.differenceTable);
  const notes = section.querySelector('.notes') as HTMLElement;
  notes.replaceChildren(...result.lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })));
  section.hidden = false;
}

// Built with textContent, so nothing in a cell is parsed as HTML.
function fillTable(element: HTMLTableElement, table: Table): void {
  const row = (tag: 'th' | 'td', cells: readonly string[]): HTMLTableRowElement => {
    const tr = document.createElement('tr');
    for (const text of cells) tr.appendChild(document.createElement(tag)).textContent = text;
    return tr;
  };
  element.replaceChildren();
  element.createTHead().append(row('th', table.headers));
  element.createTBody().append(...table.rows.map((cells) => row('td', cells)));
}
