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
  // The user called readCsv, so the message names readCsv (it used to name fromRows, which readCsv called).
  throwsWith(() => readCsv('a,kind\n1,x\n2,x\n', { label: 'kind' }), ['readCsv: labels must name at least 2 classes, got only "x"']);
  throwsWith(() => readCsv(42 as unknown as string, { label: 'kind' }), ["readCsv: text must be a string or the file's bytes (a Uint8Array), got 42"]);
  throwsWith(() => readCsv('a,b\n1,2\n', null as never), ['readCsv: options must be an object with a label column']);
  // Options are checked as everywhere in the library: a pandas user's header=None is not silently ignored.
  throwsWith(() => readCsv('a,b\n1,2\n', { label: 'b', sep: ';' } as never), ['readCsv: unknown option "sep"', '"label", "header", "name"']);
  throwsWith(() => readCsv('a,b\n1,2\n', { label: 'b', header: 'no' } as never), ['readCsv: header must be true or false, got "no"']);
  throwsWith(() => fromRows([[1], [2]], ['a', 'b'], { labels: 1 } as never), ['fromRows: unknown option "labels"']);
});


// ---- issue 18: what the suite let through, and what a user's own files hold ----

test('readCsv: only plain decimal numbers are numbers: an empty cell is not 0, 0x10 is not 16, Infinity is not a number', () => {
  throwsWith(() => readCsv('a,kind\n1,x\n,y\n', { label: 'kind' }), ['readCsv: row 3, column "a": expected a number, got ""']);
  throwsWith(() => readCsv('a,kind\n1,x\n0x10,y\n', { label: 'kind' }), ['readCsv: row 3, column "a": expected a number, got "0x10"']);
  throwsWith(() => readCsv('a,kind\n1,x\nInfinity,y\n', { label: 'kind' }), ['row 3, column "a": expected a number, got "Infinity"']);
  throwsWith(() => readCsv('a,kind\n1,x\n1e999,y\n', { label: 'kind' }), ['row 3, column "a": expected a number, got "1e999"']);
  // The accepted forms, for contrast.
  assert.equal(Array.from(readCsv('a,kind\n+.5,x\n-2.,y\n3E2,y\n', { label: 'kind' }).x), [0.5, -2, 300]);
});

test('readCsv: header names are trimmed, so " kind " is the column kind and the feature is "a", not " a "', () => {
  const data = readCsv(' a , kind \n1,x\n2,y\n', { label: 'kind' });
  assert.equal(data.featureNames, ['a']);
  assert.equal(data.classNames, ['x', 'y']);
});

test('readCsv: a row with more fields than the header is an Error, not silently cut', () => {
  throwsWith(() => readCsv('a,kind\n1,x\n2,y,extra\n', { label: 'kind' }), ['readCsv: row 3 has 3 fields, expected 2 like the first row']);
});

test('readCsv: a CRLF header over LF rows, and old Mac CR line endings, read as rows', () => {
  const mixed = readCsv('a,b,kind\r\n1,2,x\n3,4,y\n', { label: 'kind' });
  assert.equal([mixed.n, mixed.dim], [2, 2]);
  assert.equal(Array.from(mixed.x), [1, 2, 3, 4]);
  assert.equal(readCsv('a,kind\r1,x\r2,y\r', { label: 'kind' }).n, 2);
});

test('readCsv: repeated column names are an Error; a label column that appears twice says the answer would leak', () => {
  throwsWith(() => readCsv('x,label,label\n1,a,a\n2,b,b\n', { label: 'label' }), [
    'readCsv: the label column "label" appears twice (columns 2 and 3)',
    'holds the answer',
  ]);
  throwsWith(() => readCsv('x,x,label\n1,2,a\n2,3,b\n', { label: 'label' }), ['readCsv: column names must be distinct; "x" names columns 1 and 2']);
  // Trimmed names are compared: " x" and "x" are one name.
  throwsWith(() => readCsv('x, x,label\n1,2,a\n2,3,b\n', { label: 2 }), ['"x" names columns 1 and 2']);
});

