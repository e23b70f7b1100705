// Datasets from a user: fromRows (arrays of numbers and labels) and readCsv (CSV text or bytes, parsed row by row with papaparse).
import Papa from 'papaparse';
import { checkOptions } from '../engine/checks.js';
import { describeValue } from '../engine/format.js';
import { shorten } from '../engine/safe-text.js';
import type { Dataset } from './data.js';
import { decodeText } from './encoding.js';

/** Options of fromRows. */
export interface FromRowsOptions {
  /** One name per feature column (default x1, x2, ...). */
  featureNames?: readonly string[];
  /** What the data is called in captions and metrics.json (default 'rows'). */
  name?: string;
}

/** Options of readCsv. */
export interface ReadCsvOptions {
  /** The label column: its header name, or its 0-based index (the only choice with header: false). */
  label: string | number;
  /** Whether the first row names the columns (default true). */
  header?: boolean;
  /** What the data is called in captions and metrics.json (default 'csv'). */
  name?: string;
}

// A user's text in a message: quoted, and cut so that a 5 MB cell does not make a 5 MB message.
const quote = (text: string): string => JSON.stringify(shorten(text, 40));

/**
 * A Dataset from rows of numbers and one label per row. Labels may be numbers or strings; the classes
 * are the distinct labels, numbers in increasing order, strings in code-unit order (like numpy.unique,
 * so the same data always gives the same class indices); their names are the labels as text. A hole
 * in either array, two spellings of one number (1 and 1.0) and repeated feature names are Errors.
 * @example const data = fromRows([[1, 2], [3, 4], [5, 6]], ['cat', 'dog', 'cat']); // classNames ['cat', 'dog']
 */
export function fromRows(
  features: readonly (readonly number[])[],
  labels: readonly (string | number)[],
  options?: FromRowsOptions | null,
): Dataset {
  const fn = 'fromRows';
  const { featureNames: names, name = 'rows' } = checkOptions<FromRowsOptions>(fn, options, ['featureNames', 'name']);
  if (!Array.isArray(features) || features.length === 0) {
    throw new Error(`${fn}: features must be a non-empty array of rows, got ${describeValue(features)}`);
  }
  if (!Array.isArray(labels) || labels.length !== features.length) {
    throw new Error(`${fn}: labels must hold one label per row (${features.length}), got ${describeValue(labels)}`);
  }
  const dim = Array.isArray(features[0]) ? features[0].length : 0;
  if (dim === 0) throw new Error(`${fn}: row 0 must be a non-empty array of numbers, got ${describeValue(features[0])}`);
  if (names !== undefined && (!Array.isArray(names) || names.length !== dim)) {
    throw new Error(`${fn}: featureNames must hold one name per feature (${dim}), got ${Array.isArray(names) ? names.length : describeValue(names)}`);
  }
  const featureNames = names === undefined ? Array.from({ length: dim }, (_, j) => `x${j + 1}`) : checkNames(fn, 'featureNames', names);
  const n = features.length;
  const x = new Float64Array(n * dim);
  const classes = new LabelIndex();
  // NOTE: index loops, not forEach, which skips the holes of a sparse array (a missing row would stay 0).
  for (let i = 0; i < n; i++) {
    const row = features[i];
    if (!Array.isArray(row) || row.length !== dim) {
      throw new Error(`${fn}: row ${i} must hold ${dim} numbers like row 0, got ${i in features ? describeValue(row) : 'a hole (no row at this index)'}`);
    }
    for (let j = 0; j < dim; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const got = j in row ? describeValue(v) : 'a hole (no value at this index)';
        throw new Error(`${fn}: row ${i}, column ${j} (${featureNames[j]}) must be a finite number, got ${got}`);
      }
      x[i * dim + j] = v;
    }
    const label = labels[i];
    if (!((typeof label === 'number' && Number.isFinite(label)) || (typeof label === 'string' && label !== ''))) {
      const got = i in labels ? describeValue(label) : 'a hole (no label at this index)';
      throw new Error(`${fn}: label of row ${i} must be a finite number or a non-empty string, got ${got}`);
    }
    classes.add(String(label));
  }
  const { classNames, numClasses, y } = classes.encode(fn);
  return { x, y, n, dim, numClasses, classNames, featureNames, name };
}

/**
 * A Dataset from CSV text, or a file's bytes (RFC 4180: quoted fields; CRLF, LF or a mix of them; blank
 * lines skipped). Bytes must be UTF-8 (a BOM is fine) or UTF-16 with its BOM: others, Windows-1252
 * for one, are an Error naming the byte, never letters silently replaced. Every column but the label
 * column is a feature and must hold numbers; anything else is an Error naming the row, the column and
 * the value. Column names must be distinct (a label column that appears twice would leak the answer
 * into the features), and a first column that only numbers the rows (pandas' index, saved by
 * `to_csv()` without `index=False`) is an Error that says so. Rows are read one at a time into one
 * array, so a table of a million rows costs little more than its numbers.
 * @example const data = readCsv('x,y,kind\n0.1,2,cat\n0.5,1,dog\n', { label: 'kind' });
 */
