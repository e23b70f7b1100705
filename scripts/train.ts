// npm run train -- [flags]: parse the flags → prepare the data and the output (every refusal here: exit 2,
// nothing written) → run train/ with progress on stderr → write the files in place and print the table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type OutputFile, type PreparedRun, type TrainConfig, compareFiles, compareSteps, compareSummary, prepareRun, runFiles, runSummary, trainSteps } from '../train/index.js';
import { USAGE, parseArgs, resolveData } from './cli.js';
import { RunOutput, cleanUpOnSignals } from './output.js';
import { Progress } from './progress.js';

const EXIT_USAGE = 2;

// The error alone and where the flags are, as `focalgrad loss` does: the 40 lines of the usage after it
// would push the one line that matters off the screen.
// scripts/focalgrad.ts names itself 'focalgrad train' in argv[1] when it runs this file.
const HELP = process.argv[1] === 'focalgrad train' ? 'focalgrad train --help' : 'npm run train -- --help';
function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n\n(${HELP} lists the flags)\n`);
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
  const { epochs } = prepared.config;
  const result = await runPausing(
    trainSteps(prepared, {
      onEpoch: (r) => {
        const text = `epoch ${r.epoch}/${epochs}  train loss ${r.trainLoss.toFixed(4)}  test loss ${r.testLoss.toFixed(4)}  recall ${r.recall.map((x) => x.toFixed(2)).join(' ')}`;
        if (progress.tty) progress.update(text, r.epoch / epochs);
        else progress.line(text);
      },
    }),
  );
  // The extension picks the format: .safetensors for PyTorch, anything else the JSON of toJSON().
  const model = save === null ? null : save.endsWith('.safetensors') ? result.model.toSafetensors() : `${JSON.stringify(result.model.toJSON())}\n`;
  return { files: runFiles(result), model, summary: runSummary(result) };
}

async function runCompare(config: Partial<TrainConfig>, seeds: number, epochs: number): Promise<Outcome> {
  let runStarted = 0;
  const result = await runPausing(
    compareSteps(config, seeds, {
      onRunStart: () => {
        runStarted = performance.now();
      },
      onEpoch: (r, info) => {
        const text = `run ${info.index + 1}/${info.total}  ${info.variant}  seed ${info.seed}  epoch ${r.epoch}/${epochs}  loss ${r.trainLoss.toFixed(4)}`;
        progress.update(text, (info.index * epochs + r.epoch) / (info.total * epochs));
      },
      onRunEnd: ({ index, total, variant, seed, metrics: m }) => {
        if (progress.tty) return;
        const seconds = ((performance.now() - runStarted) / 1000).toFixed(1);
        progress.line(
          `run ${index + 1}/${total}  ${variant}  seed ${seed}  macro-F1 ${m.macroF1.toFixed(3)}  balanced accuracy ${m.balancedAccuracy.toFixed(3)}  ` +
            `recall ${m.perClass.map((c) => c.recall.toFixed(2)).join(' ')}  (${seconds} s)`,
        );
      },
    }),
  );
  return { files: compareFiles(result), model: null, summary: compareSummary(result) };
}

async function main(): Promise<void> {
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  const plan = parseArgs(process.argv.slice(2));
  if ('error' in plan) usageError(plan.error);
  if (plan.mode === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  // Prepare: the data read and every field checked, then the output, before any training.
  const out = plan.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));
  const save = plan.mode === 'single' ? plan.save : null;
  let config: Partial<TrainConfig>;
  let prepared: PreparedRun;
  try {
    config = resolveData(plan, (path) => readFileSync(path, 'utf8'));
    prepared = prepareRun(config);
    if (plan.mode === 'compare') compareSteps(config, plan.seeds);
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
    outcome = plan.mode === 'single' ? await runSingle(prepared, save) : await runCompare(config, plan.seeds, prepared.config.epochs);
    progress.end();
    wroteTo = output.commit(outcome.files, outcome.model);
    finished = true;
  } catch (error) {
    progress.end();
    output.cleanUp();
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(1);
  }

  // The files are in place: from here a signal stops the process as it would any other.
  stopHandlingSignals();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${outcome.summary}\n\n`);
  process.stdout.write(`wrote ${outcome.files.map((f) => f.name).join(', ')}${save !== null ? ` and ${save}` : ''} in ${seconds} s\n`);
  process.stdout.write(`report: ${join(wroteTo, 'report.html')}\n`);
  if (wroteTo !== output.dir) {
    process.stderr.write(`error: --out ${out} was filled by another run meanwhile; this run's files are in ${wroteTo}\n`);
    process.exitCode = 1;
  }
}

await main();
