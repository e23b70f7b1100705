// The bench scripts run as a user runs them, in a child process under tsx: the one spawn their tests share.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a script ended, and what it printed. */
export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` (a path from the repository's root) with `args` under tsx and waits for it. */
// NOTE: the child's V8 coverage goes to a throwaway folder, removed after it: c8 would merge its differently
// transpiled copy of the same files with this process's, and the merged line counts come out wrong.
// (Node hands NODE_V8_COVERAGE to every child unless the child's env sets it explicitly.)
export function runScript(script: string, args: readonly string[]): ScriptRun {
  const coverage = mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-'));
  try {
    const env = { ...process.env, NODE_V8_COVERAGE: coverage };
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, encoding: 'utf8', env });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
  } finally {
    rmSync(coverage, { recursive: true, force: true });
  }
}

/** Asserts that a script ended as a usage error: exit 2 and this one line on stderr. */
export function assertUsageError(run: ScriptRun, line: string): void {
  assert.is(run.status, 2, run.stderr);
  assert.is(run.stderr.trim(), line);
}
