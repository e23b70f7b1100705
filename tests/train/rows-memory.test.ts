// readCsv on a million rows, in a process of its own, so that its peak memory is its own (issue 18: it took 750 MB).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// The child writes a 40 MB CSV of 1e6 rows (four features and a label) in blocks, reads it back as bytes
// and prints its peak resident memory from before the read and after it.
const CHILD = `
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readCsv } from './train/index.ts';
const path = process.argv[1];
const fd = openSync(path, 'w');
writeSync(fd, 'a,b,c,d,kind\\n');
for (let k = 0; k < 1000; k++) {
  const rows = Array.from({ length: 1000 }, (_, i) => (k * 1000 + i) % 7 + ',' + (i % 13) + '.25,-' + (i % 5) + '.5,' + i * 1e-3 + ',' + (i % 3 === 0 ? 'cat' : 'dog'));
  writeSync(fd, rows.join('\\n') + '\\n');
}
closeSync(fd);
const data = readCsv(readFileSync(path), { label: 'kind' });
console.log(JSON.stringify({ n: data.n, dim: data.dim, counts: [data.y.filter((c) => c === 0).length], peakMB: process.resourceUsage().maxRSS / 1024 }));
`;

test('readCsv reads a CSV of 1e6 rows in under 500 MB (peak resident memory of the whole process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-million-'));
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, join(dir, 'million.csv')], {
      cwd: ROOT,
      encoding: 'utf8',
      // NOTE: the child's coverage goes to a throwaway folder (see tests/scripts/train-cli.test.ts for why).
      env: { ...process.env, NODE_V8_COVERAGE: join(dir, 'coverage') },
      timeout: 240_000,
    });
    assert.is(child.status, 0, child.stderr);
    const report = JSON.parse(child.stdout) as { n: number; dim: number; counts: number[]; peakMB: number };
    assert.equal([report.n, report.dim], [1_000_000, 4]);
    // 'cat' is every third row of each block of 1000: 334 per block.
    assert.equal(report.counts, [334_000]);
    assert.ok(report.peakMB < 500, `peak ${report.peakMB.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
