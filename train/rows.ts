// Datasets from a user: fromRows (arrays of numbers and labels) and readCsv (CSV text, parsed with papaparse).
import Papa from 'papaparse';
import { checkOptions, describeValue } from '../engine/index.js';
import type { Dataset } from './data.js';

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

/**
 * A Dataset from rows of numbers and one label per row. Labels may be numbers or strings; the classes
 * are the distinct labels, numbers in increasing order, strings in code-unit order (like numpy.unique,
 * so the same data always gives the same class indices); their names are the labels as text.
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
  const featureNames = names ?? Array.from({ length: dim }, (_, j) => `x${j + 1}`);
  if (featureNames.length !== dim) {
    throw new Error(`${fn}: featureNames must hold one name per feature (${dim}), got ${featureNames.length}`);
  }
  const x = new Float64Array(features.length * dim);
  features.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== dim) {
      throw new Error(`${fn}: row ${i} must hold ${dim} numbers like row 0, got ${describeValue(row)}`);
    }
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new Error(`${fn}: row ${i}, column ${j} (${featureNames[j]}) must be a finite number, got ${describeValue(v)}`);
      }
      x[i * dim + j] = v;
    });
  });
  labels.forEach((label, i) => {
    if (!((typeof label === 'number' && Number.isFinite(label)) || (typeof label === 'string' && label !== ''))) {
      throw new Error(`${fn}: label of row ${i} must be a finite number or a non-empty string, got ${describeValue(label)}`);
    }
  });
  const { classNames, y } = encodeLabels(labels);
  if (classNames.length < 2) {
    throw new Error(`${fn}: labels must name at least 2 classes, got only ${JSON.stringify(classNames[0])}`);
  }
  return { x, y, n: features.length, dim, numClasses: classNames.length, classNames, featureNames: [...featureNames], name };
}

/**
 * A Dataset from CSV text (RFC 4180: quoted fields, CRLF or LF; blank lines skipped): every column but
 * the label column is a feature and must hold numbers; anything else is an Error naming the row, the
 * column and the value. A missing label column is an Error listing the columns there are.
 * @example const data = readCsv('x,y,kind\n0.1,2,cat\n0.5,1,dog\n', { label: 'kind' });
 */
export function readCsv(text: string, options: ReadCsvOptions): Dataset {
  const fn = 'readCsv';
  if (typeof text !== 'string') throw new Error(`${fn}: text must be a string, got ${describeValue(text)}`);
  if (options === null || typeof options !== 'object') {
    throw new Error(`${fn}: options must be an object with a label column, got ${describeValue(options)}`);
  }
  const { label, header = true, name = 'csv' } = checkOptions<ReadCsvOptions>(fn, options, ['label', 'header', 'name']);
  if (typeof header !== 'boolean') throw new Error(`${fn}: header must be true or false, got ${describeValue(header)}`);
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError !== undefined) {
    throw new Error(`${fn}: ${quoteError.message.toLowerCase()} at row ${(quoteError.row ?? 0) + 1}`);
  }
  const table = parsed.data;
  const firstData = header ? 1 : 0;
  if (table.length <= firstData) throw new Error(`${fn}: the text holds no data rows`);
  const width = table[0].length;
  const columns = header ? table[0].map((h) => h.trim()) : Array.from({ length: width }, (_, j) => `column ${j}`);

  let labelColumn: number;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < 0 || label >= width) {
      throw new Error(`${fn}: label column index must be an integer in [0, ${width}), got ${describeValue(label)}`);
    }
    labelColumn = label;
  } else if (typeof label === 'string' && header) {
    labelColumn = columns.indexOf(label.trim());
    if (labelColumn === -1) {
      throw new Error(`${fn}: no label column ${JSON.stringify(label)}; the columns are ${columns.map((c) => JSON.stringify(c)).join(', ')}`);
    }
  } else {
    throw new Error(
      `${fn}: label must be a column ${header ? 'name or ' : ''}index${header ? '' : ' (the text has no header)'}, got ${describeValue(label)}`,
    );
  }
  if (width < 2) throw new Error(`${fn}: needs the label column and at least one feature column, got ${width} column`);

  const featureColumns = columns.map((_, j) => j).filter((j) => j !== labelColumn);
  const features: number[][] = [];
  const labels: string[] = [];
  for (let r = firstData; r < table.length; r++) {
    const cells = table[r];
    // Rows are counted as a spreadsheet shows them: the header is row 1.
    const rowName = `row ${r + 1}`;
    if (cells.length !== width) {
      throw new Error(`${fn}: ${rowName} has ${cells.length} fields, expected ${width} like the first row`);
    }
    features.push(
      featureColumns.map((j) => {
        const cell = cells[j].trim();
        const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cell) ? Number(cell) : NaN;
        if (!Number.isFinite(value)) {
          // A first data row's text is likely a text column (a name, a colour), not a typo: say what to do with it.
          const hint = r === firstData ? ' (every column but the label is a feature and must hold numbers: drop a text column, or encode it as numbers)' : '';
          throw new Error(`${fn}: ${rowName}, column ${JSON.stringify(columns[j])}: expected a number, got ${JSON.stringify(cells[j])}${hint}`);
        }
        return value;
      }),
    );
    const labelText = cells[labelColumn].trim();
    if (labelText === '') throw new Error(`${fn}: ${rowName}, label column ${JSON.stringify(columns[labelColumn])} is empty`);
    labels.push(labelText);
  }
  return fromRows(features, labels, { featureNames: featureColumns.map((j) => columns[j]), name });
}

// Class indices in a deterministic order: numerically when every label is a number (or a numeral),
// else by code units, so "10" sorts after "9" only where all labels are numbers.
function encodeLabels(labels: readonly (string | number)[]): { classNames: string[]; y: Int32Array } {
  const texts = labels.map(String);
  const distinct = [...new Set(texts)];
  const numeric = distinct.every((t) => Number.isFinite(Number(t)) && t.trim() !== '');
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((name, c) => [name, c]));
  return { classNames: distinct, y: Int32Array.from(texts, (t) => index.get(t) as number) };
}