export function readCsv(source: string | Uint8Array, options: ReadCsvOptions): Dataset {
  const fn = 'readCsv';
  let text: string;
  if (source instanceof Uint8Array) text = decodeText(source, fn);
  else if (typeof source === 'string') text = source.replace(/^\uFEFF/, '');
  else throw new Error(`${fn}: text must be a string or the file's bytes (a Uint8Array), got ${describeValue(source)}`);
  if (options === null || typeof options !== 'object') {
    throw new Error(`${fn}: options must be an object with a label column, got ${describeValue(options)}`);
  }
  const { label, header = true, name = 'csv' } = checkOptions<ReadCsvOptions>(fn, options, ['label', 'header', 'name']);
  if (typeof header !== 'boolean') throw new Error(`${fn}: header must be true or false, got ${describeValue(header)}`);
  if (typeof label !== 'number' && !(typeof label === 'string' && header)) {
    throw new Error(`${fn}: label must be a column ${header ? 'name or ' : ''}index${header ? '' : ' (the text has no header)'}, got ${describeValue(label)}`);
  }
  // NOTE: papaparse guesses one line ending for the whole text; a CRLF header over LF rows would read as one row.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');

  let table: CsvTable | null = null;
  let record = 0;
  Papa.parse<string[]>(text, {
    header: false,
    newline: '\n',
    // NOTE: in chunks: on a whole text without quotes, papaparse splits it into every line at once.
    chunkSize: 1 << 20,
    step: (result) => {
      // Rows are counted as a spreadsheet shows them: the first is row 1.
      const rowName = `row ${record + 1}`;
      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      if (quoteError !== undefined) throw new Error(`${fn}: ${quoteError.message.toLowerCase()} at ${rowName}`);
      const cells = result.data;
      // Blank lines (or only separators and spaces) are skipped. NOTE: by hand: papaparse's own
      // skipEmptyLines: 'greedy' made reading a million rows four times slower.
      if (cells.every((cell) => cell.trim() === '')) return;
      if (table === null) {
        table = new CsvTable(fn, header ? cells.map((h) => h.trim()) : cells.map((_, j) => `column ${j}`), label);
        if (header) {
          record++;
          return;
        }
      }
      table.addRow(cells, rowName, record === (header ? 1 : 0));
      record++;
    },
  });
  if (table === null || (table as CsvTable).n === 0) throw new Error(`${fn}: the text holds no data rows`);
  return (table as CsvTable).dataset(name);
}

// The rows of a CSV as they are read: features into one growing Float64Array, labels as indices.
class CsvTable {
  n = 0;
  private x = new Float64Array(1024);
  private readonly classes = new LabelIndex();
  private readonly labelColumn: number;
  private readonly featureColumns: number[];

  constructor(
    private readonly fn: string,
    private readonly columns: string[],
    label: string | number,
  ) {
    const width = columns.length;
    if (typeof label === 'number') {
      if (!Number.isInteger(label) || label < 0 || label >= width) {
        throw new Error(`${fn}: label column index must be an integer in [0, ${width}), got ${describeValue(label)}`);
      }
      this.labelColumn = label;
    } else {
      this.labelColumn = columns.indexOf(label.trim());
      if (this.labelColumn === -1) {
        const shown = columns.slice(0, 20).map(quote).join(', ') + (width > 20 ? `, … (${width} columns)` : '');
        throw new Error(`${fn}: no label column ${quote(label)}; the columns are ${shown}`);
      }
      const again = columns.indexOf(label.trim(), this.labelColumn + 1);
      if (again !== -1) {
        throw new Error(
          `${fn}: the label column ${quote(label)} appears twice (columns ${this.labelColumn + 1} and ${again + 1}); ` +
            `the second would be read as a feature that holds the answer: rename or drop one`,
        );
      }
    }
    checkNames(fn, 'column names', columns);
    if (width < 2) throw new Error(`${fn}: needs the label column and at least one feature column, got ${width} column`);
    this.featureColumns = columns.map((_, j) => j).filter((j) => j !== this.labelColumn);
  }

