// The engine's source: no `any` type anywhere in engine/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const engineDir = fileURLToPath(new URL('../../engine/', import.meta.url));
// engine/ and its subfolders (engine/ops/): the rule holds for every file of the engine.
const files = readdirSync(engineDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

const ANY = [/:\s*any\b/, /\bas\s+any\b/, /<any>/, /\bany\[\]/, /<any\s*[,>]/, /\bArray<any>/];

test('engine/ has TypeScript sources to scan', () => {
  assert.ok(files.length >= 8, `found ${files.join(', ')}`);
  assert.ok(files.includes('tensor.ts'));
  assert.ok(files.includes(join('ops', 'matmul.ts')), 'the scan reaches engine/ops/');
});

for (const file of files) {
  test(`engine/${file} has no \`any\` type`, () => {
    const lines = readFileSync(join(engineDir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, ''); // comments may say "any"
      for (const pattern of ANY) {
        assert.not.ok(pattern.test(code), `engine/${file}:${i + 1}: ${line.trim()}`);
      }
    });
  });
}

test('the scan catches each form of `any` (a negative control)', () => {
  for (const sample of ['let a: any = 1;', 'f(x as any)', 'const y = <any>x;', 'let z: any[] = [];', 'Map<any, number>']) {
    assert.ok(ANY.some((p) => p.test(sample)), `missed: ${sample}`);
  }
  for (const sample of ['const anyway = 1;', 'function company(): number', 'many[0]']) {
    assert.not.ok(ANY.some((p) => p.test(sample)), `false alarm: ${sample}`);
  }
});

test.run();
