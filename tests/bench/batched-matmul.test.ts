// bench/batched-matmul.ts: it runs, prints one line per pair, and refuses a bad --rounds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The child's coverage goes to a throwaway folder (see tests/bench/bench.test.ts for why).
const env = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-')) };
const run = (args: string[]): ReturnType<typeof spawnSync> =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bench/batched-matmul.ts', ...args], { cwd: ROOT, encoding: 'utf8', env });

test('one round: six lines, each with both GFLOP/s figures and their ratio', () => {
  const child = run(['--rounds', '1']);
  assert.is(child.status, 0, String(child.stderr));
  const lines = String(child.stdout).trim().split('\n');
  assert.is(lines.length, 6, String(child.stdout));
  for (const line of lines) {
    assert.match(line, /^\[[\d,]+\]·\[[\d,]+\] vs .+: batched \d+\.\d\d GFLOP\/s, flat \d+\.\d\d GFLOP\/s, per-flop speed ratio batched\/flat \d+\.\d{3}$/);
  }
});

test('a bad --rounds is a usage error (exit 2)', () => {
  const child = run(['--rounds', '0']);
  assert.is(child.status, 2);
  assert.match(String(child.stderr), /batched-matmul: --rounds must be a positive integer/);
});

test.run();
