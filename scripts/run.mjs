// Runs a TypeScript entry point (scripts/train.ts, bench/bench.ts) as one esbuild bundle.
// NOTE: the bundle runs the engine about twice as fast as tsx's per-file loading (which puts an
// accessor between modules on every cross-file call), and the speed is what users of
// `npm run train` and `npm run bench` see, so those run bundled; the tests keep using tsx.
// NOTE: the bundle is imported into this process (no child to forward signals to), and package.json
// starts this file with `exec node ...`, so that the shell npm runs scripts in is replaced by node:
// a SIGTERM or SIGINT that npm forwards reaches the script itself, never a shell that dies and
// leaves the run behind as an orphan.
// NOTE: a manifest beside the bundle lists the source files it was built from with their modification times
// and sizes; when none has changed, the bundle is imported without starting esbuild (about 0.4 s of every
// `npm run train`, a serial part that no --jobs can share). Any edited, moved or deleted input rebuilds.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: node scripts/run.mjs ENTRY.ts [args...]');
  process.exit(2);
}
const outDir = resolve('node_modules/.cache/focalgrad');
mkdirSync(outDir, { recursive: true });
// One manifest per entry file of this checkout (two worktrees share the cache folder through their node_modules link).
const manifestFile = join(outDir, `${basename(entry, '.ts')}-${createHash('sha256').update(resolve(entry)).digest('hex').slice(0, 16)}.json`);
const outfile = cachedBundle() ?? (await bundle());
// The script reads its flags from process.argv.slice(2), as if it had been started directly.
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);

// A file's identity for the manifest: its modification time and size (null once it is gone).
function stamp(path) {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return null;
  }
}

// The bundle the manifest names, if it exists and every input is as it was when it was built; else null.
function cachedBundle() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return null;
  }
  if (!existsSync(manifest.bundle)) return null;
  for (const [path, was] of Object.entries(manifest.inputs)) if (stamp(path) !== was) return null;
  return manifest.bundle;
}

async function bundle() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    // NOTE: the bundle sees the entry's own location as import.meta.url, as if started directly: scripts/paths.ts
    // finds the project's root from it. The cache folder's location may lie in another checkout (a worktree
    // whose node_modules is a link to another's), and its root is not this one.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(resolve(entry)).href) },
    write: false,
    metafile: true,
    // The bundle's imports of node_modules resolve from the cache folder as from the repository.
    outfile: join(outDir, `${basename(entry, '.ts')}.mjs`),
    logLevel: 'warning',
  });
  const contents = result.outputFiles[0].contents;
  // A name from the content: two starts of the same code share one file, two versions never collide,
  // and a file of that name is complete, because it is only ever made by a rename.
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 16);
  const outfile = join(outDir, `${basename(entry, '.ts')}-${hash}.mjs`);
  if (!existsSync(outfile)) writeWhole(outfile, contents);
  // The inputs esbuild read (paths from the working directory), and the configuration files it consults.
  const paths = [...Object.keys(result.metafile.inputs), 'tsconfig.json', 'package.json'].map((path) => resolve(path));
  writeWhole(manifestFile, JSON.stringify({ bundle: outfile, inputs: Object.fromEntries(paths.map((path) => [path, stamp(path)])) }));
  return outfile;
}

// Written under a temporary name and renamed, so that a file of the final name is always complete.
function writeWhole(path, contents) {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, contents);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