  addRow(cells: string[], rowName: string, first: boolean): void {
    const { fn, columns, featureColumns } = this;
    if (cells.length !== columns.length) {
      throw new Error(`${fn}: ${rowName} has ${cells.length} fields, expected ${columns.length} like the first row`);
    }
    const dim = featureColumns.length;
    if ((this.n + 1) * dim > this.x.length) {
      const grown = new Float64Array(this.x.length * 2);
      grown.set(this.x);
      this.x = grown;
    }
    for (let k = 0; k < dim; k++) {
      const j = featureColumns[k];
      const cell = cells[j].trim();
      // Plain decimal numbers only: no "" read as 0, no 0x10 read as 16, no Infinity.
      const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(value)) {
        // A first data row's text is likely a text column (a name, a colour), not a typo: say what to do with it.
        const hint = first ? ' (every column but the label is a feature and must hold numbers: drop a text column, or encode it as numbers)' : '';
        throw new Error(`${fn}: ${rowName}, column ${quote(columns[j])}: expected a number, got ${quote(cells[j])}${hint}`);
      }
      this.x[this.n * dim + k] = value;
    }
    const labelText = cells[this.labelColumn].trim();
    if (labelText === '') throw new Error(`${fn}: ${rowName}, label column ${quote(columns[this.labelColumn])} is empty`);
    this.classes.add(labelText);
    this.n++;
  }

  dataset(name: string): Dataset {
    const { fn, n, columns, featureColumns } = this;
    const dim = featureColumns.length;
    const first = featureColumns[0];
    // pandas writes its index as a first column named "" (or "Unnamed: 0" once read back and saved
    // again), R's write.csv as "" numbering from 1: row numbers that a model would learn as a feature.
    if (first === 0 && (columns[0] === '' || /^Unnamed: 0$/.test(columns[0])) && n > 2) {
      const start = this.x[0];
      let counts = start === 0 || start === 1;
      for (let i = 1; counts && i < n; i++) counts = this.x[i * dim] === start + i;
      if (counts) {
        throw new Error(
          `${fn}: the first column ${quote(columns[0])} holds ${start}, ${start + 1}, ${start + 2}, …: the row numbers pandas' ` +
            `to_csv() (or R's write.csv) writes as an index, not a feature; save with index=False (row.names=FALSE), or drop the column`,
        );
      }
    }
    const { classNames, numClasses, y } = this.classes.encode(fn);
    return { x: this.x.slice(0, n * dim), y, n, dim, numClasses, classNames, featureNames: featureColumns.map((j) => columns[j]), name };
  }
}

// Repeated names (two columns called "x") would make every message and plot ambiguous.
function checkNames(fn: string, what: string, names: readonly unknown[]): string[] {
  const seen = new Map<string, number>();
  names.forEach((name, j) => {
    if (typeof name !== 'string') throw new Error(`${fn}: ${what} must be strings, got ${describeValue(name)} at index ${j}`);
    const before = seen.get(name);
    if (before !== undefined) throw new Error(`${fn}: ${what} must be distinct; ${quote(name)} names columns ${before + 1} and ${j + 1}`);
    seen.set(name, j);
  });
  return names as string[];
}

// The label of each row as an index into the distinct labels, in the order first seen.
class LabelIndex {
  private readonly ids = new Map<string, number>();
  private row = new Int32Array(1024);
  private count = 0;

  add(text: string): void {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(text, id);
    }
    if (this.count === this.row.length) {
      const grown = new Int32Array(this.row.length * 2);
      grown.set(this.row);
      this.row = grown;
    }
    this.row[this.count++] = id;
  }

  // Class indices in a deterministic order: numerically when every label is a number (or a numeral),
  // else by code units, so "10" sorts after "9" only where all labels are numbers. Two spellings of one
  // number (1 and 1.0) would be one class or two depending on the rest: an Error.
  encode(fn: string): { classNames: string[]; numClasses: number; y: Int32Array } {
    const distinct = [...this.ids.keys()];
    const asNumber = (t: string): number => (t.trim() === '' ? NaN : Number(t));
    const byValue = new Map<number, string>();
    for (const t of distinct) {
      const v = asNumber(t);
      if (!Number.isFinite(v)) continue;
      const other = byValue.get(v);
      if (other !== undefined) {
        throw new Error(`${fn}: labels ${quote(other)} and ${quote(t)} are the same number written two ways: write each class one way`);
      }
      byValue.set(v, t);
    }
    if (distinct.length < 2) {
      throw new Error(`${fn}: labels must name at least 2 classes, got only ${distinct.length === 0 ? 'none' : quote(distinct[0])}`);
    }
    const numeric = byValue.size === distinct.length;
    const sorted = distinct.slice().sort(numeric ? (a, b) => asNumber(a) - asNumber(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const classOf = new Int32Array(distinct.length);
    sorted.forEach((t, c) => (classOf[this.ids.get(t) as number] = c));
    const y = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) y[i] = classOf[this.row[i]];
    return { classNames: sorted, numClasses: sorted.length, y };
  }
}
