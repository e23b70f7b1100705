// engine/wasm/kernels.bytes.ts is generated from kernels.wat (npm run build:wasm) and committed: it must be
// what the .wat compiles to today.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bytesModuleSource } from '../../scripts/build-wasm.js';
import { ROOT } from '../../scripts/paths.js';

test('the committed kernels.bytes.ts is the compiled kernels.wat (run `npm run build:wasm` after editing the .wat)', async () => {
  const committed = readFileSync(join(ROOT, 'engine/wasm/kernels.bytes.ts'), 'utf8');
  assert.ok(committed === (await bytesModuleSource()), 'engine/wasm/kernels.bytes.ts is stale: run `npm run build:wasm`');
});

test('both variants are valid modules, and they differ only in whether the memory is shared', async () => {
  const { SHARED, UNSHARED } = await import('../../engine/wasm/kernels.bytes.js');
  const shared = new Uint8Array(Buffer.from(SHARED, 'base64'));
  const unshared = new Uint8Array(Buffer.from(UNSHARED, 'base64'));
  assert.ok(WebAssembly.validate(shared) && WebAssembly.validate(unshared));
  const importsOf = (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  assert.equal(importsOf(shared), importsOf(unshared));
  assert.is(shared.length, unshared.length);
  let differing = 0;
  for (let i = 0; i < shared.length; i++) if (shared[i] !== unshared[i]) differing++;
  assert.is(differing, 1, 'one byte: the memory limits flag');
});

test.run();
