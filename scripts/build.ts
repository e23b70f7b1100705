// Builds the library for users: one ESM bundle (dist/index.js) plus type declarations.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['index.ts'],
  bundle: true,
  format: 'esm',
  // NOTE: 'neutral' proves the library needs nothing from Node: it must run in a browser as is.
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  outfile: 'dist/index.js',
  logLevel: 'warning',
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/index.js and dist/index.d.ts');
