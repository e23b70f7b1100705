// npm run train -- [flags]: parses the flags, runs train/ (one configuration or the comparison), shows progress on stderr, prints the table and writes the files atomically.
import { mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type EpochRecord,
  type OutputFile,
  checkConfig,
  compare,
  compareFiles,
  compareSummary,
  runFiles,
  runSummary,
  train,
} from '../train/index.js';
import { USAGE, parseArgs } from './cli.js';

const EXIT_USAGE = 2;

function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
  process.exit(EXIT_USAGE);
}

// Directories this run created (leaf first, up to the topmost one mkdir made), removed again if the run
// fails before its files are written.
const created: string[] = [];

// mkdir -p, then a probe file written and removed: afterwards we know the files can be written.
function prepareDir(dir: string, flag: string): void {
  try {
    const first = mkdirSync(dir, { recursive: true });
    if (first !== undefined) {
      const top = resolve(first);
      for (let d = resolve(dir); d.startsWith(top); d = dirname(d)) {
        created.push(d);
        if (d === top) break;
      }
    }
    const probe = join(dir, `.probe-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    removeCreated();
    usageError(`${flag} ${dir} cannot be written: ${(error as Error).message}`);
  }
}

// Removes the directories this run made, deepest first, as long as they are empty.
function removeCreated(): void {
  for (const dir of created) {
    try {
      if (readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // NOTE: a directory already gone, or one we cannot read, is left as it is.
    }
  }
  created.length = 0;
}

// Every file goes to name.tmp-<pid> first; only when all are written are they renamed into place,
// so a failure leaves either all the files or none.
function writeAtomically(files: readonly { path: string; content: string }[]): void {
  const temps: string[] = [];
  try {
    for (const file of files) {
      const tmp = `${file.path}.tmp-${process.pid}`;
      temps.push(tmp);
      writeFileSync(tmp, file.content);
    }
    files.forEach((file, i) => renameSync(temps[i], file.path));
  } catch (error) {
    for (const tmp of temps) rmSync(tmp, { force: true });
    throw error;
  }
}

const BAR_WIDTH = 24;
const tty = process.stderr.isTTY === true;

function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

// Whether a \r progress line is on screen, waiting for its newline.
let progressOpen = false;

function showProgress(line: string, fraction: number): void {
  if (!tty) return;
  progressOpen = true;
  // One column short of the terminal's width, so the line never wraps and \r always returns to its start.
  const width = (process.stderr.columns || 100) - 1;
  process.stderr.write(`\r${`${bar(fraction)} ${line}`.slice(0, width).padEnd(width)}`);
}

function endProgress(): void {
  if (progressOpen) process.stderr.write('\n');
  progressOpen = false;
}

function recallText(record: EpochRecord): string {
  return record.recall.map((r) => r.toFixed(2)).join(' ');
}

function main(): void {
  const parsed = parseArgs(process.argv.slice(2));
  if ('error' in parsed) usageError(parsed.error);
  if (parsed.mode === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    checkConfig(parsed.config);
  } catch (error) {
    usageError((error as Error).message);
  }

  const outDir = parsed.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));
  prepareDir(outDir, '--out');
  const savePath = parsed.mode === 'single' ? parsed.save : null;
  if (savePath !== null) prepareDir(dirname(resolve(savePath)), '--save');

  const started = performance.now();
  const { epochs } = parsed.config;
  let files: OutputFile[];
  let summary: string;
  let modelJson: string | null = null;
  try {
    if (parsed.mode === 'single') {
      const result = train(parsed.config, {
        onEpoch: (r) => {
          const text = `epoch ${r.epoch}/${epochs}  train loss ${r.trainLoss.toFixed(4)}  test loss ${r.testLoss.toFixed(4)}  recall ${recallText(r)}`;
          if (tty) showProgress(text, r.epoch / epochs);
          else process.stderr.write(`${text}\n`);
        },
      });
      endProgress();
      files = runFiles(result);
      summary = runSummary(result);
      if (savePath !== null) modelJson = `${JSON.stringify(result.model.toJSON())}\n`;
    } else {
      let runStarted = 0;
      const result = compare(parsed.config, parsed.seeds, {
        onRunStart: () => {
          runStarted = performance.now();
        },
        onEpoch: (r, info) => {
          const text = `run ${info.index + 1}/${info.total}  ${info.variant}  seed ${info.seed}  epoch ${r.epoch}/${epochs}  loss ${r.trainLoss.toFixed(4)}`;
          showProgress(text, (info.index * epochs + r.epoch) / (info.total * epochs));
        },
        onRunEnd: (info) => {
          if (tty) return;
          const m = info.metrics;
          const seconds = ((performance.now() - runStarted) / 1000).toFixed(1);
          process.stderr.write(
            `run ${info.index + 1}/${info.total}  ${info.variant}  seed ${info.seed}  macro-F1 ${m.macroF1.toFixed(3)}  ` +
              `balanced accuracy ${m.balancedAccuracy.toFixed(3)}  recall ${m.perClass.map((c) => c.recall.toFixed(2)).join(' ')}  (${seconds} s)\n`,
          );
        },
      });
      endProgress();
      files = compareFiles(result);
      summary = compareSummary(result);
    }
    const outputs = files.map((f) => ({ path: join(outDir, f.name), content: f.content }));
    if (savePath !== null && modelJson !== null) outputs.push({ path: savePath, content: modelJson });
    writeAtomically(outputs);
  } catch (error) {
    endProgress();
    removeCreated();
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(1);
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${summary}\n\n`);
  process.stdout.write(`wrote ${files.map((f) => f.name).join(', ')}${savePath !== null ? ` and ${savePath}` : ''} in ${seconds} s\n`);
  process.stdout.write(`report: ${join(outDir, 'report.html')}\n`);
}

main();
