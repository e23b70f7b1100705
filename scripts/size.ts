// npm run size: the minified and the minified + gzipped size of each package entry, from dist/ (npm run build first).
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './paths.js';

// focalgrad/train imports the root bundle: it is measured on its own, as what it adds to the root,
// without and with its one dependency (papaparse, which a browser bundle would carry along).
const ENTRIES = [
  { name: 'focalgrad', file: 'dist/index.js', external: [] },
  { name: 'focalgrad/train', file: 'dist/train.js', external: ['./index.js', 'papaparse'] },
  { name: '  + papaparse', file: 'dist/train.js', external: ['./index.js'] },
];

for (const { name, file, external } of ENTRIES) {
  const { outputFiles } = await build({
    entryPoints: [join(ROOT, file)],
    bundle: true,
    minify: true,
    format: 'esm',
    // NOTE: what a browser bundle gets (papaparse leaves its Node stream code out there).
    platform: 'browser',
    external,
    write: false,
    logLevel: 'warning',
  });
  const code = outputFiles[0].contents;
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  // NOTE: gzip at zlib's default level 6, what most servers use.
  console.log(`${name.padEnd(16)} min ${kib(code.length).padStart(9)}   min+gz ${kib(gzipSync(code).length).padStart(9)}`);
}
