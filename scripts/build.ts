// npm run build (also prepack / prepare): the package's dist/ — ESM and CommonJS bundles of the root
// (engine + losses + models) and of focalgrad/train, their .d.ts files, and the `focalgrad` command.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Plugin, build } from 'esbuild';
import { ROOT } from './paths.js';

const DIST = join(ROOT, 'dist');

// train/ imports the engine, the losses and the models through their index.ts: in the train bundle those
// imports become imports of the root bundle, so that `focalgrad/train` and `focalgrad` share one Tensor
// and one MLP class (instanceof holds across the two entries) and the code ships once.
function rootAsExternal(rootFile: string): Plugin {
  const indexes = ['engine', 'losses', 'models'].map((folder) => join(ROOT, folder, 'index.ts'));
  return {
    name: 'root-as-external',
    setup(b) {
      b.onResolve({ filter: /\/index\.js$/ }, (args) => {
        const target = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        return indexes.includes(target) ? { path: rootFile, external: true } : undefined;
      });
    },
  };
}

// The package's own dependencies (papaparse, for readCsv) stay imports: npm installs them beside it.
const dependencies = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {});

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  external: dependencies,
  // NOTE: 'neutral' proves the library needs nothing from Node: it must run in a browser as is.
  platform: 'neutral',
  target: 'es2022',
  logLevel: 'warning',
} as const;

rmSync(DIST, { recursive: true, force: true });
for (const [format, dir] of [
  ['esm', DIST],
  ['cjs', join(DIST, 'cjs')],
] as const) {
  await build({ ...common, format, entryPoints: ['index.ts'], outfile: join(dir, 'index.js') });
  await build({ ...common, format, entryPoints: ['train/index.ts'], outfile: join(dir, 'train.js'), plugins: [rootAsExternal('./index.js')] });
}
// Node reads dist/cjs/*.js as CommonJS, and TypeScript reads dist/cjs/**/*.d.ts as CommonJS typings (a
// `require` of an ESM-typed package is TS1479 under moduleResolution node16).
writeFileSync(join(DIST, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

// The `focalgrad` command: one self-contained Node script.
await build({
  ...common,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  entryPoints: ['scripts/focalgrad.ts'],
  outfile: join(DIST, 'cli.js'),
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(join(DIST, 'cli.js'), 0o755);

execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
for (const folder of ['engine', 'losses', 'models', 'train']) {
  mkdirSync(join(DIST, 'cjs', folder), { recursive: true });
  cpSync(join(DIST, folder), join(DIST, 'cjs', folder), { recursive: true });
}
cpSync(join(DIST, 'index.d.ts'), join(DIST, 'cjs', 'index.d.ts'));
console.log('built dist/: index.js, train.js, cjs/index.js, cjs/train.js, cli.js and their .d.ts files');
