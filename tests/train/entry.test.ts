// focalgrad/train is bundled apart from the root: its imports of engine/, losses/ and models/ index.ts become
// imports of the root bundle (scripts/build.ts), so each name it takes from an index must be a root export.
// Internal helpers (checks, describeValue) come from their own modules, and the train bundle keeps a copy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import * as root from '../../index.js';

const trainDir = fileURLToPath(new URL('../../train/', import.meta.url));
const INDEX_IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'\.\.\/(engine|losses|models)\/index\.js'/g;

// The value names (not types) a source file imports from the three indexes.
function indexImports(source: string): string[] {
  const names: string[] = [];
  for (const [, typeOnly, list] of source.matchAll(INDEX_IMPORT)) {
    if (typeOnly) continue;
    for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (entry.startsWith('type ')) continue;
      names.push(entry.split(/\s+as\s+/)[0]);
    }
  }
  return names;
}

test('every value train/ imports from an index is a root export (else dist/train.js fails to load)', () => {
  const files = readdirSync(trainDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 8, `found ${files.join(', ')}`);
  let checked = 0;
  for (const file of files) {
    for (const name of indexImports(readFileSync(join(trainDir, file), 'utf8'))) {
      assert.ok(name in root, `train/${file} imports ${name} from an index, but the root entry does not export it`);
      checked++;
    }
  }
  assert.ok(checked >= 5, `checked ${checked} names`);
});

test('the scan reads value imports and skips types (a negative control)', () => {
  const sample = "import { type Rng, MAX_ELEMENTS, rng as makeRng } from '../engine/index.js';\nimport type { Tensor } from '../engine/index.js';";
  assert.equal(indexImports(sample), ['MAX_ELEMENTS', 'rng']);
  assert.not.ok('MAX_ELEMENTS' in root, 'an internal helper is not a root export, so the first test would catch it');
});

test.run();