test('labels that are one number written two ways (1 and 1.0) are an Error, not two classes', () => {
  throwsWith(() => readCsv('a,kind\n1,1\n2,1.0\n3,2\n4,2.0\n', { label: 'kind' }), ['readCsv: labels "1" and "1.0" are the same number written two ways']);
  throwsWith(() => fromRows([[1], [2], [3]], [1, '1.0', 2]), ['fromRows: labels "1" and "1.0" are the same number']);
  // The number 1 and the text "1" are one spelling: one class.
  assert.equal(fromRows([[1], [2], [3]], [1, '1', 2]).classNames, ['1', '2']);
});

test('a 5 MB bad cell gives a message of readable length', () => {
  const huge = 'z'.repeat(5_000_000);
  try {
    readCsv(`a,kind\n1,x\n${huge},y\n`, { label: 'kind' });
    assert.unreachable('no error');
  } catch (error) {
    const message = (error as Error).message;
    assert.ok(message.startsWith('readCsv: row 3, column "a": expected a number, got "zzz'), message.slice(0, 100));
    assert.ok(message.length < 200, `a message of ${message.length} characters`);
    assert.ok(message.includes('…"'), 'the cut is marked by an ellipsis');
  }
  throwsWith(() => readCsv(`a,kind\n1,x\n2,y\n`, { label: 'k'.repeat(1e6) }), ['readCsv: no label column "kkk']);
});

test("readCsv: pandas' saved index (a first column \"\" or \"Unnamed: 0\" holding 0, 1, 2, …) is an Error that says so", () => {
  const rows = (first: (i: number) => number): string => [0, 1, 2, 3].map((i) => `${first(i)},${i * 0.5},${i % 2 ? 'a' : 'b'}`).join('\n');
  throwsWith(() => readCsv(`,x,kind\n${rows((i) => i)}\n`, { label: 'kind' }), [
    'readCsv: the first column "" holds 0, 1, 2, …',
    "pandas' to_csv()",
    'index=False',
  ]);
  throwsWith(() => readCsv(`Unnamed: 0,x,kind\n${rows((i) => i)}\n`, { label: 'kind' }), ['the first column "Unnamed: 0" holds 0, 1, 2']);
  // R's write.csv numbers rows from 1.
  throwsWith(() => readCsv(`,x,kind\n${rows((i) => i + 1)}\n`, { label: 'kind' }), ['holds 1, 2, 3, …']);
  // A first column of other numbers, or a named one that counts, is a feature.
  assert.is(readCsv(`,x,kind\n${rows((i) => 2 * i)}\n`, { label: 'kind' }).dim, 2);
  assert.is(readCsv(`id,x,kind\n${rows((i) => i)}\n`, { label: 'kind' }).dim, 2);
});

test('fromRows: a hole in the rows, in a row or in the labels is an Error, not a 0 or a class named "undefined"', () => {
  const holeRow: number[][] = [[1], [2], [3]];
  delete holeRow[1];
  throwsWith(() => fromRows(holeRow, ['a', 'b', 'a']), ['fromRows: row 1 must hold 1 numbers like row 0, got a hole']);
  const holeCell = [[1, 2], [3, 4]];
  delete holeCell[1][0];
  throwsWith(() => fromRows(holeCell, ['a', 'b']), ['fromRows: row 1, column 0 (x1) must be a finite number, got a hole']);
  const holeLabel = ['a', 'b', 'a'];
  delete holeLabel[2];
  throwsWith(() => fromRows([[1], [2], [3]], holeLabel), ['fromRows: label of row 2 must be a finite number or a non-empty string, got a hole']);
  throwsWith(() => fromRows([[1, 2]], ['a'], { featureNames: ['p', 'p'] }), ['fromRows: featureNames must be distinct; "p" names columns 1 and 2']);
  throwsWith(() => fromRows([[1]], ['a'], { featureNames: [3 as unknown as string] }), ['fromRows: featureNames must be strings, got 3']);
});

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

