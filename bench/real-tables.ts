// npm run bench:tables: focalgrad's comparison on three small real tables (scikit-learn's wine, breast cancer and digits, one class cut down)
// against LogisticRegression(class_weight='balanced') on the same 5 stratified splits. Needs /usr/bin/python3 with scikit-learn; skipped without.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compareSummary, defaultConfig, deriveSeeds, formatInterval, planComparison, readCsv, splitRows, summarizeComparison } from '../train/index.js';
import { defaultJobs, isPoolWorker, runPool } from '../scripts/pool.js';

const PYTHON = '/usr/bin/python3';
// NOTE: from the working directory (the repository's root under npm), not import.meta.url: this file runs bundled from a cache.
const PEER = resolve('bench/real-tables.py');
// What a user would try on a table of unknown shape: the 2 × 2 and, for each, a linear model beside the MLP.
const GRID = process.env.GRID ?? 'loss=ce,focal alpha=none,effective hidden=none,32-32';
const SEEDS = 5;
// The selected setup refit on train + validation, as LogisticRegression is fitted on both (REFIT=0: the early-stopped models).
const REFIT = process.env.REFIT !== '0';
// TABLES=digits (names joined by commas) runs some of them.
const TABLES = process.env.TABLES?.split(',') ?? ['wine', 'breast-cancer', 'digits'];

// A pool worker runs this same file: only the main thread runs the benchmark.
if (!isPoolWorker()) await main();

async function main(): Promise<void> {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(`skipped: ${PYTHON} with scikit-learn and numpy is needed for the real tables (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()})`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-tables-'));
  try {
    execFileSync(PYTHON, [PEER, dir]);
    const rows: string[][] = [];
    const jobs = Number(process.env.JOBS ?? defaultJobs());
    for (const name of TABLES) {
      const csv = join(dir, `${name}.csv`);
      const data = readCsv(readFileSync(csv, 'utf8'), { label: 'label', name: `${name}.csv` });
      const started = performance.now();
      const plan = planComparison({ data, seeds: SEEDS, grid: GRID, refit: REFIT });
      const result = summarizeComparison(plan, await runPool(plan.tasks, { jobs }));
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      // The splits the runs used, rebuilt the way prepareRun draws them, for the peer.
      const splits = result.seeds.map((seed) => {
        const parts = splitRows(data.y, data.numClasses, { valFraction: defaultConfig.valFraction, testFraction: defaultConfig.testFraction, seed: deriveSeeds(seed).data });
        return { train: Array.from(parts.train), val: Array.from(parts.val), test: Array.from(parts.test) };
      });
      const peer = JSON.parse(execFileSync(PYTHON, [PEER, 'lr'], { input: JSON.stringify([{ name, csv, splits }]) }).toString()) as Record<string, number[]>;
      const lr = peer[name].reduce((s, v) => s + v, 0) / peer[name].length;
      const s = result.selected;
      process.stdout.write(`\n== ${name} (${seconds} s, ${jobs} jobs)\n${compareSummary(result)}\nLogisticRegression(class_weight='balanced'): ${lr.toFixed(3)}\n`);
      rows.push([
        name,
        `${Object.values(result.support).reduce((a, b) => Math.min(a, b))}`,
        s?.variant ?? '—',
        s === null ? '—' : s.test.mean.toFixed(3),
        s?.difference ? formatInterval(s.difference) : '(the baseline)',
        lr.toFixed(3),
        s === null ? '—' : (s.test.mean - lr >= 0 ? '+' : '−') + Math.abs(s.test.mean - lr).toFixed(3),
      ]);
    }
    const headers = ['table', 'rare test rows', `selected on validation (grid ${GRID}${REFIT ? ', refit' : ''})`, 'test bal. acc.', 'Δ vs cross-entropy', 'LogReg balanced', 'gap'];
    process.stdout.write(`\n${[headers, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
