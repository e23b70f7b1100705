// bench/matmul-kernels.ts: the steps section runs and prints one line per batch with its noise control,
// and bad flags are usage errors. (The figures are timings: only their format is checked here.)
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
  spawnSync(process.execPath, ['--import', 'tsx', 'bench/matmul-kernels.ts', ...args], { cwd: ROOT, encoding: 'utf8', env });

test('--only steps, one round: a line per batch, each side in ms and its ratio to one thread, the twice-run side among them', () => {
  const child = run(['--only', 'steps', '--rounds', '1']);
  assert.is(child.status, 0, String(child.stderr));
  const lines = String(child.stdout).trim().split('\n');
  assert.equal(
    lines.map((line) => /^MLP step, batch (\d+) /.exec(line)?.[1]),
    ['256', '512', '1024', '2048'],
    String(child.stdout),
  );
  for (const line of lines) {
    assert.match(line, /one thread \d+\.\d{3} ms, one thread again \d+\.\d{3} ms, split from 2\^20 \d+\.\d{3} ms, split from 2\^22 \d+\.\d{3} ms; /);
    assert.match(line, /one thread ÷ one thread again \d+\.\d\d×, split from 2\^20 \d+\.\d\d×, split from 2\^22 \d+\.\d\d×$/);
  }
});

test('bad flags are usage errors (exit 2, one line naming the flag)', () => {
  const badOnly = run(['--only', 'kernels']);
  assert.is(badOnly.status, 2);
  assert.is(String(badOnly.stderr).trim(), 'matmul-kernels: --only takes products, threads or steps, got kernels');
  const badRounds = run(['--rounds', '0']);
  assert.is(badRounds.status, 2);
  assert.is(String(badRounds.stderr).trim(), 'matmul-kernels: --rounds must be a positive integer');
});

test.run();
