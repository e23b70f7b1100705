// The project's root folder and its version, found from this file's location whether it runs as source, bundled or installed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackage(start: string): { root: string; version: string } {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const { name, version } = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown; version?: unknown };
      if (name === 'focalgrad') return { root: dir, version: String(version) };
    }
    if (dirname(dir) === dir) throw new Error(`cannot find focalgrad's package.json above ${start}`);
  }
}

const found = findPackage(dirname(fileURLToPath(import.meta.url)));

/** The folder of focalgrad's package.json. */
export const ROOT = found.root;
/** focalgrad's version, as its package.json gives it. */
export const VERSION = found.version;
