// Tests for scripts/run.mjs: an entry is bundled once and the bundle reused while its sources are unchanged; an edited source is bundled again.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const childEnv = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-run-coverage-')) };

function run(entry: string): string {
  const child = spawnSync(process.execPath, ['scripts/run.mjs', entry, 'x'], { cwd: ROOT, encoding: 'utf8', env: childEnv, timeout: 60_000 });
  assert.is(child.status, 0, child.stderr);
  return child.stdout;
}

test('run.mjs: reuses the bundle while its inputs are unchanged, and bundles again when one is edited', () => {
  // An entry of its own (in the repository, where its import resolves) that imports a second file.
  const dir = mkdtempSync(join(ROOT, 'tests/scripts/.run-'));
  const entry = join(dir, 'entry.ts');
  const part = join(dir, 'part.ts');
  try {
    writeFileSync(part, "export const word: string = 'one';\n");
    writeFileSync(entry, "import { word } from './part.js';\nconsole.log(word, process.argv.slice(2).join(' '));\n");
    assert.is(run(entry), 'one x\n');
    const cache = join(ROOT, 'node_modules/.cache/focalgrad');
    const manifest = readdirManifest(cache, entry);
    const built = statSync(manifest).mtimeMs;
    assert.is(run(entry), 'one x\n');
    // Unchanged inputs: the manifest (written by every build) is the same file.
    assert.is(statSync(manifest).mtimeMs, built);
    // The same size, another word: only the modification time tells the edit.
    writeFileSync(part, "export const word: string = 'two';\n");
    assert.is(run(entry), 'two x\n');
    rmSync(manifest);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The manifest run.mjs keeps for `entry`: the one JSON file of the cache that names the entry among its inputs.
function readdirManifest(cache: string, entry: string): string {
  const found = readdirSync(cache)
    .filter((name) => name.startsWith('entry-') && name.endsWith('.json'))
    .map((name) => join(cache, name))
    .filter((path) => entry in (JSON.parse(readFileSync(path, 'utf8')) as { inputs: Record<string, string> }).inputs);
  assert.is(found.length, 1);
  return found[0];
}

test.run();
