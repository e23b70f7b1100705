// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time.
// usage: npx tsx bench/profile-summary.ts [--top N] FILE.cpuprofile...

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../scripts/paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}


function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url === '' ? '' : url.startsWith('file://') ? relative(ROOT, fileURLToPath(url)) : url;
  // NOTE: under tsx a module's compiled code is one line (line 0), so only a real line number is shown.
  return `${functionName || '(anonymous)'}${file ? ` ${file}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}` : ''}`;
}

function selfTimes(profile: CpuProfile): { name: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    if (node === undefined) return;
    const key = label(node);
    totals.set(key, (totals.get(key) ?? 0) + dt);
  });
  return [...totals.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / all }))
    .sort((a, b) => b.ms - a.ms);
}

const USAGE = 'usage: npx tsx bench/profile-summary.ts [--top N] FILE.cpuprofile...';
const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 15;
const files = topAt >= 0 ? args.filter((_, i) => i !== topAt && i !== topAt + 1) : args;
const problem =
  files.length === 0 ? 'no .cpuprofile given' : Number.isInteger(top) && top > 0 ? null : `--top must be a positive integer, got ${args[topAt + 1]}`;
if (problem !== null) {
  console.error(`error: ${problem}\n\n${USAGE}`);
  process.exit(2);
}
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalMs = profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
  console.log(`${file}: ${totalMs.toFixed(0)} ms sampled`);
  for (const row of selfTimes(profile).slice(0, top)) {
    console.log(`${(100 * row.share).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(6)} ms  ${row.name}`);
  }
}
