// Runs a TypeScript entry point (scripts/train.ts, scripts/bench.ts) as one esbuild bundle.
// NOTE: the bundle runs the engine about twice as fast as tsx's per-file loading (which puts an
// accessor between modules on every cross-file call), and the speed is what users of
// `npm run train` and `npm run bench` see, so those run bundled; the tests keep using tsx.
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: node scripts/run.mjs ENTRY.ts [args...]');
  process.exit(2);
}
const outDir = resolve('node_modules/.cache/focalgrad');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `${basename(entry, '.ts')}.mjs`);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  outfile,
  logLevel: 'warning',
});
// The script reads its flags from process.argv.slice(2), as if it had been started directly.
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
