// Saves a bench run: the JSON and the printed text, under a stamped name and as latest.*, each written atomically.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../scripts/output.js';

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
    writeAtomic(path, contents);
    writeAtomic(join(dir, `latest.${ext}`), contents);
    written.push(path);
  }
  return written;
}
