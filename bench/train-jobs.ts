// npm run bench:jobs: the wall time of `npm run train -- --jobs 1` against `--jobs 2`, in alternating rounds
// (interleaved processes), with each process's CPU time, and a check that every run wrote the same files.
// BEFORE=/path/to/another/checkout adds that checkout's two commands to every round (a before / after).
// Run it on a quiet machine (the shared lock): a second process on two cores halves either figure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TIME = '/usr/bin/time';
// The files whose bytes must not depend on --jobs (the output folder holds nothing else).
const checkouts = [{ name: 'this', dir: resolve('.') }, ...(process.env.BEFORE ? [{ name: 'before', dir: resolve(process.env.BEFORE) }] : [])];
const commands = checkouts.flatMap((c) => [1, 2].map((jobs) => ({ label: `${c.name} --jobs ${jobs}`, checkout: c, jobs })));

interface Sample {
  wall: number;
  cpu: number | null;
}

const work = mkdtempSync(join(tmpdir(), 'focalgrad-jobs-'));
try {
  const samples = new Map<string, Sample[]>(commands.map((c) => [c.label, []]));
  const outputs = new Map<string, string>();
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate the order too, so that neither command always runs first in a round.
    const order = round % 2 === 1 ? commands : [...commands].reverse();
    for (const command of order) {
      const out = join(work, `${command.checkout.name}-${command.jobs}`);
      const args = ['run', 'train', '--', '--jobs', String(command.jobs), '--out', out, '--overwrite'];
      const timed = existsSync(TIME);
      const started = performance.now();
      const child = timed
        ? spawnSync(TIME, ['-f', 'cpu %U %S', 'npm', ...args], { cwd: command.checkout.dir, encoding: 'utf8' })
        : spawnSync('npm', args, { cwd: command.checkout.dir, encoding: 'utf8' });
      const wall = (performance.now() - started) / 1000;
      if (child.status !== 0) throw new Error(`${command.label} failed: ${child.stderr.slice(-400)}`);
      const cpuLine = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(child.stderr);
      const cpu = cpuLine === null ? null : Number(cpuLine[1]) + Number(cpuLine[2]);
      samples.get(command.label)?.push({ wall, cpu });
      // Every file of every run of one checkout, byte for byte the same as that checkout's first run.
      const files = readdirSync(out).sort().map((name) => `${name}\n${readFileSync(join(out, name), 'utf8')}`).join('\n');
      const first = outputs.get(command.checkout.name);
      if (first === undefined) outputs.set(command.checkout.name, files);
      else if (first !== files) throw new Error(`${command.label}: its files differ from the checkout's first run`);
      process.stdout.write(`round ${round}  ${command.label}  ${wall.toFixed(2)} s wall${cpu === null ? '' : `  ${cpu.toFixed(2)} s CPU`}\n`);
    }
  }
  process.stdout.write('\nmedians (wall, CPU):\n');
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const wallOf = new Map<string, number>();
  for (const [label, xs] of samples) {
    const wall = median(xs.map((x) => x.wall));
    wallOf.set(label, wall);
    const cpus = xs.flatMap((x) => (x.cpu === null ? [] : [x.cpu]));
    process.stdout.write(`  ${label}: ${wall.toFixed(2)} s${cpus.length > 0 ? `, CPU ${median(cpus).toFixed(2)} s` : ''}  (${xs.map((x) => x.wall.toFixed(1)).join(' / ')})\n`);
  }
  // The ratio within each round as well: the machine's load drifts between rounds, less within one.
  for (const c of checkouts) {
    const ratio = (wallOf.get(`${c.name} --jobs 1`) as number) / (wallOf.get(`${c.name} --jobs 2`) as number);
    const one = samples.get(`${c.name} --jobs 1`) as Sample[];
    const two = samples.get(`${c.name} --jobs 2`) as Sample[];
    const perRound = one.map((s, k) => s.wall / two[k].wall);
    process.stdout.write(
      `  ${c.name}: --jobs 2 is ${ratio.toFixed(2)}× faster than --jobs 1 (ratio of medians; per round ${perRound.map((r) => r.toFixed(2)).join(' / ')}, ` +
        `median ${median(perRound).toFixed(2)}); every run wrote the same files\n`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