test('readCsv on bytes: UTF-8 with or without its BOM, UTF-16 LE and BE with their BOM', () => {
  const text = 'x,kind\n1,café\n2,cafè\n';
  assert.equal(readCsv(utf8(text), { label: 'kind' }).classNames, ['cafè', 'café']);
  assert.equal(readCsv(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8(text)), { label: 'kind' }).classNames, ['cafè', 'café']);
  const units = Array.from(text, (c) => c.charCodeAt(0));
  const le = Uint8Array.of(0xff, 0xfe, ...units.flatMap((u) => [u & 0xff, u >> 8]));
  const be = Uint8Array.of(0xfe, 0xff, ...units.flatMap((u) => [u >> 8, u & 0xff]));
  assert.equal(readCsv(le, { label: 'kind' }).classNames, ['cafè', 'café']);
  assert.equal(readCsv(be, { label: 'kind' }).featureNames, ['x']);
});

test('readCsv on bytes: Windows-1252 is an Error naming the byte and the encoding (café and cafè never merge)', () => {
  // "x,kind\n1,caf" is 12 bytes; é is 0xE9 in Windows-1252, è 0xE8.
  const bytes = Uint8Array.of(...utf8('x,kind\n1,caf'), 0xe9, ...utf8('\n2,caf'), 0xe8, 0x0a);
  throwsWith(() => readCsv(bytes, { label: 'kind' }), ['readCsv: byte 12 (0xE9 ("é" in Windows-1252)) is not UTF-8', 'Windows-1252', 'CSV UTF-8']);
  // A curly quote from Excel (0x93 “) is named as such.
  throwsWith(() => readCsv(Uint8Array.of(...utf8('x,kind\n1,'), 0x93, 0x0a), { label: 'kind' }), ['byte 9 (0x93 ("“" in Windows-1252))']);
  // A truncated UTF-8 sequence at the end, an overlong form and a surrogate's encoding are not UTF-8 either.
  throwsWith(() => readCsv(Uint8Array.of(...utf8('x,kind\n1,a\n2,'), 0xc3), { label: 'kind' }), ['byte 13 (0xC3']);
  throwsWith(() => readCsv(Uint8Array.of(...utf8('x,kind\n1,'), 0xc0, 0xaf), { label: 'kind' }), ['byte 9 (0xC0']);
  throwsWith(() => readCsv(Uint8Array.of(...utf8('x,kind\n1,'), 0xed, 0xa0, 0x80), { label: 'kind' }), ['byte 9 (0xED']);
});

test('readCsv on bytes: UTF-16 without its BOM, and a binary file, are Errors that say which', () => {
  const units = Array.from('x,kind\n1,a\n2,b\n', (c) => c.charCodeAt(0));
  throwsWith(() => readCsv(Uint8Array.from(units.flatMap((u) => [u, 0])), { label: 'kind' }), ['readCsv: byte 1 is 0 (NUL): the file looks like UTF-16 LE text without its byte-order mark']);
  throwsWith(() => readCsv(Uint8Array.from(units.flatMap((u) => [0, u])), { label: 'kind' }), ['looks like UTF-16 BE']);
  throwsWith(() => readCsv(Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0, 9, 9, 9, 9), { label: 'kind' }), ['readCsv: byte 4 is 0 (NUL): a binary file, not CSV text']);
  // A UTF-16 BOM over an odd number of bytes.
  throwsWith(() => readCsv(Uint8Array.of(0xff, 0xfe, 0x41), { label: 'kind' }), ['readCsv: the file starts with a UTF-16LE byte-order mark but is not valid UTF-16LE']);
});

test('readCsv: a quoted label with a line break, lying across the 1 MiB chunks the text is parsed in, stays one field', () => {
  const filler = '1,a\n'.repeat(Math.floor((1 << 20) / 4) - 3);
  // The chunk boundary (byte 2^20) falls on the c after the quoted line break.
  assert.is(`x,kind\n${filler}2,"b\n`.length, 1 << 20);
  const text = `x,kind\n${filler}2,"b\nc"\n3,a\n`;
  const data = readCsv(text, { label: 'kind' });
  assert.equal(data.classNames, ['a', 'b\nc']);
  assert.is(data.n, filler.length / 4 + 2);
  assert.equal(Array.from(data.x.subarray(-2)), [2, 3]);
});

test.run();
