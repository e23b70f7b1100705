// scripts/output.ts's atomic writer and scripts/progress.ts's bar, on their own (the run directory's policy is
// tested through the command, in train-safety.test.ts).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeAtomic } from '../../scripts/output.js';
import { Progress, bar } from '../../scripts/progress.js';

function withDir(body: (dir: string) => void): () => void {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'focalgrad-output-'));
    try {
      body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'writeAtomic writes a new file, replaces an old one whole, and leaves no temporary file',
  withDir((dir) => {
    const path = join(dir, 'latest.json');
    writeAtomic(path, 'first\n');
    assert.is(readFileSync(path, 'utf8'), 'first\n');
    writeAtomic(path, Uint8Array.of(0x6f, 0x6b));
    assert.is(readFileSync(path, 'utf8'), 'ok');
    assert.equal(readdirSync(dir), ['latest.json']);
  }),
);

test(
  'writeAtomic onto a directory, or into a missing one, throws and leaves everything as it was',
  withDir((dir) => {
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'keep.txt'), 'keep');
    assert.throws(() => writeAtomic(join(dir, 'taken'), 'x'), /EISDIR|ENOTDIR|EEXIST|ENOTEMPTY/);
    assert.throws(() => writeAtomic(join(dir, 'missing', 'file.json'), 'x'), /ENOENT/);
    assert.equal(readdirSync(dir), ['taken']);
    assert.equal(readdirSync(join(dir, 'taken')), ['keep.txt']);
  }),
);

// A stream that records what is written to it, a terminal or not.
function fakeStream(isTTY: boolean, columns = 60): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

test('bar: 24 cells, the filled share rounded, clamped to [0, 1]', () => {
  assert.is(bar(0), `[${'.'.repeat(24)}]`);
  assert.is(bar(0.5), `[${'#'.repeat(12)}${'.'.repeat(12)}]`);
  assert.is(bar(1 / 3), `[${'#'.repeat(8)}${'.'.repeat(16)}]`);
  assert.is(bar(2), `[${'#'.repeat(24)}]`);
  assert.is(bar(-1), bar(0));
});

test('Progress on a terminal: the bar redrawn in place, one column short of the width; a line ends it first', () => {
  const { stream, written } = fakeStream(true, 40);
  const progress = new Progress(stream);
  progress.update('epoch 1/2', 0.5);
  assert.is(written[0], `\r${`${bar(0.5)} epoch 1/2`.padEnd(39)}`);
  progress.update(`epoch 2/2 ${'x'.repeat(50)}`, 1);
  assert.is(written[1].length, 40, 'cut to the width, so that it never wraps');
  progress.line('done');
  assert.equal(written.slice(2), ['\n', 'done\n']);
  progress.end();
  assert.is(written.length, 4, 'no second newline');
});

test('Progress off a terminal: no bar, plain lines only', () => {
  const { stream, written } = fakeStream(false);
  const progress = new Progress(stream);
  assert.is(progress.tty, false);
  progress.update('epoch 1/2', 0.5);
  progress.line('epoch 1/2');
  progress.end();
  assert.equal(written, ['epoch 1/2\n']);
});

test.run();
