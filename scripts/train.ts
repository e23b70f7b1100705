// npm run train -- [flags]: parse the flags → prepare the data and the output (every refusal here: exit 2,
// nothing written) → run train/ with progress on stderr → write the files in place and print the table.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type ComparePlan,
  type OutputFile,
  type PreparedRun,
  type TrainConfig,
  compareFiles,
  compareSummary,
  epochBudget,
  planComparison,
  prepareRun,
  runFiles,
  runSummary,
  safeText,
  summarizeComparison,
  trainSteps,
} from '../train/index.js';
import { compareOptions, parseArgs, resolveData, usage } from './cli.js';
import { readDataFile } from './read-data.js';
import { defaultJobs, isPoolWorker, runPool } from './pool.js';
import { RunOutput, cleanUpOnSignals } from './output.js';
import { Progress } from './progress.js';

const EXIT_USAGE = 2;
// An error line longer than this is cut: it names the flag and the value, not a whole file.
const MAX_MESSAGE = 400;

// The error alone and where the flags are, as `focalgrad loss` does: the 40 lines of the usage after it
// would push the one line that matters off the screen.
// The command as the user ran it: scripts/focalgrad.ts names itself 'focalgrad train' in argv[1] when it runs this file.
const COMMAND = process.argv[1] === 'focalgrad train' ? 'focalgrad train' : 'npm run train --';
const HELP = `${COMMAND} --help`;
// One line, whatever the message holds: a file or class name with a line break or an escape sequence
// shows as its escapes, and a long value is cut (safeText).
function usageError(message: string): never {
  process.stderr.write(`error: ${safeText(message, 'terminal', { maxLength: MAX_MESSAGE })} (${HELP} lists the flags)\n`);
  process.exit(EXIT_USAGE);
}

/** What a run leaves: its files, the model for --save, and the summary printed on stdout. */
interface Outcome {
  files: OutputFile[];
  model: string | Uint8Array | null;
  summary: string;
}

const progress = new Progress();
let output: RunOutput | null = null;
// Whether the files are in place: a closed stdout or stderr before that stops the run, after it only the report.
let finished = false;

// `npm run train | head -1`: the reader is gone. End quietly, as a process killed by SIGPIPE would
// (128 + 13) while the run was unfinished, with 0 once the files are in place (npm then prints no error).
function onStreamError(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  if (finished) process.exit(0);
  output?.cleanUp();
  process.exit(141);
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

async function runSingle(prepared: PreparedRun, save: string | null): Promise<Outcome> {
  const budget = epochBudget(prepared.config, prepared.split.train.n);
  const result = await runPausing(
    trainSteps(prepared, {
      onEpoch: (r) => {
        const val = r.valLoss === null ? '' : `  val loss ${r.valLoss.toFixed(4)}`;
        const text = `epoch ${r.epoch}/${budget}  train loss ${r.trainLoss.toFixed(4)}${val}  recall ${r.recall.map((x) => x.toFixed(2)).join(' ')}`;
        if (progress.tty) progress.update(text, r.epoch / budget);
        else progress.line(text);
      },
    }),
  );
  // The extension picks the format: .safetensors for PyTorch, anything else the JSON of toJSON().
  const model = save === null ? null : save.endsWith('.safetensors') ? result.model.toSafetensors() : `${JSON.stringify(result.model.toJSON())}\n`;
  return { files: runFiles(result), model, summary: runSummary(result) };
}

// The comparison's runs go to the worker pool; a line (or the bar) counts the finished ones.
async function runCompare(plan: ComparePlan, jobs: number): Promise<Outcome> {
  const results = await runPool(plan.tasks, {
    jobs,
    onDone: (done, total, { run }) => {
      const m = run.metrics;
      const text =
        `run ${done}/${total} finished  ${run.variant}  seed ${run.seed}${run.fold === null ? '' : ` fold ${run.fold}`}  ` +
        `balanced accuracy ${m.balancedAccuracy.toFixed(3)}  stopped at epoch ${run.stopped.epoch} (kept ${run.stopped.bestEpoch})`;
      if (progress.tty) progress.update(text, done / total);
      else progress.line(text);
    },
  });
  const result = summarizeComparison(plan, results);
  return { files: compareFiles(result), model: null, summary: compareSummary(result) };
}

async function main(): Promise<void> {
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  const plan = parseArgs(process.argv.slice(2));
  if ('error' in plan) usageError(plan.error);
  if (plan.mode === 'help') {
    process.stdout.write(`${usage(COMMAND)}\n`);
    return;
  }

  // Prepare: the data read and every field checked, then the output, before any training.
  const out = plan.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));
  const save = plan.mode === 'single' ? plan.save : null;
  let config: Partial<TrainConfig>;
  let prepared: PreparedRun;
  let comparison: ComparePlan | null = null;
  try {
    config = resolveData(plan, readDataFile);
    prepared = prepareRun(config);
    if (plan.mode === 'compare') comparison = planComparison(compareOptions(config, plan.compare));
    output = RunOutput.prepare({ out, overwrite: plan.overwrite, save, inputs: plan.csv === null ? [] : [{ flag: '--data', path: plan.csv.csv }] });
  } catch (error) {
    usageError((error as Error).message);
  }
  const stopHandlingSignals = cleanUpOnSignals(output, () => progress.end());

  // Run, then write: all the files in place, or none.
  const started = performance.now();
  let outcome: Outcome;
  let wroteTo: string;
  try {
    outcome = plan.mode === 'single' ? await runSingle(prepared, save) : await runCompare(comparison as ComparePlan, plan.compare.jobs ?? defaultJobs());
    progress.end();
    wroteTo = output.commit(outcome.files, outcome.model);
    finished = true;
  } catch (error) {
    progress.end();
    output.cleanUp();
    process.stderr.write(`error: ${safeText((error as Error).message, 'terminal', { maxLength: MAX_MESSAGE })}\n`);
    process.exit(1);
  }

  // The files are in place: from here a signal stops the process as it would any other.
  stopHandlingSignals();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${outcome.summary}\n\n`);
  process.stdout.write(`wrote ${outcome.files.map((f) => f.name).join(', ')}${save !== null ? ` and ${save}` : ''} in ${seconds} s\n`);
  process.stdout.write(`report: ${join(wroteTo, 'report.html')}\n`);
  if (wroteTo !== output.dir) {
    process.stderr.write(`error: --out ${safeText(out, 'terminal')} was filled by another run meanwhile; this run's files are in ${wroteTo}\n`);
    process.exitCode = 1;
  }
}

// A worker of the pool runs this same file (see scripts/pool.ts): only the main thread parses flags and writes files.
if (!isPoolWorker()) await main();
