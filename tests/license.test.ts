// The LICENSE file: the MIT text package.json declares, with its copyright line, and shipped in the package (npm adds it to every tarball).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('..', import.meta.url));
const license = readFileSync(new URL('../LICENSE', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { license: string };

test('LICENSE is the MIT License that package.json names, with the copyright of focalgrad contributors, 2026', () => {
  assert.is(pkg.license, 'MIT');
  const lines = license.split('\n');
  assert.is(lines[0], 'MIT License');
  assert.ok(lines.includes('Copyright (c) 2026 focalgrad contributors'));
  // The MIT License's grant and disclaimer (opensource.org/license/mit), read with line breaks as spaces.
  const text = license.replace(/\s+/g, ' ');
  assert.ok(text.includes('Permission is hereby granted, free of charge, to any person obtaining a copy of this software'));
  assert.ok(text.includes('The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.'));
  assert.ok(text.includes('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND'));
});

test('npm pack puts LICENSE in the tarball', () => {
  // --ignore-scripts: the file list, without the prepack build.
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  assert.is(result.status, 0, result.stderr);
  const [packed] = JSON.parse(result.stdout) as { files: { path: string }[] }[];
  assert.ok(packed.files.some((f) => f.path === 'LICENSE'), `files: ${packed.files.map((f) => f.path).join(', ')}`);
});

test.run();
