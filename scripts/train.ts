// npm run train -- [flags]: parses the flags, runs train/ (one configuration or the comparison), shows progress on stderr, prints the table and puts the files in place atomically.
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type EpochRecord,
  type OutputFile,
  type PreparedRun,
  prepareRun,
  compareFiles,
  compareSteps,
  epochBudget,
  compareSummary,
  runFiles,
  runSummary,
  trainSteps,
} from '../train/index.js';
import { USAGE, compareOptions, parseArgs, resolveData } from './cli.js';

const EXIT_USAGE = 2;

// The error alone and where the flags are, as `focalgrad loss` does: the 40 lines of the usage after it
// would push the one line that matters off the screen.
// scripts/focalgrad.ts names itself 'focalgrad train' in argv[1] when it runs this file.
const HELP = process.argv[1] === 'focalgrad train' ? 'focalgrad train --help' : 'npm run train -- --help';
function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n\n(${HELP} lists the flags)\n`);
  process.exit(EXIT_USAGE);
}

// What this run has made, removed again if it fails or is stopped before its files are in place:
// the parent directories it created (deepest first), its temporary output directory and model file.
const created: string[] = [];
const temps: string[] = [];

// A run writes into `.NAME.focalgrad-tmp-PID` beside its --out (and --save) and renames it into place at
// the end; `--overwrite` first moves the old output to `.NAME.focalgrad-old-PID`. The names say whose
// they are, so that the next run can tell the leftovers of a killed run from those of a live one.
const LEFTOVER = /^\.(.+)\.focalgrad-(tmp|old)-(\d+)$/;

function sideName(path: string, kind: 'tmp' | 'old'): string {
  return join(dirname(path), `.${basename(path)}.focalgrad-${kind}-${process.pid}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Removes what a killed run left beside `path`; an old output whose replacement never arrived is put back.
function removeLeftovers(path: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const match = LEFTOVER.exec(name);
    if (match === null || match[1] !== basename(path) || Number(match[3]) === process.pid || isAlive(Number(match[3]))) continue;
    const leftover = join(dirname(path), name);
    if (match[2] === 'old' && !existsSync(path)) {
      renameSync(leftover, path);
      process.stderr.write(`restored ${path} from ${name}, left by a run that was stopped while replacing it\n`);
    } else {
      rmSync(leftover, { recursive: true, force: true });
      process.stderr.write(`removed ${name}, left by a run that was stopped (pid ${match[3]})\n`);
    }
  }
}

// mkdir -p one level at a time below the deepest directory that exists, then a probe file written and
// removed: afterwards we know that files can be made in dir.
// NOTE: not mkdirSync(dir, { recursive: true }), which never returns for a path under /proc (a Node bug).
function prepareDir(dir: string, flag: string, shown: string): void {
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
    usageError(`${flag} ${shown} cannot be written: ${(error as Error).message}`);
  }
}

// Removes the temporary files and directory, then the directories this run made, deepest first, if empty.
function cleanUp(): void {
  for (const tmp of temps) rmSync(tmp, { recursive: true, force: true });
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

function isBusy(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST';
}

// Puts the finished directory in place of `out` in one rename (onto nothing, or onto an empty directory).
// With overwrite, a non-empty `out` is first moved aside and removed after. Without it, an `out` that
// another run filled meanwhile is left alone, and this run's files go beside it: returns where they went.
function commitDir(temp: string, out: string, overwrite: boolean): string {
  try {
    renameSync(temp, out);
    return out;
  } catch (error) {
    if (!isBusy(error)) throw error;
  }
  if (!overwrite) {
    const beside = `${out}.${process.pid}`;
    renameSync(temp, beside);
    return beside;
  }
  const old = sideName(out, 'old');
  renameSync(out, old);
  renameSync(temp, out);
  rmSync(old, { recursive: true, force: true });
  return out;
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

// Whether the files are in place: a closed stdout or stderr before that stops the run, after it only the report.
let finished = false;

// `npm run train | head -1`: the reader is gone. End quietly, as a process killed by SIGPIPE would
// (128 + 13) while the run was unfinished, with 0 once the files are in place (npm then prints no error).
function onStreamError(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  if (finished) process.exit(0);
  cleanUp();
  process.exit(141);
}

async function main(): Promise<void> {
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
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
    if (parsed.mode === 'compare') compareSteps(compareOptions(config, parsed.compare));
  } catch (error) {
    usageError((error as Error).message);
  }

  for (const signal of Object.keys(SIGNAL_EXIT)) process.on(signal, onSignal);
  // Everything that can be refused is refused here, before any training: exit 2, nothing written.
  const shownOut = parsed.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));
  const outDir = resolve(shownOut);
  prepareDir(dirname(outDir), '--out', shownOut);
  removeLeftovers(outDir);
  const outStat = statSync(outDir, { throwIfNoEntry: false });
  if (outStat !== undefined && !outStat.isDirectory()) {
    cleanUp();
    usageError(`--out ${shownOut} cannot be written: it exists and is not a directory`);
  }
  if (outStat !== undefined && readdirSync(outDir).length > 0 && !parsed.overwrite) {
    cleanUp();
    usageError(`--out ${shownOut} is not empty; pass --overwrite to replace it as a whole, or choose a new directory`);
  }
  const shownSave = parsed.mode === 'single' ? parsed.save : null;
  const savePath = shownSave === null ? null : resolve(shownSave);
  if (shownSave !== null && savePath !== null) {
    if (savePath === outDir || savePath.startsWith(`${outDir}${sep}`)) {
      cleanUp();
      usageError(`--save ${shownSave} is inside --out ${shownOut}, which is written as a whole; save the model elsewhere`);
    }
    prepareDir(dirname(savePath), '--save', shownSave);
    removeLeftovers(savePath);
    if (statSync(savePath, { throwIfNoEntry: false })?.isDirectory() === true) {
      cleanUp();
      usageError(`--save ${shownSave} is a directory (expected a file name such as model.json)`);
    }
  }
  const tempDir = sideName(outDir, 'tmp');
  temps.push(tempDir);
  mkdirSync(tempDir);

  const started = performance.now();
  const epochs = epochBudget(prepared.config, prepared.split.train.n);
  let files: OutputFile[];
  let summary: string;
  let savedModel: string | Uint8Array | null = null;
  let wroteTo: string;
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
      const steps = compareSteps(compareOptions(config, parsed.compare), {
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
    for (const file of files) writeFileSync(join(tempDir, file.name), file.content);
    if (savePath !== null && savedModel !== null) {
      const saveTemp = sideName(savePath, 'tmp');
      temps.push(saveTemp);
      writeFileSync(saveTemp, savedModel);
    }
    // The directory first (one rename: all the files or none), then the model beside it.
    wroteTo = commitDir(tempDir, outDir, parsed.overwrite);
    if (savePath !== null && savedModel !== null) renameSync(sideName(savePath, 'tmp'), savePath);
    temps.length = 0;
    created.length = 0;
    finished = true;
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
  process.stdout.write(`wrote ${files.map((f) => f.name).join(', ')}${shownSave !== null ? ` and ${shownSave}` : ''} in ${seconds} s\n`);
  process.stdout.write(`report: ${join(wroteTo, 'report.html')}\n`);
  if (wroteTo !== outDir) {
    process.stderr.write(`error: --out ${shownOut} was filled by another run meanwhile; this run's files are in ${wroteTo}\n`);
    process.exitCode = 1;
  }
}

await main();
