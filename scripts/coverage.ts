// Checks the coverage summary c8 wrote against each folder's threshold; exits 1 if any falls short.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Counts {
  total: number;
  covered: number;
}
type Summary = Record<string, { lines: Counts; branches: Counts }>;

// Percent thresholds per folder: the engine and the losses are what users trust as a reference.
const thresholds: Record<string, { lines: number; branches: number }> = {
  engine: { lines: 95, branches: 90 },
  losses: { lines: 95, branches: 85 },
  models: { lines: 95, branches: 90 },
  train: { lines: 95, branches: 85 },
};

const summary = JSON.parse(readFileSync('coverage/coverage-summary.json', 'utf8')) as Summary;
const totals = new Map<string, { lines: Counts; branches: Counts }>();
for (const [file, counts] of Object.entries(summary)) {
  if (file === 'total') continue;
  const folder = relative(process.cwd(), file).split(/[\\/]/)[0];
  const sum = totals.get(folder) ?? { lines: { total: 0, covered: 0 }, branches: { total: 0, covered: 0 } };
  sum.lines.total += counts.lines.total;
  sum.lines.covered += counts.lines.covered;
  sum.branches.total += counts.branches.total;
  sum.branches.covered += counts.branches.covered;
  totals.set(folder, sum);
}

const percent = (c: Counts): number => (c.total === 0 ? 100 : (100 * c.covered) / c.total);
let failed = false;
for (const [folder, want] of Object.entries(thresholds)) {
  const got = totals.get(folder);
  if (got === undefined) {
    console.log(`coverage ${folder.padEnd(7)} no files measured: BELOW THRESHOLD`);
    failed = true;
    continue;
  }
  const lines = percent(got.lines);
  const branches = percent(got.branches);
  const ok = lines >= want.lines && branches >= want.branches;
  failed ||= !ok;
  console.log(
    `coverage ${folder.padEnd(7)} lines ${lines.toFixed(1).padStart(5)}% (≥ ${want.lines}%)  ` +
      `branches ${branches.toFixed(1).padStart(5)}% (≥ ${want.branches}%)  ${ok ? 'ok' : 'BELOW THRESHOLD'}`,
  );
}
if (failed) process.exit(1);
