// npm run train -- [flags]: parses the flags, runs train/ (one configuration or the comparison), shows progress on stderr, prints the table and writes the files atomically.
import { accessSync, constants, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type EpochRecord,
  type OutputFile,
  type PreparedRun,
  prepareRun,
  compareFiles,
  compareSteps,
  compareSummary,
  runFiles,
  runSummary,
  trainSteps,
} from '../train/index.js';
import { USAGE, parseArgs, resolveData } from './cli.js';

const EXIT_USAGE = 2;

function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
  process.exit(EXIT_USAGE);
}

// What this run has made, removed again if it fails or is stopped before its files are in place:
// the directories it created (deepest first) and the temporary files of writeAtomically.
const created: string[] = [];
const temps: string[] = [];

// mkdir -p one level at a time below the deepest directory that exists, then a probe file written and
// removed: afterwards we know the files can be written.
// NOTE: not mkdirSync(dir, { recursive: true }), which never returns for a path under /proc (a Node bug).
function prepareDir(dir: string, flag: string): void {
  try {
    // The directories to make, deepest first, up to the deepest one that exists (the root always does).
    const missing: string[] = [];
    let existing = resolve(dir);
    let stat = statSync(existing, { throwIfNoEntry: false });
    while (stat === undefined) {
      missing.push(existing);
      existing = dirname(existing);
      stat = statSync(existing, { throwIfNoEntry: false });
    }
    if (!stat.isDirectory()) throw new Error(`${existing} is not a directory`);
    accessSync(existing, constants.W_OK);
    for (const level of missing.reverse()) {
      mkdirSync(level);
      created.unshift(level);
    }
    const probe = join(dir, `.probe-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    cleanUp();
    usageError(`${flag} ${dir} cannot be written: ${(error as Error).message}`);
  }
}

// Removes the temporary files, then the directories this run made, deepest first, as long as they are empty.
function cleanUp(): void {
  for (const tmp of temps) rmSync(tmp, { force: true });
  temps.length = 0;
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
// so a failure (after cleanUp) leaves either all the files or none.
function writeAtomically(files: readonly { path: string; content: string | Uint8Array }[]): void {
  for (const file of files) {
    temps.push(`${file.path}.tmp-${process.pid}`);
    writeFileSync(temps[temps.length - 1], file.content);
  }
  files.forEach((file, i) => renameSync(temps[i], file.path));
  temps.length = 0;
}

// Ctrl-C (SIGINT) or SIGTERM mid-run: clean up and exit 128 + the signal's number, as a shell reports it.
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

function onSignal(signal: NodeJS.Signals): void {
  endProgress();
  cleanUp();
  process.stderr.write(`stopped by ${signal}; no files written\n`);
  process.exit(SIGNAL_EXIT[signal]);
}

// Steps a training generator to its end, returning to the event loop between epochs.
// NOTE: Node runs a signal handler only from the event loop; without these pauses a handler would wait
// for the whole run, and Ctrl-C would do nothing.
async function runPausing<T>(steps: Generator<void, T, void>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise((resume) => setImmediate(resume));
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

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2));
  if ('error' in parsed) usageError(parsed.error);
  if (parsed.mode === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // The data is read and every field checked here, before any directory or file is made.
  let config: ReturnType<typeof resolveData>;
  let prepared: PreparedRun;
  try {
    config = resolveData(parsed, (path) => readFileSync(path, 'utf8'));
    prepared = prepareRun(config);
    if (parsed.mode === 'compare') compareSteps(config, parsed.seeds);
  } catch (error) {
    usageError((error as Error).message);
  }

  for (const signal of Object.keys(SIGNAL_EXIT)) process.on(signal, onSignal);
  const outDir = parsed.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));
  prepareDir(outDir, '--out');
  const savePath = parsed.mode === 'single' ? parsed.save : null;
  if (savePath !== null) prepareDir(dirname(resolve(savePath)), '--save');

  const started = performance.now();
  const { epochs } = prepared.config;
  let files: OutputFile[];
  let summary: string;
  let savedModel: string | Uint8Array | null = null;
  try {
    if (parsed.mode === 'single') {
      const result = await runPausing(
        trainSteps(prepared, {
          onEpoch: (r) => {
            const text = `epoch ${r.epoch}/${epochs}  train loss ${r.trainLoss.toFixed(4)}  test loss ${r.testLoss.toFixed(4)}  recall ${recallText(r)}`;
            if (tty) showProgress(text, r.epoch / epochs);
            else process.stderr.write(`${text}\n`);
          },
        }),
      );
      endProgress();
      files = runFiles(result);
      summary = runSummary(result);
      // The extension picks the format: .safetensors for PyTorch, anything else the JSON of toJSON().
      if (savePath !== null) {
        savedModel = savePath.endsWith('.safetensors') ? result.model.toSafetensors() : `${JSON.stringify(result.model.toJSON())}\n`;
      }
    } else {
      let runStarted = 0;
      const steps = compareSteps(config, parsed.seeds, {
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
      const result = await runPausing(steps);
      endProgress();
      files = compareFiles(result);
      summary = compareSummary(result);
    }
    const outputs: { path: string; content: string | Uint8Array }[] = files.map((f) => ({ path: join(outDir, f.name), content: f.content }));
    if (savePath !== null && savedModel !== null) outputs.push({ path: savePath, content: savedModel });
    writeAtomically(outputs);
  } catch (error) {
    endProgress();
    cleanUp();
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(1);
  }

  // The files are in place: from here a signal stops the process as it would any other.
  for (const signal of Object.keys(SIGNAL_EXIT)) process.off(signal, onSignal);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${summary}\n\n`);
  process.stdout.write(`wrote ${files.map((f) => f.name).join(', ')}${savePath !== null ? ` and ${savePath}` : ''} in ${seconds} s\n`);
  process.stdout.write(`report: ${join(outDir, 'report.html')}\n`);
}

await main();
