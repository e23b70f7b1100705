// Tests for scripts/read-data.ts: only regular files, and never more than the limit (issue 18: --data /dev/zero read until the process aborted).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readDataFile } from '../../scripts/read-data.js';

function refused(run: () => unknown, fragment: string): void {
  try {
    run();
  } catch (error) {
    assert.ok((error as Error).message.includes(fragment), `"${fragment}" in "${(error as Error).message}"`);
    return;
  }
  assert.unreachable(`no error (expected "${fragment}")`);
}

test('a regular file is read whole, up to and including the limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-read-'));
  try {
    const path = join(dir, 'd.csv');
    const text = 'x,k\n'.repeat(50_000);
    writeFileSync(path, text);
    assert.is(Buffer.from(readDataFile(path, text.length)).toString(), text);
    refused(() => readDataFile(path, text.length - 1), `--data ${path} is larger than ${text.length - 1} bytes`);
    refused(() => readDataFile(path, 10, '--data', '--max-bytes'), 'pass --max-bytes N to read more');
    writeFileSync(path, '');
    assert.is(readDataFile(path, 10).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a device, a directory and a FIFO are refused before any read', () => {
  refused(() => readDataFile('/dev/zero', 1e9), '--data /dev/zero is a device; a CSV file is expected');
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-read-'));
  try {
    refused(() => readDataFile(dir, 1e9), `--data ${dir} is a directory`);
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // Without O_NONBLOCK this open would wait for a writer forever.
    refused(() => readDataFile(fifo, 1e9), `--data ${fifo} is a pipe (FIFO)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file whose size says 0 (as /proc does) is still read, and still cut at the limit', () => {
  const version = readDataFile('/proc/version', 1e6);
  assert.ok(version.length > 0 && Buffer.from(version).toString().startsWith('Linux'));
  refused(() => readDataFile('/proc/self/status', 10), 'is larger than 10 bytes');
});

test.run();
