// Saves a bench run: the JSON and the printed text, under a stamped name and as latest.*.

import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes to a temporary name in the same folder, then renames: a reader never sees half a file. */
function writeWhole(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** `dir/<base>.json`, `dir/<base>.txt`, `dir/latest.json` and `dir/latest.txt`; returns the stamped paths. */
export function saveRun(dir: string, base: string, json: unknown, text: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['json', `${JSON.stringify(json, null, 2)}\n`],
    ['txt', text.endsWith('\n') ? text : `${text}\n`],
  ];
  const written: string[] = [];
  for (const [ext, contents] of files) {
    const path = join(dir, `${base}.${ext}`);
    writeWhole(path, contents);
    writeWhole(join(dir, `latest.${ext}`), contents);
    written.push(path);
  }
  return written;
}
