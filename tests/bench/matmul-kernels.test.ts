// bench/matmul-kernels.ts: the steps section runs and prints one line per batch with its noise control,
// and bad flags are usage errors. (The figures are timings: only their form is checked here.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertUsageError, runScript } from './spawn.js';

const run = (args: string[]) => runScript('bench/matmul-kernels.ts', args);

test('--only steps, one round: a line per batch, each side in ms and its ratio to one thread, the twice-run side among them', () => {
  const child = run(['--only', 'steps', '--rounds', '1']);
  assert.is(child.status, 0, child.stderr);
  const lines = child.stdout.trim().split('\n');
  assert.equal(
    lines.map((line) => /^MLP step, batch (\d+) /.exec(line)?.[1]),
    ['256', '512', '1024', '2048'],
    child.stdout,
  );
  for (const line of lines) {
    assert.match(line, /one thread \d+\.\d{3} ms, one thread again \d+\.\d{3} ms, split from 2\^20 \d+\.\d{3} ms, split from 2\^22 \d+\.\d{3} ms; /);
    assert.match(line, /one thread ÷ one thread again \d+\.\d\d×, split from 2\^20 \d+\.\d\d×, split from 2\^22 \d+\.\d\d×$/);
  }
});

test('bad flags are usage errors (exit 2, one line naming the flag)', () => {
  assertUsageError(run(['--only', 'kernels']), 'matmul-kernels: --only takes products, threads or steps, got kernels');
  assertUsageError(run(['--rounds', '0']), 'matmul-kernels: --rounds must be a positive integer');
});

test.run();
