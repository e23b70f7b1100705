// Tests for train/rows.ts: fromRows and readCsv — class order, names kept, and an Error naming the row, the column and the value for anything else.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromRows, readCsv } from '../../train/index.js';
import { throwsWith } from './helpers.js';

test('fromRows: string labels become classes in code-unit order, names kept; features row-major', () => {
  const data = fromRows([[1, 2], [3, 4], [5, 6], [7, 8]], ['zebra', 'ant', 'zebra', 'Moth']);
  // 'M' (77) sorts before 'a' (97) and 'z' (122), as numpy.unique sorts strings.
  assert.equal(data.classNames, ['Moth', 'ant', 'zebra']);
  assert.equal(Array.from(data.y), [2, 1, 2, 0]);
  assert.equal(Array.from(data.x), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal([data.n, data.dim, data.numClasses], [4, 2, 3]);
  assert.equal(data.featureNames, ['x1', 'x2']);
  assert.is(data.name, 'rows');
});

test('fromRows: numeric labels (numbers or numerals) sort as numbers, so 10 comes after 9', () => {
  assert.equal(fromRows([[0], [1], [2]], [10, 9, 2]).classNames, ['2', '9', '10']);
  assert.equal(fromRows([[0], [1], [2]], ['10', '9', '-1']).classNames, ['-1', '9', '10']);
  // One string among numerals: every label is text, in code-unit order.
  assert.equal(fromRows([[0], [1], [2]], ['10', '9', 'x']).classNames, ['10', '9', 'x']);
});

test('fromRows: bad rows and labels are Errors naming the row, the column and the value', () => {
  throwsWith(() => fromRows([], []), ['fromRows: features must be a non-empty array of rows']);
  throwsWith(() => fromRows([[1], [2]], ['a']), ['fromRows: labels must hold one label per row (2)']);
  throwsWith(() => fromRows([[1, 2], [3]], ['a', 'b']), ['fromRows: row 1 must hold 2 numbers like row 0']);
  throwsWith(() => fromRows([[1, 2], [3, NaN]], ['a', 'b']), ['fromRows: row 1, column 1 (x2) must be a finite number, got NaN']);
  throwsWith(() => fromRows([[1], ['2' as unknown as number]], ['a', 'b']), ['row 1, column 0', 'got "2"']);
  throwsWith(() => fromRows([[1], [2]], ['a', '']), ['fromRows: label of row 1 must be a finite number or a non-empty string, got ""']);
  throwsWith(() => fromRows([[1], [2]], ['a', 'a']), ['fromRows: labels must name at least 2 classes, got only "a"']);
  throwsWith(() => fromRows([[1], [2]], ['a', 'b'], { featureNames: ['p', 'q'] }), ['featureNames must hold one name per feature (1), got 2']);
});

test('readCsv: a header row, the label column by name anywhere, quoted fields, CRLF, a BOM and blank lines', () => {
  const text = '\uFEFFwidth,"kind, of animal",height\r\n1.5,"ant",2\r\n\r\n-3e-1,"zebra, plains",4\r\n 7 ,ant, 8 \r\n';
  const data = readCsv(text, { label: 'kind, of animal', name: 'animals.csv' });
  assert.equal(data.classNames, ['ant', 'zebra, plains']);
  assert.equal(Array.from(data.y), [0, 1, 0]);
  assert.equal(Array.from(data.x), [1.5, 2, -0.3, 4, 7, 8]);
  assert.equal(data.featureNames, ['width', 'height']);
  assert.is(data.name, 'animals.csv');
});

test('readCsv: without a header the label is a 0-based column index', () => {
  const data = readCsv('1,2,b\n3,4,a\n', { label: 2, header: false });
  assert.equal(data.classNames, ['a', 'b']);
  assert.equal(Array.from(data.x), [1, 2, 3, 4]);
  assert.equal(data.featureNames, ['column 0', 'column 1']);
  throwsWith(() => readCsv('1,2,b\n3,4,a\n', { label: 'kind', header: false }), ['readCsv: label must be a column index (the text has no header), got "kind"']);
  throwsWith(() => readCsv('1,2,b\n3,4,a\n', { label: 3, header: false }), ['readCsv: label column index must be an integer in [0, 3), got 3']);
});

test('readCsv: a text feature, a missing label column, a ragged row, an empty label: Errors that say where and what', () => {
  const text = 'a,b,kind\n1,2,x\n3,oops,y\n';
  throwsWith(() => readCsv(text, { label: 'kind' }), ['readCsv: row 3, column "b": expected a number, got "oops"']);
  // Text in the first data row is a text column (an id, a colour), not a typo: the message says what to do.
  throwsWith(() => readCsv('a,color,kind\n1,red,x\n', { label: 'kind' }), ['readCsv: row 2, column "color": expected a number, got "red" (every column but the label is a feature and must hold numbers: drop a text column']);
  assert.throws(() => readCsv(text, { label: 'kind' }), (error: Error) => !error.message.includes('drop a text column'), 'a later row is a typo, not a text column');
  throwsWith(() => readCsv(text, { label: 'class' }), ['readCsv: no label column "class"; the columns are "a", "b", "kind"']);
  throwsWith(() => readCsv('a,b,kind\n1,2,x\n3,4\n', { label: 'kind' }), ['readCsv: row 3 has 2 fields, expected 3 like the first row']);
  throwsWith(() => readCsv('a,kind\n1,x\n2, \n', { label: 'kind' }), ['readCsv: row 3, label column "kind" is empty']);
  throwsWith(() => readCsv('a,kind\n', { label: 'kind' }), ['readCsv: the text holds no data rows']);
  throwsWith(() => readCsv('a,kind\n1,"x\n', { label: 'kind' }), ['readCsv:', 'quote']);
  throwsWith(() => readCsv('kind\nx\ny\n', { label: 'kind' }), ['readCsv: needs the label column and at least one feature column']);
  throwsWith(() => readCsv('a,kind\n1,x\n2,x\n', { label: 'kind' }), ['fromRows: labels must name at least 2 classes']);
  throwsWith(() => readCsv(42 as unknown as string, { label: 'kind' }), ['readCsv: text must be a string, got 42']);
  throwsWith(() => readCsv('a,b\n1,2\n', null as never), ['readCsv: options must be an object with a label column']);
  // Options are checked as everywhere in the library: a pandas user's header=None is not silently ignored.
  throwsWith(() => readCsv('a,b\n1,2\n', { label: 'b', sep: ';' } as never), ['readCsv: unknown option "sep"', '"label", "header", "name"']);
  throwsWith(() => readCsv('a,b\n1,2\n', { label: 'b', header: 'no' } as never), ['readCsv: header must be true or false, got "no"']);
  throwsWith(() => fromRows([[1], [2]], ['a', 'b'], { labels: 1 } as never), ['fromRows: unknown option "labels"']);
});

test.run();
